"""The lean decoder of plain text messages gives exactly what PTB's path gives.

``decode_lean`` (bot/adapters/telegram.py) turns the JSON dict of a plain text message into an
IncomingMessage without ``Update.de_json``; anything it does not fully understand it declines
(None) and PTB decodes it.  For every update it accepts, the answer must equal PTB's
``parse_update`` + ``to_incoming``; updates PTB would reject it must decline.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from telegram import Bot

from bot.adapters.telegram import decode_lean, parse_update, to_incoming
from tests.fakes import FakeTelegram

BOT_ID, USERNAME = 4242, "ThisBot"
BOT = Bot("4242:fake-token")


def ptb(raw: dict[str, Any]) -> object:
    """What PTB's path answers: an IncomingMessage, None, or "error" (the update is skipped)."""
    try:
        return to_incoming(parse_update(raw, BOT), BOT_ID, USERNAME)
    except Exception:
        return "error"


def test_fake_updates_decode_like_ptb() -> None:
    tg = FakeTelegram(token="4242:fake-token", bot_username=USERNAME)
    cases = [
        tg.make_message_update(-1001000000001, 5000, "/lich-hop", chat_type="supergroup",
                               chat_title="Nhóm thôn Thanh Bình", first_name="Ba",
                               username="ba"),
        tg.make_message_update(5000, 5000, "cảm ơn cán bộ thôn nhé", chat_type="private",
                               first_name="Ba", last_name="Nguyễn", language_code="en"),
        tg.make_message_update(-1001000000001, 5001, "hỏi @ThisBot giúp", chat_type="group",
                               chat_title="x"),
        tg.make_message_update(-1001000000001, 5001, "/lich-hop@thisbot 2",
                               chat_type="supergroup"),
        tg.make_message_update(5002, 5002, "", chat_type="private"),
    ]
    for raw in cases:
        lean = decode_lean(raw, USERNAME)
        assert lean is not None, raw
        assert lean == ptb(raw)


def test_other_shapes_are_left_to_ptb() -> None:
    tg = FakeTelegram(token="4242:fake-token", bot_username=USERNAME)
    base = tg.make_message_update(5000, 5000, "hi", chat_type="private")
    reply = tg.make_message_update(5000, 5000, "hi", chat_type="private", reply_to=base["message"])
    photo = tg.make_message_update(5000, 5000, None, chat_type="private", photo=tg.make_photo(),
                                   caption="ảnh")
    for raw in (reply, photo, {"update_id": 1, "callback_query": {"id": "1"}},
                {"update_id": 1, "edited_message": base["message"]},
                {"update_id": 1, "message": {**base["message"], "date": "now"}},
                {"update_id": 1, "message": {**base["message"], "date": 10**15}},
                {"update_id": 1, "message": {**base["message"], "message_id": True}},
                {"update_id": 1, "message": {**base["message"], "entities": [{"type": "x"}]}},
                {"update_id": 1, "message": {**base["message"], "from": {"id": 1}}}):
        assert decode_lean(raw, USERNAME) is None


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10, 10**12), st.text(max_size=12),
                    st.floats(allow_nan=False, allow_infinity=False))


@settings(max_examples=300, deadline=None)
@given(
    chat_id=SCALARS, chat_type=st.one_of(st.sampled_from(["private", "group", "supergroup",
                                                          "channel"]), SCALARS),
    title=SCALARS, first=SCALARS, last=SCALARS, username=SCALARS, user_id=SCALARS,
    is_bot=SCALARS, text=st.one_of(st.text(max_size=30), SCALARS,
                                   st.sampled_from(["/lich-hop", "a @thisbot b"])),
    message_id=SCALARS, date=SCALARS, language=SCALARS,
    drop=st.sets(st.sampled_from(["title", "first_name", "last_name", "username", "text",
                                  "language_code", "is_bot", "date", "entities"])),
)
def test_any_field_values_decode_like_ptb_or_decline(**f: Any) -> None:
    user = {"id": f["user_id"], "is_bot": f["is_bot"], "first_name": f["first"],
            "last_name": f["last"], "username": f["username"], "language_code": f["language"]}
    chat = {"id": f["chat_id"], "type": f["chat_type"], "title": f["title"],
            "first_name": f["first"]}
    message = {"message_id": f["message_id"], "from": user, "chat": chat, "date": f["date"],
               "text": f["text"], "entities": [{"type": "bot_command", "offset": 0,
                                                "length": 5}]}
    for key in f["drop"]:
        for part in (user, chat, message):
            part.pop(key, None)
    raw = {"update_id": 7, "message": message}
    lean = decode_lean(raw, USERNAME)
    if lean is not None:
        assert lean == ptb(raw)
