"""Webhooks under hostile input: raw header bytes, absurdly deep JSON, wrong-typed fields.

Requests are written byte for byte on a socket (an HTTP client would refuse or re-encode
non-UTF-8 header values).  Every answer is 403 (wrong secret) or 400 (bad body), nothing is
logged at ERROR, no background task dies with an exception, and the bot still answers.
"""

from __future__ import annotations

import asyncio
import copy
import json
from typing import Any

import pytest

from tests.harness import Harness
from tests.logcapture import all_logs  # noqa: F401  (fixture)
from tests.test_polling_survives import CB_FIELDS, TG_FIELDS, WRONG, ZL_FIELDS, _drop, _set

TG_SECRET = "tg-secret-123456"
ZL_SECRET = "zalo-secret-123456"
HOSTILE_HEADERS = [b"\xff\xfe", b"\xc3\x28", b"tg-secret-123456\xff", b"\xe2\x82",
                   b"\x80" * 40, "tg-sécret".encode("latin-1"),
                   "Bí mật".encode(), b"\xed\xa0\x80"]
DEEP = b"[" * 100_000 + b"]" * 100_000
DEEP_OBJECT = b'{"a":' * 100_000 + b"1" + b"}" * 100_000


async def raw_post(port: int, path: str, headers: list[tuple[bytes, bytes]],
                   body: bytes) -> int:
    """POST exactly these bytes; return the status code."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    lines = [b"POST " + path.encode() + b" HTTP/1.1", b"Host: 127.0.0.1",
             b"Content-Type: application/json", b"Connection: close",
             b"Content-Length: " + str(len(body)).encode()]
    lines += [name + b": " + value for name, value in headers]
    writer.write(b"\r\n".join(lines) + b"\r\n\r\n" + body)
    await writer.drain()
    status_line = await reader.readline()
    await reader.read()
    writer.close()
    return int(status_line.split()[1])


async def _bot(harness_factory, platform: str) -> tuple[Harness, str, bytes, bytes]:
    if platform == "telegram":
        h: Harness = await harness_factory(
            "telegram", telegram_mode="webhook", telegram_webhook_secret=TG_SECRET,
            public_base_url="https://bot.example.org")
        return h, "/webhook/telegram", b"X-Telegram-Bot-Api-Secret-Token", TG_SECRET.encode()
    h = await harness_factory("zalo", zalo_mode="webhook", zalo_webhook_secret=ZL_SECRET,
                              public_base_url="https://bot.example.org")
    return h, "/webhook/zalo", b"X-Bot-Api-Secret-Token", ZL_SECRET.encode()


async def still_answers(h: Harness, path: str, header: bytes, secret: bytes) -> None:
    """A good /start posted to the webhook is answered in the DM."""
    assert h.bot is not None and h.bot.web.port is not None
    before, target = len(h.sent("dm")), h.bot.pipeline.handled + 1
    if h.tg is not None:
        update = h.tg.make_message_update(int(h.chat_id("dm")), int(h.user_id("resident")),
                                          "/start", chat_type="private", first_name="Tư")
    else:
        assert h.zl is not None
        update = h.zl.make_text(h.chat_id("dm"), h.user_id("resident"), "/start",
                                chat_type="PRIVATE", display_name="Tư")
    status = await raw_post(h.bot.web.port, path, [(header, secret)],
                            json.dumps(update).encode())
    assert status == 200
    await h.bot.pipeline.wait_handled(target)
    assert len(h.sent("dm")) == before + 1


@pytest.mark.parametrize("platform", ["telegram", "zalo"])
async def test_hostile_header_bytes_get_403(harness_factory, all_logs,  # noqa: F811
                                            platform: str) -> None:
    h, path, header, secret = await _bot(harness_factory, platform)
    assert h.bot is not None and h.bot.web.port is not None
    for value in HOSTILE_HEADERS:
        status = await raw_post(h.bot.web.port, path, [(header, value)], b"{}")
        assert status == 403, value
    assert all_logs.problems() == []
    await still_answers(h, path, header, secret)


@pytest.mark.parametrize("platform", ["telegram", "zalo"])
@pytest.mark.parametrize("body", [DEEP, DEEP_OBJECT], ids=["list", "object"])
async def test_deep_json_gets_400(harness_factory, all_logs, platform: str,  # noqa: F811
                                  body: bytes) -> None:
    h, path, header, secret = await _bot(harness_factory, platform)
    assert h.bot is not None and h.bot.web.port is not None
    assert await raw_post(h.bot.web.port, path, [(header, secret)], body) == 400
    assert all_logs.problems() == []
    await still_answers(h, path, header, secret)


async def test_wrong_typed_zalo_fields_never_escape_into_tasks(harness_factory,
                                                               all_logs) -> None:  # noqa: F811
    h, path, header, secret = await _bot(harness_factory, "zalo")
    assert h.bot is not None and h.bot.web.port is not None and h.zl is not None
    base = h.zl.make_text(h.chat_id("group1"), h.user_id("resident"), "@Bot Lang /start")
    base["message"].update(caption="c", photo_url="http://x/p.jpg")
    bodies: list[Any] = []
    for path_ in ZL_FIELDS:
        bodies += [_set(base, path_, v) for v in WRONG] + [_drop(base, path_)]
    bodies += [{"ok": True, "result": b} for b in copy.deepcopy(bodies)]
    statuses = set()
    for body in bodies:
        if isinstance(body.get("message"), dict) and "message_id" in body["message"]:
            body["message"]["message_id"] = h.zl.new_id()
        statuses.add(await raw_post(h.bot.web.port, path, [(header, secret)],
                                    json.dumps(body).encode()))
    assert statuses <= {200, 400}
    async with asyncio.timeout(20):
        while h.bot.web._tasks:  # noqa: ASYNC110  (background work of answered webhooks)
            await asyncio.sleep(0.05)
    assert all_logs.problems() == []
    await still_answers(h, path, header, secret)


async def test_wrong_typed_telegram_fields_are_refused_or_skipped(harness_factory,
                                                                  all_logs) -> None:  # noqa: F811
    h, path, header, secret = await _bot(harness_factory, "telegram")
    assert h.bot is not None and h.bot.web.port is not None and h.tg is not None
    chat, user = int(h.chat_id("group1")), int(h.user_id("resident"))
    base = h.tg.make_message_update(chat, user, "/start", chat_title="Nhóm")
    press = h.tg.make_callback_update(chat, user, "x:y", message=base["message"])
    statuses = set()
    for template, fields in ((base, TG_FIELDS), (press, CB_FIELDS)):
        for field in fields:
            for update in [_set(template, field, v) for v in WRONG] + [_drop(template, field)]:
                update["update_id"] = h.tg.new_update_id()
                statuses.add(await raw_post(h.bot.web.port, path, [(header, secret)],
                                            json.dumps(update).encode()))
    assert statuses <= {200, 400} and 400 in statuses
    await asyncio.sleep(0.5)
    assert all_logs.problems() == []
    await still_answers(h, path, header, secret)
