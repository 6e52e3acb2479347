"""Meetings over the wire: /taohop phrases, questions, /lich-hop spellings, RSVP, cancel/move, ICS.

The clock starts on Saturday 21/11/2026 20:30 in Vietnam (tests.harness.START).
"""

from __future__ import annotations

import pytest
from sqlmodel import select

from handlers.meetings.models import Meeting, Rsvp
from tests.harness import Harness

CREATE = "/taohop 19h30 thứ Bảy | Nhà văn hóa thôn | Họp bàn xây dựng khu dân cư thông minh"


async def _create(h: Harness, text: str = CREATE) -> list[str]:
    """Create a meeting from group1 (preview, then /xacnhan) and wait for the outbox copy to
    reach group1 too."""
    before = len(h.sent("group1"))
    preview = await h.say(text, user="official")
    assert "/xacnhan" in preview[0] and "Xem trước" in preview[0]
    texts = await h.say("/xacnhan", user="official")
    await settle(h, "group1", before + 3)
    return texts


async def _confirmed(h: Harness, text: str, **kw: str) -> list[str]:
    """Say a previewed command, check nothing was sent yet, then /xacnhan it."""
    preview = await h.say(text, user="official", **kw)
    assert "/xacnhan" in preview[0], preview
    return await h.say("/xacnhan", user="official", **kw)


async def settle(h: Harness, chat: str, count: int) -> list[str]:
    """Wait for ``count`` bot messages in ``chat``, moving the clock past outbox rate spacing."""
    for _ in range(120):
        if len(h.sent(chat)) >= count:
            return h.sent(chat)
        await h.services.outbox.quiet()
        if len(h.sent(chat)) < count:
            await h.clock.advance(1)
    raise AssertionError(f"{chat}: {h.sent(chat)}")


async def _meetings(h: Harness) -> list[Meeting]:
    async with h.services.db.session() as session:
        return list((await session.exec(select(Meeting))).all())


@pytest.mark.parametrize(("phrase", "shown"), [
    ("19h30 thứ Bảy", "Thứ Bảy, 28/11/2026 lúc 19:30"),
    ("tối mai 8 giờ", "Chủ Nhật, 22/11/2026 lúc 20:00"),
    ("7h sáng Chủ nhật tuần sau", "Chủ Nhật, 29/11/2026 lúc 07:00"),
    ("thứ 7 tuần sau 14h", "Thứ Bảy, 28/11/2026 lúc 14:00"),
    ("ngày 5/12 lúc 8:30", "Thứ Bảy, 05/12/2026 lúc 08:30"),
    ("2 giờ chiều thứ Sáu", "Thứ Sáu, 27/11/2026 lúc 14:00"),
    ("T7 19:30", "Thứ Bảy, 28/11/2026 lúc 19:30"),
    ("20/12 lúc 19:30", "Chủ Nhật, 20/12/2026 lúc 19:30"),
])
async def test_create_natural_times_echo_full_time(harness_factory, phrase: str, shown: str):
    h = await harness_factory("web")
    texts = await h.say(f"/taohop {phrase} | Nhà văn hóa | Họp thôn", user="official")
    assert shown in texts[0]
    assert await _meetings(h) == []  # a preview: nothing saved or sent before /xacnhan
    assert shown in (await h.say("/xacnhan", user="official"))[0]
    assert len(await _meetings(h)) == 1
    # the announcement reaches every chat of the village through the outbox, with buttons
    await h.wait_sent("group2", 1)
    assert shown in h.sent("group2")[0]
    assert h.messages("group2")[0]["buttons"] == [["rsvp:yes:1", "rsvp:no:1"]]


@pytest.mark.parametrize(("phrase", "expect"), [
    ("thứ Bảy", "lúc mấy giờ"),                      # no time of day
    ("3 giờ thứ Hai", "Tôi đoán là Thứ Hai, 23/11/2026 lúc 15:00"),  # 03:00 or 15:00
    ("20/11 lúc 19:30", "Thứ Sáu, 20/11/2026 lúc 19:30 đã qua rồi"),  # in the past
    ("hôm qua 8h", "đã qua rồi"),
    ("bữa nào rảnh", "chưa lưu gì cả"),               # unparseable: examples
])
async def test_questions_instead_of_guesses(harness_factory, phrase: str, expect: str):
    h = await harness_factory("web")
    texts = await h.say(f"/taohop {phrase} | Nhà văn hóa | Họp thôn", user="official")
    assert expect in texts[0]
    assert await _meetings(h) == []
    assert "chưa có cuộc họp" in (await h.say("/lich-hop"))[0]


async def test_unparseable_shows_examples(harness_factory):
    h = await harness_factory("web")
    texts = await h.say("/taohop xyz | Nhà văn hóa | Họp", user="official")
    assert "19h30 thứ Bảy" in texts[0] and "tối mai 8 giờ" in texts[0]


async def test_answer_to_question_completes_the_draft(harness_factory):
    h = await harness_factory("web")
    texts = await h.say("/taohop 3 giờ thứ Hai | Nhà văn hóa | Họp chi bộ", user="official")
    assert "Tôi đoán là" in texts[0]
    texts = await h.say("3 giờ chiều thứ Hai", user="official")
    assert "Thứ Hai, 23/11/2026 lúc 15:00" in texts[0]
    await h.say("/xacnhan", user="official")
    [meeting] = await _meetings(h)
    assert (meeting.place, meeting.topic) == ("Nhà văn hóa", "Họp chi bộ")


@pytest.mark.parametrize("platform", ["web", "telegram"])
async def test_step_by_step(harness_factory, platform: str):
    h = await harness_factory(platform)
    texts = await h.say("/taohop 19h30 thứ Bảy", user="official", chat="dm")
    assert "Thứ Bảy, 28/11/2026 lúc 19:30" in texts[0] and "Họp ở đâu" in texts[0]
    texts = await h.say("Nhà văn hóa thôn", user="official", chat="dm")
    assert "Nội dung" in texts[0]
    texts = await h.say("Tổng kết năm", user="official", chat="dm")
    assert "Xem trước" in texts[0] and "Tổng kết năm" in texts[0]
    texts = await h.say("/xacnhan", user="official", chat="dm")
    assert "Đã tạo cuộc họp số 1" in texts[0]
    [meeting] = await _meetings(h)
    assert (meeting.place, meeting.topic) == ("Nhà văn hóa thôn", "Tổng kết năm")
    await h.wait_sent("group1", 1)


async def test_residents_cannot_create(harness_factory, platform):
    h = await harness_factory(platform)
    texts = await h.say(CREATE, user="resident")
    assert "Chỉ cán bộ thôn" in texts[0]
    assert await _meetings(h) == []


@pytest.mark.parametrize("spelling", ["/lich-hop", "/lich_hop", "/lichhop", "/LICH-HOP"])
async def test_lich_hop_every_spelling_every_platform(harness_factory, platform, spelling):
    h = await harness_factory(platform)
    await _create(h)
    texts = await h.say(spelling, user="resident", chat="group1")
    assert "Số 1 · Thứ Bảy, 28/11/2026 lúc 19:30" in texts[0]
    assert "Nhà văn hóa thôn" in texts[0] and "0 tham dự" in texts[0]


async def test_lich_hop_in_private_chat_of_subscriber(harness_factory, platform):
    h = await harness_factory(platform, public_base_url="https://lang.example.vn")
    await _create(h)
    await h.say("/dangky thanhbinh", user="resident", chat="dm")
    for text in ("lịch họp", "/lich-hop"):
        texts = await h.say(text, user="resident", chat="dm")
        assert "Thứ Bảy, 28/11/2026 lúc 19:30" in texts[0]
        assert "https://lang.example.vn/v/thanhbinh/lich.ics" in texts[0]
    texts = await h.say("/lich-hop 1", user="resident", chat="dm")
    assert "Họp bàn xây dựng khu dân cư thông minh" in texts[0]


@pytest.mark.parametrize("platform", ["telegram", "web"])
async def test_rsvp_buttons_live_counts(harness_factory, platform: str):
    h = await harness_factory(platform)
    await _create(h)  # the confirmation, then the announcement via the outbox
    notice = h.messages("group1")[-1]
    assert notice["buttons"] == [["rsvp:yes:1", "rsvp:no:1"]]
    await h.press("rsvp:yes:1", user="resident", message_id=notice["id"])
    await h.press("rsvp:no:1", user="resident2", message_id=notice["id"])
    await h.press("rsvp:yes:1", user="resident2", message_id=notice["id"])  # changed mind
    texts = await h.say("/lich-hop")
    assert "2 tham dự · ❌ 0 vắng" in texts[0]
    if platform == "telegram":
        assert h.tg is not None
        current = h.tg.messages[(int(h.chat_id("group1")), int(notice["id"]))]
        labels = [b["text"] for b in current["reply_markup"]["inline_keyboard"][0]]
        assert [a.get("text") for a in h.tg.callback_answers][-1] == (
            "Đã ghi nhận bạn tham dự (2 tham dự, 0 vắng).")
    else:
        [current] = [m for m in h.messages("group1") if m["id"] == notice["id"]]
        labels = [b["text"] for b in current["raw"]["buttons"][0]]
    assert labels == ["Tham dự (2)", "Vắng (0)"]


async def test_rsvp_commands_and_attendance(harness_factory, platform):
    h = await harness_factory(platform)
    await _create(h)
    texts = await h.say("/thamdu 1", user="resident")
    assert "tham dự cuộc họp số 1" in texts[0]
    await h.say("/vang 1", user="resident2")
    texts = await h.say("/diemdanh 1", user="official")
    assert "Tham dự (1): Trần Thị Tư" in texts[0] and "Vắng (1): Lê Văn Năm" in texts[0]
    assert "Chỉ cán bộ thôn" in (await h.say("/diemdanh 1", user="resident"))[0]
    assert "Không có cuộc họp số 7" in (await h.say("/thamdu 7", user="resident"))[0]
    async with h.services.db.session() as session:
        assert len((await session.exec(select(Rsvp))).all()) == 2


async def test_cancel_and_move_notify_every_chat(harness_factory, platform):
    h = await harness_factory(platform)
    await _create(h)
    await h.wait_sent("group2", 1)
    texts = await h.say("/doihop 1 20h Chủ nhật", user="official")
    assert "Chủ Nhật, 22/11/2026 lúc 20:00" in texts[0] and "/xacnhan" in texts[0]
    assert len(h.sent("group2")) == 1  # the preview reached nobody else
    texts = await h.say("/xacnhan", user="official")
    assert "Chủ Nhật, 22/11/2026 lúc 20:00" in texts[0]
    await settle(h, "group1", 6)
    sent = await settle(h, "group2", 2)
    assert "Thứ Bảy, 28/11/2026 lúc 19:30" in sent[1] and "22/11/2026 lúc 20:00" in sent[1]
    texts = await _confirmed(h, "/huyhop 1")
    assert "Đã hủy cuộc họp số 1" in texts[0]
    sent = await settle(h, "group2", 3)
    assert "đã bị hủy" in sent[2]
    assert "chưa có cuộc họp" in (await h.say("/lich-hop"))[0]
    assert h.sent("group3") == []  # another village hears nothing


async def test_move_with_past_time_asks(harness_factory):
    h = await harness_factory("web")
    await _create(h)
    texts = await h.say("/doihop 1 20/11 lúc 8:00", user="official")
    assert "đã qua rồi" in texts[0]
    [meeting] = await _meetings(h)
    assert meeting.version == 1


async def test_ics_feed(harness_factory):
    h = await harness_factory("web")
    await _create(h, "/taohop 19h30 thứ Bảy | Nhà văn hóa, xóm 2; cổng | Họp bàn")
    await _create(h, "/taohop 8h Chủ nhật | Sân đình | Tổng vệ sinh")
    await _confirmed(h, "/huyhop 2")  # the Sunday meeting, created second, is number 2
    http = await h.http()
    async with http.get(f"{h.base_url}/v/thanhbinh/lich.ics") as resp:
        assert resp.status == 200
        assert resp.content_type == "text/calendar"
        body = await resp.read()
    text = body.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "DTSTART:20261128T123000Z" in text
    assert "LOCATION:Nhà văn hóa\\, xóm 2\\; cổng" in text
    assert "STATUS:CANCELLED" in text and text.count("BEGIN:VEVENT") == 2
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    async with http.get(f"{h.base_url}/v/khongco/lich.ics") as resp:
        assert resp.status == 404


@pytest.mark.parametrize(("phrase", "shown"), [
    ("ngày mồng 9 tháng tư lúc 8h", "Thứ Sáu, 09/04/2027 lúc 08:00"),  # not tomorrow
    ("rằm tháng Giêng lúc 19h", "Thứ Bảy, 20/02/2027 lúc 19:00 (Rằm tháng Giêng)"),
    ("bốn giờ rưỡi chiều mai", "Chủ Nhật, 22/11/2026 lúc 16:30"),
])
async def test_month_words_lunar_and_spoken_numbers(harness_factory, phrase: str, shown: str):
    h = await harness_factory("web")
    texts = await h.say(f"/taohop {phrase} | Nhà văn hóa | Họp thôn", user="official")
    assert shown in texts[0], texts  # the preview shows the lunar date too
    await h.say("/xacnhan", user="official")
    await h.wait_sent("group2", 1)  # and so does the announcement
    assert shown in h.sent("group2")[0]


@pytest.mark.parametrize(("phrase", "unused"), [
    ("8h tháng 5", "tháng 5"),
    ("Tết 8h", "Tết"),
])
async def test_unused_date_words_are_asked_back(harness_factory, phrase: str, unused: str):
    h = await harness_factory("web")
    texts = await h.say(f"/taohop {phrase} | Nhà văn hóa | Họp thôn", user="official")
    assert f'chưa hiểu "{unused}"' in texts[0] and "ví dụ" in texts[0], texts
    assert "chưa có cuộc họp" in (await h.say("/lich-hop"))[0]
