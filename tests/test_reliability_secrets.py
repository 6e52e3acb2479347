"""Secrets: bot tokens and webhook secrets never reach logs or error messages.

The bot runs on both fake platforms with every logger at DEBUG (httpx, httpcore, PTB and the
Zalo SDK log request URLs, which contain ``/bot<TOKEN>/``); we exercise start-up, sends, a
failing send, polling faults and a token the platform rejects, then grep everything captured.
"""

from __future__ import annotations

import logging
import traceback

import pytest

from bot import logsafe
from bot.config import ConfigError
from tests.harness import TG_TOKEN, ZL_TOKEN, Harness

LOGGERS = ("", "httpx", "httpcore", "telegram", "zalo_bot", "bot", "aiohttp", "asyncio")
WRONG_TG = "555555555:WRONG-token_that_telegram_rejects"
WRONG_ZL = "444444444:zalo-wrong-token-rejected"


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Capture every logger at DEBUG."""
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def leaked(caplog: pytest.LogCaptureFixture, secrets: tuple[str, ...]) -> list[str]:
    """Captured lines (formatted, tracebacks included) that contain a secret."""
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    out = []
    for record in caplog.records:
        text = formatter.format(record)
        out += [f"{record.name}: {line}" for line in text.splitlines()
                if any(s in line for s in secrets)]
    return out


def exception_text(exc: BaseException) -> str:
    """An exception with its whole chain, as a traceback would print it."""
    return "".join(traceback.format_exception(exc))


@pytest.mark.parametrize("platform", ["telegram", "zalo"])
async def test_tokens_never_logged(harness_factory, debug_logs, platform: str) -> None:
    h: Harness = await harness_factory(platform)
    fake = h.tg or h.zl
    assert fake is not None
    assert len(await h.say("/start", chat="dm")) == 1
    method = "sendMessage"
    fake.fail_next(method, 500, times=1)
    assert await h.say("/toi", chat="dm") == []  # the reply failed (logged, not raised)
    fake.fail_next(method, None, drop=True, times=1)
    assert await h.say("/toi", chat="dm") == []
    assert len(await h.say("/start", chat="dm")) == 1  # and the bot keeps answering
    await h.stop()
    records = debug_logs.records
    assert any(r.name.startswith(("httpx", "httpcore", "telegram", "zalo_bot"))
               for r in records), "the SDK loggers were not captured at DEBUG"
    assert any("failed" in r.getMessage() for r in records), "the failing send was not logged"
    assert leaked(debug_logs, (TG_TOKEN, ZL_TOKEN)) == []


@pytest.mark.parametrize("platform", ["telegram", "zalo"])
async def test_rejected_token_at_start_is_a_clean_config_error(
    harness_factory, debug_logs, platform: str
) -> None:
    wrong = WRONG_TG if platform == "telegram" else WRONG_ZL
    key = "telegram_bot_token" if platform == "telegram" else "zalo_bot_token"
    with pytest.raises(ConfigError) as err:
        await harness_factory(platform, **{key: wrong})
    assert err.value.variable == key.upper()
    text = exception_text(err.value)
    assert wrong not in text and wrong.split(":")[1] not in text
    assert leaked(debug_logs, (wrong,)) == []


async def test_webhook_secrets_never_logged(harness_factory, debug_logs) -> None:
    secret = "tg-webhook-secret-42"
    h: Harness = await harness_factory("telegram", telegram_mode="webhook",
                                       telegram_webhook_secret=secret,
                                       public_base_url="https://bot.example.org")
    http = await h.http()
    async with http.post(f"{h.base_url}/webhook/telegram", data=b"{}", headers={
            "X-Telegram-Bot-Api-Secret-Token": secret[:-1]}) as resp:
        assert resp.status == 403
    assert leaked(debug_logs, (secret, TG_TOKEN)) == []


def test_redaction_covers_args_and_tracebacks(debug_logs) -> None:
    logsafe.protect(["s3cr3t-token-value"])
    log = logging.getLogger("bot.test")
    log.info("GET https://api/bot%s/getMe", "s3cr3t-token-value")
    try:
        raise RuntimeError("token s3cr3t-token-value rejected")
    except RuntimeError:
        log.exception("start failed")
    log.info("an ordinary line with %d args", 1)
    assert leaked(debug_logs, ("s3cr3t-token-value",)) == []
    messages = [r.getMessage() for r in debug_logs.records if r.name == "bot.test"]
    assert messages == ["GET https://api/bot[REDACTED]/getMe", "start failed",
                        "an ordinary line with 1 args"]
    assert "[REDACTED] rejected" in (debug_logs.records[-2].exc_text or "")
