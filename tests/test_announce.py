"""/announce end to end on the three platforms: refusals, preview and confirmation, fan-out
through the outbox to Telegram and Zalo chats, photos, pins, read acknowledgements, /daxem,
/tinmoi and the delivery report."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot.db.models import AuditEntry
from handlers.announce.commands import parse_announce
from handlers.announce.models import Notice, NoticeAck
from tests.test_outbox import add_chats, settle

NOTICE = "Tối nay 19h họp dân tại nhà văn hóa."


@pytest.mark.parametrize(("args", "text", "tags", "commune", "pin"), [
    ("Họp dân", "Họp dân", [], False, False),
    ("#dang-vien #ghim Họp chi bộ", "Họp chi bộ", ["dang-vien"], False, True),
    ("ghim #xa Tiêm phòng", "Tiêm phòng", [], True, True),
    ("#ToanXa Tiêm phòng #covid", "Tiêm phòng #covid", [], True, False),
    ("#dang-vien", "", ["dang-vien"], False, False),
])
def test_parse_announce(args: str, text: str, tags: list[str], commune: bool, pin: bool) -> None:
    parsed = parse_announce(args)
    assert (parsed.text, parsed.tags, parsed.commune, parsed.pin) == (text, tags, commune, pin)


async def test_resident_is_refused_and_audited(harness_factory, platform: str) -> None:
    h = await harness_factory(platform)
    texts = await h.say(f"/thongbao {NOTICE}", user="resident", chat="group1")
    assert texts == ["Chỉ cán bộ thôn mới dùng được lệnh này."]
    await settle(h)
    assert h.sent("group2") == []
    async with h.services.db.session() as s:
        entry = (await s.exec(select(AuditEntry).where(AuditEntry.action == "announce"))).one()
        assert entry.allowed is False
        assert (await s.exec(select(Notice))).all() == []


async def test_empty_announce_asks_step_by_step(harness_factory, platform: str) -> None:
    h = await harness_factory(platform)
    (text,) = await h.say("/announce", user="official", chat="group1")
    assert text.startswith("Nội dung thông báo là gì?")  # the step-by-step form
    (text,) = await h.say("/announce #ghim", user="official", chat="group1")
    assert text.startswith("Cách dùng: /thongbao")


async def test_preview_then_confirm_command(harness_factory, platform: str) -> None:
    h = await harness_factory(platform)
    (preview,) = await h.say(f"/thongbao {NOTICE}", user="official", chat="group1")
    assert "📢 THÔNG BÁO — Thôn Thanh Bình" in preview
    assert NOTICE in preview
    assert "Trưởng thôn Nguyễn Văn Ba · 21/11/2026" in preview
    assert "sẽ gửi tới 2 nhóm và 0 người đăng ký" in preview
    await settle(h)
    assert h.sent("group2") == []  # nothing before confirmation
    texts = await h.say("/xacnhan", user="official", chat="group1")
    assert texts == ["Đang gửi thông báo số 1 tới 2 nhóm và 0 người đăng ký. "
                     "Tôi sẽ báo lại khi gửi xong."]
    await settle(h)
    for chat in ("group1", "group2"):
        notice = h.sent(chat)[-1] if chat == "group2" else h.sent(chat)[-2]
        assert "📢 THÔNG BÁO — Thôn Thanh Bình" in notice and NOTICE in notice
    assert h.sent("group3") == []  # another village
    assert h.sent("group1")[-1] == "Đã gửi 2/2 nơi nhận."
    async with h.services.db.session() as s:
        entry = (await s.exec(select(AuditEntry).where(AuditEntry.action == "announce"))).one()
        assert entry.allowed and "#1" in entry.detail


@pytest.mark.parametrize("platform", ["telegram", "web"])
async def test_confirm_by_button_only_author(harness_factory, platform: str) -> None:
    h = await harness_factory(platform)
    await h.say(f"/thongbao {NOTICE}", user="official", chat="group1")
    buttons = h.messages("group1")[-1]["buttons"]
    assert buttons == [["ann:ok:1", "ann:no:1"]]
    await h.press("ann:ok:1", user="outsider", chat="group1")
    await settle(h)
    assert h.sent("group2") == []
    await h.press("ann:ok:1", user="official", chat="group1")
    await settle(h)
    assert any(NOTICE in t for t in h.sent("group2"))


async def test_cancel(harness_factory, platform: str) -> None:
    h = await harness_factory(platform)
    await h.say(f"/thongbao {NOTICE}", user="official", chat="group1")
    texts = await h.say("/huy", user="official", chat="group1")
    assert texts == ["Đã hủy bản nháp thông báo số 1. Không có tin nào được gửi."]
    texts = await h.say("/xacnhan", user="official", chat="group1")
    assert texts[0].startswith("Bạn không có bản nháp nào đang chờ")
    await settle(h)
    assert h.sent("group2") == []


async def test_draft_expires(harness_factory) -> None:
    h = await harness_factory("web")
    await h.say(f"/thongbao {NOTICE}", user="official", chat="group1")
    await h.clock.advance(3601)
    texts = await h.say("/xacnhan", user="official", chat="group1")
    assert texts[0].startswith("Bạn không có bản nháp nào đang chờ")


async def test_tag_narrows_audience_and_unknown_tag_lists_valid(harness_factory) -> None:
    h = await harness_factory("telegram")
    (text,) = await h.say("/thongbao #hoi-phu-nu Họp", user="official", chat="group1")
    assert text == "Không có nhóm nào mang thẻ #hoi-phu-nu. Các thẻ hiện có: #dang-vien."
    (preview,) = await h.say("/thongbao #dang-vien Họp chi bộ", user="official",
                             chat="group1")
    assert "sẽ gửi tới 1 nhóm" in preview
    await h.say("/xacnhan", user="official", chat="group1")
    await settle(h)
    assert any("Họp chi bộ" in t for t in h.sent("group2"))
    assert not any("ack:1" in str(m["buttons"]) for m in h.messages("group1"))


async def test_commune_scope_needs_commune_official(harness_factory) -> None:
    h = await harness_factory("web")
    (text,) = await h.say("/thongbao #xa Tiêm phòng", user="official", chat="group1")
    assert text == "Chỉ cán bộ xã mới gửi được thông báo cho toàn xã."


async def test_fan_out_to_many_telegram_chats_and_ack(harness_factory) -> None:
    h = await harness_factory("telegram")
    assert h.tg is not None
    extra = [str(-1003000000000 - i) for i in range(4)]
    await add_chats(h, extra)
    await h.say(f"/thongbao {NOTICE}", user="official", chat="group1")
    await h.say("/xacnhan", user="official", chat="group1")
    await settle(h)
    for cid in [h.chat_id("group2"), *extra]:
        (msg,) = h.tg.sent_messages(cid)
        assert NOTICE in msg["text"]
        assert msg["reply_markup"]["inline_keyboard"][0][0]["text"] == "Đã đọc ✓ (0)"
    notice = h.messages("group2")[-1]
    await h.press("ack:1", user="resident", chat="group2", message_id=notice["id"])
    await h.press("ack:1", user="resident", chat="group2", message_id=notice["id"])
    await h.press("ack:1", user="resident2", chat="group2", message_id=notice["id"])
    edits = h.tg.calls_to("editMessageReplyMarkup")
    assert [c.params["reply_markup"]["inline_keyboard"][0][0]["text"] for c in edits] == [
        "Đã đọc ✓ (1)", "Đã đọc ✓ (1)", "Đã đọc ✓ (2)"]
    answers = [a.get("text") for a in h.tg.callback_answers]
    assert answers[-3:] == ["Cảm ơn bạn đã báo đã đọc.", "Bạn đã báo đã đọc rồi.",
                            "Cảm ơn bạn đã báo đã đọc."]
    (text,) = await h.say("/daxem 1", user="official", chat="group1")
    assert text.startswith("Thông báo số 1: 2 người đã đọc")
    assert "Trần Thị Tư" in text and "Lê Văn Năm" in text
    (refused,) = await h.say("/daxem 1", user="resident", chat="group1")
    assert refused == "Chỉ cán bộ thôn mới dùng được lệnh này."


async def test_zalo_notice_has_hint_and_dadoc(harness_factory) -> None:
    h = await harness_factory("zalo")
    await h.say(f"/thongbao {NOTICE}", user="official", chat="group1")
    await h.say("/xacnhan", user="official", chat="group1")
    await settle(h)
    notice = h.sent("group2")[-1]
    assert NOTICE in notice and "gõ /dadoc 1" in notice
    (text,) = await h.say("/dadoc 1", user="resident", chat="group2")
    assert text == "Đã ghi nhận bạn đã đọc thông báo số 1 (1 người đã đọc)."
    (text,) = await h.say("/dadoc 1", user="resident", chat="group2")
    assert text.startswith("Bạn đã báo đã đọc thông báo số 1 rồi")


async def test_web_reply_counts_as_read(harness_factory) -> None:
    h = await harness_factory("web")
    await h.say(f"/thongbao {NOTICE}", user="official", chat="group1")
    await h.say("/xacnhan", user="official", chat="group1")
    await settle(h)
    notice_id = h.messages("group2")[-1]["id"]
    await h.say("đã đọc", user="resident", chat="group2", reply_to=notice_id)
    async with h.services.db.session() as s:
        assert len((await s.exec(select(NoticeAck))).all()) == 1


async def test_tinmoi_lists_latest_five(harness_factory, platform: str) -> None:
    h = await harness_factory(platform)
    (empty,) = await h.say("/tinmoi", user="resident", chat="group1")
    assert empty == "Thôn Thanh Bình chưa có thông báo nào."
    for i in range(6):
        await h.say(f"/thongbao Tin số {i}", user="official", chat="group1")
        await h.say("/xacnhan", user="official", chat="group1")
        await h.clock.advance(60)
    await settle(h)
    (text,) = await h.say("/tin_moi", user="resident", chat="group1")
    assert "Tin số 5" in text and "Tin số 1" in text and "Tin số 0" not in text
    assert text.index("Tin số 5") < text.index("Tin số 1")


async def test_photo_announce(harness_factory) -> None:
    from tests.fakes import tiny_png

    h = await harness_factory("telegram")
    assert h.tg is not None
    await h.say(f"/thongbao {NOTICE}", user="official", chat="group1", photo=tiny_png())
    await h.say("/xacnhan", user="official", chat="group1")
    await settle(h)
    (msg,) = h.tg.sent_messages(h.chat_id("group2"))
    assert "photo" in msg and NOTICE in msg["caption"]
    assert len(list(h.services.media.root.iterdir())) == 1


async def test_not_an_image_is_refused(harness_factory) -> None:
    h = await harness_factory("telegram")
    (text,) = await h.say(f"/thongbao {NOTICE}", user="official", chat="group1",
                          photo=b"this is not an image at all")
    assert "không phải là ảnh" in text or "không tải được" in text
    async with h.services.db.session() as s:
        assert (await s.exec(select(Notice))).all() == []

