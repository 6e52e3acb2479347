"""Log volume is bounded: a repeated message is written once, then summarised per interval.

The end-to-end case runs the real ``python -m bot run`` (the CLI installs the summary filter on
its log handler) against the fake Telegram, feeds it thousands of malformed updates and counts
the lines of its log.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

from bot.logrepeat import RepeatSummary
from tests.fakes import FakeTelegram
from tests.procs import BotProcess, wait_until

TOKEN = "123456789:TEST-token_fake"


def _logger_to(stream: io.StringIO, summary: RepeatSummary) -> logging.Logger:
    handler = logging.StreamHandler(stream)
    handler.addFilter(summary)
    logger = logging.getLogger("tests.logvolume")
    logger.handlers[:] = [handler]
    logger.propagate = False
    logger.setLevel(logging.INFO)
    return logger


def test_the_same_error_is_written_once_then_one_summary_per_interval() -> None:
    now = [1000.0]
    stream = io.StringIO()
    log = _logger_to(stream, RepeatSummary(interval=60, clock=lambda: now[0]))
    for n in range(5000):
        log.error("send to %s failed: %s", n, "boom")
    log.warning("another message")
    assert stream.getvalue().splitlines() == ["send to 0 failed: boom", "another message"]
    now[0] += 61
    log.error("send to %s failed: %s", "x", "boom")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 3
    assert lines[2] == "send to x failed: boom (repeated 4999 more times in the last 61 s)"
    log.error("send to %s failed: %s", "y", "boom")  # inside the new interval: counted
    assert len(stream.getvalue().splitlines()) == 3


async def test_thousands_of_bad_updates_write_a_few_lines(tmp_path: Path) -> None:
    tg = await FakeTelegram(token=TOKEN, bot_username="ThisBot", max_long_poll=1).start()
    proc = BotProcess(tmp_path / "bot", {"TELEGRAM_BOT_TOKEN": TOKEN,
                                         "TELEGRAM_API_BASE_URL": tg.url,
                                         "TELEGRAM_MODE": "polling"})
    try:
        await proc.start()
        await proc.wait_log("listening on")
        for n in range(3000):
            tg.inject(tg.make_message_update(-1001000000001, 1003, f"hi {n}",
                                             extra={"date": "yesterday"}))
        dm = tg.make_message_update(1003, 1003, "/start", chat_type="private")
        tg.inject(dm)
        await wait_until(lambda: bool(tg.sent_texts(1003)), timeout=60)
        assert not tg.updates  # all confirmed, none re-fetched
    finally:
        await proc.stop()
        await tg.stop()
    lines = proc.log().splitlines()
    skipped = [line for line in lines if "skipped malformed Telegram update" in line]
    assert 1 <= len(skipped) <= 2, skipped[:5]
    assert len(lines) < 60, lines[:80]
