"""Platform faults: 5xx, slow answers, dropped connections, 429, malformed JSON.

On replies and on polling, on Telegram and Zalo: the bot keeps its other chats flowing, recovers
by itself, and logs one clear line per fault, without traceback spam for expected network faults.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest

from tests.harness import Harness

Fault = Callable[[Harness, str, object], object]


def _tg(h: Harness) -> object:
    assert h.tg is not None
    return h.tg


def reply_fault(h: Harness, kind: str, chat_id: object) -> None:
    """Make the next sendMessage to ``chat_id`` fail in the way ``kind`` says."""
    if h.tg is not None:
        status = {"5xx": 500, "429": 429}.get(kind)
        h.tg.fail_next("sendMessage", status, retry_after=1, chat_id=chat_id,
                       drop=kind == "drop", malformed=kind == "malformed")
    else:
        assert h.zl is not None
        code = {"5xx": 500, "429": 429}.get(kind)
        h.zl.fail_next("sendMessage", code, http_status=code or 200, chat_id=str(chat_id),
                       drop=kind == "drop", malformed=kind == "malformed")


def poll_fault(h: Harness, kind: str) -> None:
    """Make the next getUpdates fail in the way ``kind`` says."""
    method = "getUpdates"
    if h.tg is not None:
        if kind == "502":
            h.tg.fail_next(method, 502)
        elif kind == "429":
            h.tg.fail_next(method, 429, retry_after=1)
        else:
            h.tg.fail_next(method, None, drop=kind == "drop", malformed=kind == "malformed")
    else:
        assert h.zl is not None
        if kind == "502":
            h.zl.fail_next(method, 502, http_status=502)
        elif kind == "429":
            h.zl.fail_next(method, 429, http_status=429)
        else:
            h.zl.fail_next(method, None, drop=kind == "drop", malformed=kind == "malformed")


def tracebacks(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Records at WARNING or above that carry a traceback."""
    return [f"{r.name}: {r.getMessage()}" for r in caplog.records
            if r.levelno >= logging.WARNING and (r.exc_info or r.exc_text)]


def warnings_(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Every WARNING+ line."""
    return [f"{r.name}: {r.getMessage()}" for r in caplog.records if r.levelno >= logging.WARNING]


@pytest.mark.parametrize("platform", ["telegram", "zalo"])
@pytest.mark.parametrize("kind", ["5xx", "429", "drop", "malformed"])
async def test_failed_reply_is_logged_once_and_other_chats_flow(
    harness_factory, caplog: pytest.LogCaptureFixture, platform: str, kind: str
) -> None:
    caplog.set_level(logging.INFO)
    h: Harness = await harness_factory(platform)
    group = h.chat_id("group1")
    reply_fault(h, kind, int(group) if platform == "telegram" else group)
    caplog.clear()
    assert await h.say("/start", user="resident", chat="group1") == []
    lines = warnings_(caplog)
    assert len(lines) == 1, lines
    assert "reply to" in lines[0] and group in lines[0]
    assert tracebacks(caplog) == []
    # the same chat and the others keep working
    assert len(await h.say("/start", user="resident", chat="dm")) == 1
    assert len(await h.say("/start", user="resident", chat="group1")) == 1


@pytest.mark.parametrize("platform", ["telegram", "zalo"])
@pytest.mark.parametrize("kind", ["502", "429", "drop", "malformed"])
async def test_polling_fault_recovers_with_one_line(
    harness_factory, caplog: pytest.LogCaptureFixture, platform: str, kind: str
) -> None:
    caplog.set_level(logging.INFO)
    h: Harness = await harness_factory(platform)
    fake = h.tg or h.zl
    assert fake is not None
    caplog.clear()
    poll_fault(h, kind)
    await fake.wait_for("getUpdates", count=1, predicate=lambda c: not c.ok, timeout=10)
    replies = await h.say("/start", chat="dm", timeout=30)
    assert len(replies) == 1
    assert tracebacks(caplog) == []
    lines = [line for line in warnings_(caplog) if "getUpdates" in line or "polling" in line]
    assert len(lines) <= 1, lines


async def test_slow_reply_in_one_chat_does_not_hold_up_another(harness_factory) -> None:
    h: Harness = await harness_factory("telegram")
    assert h.tg is not None
    group = int(h.chat_id("group1"))
    h.tg.fail_next("sendMessage", None, delay=3.0, chat_id=group)
    target = h.bot.pipeline.handled
    h._tg_inject("resident", "group1", str(group), "/start", None, None, None)
    await h.tg.wait_for("sendMessage", answered=False,
                        predicate=lambda c: c.chat_id == group)
    # while group1's reply hangs, a private chat is answered
    assert len(await h.say("/start", chat="dm")) == 1
    assert h.sent("group1") == []
    await h.bot.pipeline.wait_handled(target + 2)
    assert len(h.sent("group1")) == 1


async def test_one_chat_keeps_its_order_under_concurrency(harness_factory) -> None:
    h: Harness = await harness_factory("telegram")
    assert h.tg is not None
    target = h.bot.pipeline.handled
    dm = h.chat_id("dm")
    for text in ("/ngonngu en", "/start", "/ngonngu vi", "/start"):
        h._tg_inject("resident", "dm", dm, text, None, None, None)
    await h.bot.pipeline.wait_handled(target + 4)
    texts = h.sent("dm")
    assert texts[0] == "Switched to English."
    assert "village assistant" in texts[1]
    assert "trợ lý của thôn" in texts[3]
