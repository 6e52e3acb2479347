"""Run the real bot (``python -m bot run``) as a subprocess for restart and crash tests."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


async def wait_until(
    predicate: Callable[[], bool], *, timeout: float = 30.0, interval: float = 0.02
) -> None:
    """Poll ``predicate`` (e.g. a fake server's call count) until true; TimeoutError after
    ``timeout`` seconds."""
    async with asyncio.timeout(timeout):
        while True:
            if predicate():
                return
            await asyncio.sleep(interval)


class BotProcess:
    """One ``python -m bot run`` process with its own environment and log file.

    ``env`` adds to a minimal environment (no ``.env`` is read: the process runs in
    ``workdir``).  Typical keys: TELEGRAM_BOT_TOKEN, TELEGRAM_API_BASE_URL, ZALO_*,
    DATABASE_URL.
    """

    def __init__(self, workdir: Path, env: dict[str, str]) -> None:
        self.workdir = workdir
        self.env = env
        self.proc: asyncio.subprocess.Process | None = None
        self.runs = 0

    @property
    def log_path(self) -> Path:
        """Where the current run writes stdout and stderr."""
        return self.workdir / f"bot-{self.runs}.log"

    def base_env(self) -> dict[str, str]:
        """Settings every test process needs, then the test's own."""
        env = {
            "PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT),
            "HOME": str(self.workdir), "WEB_PORT": "0", "WEB_CHAT": "off",
            "DEMO_DATA": "false", "POLL_TIMEOUT": "1", "LOG_LEVEL": "INFO",
            "MEDIA_DIR": str(self.workdir / "media"),
            "DATABASE_URL": f"sqlite+aiosqlite:///{self.workdir / 'bot.db'}",
        }
        env.update(self.env)
        return env

    async def start(self) -> None:
        """Start a fresh process (a restart after :meth:`kill` or :meth:`stop`)."""
        self.runs += 1
        self.workdir.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("wb")
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=self.workdir, env=self.base_env(),
            stdout=log, stderr=asyncio.subprocess.STDOUT)
        log.close()

    def log(self) -> str:
        """The current run's output so far."""
        return self.log_path.read_text(encoding="utf-8", errors="replace") if (
            self.log_path.exists()) else ""

    async def wait_log(self, needle: str, timeout: float = 20.0) -> None:
        """Wait until the log contains ``needle`` (e.g. ``"listening on"``)."""
        async with asyncio.timeout(timeout):
            while needle not in self.log():
                if self.proc is not None and self.proc.returncode is not None:
                    raise RuntimeError(f"bot exited ({self.proc.returncode}):\n{self.log()}")
                await asyncio.sleep(0.05)

    async def kill(self) -> None:
        """SIGKILL: no clean-up at all, like a power cut."""
        if self.proc is not None and self.proc.returncode is None:
            self.proc.send_signal(signal.SIGKILL)
            await self.proc.wait()

    async def stop(self, timeout: float = 15.0) -> int | None:
        """SIGTERM and wait (SIGKILL after ``timeout``); returns the exit code."""
        if self.proc is None or self.proc.returncode is not None:
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(signal.SIGTERM)
        try:
            async with asyncio.timeout(timeout):
                return await self.proc.wait()
        except TimeoutError:
            await self.kill()
            return self.proc.returncode
