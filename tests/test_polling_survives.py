"""Polling survives any update: a bad one is logged once and skipped, the loop goes on.

Through the real SDK clients (PTB 22.8, python-zalo-bot 0.1.9) against the fake servers:
updates with wrong-typed values in every field either SDK or our adapters read are injected
into getUpdates, then a good update must still be answered, nothing is logged at ERROR, no
task dies with an exception, and /healthz tells whether each platform's loop is alive.
"""

from __future__ import annotations

import asyncio
import copy
import time
from typing import Any

from tests.harness import Harness
from tests.logcapture import all_logs  # noqa: F401  (fixture)

WRONG: list[Any] = ["u", "yesterday", ["x"], {"a": 1}, None, -1, 10**30, 1.5, True, ""]


def _set(tree: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A deep copy of ``tree`` with ``path`` (dotted) set to ``value``."""
    out = copy.deepcopy(tree)
    node = out
    *parents, leaf = path.split(".")
    for key in parents:
        node = node[key]
    node[leaf] = value
    return out


def _drop(tree: dict[str, Any], path: str) -> dict[str, Any]:
    out = copy.deepcopy(tree)
    node = out
    *parents, leaf = path.split(".")
    for key in parents:
        node = node[key]
    node.pop(leaf, None)
    return out


async def _answered_in_dm(h: Harness, timeout: float = 30) -> list[str]:
    """Say /start in the resident's DM after the injected updates; wait for the answer.

    Some injected variants are valid and handled too, so ``h.say``'s "next handled update"
    wait is not enough: wait for the DM to get a reply.
    """
    before = len(h.sent("dm"))
    await h.say("/start", chat="dm", timeout=timeout)
    deadline = time.monotonic() + timeout
    while len(h.sent("dm")) == before and time.monotonic() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.05)
    return h.sent("dm")[before:]


async def _health(h: Harness) -> tuple[int, dict[str, Any]]:
    http = await h.http()
    async with http.get(f"{h.base_url}/healthz") as resp:
        return resp.status, await resp.json()


# ================================================================ Telegram
TG_FIELDS = ["message", "message.message_id", "message.date", "message.chat", "message.chat.id",
             "message.chat.type", "message.chat.title", "message.from", "message.from.id",
             "message.from.is_bot", "message.from.first_name", "message.from.username",
             "message.from.language_code", "message.text", "message.caption",
             "message.entities", "message.photo", "message.video", "message.document",
             "message.reply_to_message", "message.media_group_id",
             "message.migrate_to_chat_id"]
CB_FIELDS = ["callback_query", "callback_query.id", "callback_query.from",
             "callback_query.data", "callback_query.message", "callback_query.message.chat",
             "callback_query.message.date", "callback_query.message.message_id"]


async def test_telegram_update_with_a_bad_date_is_skipped_once(harness_factory,
                                                               all_logs) -> None:  # noqa: F811
    h: Harness = await harness_factory("telegram")
    assert h.tg is not None
    bad = h.tg.make_message_update(int(h.chat_id("group1")), int(h.user_id("resident")), "hi",
                                   extra={"date": "yesterday"})
    h.tg.inject(bad)
    polls_before = len(h.tg.calls_to("getUpdates"))
    assert await h.say("/start", chat="dm")  # the update after it is answered
    await asyncio.sleep(0.3)
    assert len(h.tg.calls_to("getUpdates")) - polls_before < 10  # not re-fetched forever
    assert all(u["update_id"] != bad["update_id"] for u in h.tg.updates)  # confirmed
    skipped = all_logs.matching(str(bad["update_id"]))
    assert len(skipped) == 1, [r.getMessage() for r in skipped]
    assert all_logs.problems() == []


async def test_telegram_polling_survives_wrong_types_in_every_field(harness_factory,
                                                                    all_logs) -> None:  # noqa: F811
    h: Harness = await harness_factory("telegram")
    assert h.tg is not None
    chat, user = int(h.chat_id("group1")), int(h.user_id("resident"))
    base = h.tg.make_message_update(chat, user, "/start", chat_title="Nhóm",
                                    reply_to=h.tg.make_message_update(chat, user, "x")["message"])
    base["message"].update(caption="c", media_group_id="m", migrate_to_chat_id=-100123,
                           photo=[{"file_id": "f", "file_unique_id": "u", "width": 1,
                                   "height": 1}])
    press = h.tg.make_callback_update(chat, user, "x:y", message=base["message"])
    injected = 0
    for template, fields in ((base, TG_FIELDS), (press, CB_FIELDS)):
        for path in fields:
            variants = [_set(template, path, v) for v in WRONG] + [_drop(template, path)]
            for update in variants:
                update["update_id"] = h.tg.new_update_id()
                h.tg.inject(update)
                injected += 1
    polls_before = len(h.tg.calls_to("getUpdates"))
    assert await _answered_in_dm(h)
    await asyncio.sleep(0.3)
    assert len(h.tg.calls_to("getUpdates")) - polls_before < 20
    assert not h.tg.updates  # every update was confirmed
    assert all_logs.problems() == []
    assert len(all_logs.matching("Telegram update")) <= injected
    status, body = await _health(h)
    assert status == 200 and body["polling"] == {"telegram": "alive"}


async def test_telegram_polling_backs_off_and_reports_a_dead_loop(harness_factory,
                                                                  all_logs) -> None:  # noqa: F811
    h: Harness = await harness_factory("telegram")
    assert h.tg is not None
    status, body = await _health(h)
    assert status == 200 and body["polling"] == {"telegram": "alive"}
    h.tg.fail_next("getUpdates", status=500, times=1000)
    start = len(h.tg.calls_to("getUpdates"))
    await asyncio.sleep(3.2)
    assert len(h.tg.calls_to("getUpdates")) - start <= 4  # 1 s, 2 s … between tries
    assert (await _health(h))[0] == 200  # retrying is alive
    h.tg.fail_next("getUpdates", status=500, times=0)
    assert h.bot is not None and h.bot.telegram is not None
    h.bot.telegram.polling_task.cancel()  # the loop ends (as a bug would end it)
    await asyncio.sleep(0.05)
    status, body = await _health(h)
    assert status == 503 and body["polling"] == {"telegram": "dead"}


# ================================================================ Zalo
ZL_FIELDS = ["message", "event_name", "message.message_id", "message.date", "message.from",
             "message.from.id", "message.from.display_name", "message.from.is_bot",
             "message.chat", "message.chat.id", "message.chat.chat_type", "message.text",
             "message.caption", "message.photo_url", "message.photo"]


async def test_zalo_event_the_sdk_cannot_parse_does_not_end_polling(harness_factory,
                                                                    all_logs) -> None:  # noqa: F811
    h: Harness = await harness_factory("zalo")
    assert h.zl is not None
    event = h.zl.make_text(h.chat_id("group1"), h.user_id("resident"), "@Bot Lang /start")
    bad = copy.deepcopy(event)
    del bad["message"]["message_id"]
    bad["message"].update(date="tomorrow", **{"from": "u", "chat": ["x"]})
    h.zl.inject(bad)
    assert await h.say("/start", chat="dm")
    assert len(all_logs.matching("Zalo update")) == 1
    assert all_logs.problems() == []
    status, body = await _health(h)
    assert status == 200 and body["polling"] == {"zalo": "alive"}


async def test_zalo_polling_survives_wrong_types_in_every_field(harness_factory,
                                                                all_logs) -> None:  # noqa: F811
    h: Harness = await harness_factory("zalo")
    assert h.zl is not None
    base = h.zl.make_text(h.chat_id("group1"), h.user_id("resident"), "@Bot Lang /start")
    base["message"].update(caption="c", photo_url="http://x/p.jpg")
    for path in ZL_FIELDS:
        for event in [_set(base, path, v) for v in WRONG] + [_drop(base, path)]:
            event = copy.deepcopy(event)
            if isinstance(event.get("message"), dict) and "message_id" in event["message"] \
                    and path != "message.message_id":
                event["message"]["message_id"] = h.zl.new_id()
            h.zl.inject(event)
    h.zl.inject([1, 2])  # not even an object
    assert await _answered_in_dm(h)
    await asyncio.sleep(0.2)
    assert all_logs.problems() == []
    status, body = await _health(h)
    assert status == 200 and body["polling"] == {"zalo": "alive"}


async def test_zalo_polling_reports_a_dead_loop(harness_factory, all_logs) -> None:  # noqa: F811
    h: Harness = await harness_factory("zalo")
    assert h.bot is not None and h.bot.zalo is not None
    h.bot.zalo.polling_task.cancel()
    await asyncio.sleep(0.05)
    status, body = await _health(h)
    assert status == 503 and body["polling"] == {"zalo": "dead"}

