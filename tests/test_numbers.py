"""Officials' input you can trust: stable numbers, preview before sending, step by step.

The clock starts on Saturday 21/11/2026 20:30 in Vietnam (tests.harness.START).
"""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from sqlmodel import select

from bot.db.engine import Database, alembic_config
from bot.db.sequences import next_number
from handlers.meetings.models import Meeting
from tests.harness import Harness
from tests.test_meetings import settle

GROUPS = ("group1", "group2")


async def _meetings(h: Harness) -> list[Meeting]:
    async with h.services.db.session() as session:
        return list((await session.exec(select(Meeting).order_by(Meeting.id))).all())


async def _sent_everywhere(h: Harness) -> dict[str, int]:
    """How many bot messages each village group has, once the outbox is quiet."""
    await h.services.outbox.quiet()
    return {chat: len(h.sent(chat)) for chat in GROUPS}


async def _created(h: Harness, args: str) -> int:
    """Create a meeting (preview, /xacnhan); the number the confirmation reply gave."""
    preview = await h.say(f"/taohop {args}", user="official")
    assert "/xacnhan" in preview[0]
    done = await h.say("/xacnhan", user="official")
    match = re.search(r"Đã tạo cuộc họp số (\d+)", "\n".join(done))
    assert match, done
    await _drain(h)
    return int(match.group(1))


async def _drain(h: Harness) -> None:
    """Let the outbox deliver everything queued (moving the clock past rate spacing)."""
    for _ in range(4):
        await h.services.outbox.quiet()
        await h.clock.advance(2)


async def test_numbers_stay_with_their_meeting(harness_factory, platform):
    h = await harness_factory(platform)
    # created out of time order: the numbers follow creation, not the calendar
    saturday = await _created(h, "19h30 thứ Bảy | Nhà văn hóa | Tổng kết năm")      # 28/11
    tonight = await _created(h, "21h tối nay | Sân đình | Họp gấp")                   # 21/11
    sunday = await _created(h, "8h sáng mai | Hội trường | Họp chi bộ")               # 22/11
    wednesday = await _created(h, "19h thứ Tư | Nhà văn hóa | Họp tổ hòa giải")     # 25/11
    assert (saturday, tonight, sunday, wednesday) == (1, 2, 3, 4)
    cancelled = await h.say(f"/huyhop {wednesday}", user="official")
    assert "Thứ Tư, 25/11/2026 lúc 19:00" in cancelled[0]
    await h.say("/xacnhan", user="official")
    await _drain(h)
    await h.clock.advance(to=datetime(2026, 11, 21, 16, 30, tzinfo=UTC))  # 23:30: tonight held
    await _drain(h)

    listing = (await h.say("/lich-hop", user="resident"))[0]
    assert "Số 3 · Chủ Nhật, 22/11/2026 lúc 08:00" in listing
    assert "Số 1 · Thứ Bảy, 28/11/2026 lúc 19:30" in listing
    assert "Số 2 ·" not in listing and "Số 4 ·" not in listing
    assert listing.index("Số 3 ·") < listing.index("Số 1 ·")  # by time, numbers unchanged

    assert "Thứ Bảy, 28/11/2026" in (await h.say("/thamdu 1", user="resident"))[0]
    assert "Chủ Nhật, 22/11/2026" in (await h.say("/vang 3", user="resident2"))[0]
    detail = (await h.say("/lich-hop 3", user="resident"))[0]
    assert "Hội trường" in detail and "Vắng: 1" in detail
    for text in ("/thamdu 4", "/vang 4", "/lich-hop 4", "/diemdanh 4"):
        who = "official" if text.startswith("/diemdanh") else "resident"
        assert "Cuộc họp số 4 (Thứ Tư, 25/11/2026 lúc 19:00) đã hủy" in (
            await h.say(text, user=who))[0], text
    for text in ("/thamdu 2", "/vang 2", "/lich-hop 2"):
        assert "Cuộc họp số 2 (Thứ Bảy, 21/11/2026 lúc 21:00) đã diễn ra" in (
            await h.say(text, user="resident"))[0], text
    for text in ("/doihop 4 20h Chủ nhật", "/huyhop 4"):
        assert "đã hủy" in (await h.say(text, user="official"))[0]
    for text in ("/doihop 2 20h Chủ nhật", "/huyhop 2"):
        assert "đã diễn ra" in (await h.say(text, user="official"))[0]
    assert "Không có cuộc họp số 9" in (await h.say("/thamdu 9", user="resident"))[0]

    # the attendance of a held meeting can still be read
    assert "Điểm danh cuộc họp số 2" in (await h.say("/diemdanh 2", user="official"))[0]
    roll = (await h.say("/diemdanh 3", user="official"))[0]
    assert "Chủ Nhật, 22/11/2026" in roll and "Vắng (1): Lê Văn Năm" in roll

    moved = await h.say("/doihop 1 19h30 Chủ nhật tuần sau", user="official")
    assert "Thứ Bảy, 28/11/2026 lúc 19:30" in moved[0] and "29/11/2026 lúc 19:30" in moved[0]
    assert "Đã dời cuộc họp số 1" in (await h.say("/xacnhan", user="official"))[0]
    await _drain(h)
    roll = (await h.say("/diemdanh 1", user="official"))[0]
    assert "29/11/2026" in roll and "Tham dự (1): Trần Thị Tư" in roll
    # a new meeting takes the next number, never a freed one
    assert await _created(h, "7h thứ Hai | Nhà văn hóa | Họp dân") == 5
    numbers = {m.number: (m.topic, m.status) for m in await _meetings(h)}
    assert numbers[2] == ("Họp gấp", "scheduled") and numbers[4][1] == "cancelled"


async def test_announcements_and_reminders_carry_the_number(harness_factory):
    h = await harness_factory("zalo")
    await _created(h, "19h30 thứ Bảy | Nhà văn hóa | Tổng kết năm")
    await _created(h, "8h sáng mai | Hội trường | Họp chi bộ")
    sent = await settle(h, "group2", 2)
    assert "/thamdu 2 hoặc /vang 2" in sent[1] and "Hội trường" in sent[1]
    await h.clock.advance(to=datetime(2026, 11, 22, 0, 0, tzinfo=UTC))  # 07:00, hour before
    sent = await settle(h, "group2", 3)
    assert "Còn 1 giờ" in sent[-1] and "/thamdu 2 hoặc /vang 2" in sent[-1]


async def test_nothing_is_sent_before_xacnhan(harness_factory, platform):
    h = await harness_factory(platform)
    await _created(h, "19h30 thứ Bảy | Nhà văn hóa | Tổng kết năm")
    await settle(h, "group2", 1)
    for text, shown in [
        ("/taohop 8h sáng mai | Hội trường | Họp chi bộ",
         ["Chủ Nhật, 22/11/2026 lúc 08:00", "Hội trường", "Họp chi bộ"]),
        ("/doihop 1 20h Chủ nhật", ["Thứ Bảy, 28/11/2026 lúc 19:30",
                                    "Chủ Nhật, 22/11/2026 lúc 20:00"]),
        ("/huyhop 1", ["hủy cuộc họp số 1", "Tổng kết năm"]),
        ("/nhacdinhky mỗi Chủ nhật 6:30 | Tổng vệ sinh", ["Chủ Nhật, 22/11/2026 lúc 06:30"]),
        ("/thongbao Mai cắt điện từ 7h đến 11h", ["Mai cắt điện"]),
    ]:
        before = await _sent_everywhere(h)
        preview = (await h.say(text, user="official", chat="group2"))[0]
        for part in shown:
            assert part in preview, (text, preview)
        assert "/xacnhan" in preview and "/huy" in preview
        if not text.startswith("/thongbao"):
            assert "Sẽ gửi tới: " in preview and "nhóm" in preview
            assert re.search(r"giữ đến \d\d:\d\d", preview)
        await h.clock.advance(30)
        after = await _sent_everywhere(h)
        assert after["group1"] == before["group1"], text  # nothing reached another chat
        assert after["group2"] == before["group2"] + 1, text  # only the preview, here
        dropped = await h.say("/huy", user="official", chat="group2")
        assert "Không có tin nào được gửi" in dropped[0]
    assert [m.number for m in await _meetings(h)] == [1]
    assert "đã hủy" not in (await h.say("/lich-hop 1"))[0]


async def test_audience_is_counted_per_platform(harness_factory):
    h = await harness_factory("telegram")
    await h.say("/dangky thanhbinh", user="resident", chat="dm")
    preview = (await h.say("/taohop 8h sáng mai | Hội trường | Họp chi bộ",
                           user="official"))[0]
    assert "Sẽ gửi tới: 2 nhóm Telegram, 1 người đăng ký." in preview
    assert h.messages("group1")[-1]["buttons"] == [["draft:ok:1", "draft:no:1"]]
    assert "Chỉ cán bộ" in (await h.press("draft:ok:1", user="resident"))[0]
    assert await _meetings(h) == []
    await h.press("draft:ok:1", user="official", message_id=h.messages("group1")[-1]["id"])
    assert [m.number for m in await _meetings(h)] == [1]


async def test_revoked_official_cannot_confirm(harness_factory, platform):
    h = await harness_factory(platform)
    who = f"{platform}:{h.user_id('resident2')}"
    await h.say(f"/capquyen {who} thanhbinh Phó trưởng thôn", user="admin", chat="dm")
    preview = await h.say("/taohop 8h sáng mai | Hội trường | Họp chi bộ", user="resident2")
    assert "/xacnhan" in preview[0]
    assert "Tổng vệ sinh" in (await h.say("/thongbao Tổng vệ sinh sáng mai",
                                          user="resident2"))[0]
    before = await _sent_everywhere(h)
    await h.say(f"/thuhoiquyen {who}", user="admin", chat="dm")
    refused = await h.say("/xacnhan", user="resident2")
    assert "Chỉ cán bộ" in refused[0]
    refused = await h.say("/xacnhan 1", user="resident2")
    assert "Chỉ cán bộ" in refused[0]
    await h.clock.advance(30)
    assert await _sent_everywhere(h) == {k: v + (k == "group1") * 2 for k, v in before.items()}
    assert await _meetings(h) == []


async def test_drafts_expire(harness_factory):
    h = await harness_factory("web")
    preview = (await h.say("/taohop 8h sáng mai | Hội trường | Họp chi bộ",
                           user="official"))[0]
    assert "giữ đến 21:30" in preview  # 20:30 + 1 hour
    await h.clock.advance(61 * 60)
    assert "không có bản nháp" in (await h.say("/xacnhan", user="official"))[0]
    assert await _meetings(h) == []


async def _step_by_step(h: Harness, *, answer, dm_answer=None) -> None:  # type: ignore[no-untyped-def]
    """/taohop alone in group1, answered one question at a time by the official."""
    ask = await h.say("/taohop", user="official")
    assert "khi nào" in ask[0] and "ví dụ" in ask[0]
    # another member talking in between is left alone: not taken as the answer
    other = await h.say("19h thứ Sáu", user="resident")
    assert not any("Họp ở đâu" in t or "Thời gian" in t for t in other)
    ask = await answer("19h30 thứ Bảy")
    assert "Thứ Bảy, 28/11/2026 lúc 19:30" in ask[0] and "Họp ở đâu" in ask[0]
    ask = await (dm_answer or answer)("Nhà văn hóa thôn")
    assert "Nội dung" in ask[0]
    preview = await (dm_answer or answer)("Tổng kết năm")
    assert "Xem trước" in preview[0] and "Nhà văn hóa thôn" in preview[0]
    chat = "dm" if dm_answer else "group1"
    done = await h.say("/xacnhan", user="official", chat=chat)
    assert "Đã tạo cuộc họp số 1" in done[0]
    [meeting] = await _meetings(h)
    assert (meeting.place, meeting.topic) == ("Nhà văn hóa thôn", "Tổng kết năm")
    await _drain(h)  # the announcement reached group1 too
    # /huy ends a flow: the next message is not taken as an answer
    await h.say("/taohop", user="official")
    assert "Đã dừng" in (await h.say("/huy", user="official"))[0]
    after = await h.say("Nhà văn hóa", user="official")
    assert not any("Nội dung" in t or "Xem trước" in t for t in after)
    assert len(await _meetings(h)) == 1


async def test_step_by_step_telegram_force_reply(harness_factory):
    h = await harness_factory("telegram")
    assert h.tg is not None

    async def answer(text: str) -> list[str]:
        question = h.messages("group1")[-1]
        call = [c for c in h.tg.calls_to("sendMessage")
                if str(c.params.get("chat_id")) == h.chat_id("group1")][-1]
        markup = call.params["reply_markup"]
        markup = markup if isinstance(markup, dict) else __import__("json").loads(markup)
        assert markup == {"force_reply": True, "selective": True}
        return await h.say(text, user="official", reply_to=question["id"])

    # without replying to the bot, Telegram (privacy mode) would not even deliver it
    await _step_by_step(h, answer=answer)


async def test_step_by_step_zalo_group_and_dm(harness_factory):
    h = await harness_factory("zalo")

    async def in_group(text: str) -> list[str]:
        return await h.say(text, user="official")

    async def in_dm(text: str) -> list[str]:
        return await h.say(text, user="official", chat="dm")

    await _step_by_step(h, answer=in_group, dm_answer=in_dm)


async def test_step_by_step_web(harness_factory):
    h = await harness_factory("web")

    async def answer(text: str) -> list[str]:
        return await h.say(text, user="official")

    await _step_by_step(h, answer=answer)


async def test_step_by_step_ends_after_ten_minutes(harness_factory):
    h = await harness_factory("web")
    await h.say("/taohop", user="official")
    await h.clock.advance(11 * 60)
    late = await h.say("19h30 thứ Bảy", user="official")
    assert not any("Họp ở đâu" in t for t in late)
    assert await _meetings(h) == []


async def test_migration_numbers_existing_rows(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
    sync_url = f"sqlite:///{tmp_path / 'old.db'}"
    await asyncio.to_thread(command.upgrade, alembic_config(url), "0012")
    engine = sa.create_engine(sync_url)
    now = "2026-11-21 13:30:00.000000"
    with engine.begin() as conn:
        for vid, code in ((1, "a"), (2, "b")):
            conn.execute(sa.text(
                "INSERT INTO village (id, code, name, settings, created_at) "
                "VALUES (:id, :code, :code, '{}', :now)"), {"id": vid, "code": code, "now": now})
        for vid, at in ((1, "2026-11-28 12:30:00"), (2, "2026-11-29 12:30:00"),
                        (1, "2026-11-22 01:00:00")):
            conn.execute(sa.text(
                "INSERT INTO meeting (village_id, starts_at, place, topic, status, created_at, "
                "updated_at, version) VALUES (:v, :at, 'p', 't', 'scheduled', :now, :now, 1)"),
                {"v": vid, "at": at, "now": now})
    engine.dispose()
    db = Database(url)
    await db.upgrade()
    try:
        async with db.session() as s:
            rows = (await s.exec(select(Meeting).order_by(Meeting.id))).all()
            assert [(m.village_id, m.number) for m in rows] == [(1, 1), (2, 1), (1, 2)]
            assert await next_number(s, village_id=1, kind="meeting") == 3
            assert await next_number(s, village_id=2, kind="meeting") == 2
    finally:
        await db.close()


async def test_no_bar_asks_place_and_topic_instead_of_guessing(harness_factory, platform):
    h = await harness_factory(platform)
    asked = (await h.say("/taohop 8 giờ sáng mai Nhà văn hóa họp chi bộ", user="official"))[0]
    assert "Chủ Nhật, 22/11/2026 lúc 08:00" in asked
    assert "1. Địa điểm: Nhà văn hóa · Nội dung: họp chi bộ" in asked
    assert await _meetings(h) == []
    if platform == "zalo":
        preview = await h.say("1", user="official")
    else:
        buttons = h.messages("group1")[-1]["buttons"]
        assert buttons[0] == ["split:1"]
        preview = await h.press("split:1", user="official",
                                message_id=h.messages("group1")[-1]["id"])
    assert "📍 Địa điểm: Nhà văn hóa" in preview[-1] and "📝 Nội dung: họp chi bộ" in preview[-1]
    await h.say("/xacnhan", user="official")
    [meeting] = await _meetings(h)
    assert (meeting.place, meeting.topic) == ("Nhà văn hóa", "họp chi bộ")


async def test_no_bar_typed_place_keeps_the_rest_as_topic(harness_factory):
    h = await harness_factory("web")
    await h.say("/taohop 8 giờ sáng mai Sân đình thôn Đông tổng vệ sinh", user="official")
    preview = await h.say("Sân đình thôn Đông", user="official")
    assert "📝 Nội dung: tổng vệ sinh" in preview[0]
    await h.say("/xacnhan", user="official")
    [meeting] = await _meetings(h)
    assert (meeting.place, meeting.topic) == ("Sân đình thôn Đông", "tổng vệ sinh")


async def test_thongbao_step_by_step(harness_factory, platform):
    from tests.fakes import tiny_png

    h = await harness_factory(platform)
    before = await _sent_everywhere(h)
    ask = await h.say("/thongbao", user="official")
    assert "Nội dung thông báo" in ask[0]
    other = await h.say("Cảm ơn anh", user="resident")
    assert not any("Gửi kèm ảnh" in t for t in other)

    def reply_to() -> str | None:  # Telegram: answer the ForceReply question
        return h.messages("group1")[-1]["id"] if platform == "telegram" else None

    ask = await h.say("Mai cắt điện từ 7h đến 11h", user="official", reply_to=reply_to())
    assert "Gửi kèm ảnh" in ask[0]
    if platform == "zalo":  # (photos to Zalo need a public URL: no photo here)
        preview = await h.say("không", user="official")
    else:
        preview = await h.say("", user="official", photo=tiny_png(), reply_to=reply_to())
    assert "Mai cắt điện từ 7h đến 11h" in preview[0] and "/xacnhan" in preview[0]
    await h.clock.advance(30)
    after = await _sent_everywhere(h)
    assert after["group2"] == before["group2"]  # nothing sent yet
    assert "Đang gửi thông báo số 1" in (await h.say("/xacnhan", user="official"))[0]
    await settle(h, "group2", before["group2"] + 1)
    assert "Mai cắt điện" in h.sent("group2")[-1]
    assert h.messages("group2")[-1]["media"] == (platform != "zalo")
    # /huy stops the questions
    await h.say("/thongbao", user="official")
    assert "Đã dừng" in (await h.say("/huy", user="official"))[0]
    later = await h.say("Tin khác", user="official", reply_to=reply_to())
    assert not any("Gửi kèm ảnh" in t for t in later)


async def test_congtrinh_and_ungho_step_by_step(harness_factory):
    h = await harness_factory("web")
    assert "Tên công trình" in (await h.say("/congtrinh tao", user="official"))[0]
    assert "Mã ngắn" in (await h.say("Nhà văn hóa thôn", user="official"))[0]
    again = await h.say("mã có dấu ư", user="official")
    assert "Mã công trình chỉ gồm" in again[0] and "Mã ngắn" in again[-1]
    assert "Dự toán" in (await h.say("nvh", user="official"))[0]
    created = await h.say("500tr", user="official")
    assert "Nhà văn hóa thôn" in created[0] and "nvh" in created[0]
    assert "Ủng hộ cho công trình nào" in (await h.say("/ungho", user="official"))[0]
    assert "Số tiền" in (await h.say("nvh", user="official"))[0]
    assert "Tên người góp" in (await h.say("2tr", user="official"))[0]
    recorded = await h.say("Nguyễn Văn A", user="official")
    assert "2.000.000" in recorded[0] and "Nguyễn Văn A" in recorded[0]
    await h.say("/ungho", user="official")
    assert "Đã dừng" in (await h.say("/huy", user="official"))[0]
    ledger = "\n".join(await h.say("/danhsachungho nvh", user="resident"))
    assert ledger.count("Nguyễn Văn A") == 1


async def test_capnhat_step_by_step(harness_factory):
    from tests.fakes import tiny_png

    h = await harness_factory("web")
    await h.say("/congtrinh tao Nhà văn hóa thôn | nvh | 500tr", user="official")
    assert "Cập nhật tiến độ công trình nào" in (await h.say("/capnhat", user="official"))[0]
    assert "Tiến độ thế nào" in (await h.say("nvh", user="official"))[0]
    done = await h.say("40% Đã đổ xong móng", user="official", photo=tiny_png())
    assert done, "the update is answered"
    timeline = "\n".join(await h.say("/tiendo nvh", user="resident"))
    assert "Đã đổ xong móng" in timeline and "40%" in timeline
