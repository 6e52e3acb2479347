"""Settings: a bad value stops start-up with one line naming the variable; never a traceback.
The web chat listens on loopback only unless explicitly allowed, and is off with tokens."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings

ROOT = Path(__file__).resolve().parent.parent


def _clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TELEGRAM_", "ZALO_", "DATABASE_", "WEB_", "VILLAGEBOT_"))}
    env.update(extra)
    return env


@pytest.mark.parametrize(("env", "variable"), [
    ({"WEB_PORT": "eighty"}, "WEB_PORT"),
    ({"WEB_PORT": "70000"}, "WEB_PORT"),
    ({"TIMEZONE": "Mars/Olympus"}, "TIMEZONE"),
    ({"TELEGRAM_API_BASE_URL": "ftp://x"}, "TELEGRAM_API_BASE_URL"),
    ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL"),
    ({"VILLAGEBOT_ADMINS": "telegram:1,viber:2"}, "VILLAGEBOT_ADMINS"),
    ({"ZALO_WEBHOOK_SECRET": "short"}, "ZALO_WEBHOOK_SECRET"),
    ({"DEFAULT_LOCALE": "fr"}, "DEFAULT_LOCALE"),
    ({"WEB_HOST": "0.0.0.0"}, "WEB_HOST"),
])
def test_bad_settings_name_the_variable(monkeypatch, env: dict[str, str], variable: str) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(ConfigError) as err:
        load_settings(_env_file=None)
    assert err.value.variable == variable


def test_web_chat_rules(monkeypatch) -> None:
    s = load_settings(_env_file=None)
    assert s.web_chat_enabled and s.web_host_is_loopback()
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "1:abc")
    assert not load_settings(_env_file=None).web_chat_enabled
    monkeypatch.setenv("WEB_CHAT", "on")
    assert load_settings(_env_file=None).web_chat_enabled
    monkeypatch.setenv("WEB_HOST", "0.0.0.0")
    with pytest.raises(ConfigError):
        load_settings(_env_file=None)
    monkeypatch.setenv("WEB_CHAT_ALLOW_REMOTE", "true")
    assert load_settings(_env_file=None).web_host == "0.0.0.0"
    monkeypatch.setenv("WEB_CHAT", "off")
    monkeypatch.delenv("WEB_CHAT_ALLOW_REMOTE")
    assert load_settings(_env_file=None).web_host == "0.0.0.0"  # no simulator: allowed


def test_cli_prints_one_line_and_exits_2(tmp_path: Path) -> None:
    env = _clean_env(tmp_path, WEB_PORT="not-a-port")
    proc = subprocess.run([sys.executable, "-m", "bot", "run"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0
    assert "WEB_PORT" in proc.stderr and "Traceback" not in proc.stderr
    assert proc.stderr.startswith("Cấu hình sai")


def test_cli_refuses_remote_web_chat_without_flag(tmp_path: Path) -> None:
    env = _clean_env(tmp_path)
    proc = subprocess.run([sys.executable, "-m", "bot", "run", "--host", "0.0.0.0"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "WEB_HOST" in proc.stderr


def test_cli_help(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "bot", "run", "--help"], cwd=tmp_path,
                          env=_clean_env(tmp_path), capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and "--allow-remote-web-chat" in proc.stdout


def test_env_example_lists_every_setting() -> None:
    from bot.config import Settings

    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert f"{name.upper()}=" in text, name
