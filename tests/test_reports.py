"""Resident reports (phản ánh), wire-level on Telegram, Zalo and the web chat: from a resident's
photo to the officials, /xuly, /xong with a result photo, the reporter's and the group's news,
the public page, the stale-report reminder across a restart, the daily limit and duplicates."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlmodel import col, select

from bot.db.models import AuditEntry
from handlers.reports.models import (
    DOING,
    DONE,
    NEW,
    PHOTO_REPORT,
    PHOTO_RESULT,
    Report,
    ReportPhoto,
)
from handlers.reports.parse import area_of, caption_report, number_and_text, parse_report
from handlers.reports.schedule import daytime
from tests.harness import Harness
from tests.projects_support import image_bytes, last_user_message_id, start_public

PLATFORMS = ["telegram", "zalo", "web"]
TEXT = "Đèn đường hỏng ở đầu xóm 3"


# ---------------------------------------------------------------- helpers


async def settle(h: Harness, chat: str, count: int, *, user: str = "resident") -> list[str]:
    """Wait for ``count`` bot messages in ``chat`` (moving the clock past the outbox's spacing)."""
    for _ in range(120):
        if len(h.sent(chat, user=user)) >= count:
            return h.sent(chat, user=user)
        await h.services.outbox.quiet()
        if len(h.sent(chat, user=user)) < count:
            await h.clock.advance(1)
    raise AssertionError(f"{chat}/{user}: {h.sent(chat, user=user)}")


async def reports(h: Harness) -> list[Report]:
    async with h.services.db.session() as session:
        return list((await session.exec(select(Report).order_by(col(Report.id)))).all())


async def photos(h: Harness) -> list[ReportPhoto]:
    async with h.services.db.session() as session:
        return list((await session.exec(select(ReportPhoto).order_by(col(ReportPhoto.id)))).all())


async def audits(h: Harness, action: str) -> list[AuditEntry]:
    async with h.services.db.session() as session:
        return list((await session.exec(select(AuditEntry).where(
            AuditEntry.action == action))).all())


async def page(h: Harness) -> str:
    http = await h.http()
    async with http.get(f"{h.base_url}/v/thanhbinh/phananh") as resp:
        assert resp.status == 200
        return await resp.text()


async def open_dms(h: Harness, *users: str) -> None:
    """Each user writes to the bot privately once (a bot cannot start a private chat)."""
    for user in users:
        assert await h.say("/start", user=user, chat="dm")


# ---------------------------------------------------------------- pure parsing


def test_parse_report_and_area() -> None:
    assert parse_report(TEXT).area == "Xóm 3"
    parsed = parse_report("Ổ gà lớn | trước nhà văn hóa xom 2")
    assert (parsed.text, parsed.place, parsed.area) == (
        "Ổ gà lớn", "trước nhà văn hóa xom 2", "Xóm 2")
    assert area_of("tổ chức dọn rác khu vực chợ") is None
    assert area_of("cống tắc ở xóm Đông") == "Xóm Đông"
    assert caption_report("#PhanAnh Rác đầy") == "Rác đầy"
    assert caption_report("#phản-ánh Rác") == "Rác" and caption_report("phananh x") is None
    assert number_and_text("#5 Đã xong") == (5, "Đã xong") and number_and_text("x 5") is None


def test_reminders_never_ring_at_night() -> None:
    from datetime import UTC, datetime

    evening = datetime(2026, 11, 24, 13, 30, tzinfo=UTC)  # 20:30 in Vietnam
    assert daytime(evening) == evening
    night = datetime(2026, 11, 24, 16, 0, tzinfo=UTC)  # 23:00
    assert daytime(night) == datetime(2026, 11, 25, 0, 0, tzinfo=UTC)  # 07:00 next day
    early = datetime(2026, 11, 24, 21, 0, tzinfo=UTC)  # 04:00 on the 25th
    assert daytime(early) == datetime(2026, 11, 25, 0, 0, tzinfo=UTC)


# ---------------------------------------------------------------- the whole walk


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_report_from_photo_to_done(harness_factory, platform: str) -> None:
    h = await start_public(harness_factory, platform)
    await open_dms(h, "official", "resident")
    official_before = len(h.sent("dm", user="official"))
    resident_before = len(h.sent("dm", user="resident"))
    photo = image_bytes((220, 40, 40))

    # a resident reports in the village group with a photo
    texts = await h.say(f"/phananh {TEXT}", user="resident", chat="group1", photo=photo)
    assert "phản ánh số 1" in texts[0] and "1 ảnh" in texts[0], texts
    assert "tin nhắn riêng" in texts[1] and "hienten" in texts[1], texts
    (report,) = await reports(h)
    assert (report.number, report.status, report.area, report.text) == (1, NEW, "Xóm 3", TEXT)
    (stored,) = await photos(h)
    assert h.services.media.path(stored.name).read_bytes() == photo

    # the official hears in their private chat, with the photo and what to do
    sent = await settle(h, "dm", official_before + 1, user="official")
    alert = h.messages("dm", user="official")[-1]
    assert "Phản ánh mới số 1" in alert["text"] and TEXT in alert["text"], alert
    assert "Xóm 3" in alert["text"] and "Trần Thị Tư" in alert["text"]
    assert "Nhóm thôn Thanh Bình" in alert["text"] and "/xong 1" in alert["text"]
    assert alert["media"] is True
    if platform != "zalo":
        assert alert["buttons"] == [["rp:doing:1", "rp:hide:1"]]
    assert len(sent) == official_before + 1

    # the officials' list: open reports, oldest first, with age
    await h.clock.advance(2 * 3600)
    listing = await h.say("/phananh", user="official", chat="dm")
    assert "Số 1 · 2 giờ · Mới · Xóm 3" in listing[0], listing

    # in progress: the reporter is told privately
    acted = await h.say("/xuly 1 Đã báo điện lực", user="official", chat="dm")
    assert "đang xử lý" in acted[0] and "tin nhắn riêng" in acted[1], acted
    news = await settle(h, "dm", resident_before + 1, user="resident")
    assert "Phản ánh số 1 của bạn" in news[-1] and "đang được cán bộ" in news[-1]
    assert "Đã báo điện lực" in news[-1]

    # a resident cannot close it (refused, audited, unchanged)
    refused = await h.say("/xong 1 Xong rồi", user="resident2", chat="group1")
    assert "Chỉ cán bộ" in refused[0], refused
    assert (await reports(h))[0].status == DOING
    assert [a.allowed for a in await audits(h, "xong")] == [False]

    # done, with a photo of the result
    result = image_bytes((40, 200, 40))
    done = await h.say("/xong 1 Đã thay bóng đèn mới", user="official", chat="dm", photo=result)
    assert "đã xử lý xong" in done[0] and "tin nhắn riêng" in done[1], done
    (report,) = await reports(h)
    assert report.status == DONE and report.closed_at is not None and report.remind_at is None
    assert [p.stage for p in await photos(h)] == [PHOTO_REPORT, PHOTO_RESULT]
    await settle(h, "dm", resident_before + 2, user="resident")
    final = h.messages("dm", user="resident")[-1]
    assert "đã được cán bộ Thôn Thanh Bình xử lý xong" in final["text"], final
    assert "Đã thay bóng đèn mới" in final["text"] and final["media"] is True
    group = await settle(h, "group1", 4)  # 2 confirmations, a refusal, the done line
    assert "Phản ánh số 1" in group[-1] and "đã được xử lý xong" in group[-1], group
    assert "Xóm 3" in group[-1]
    assert h.sent("group2") == [] and h.sent("group3") == []

    # the reporter's own list
    mine = await h.say("/phananhcuatoi", user="resident", chat="dm")
    assert "Số 1" in mine[0] and "Đã xong" in mine[0], mine

    # the public page: photos, xóm, status, days open; no name unless the reporter wants it
    html = await page(h)
    names = [p.name for p in await photos(h)]
    assert "Số 1" in html and "Đã xong" in html and "Xóm 3" in html and "0 ngày" in html
    assert all(f"/media/{n}" in html for n in names)
    assert "Trần Thị Tư" not in html and "Đã thay bóng đèn mới" in html
    other = await h.say("/phananhcuatoi 1 hienten", user="resident2", chat="group1")
    assert "không phải của bạn" in other[0], other
    shown = await h.say("/phananhcuatoi 1 hienten", user="resident", chat="dm")
    assert "sẽ hiện" in shown[0]
    assert "Trần Thị Tư" in await page(h)

    # an official hides it (audited); a resident cannot
    refused = await h.say("/phananh an 1", user="resident", chat="group1")
    assert "Chỉ cán bộ" in refused[0], refused
    assert not (await reports(h))[0].hidden and len(await reports(h)) == 1
    hidden = await h.say("/phananh an 1 Có số điện thoại riêng", user="official", chat="dm")
    assert "Đã ẩn phản ánh số 1" in hidden[0]
    assert 'id="r1"' not in await page(h)
    assert [a.allowed for a in await audits(h, "phananh-an")] == [False, True]

    # every message each of them received, in order, and nothing else
    resident = h.sent("dm", user="resident")[resident_before:]
    assert [("đang được cán bộ" in resident[0]), ("xử lý xong" in resident[1]),
            ("Số 1" in resident[2]), ("sẽ hiện" in resident[3])] == [True] * 4, resident
    assert len(resident) == 4, resident
    official = h.sent("dm", user="official")[official_before:]
    assert len(official) == 7, official  # alert, list, 2 + 2 acknowledgements, hidden
    assert "Phản ánh mới số 1" in official[0] and "Số 1 · 2 giờ" in official[1]
    assert "đang xử lý" in official[2] and "đã xử lý xong" in official[4]
    assert "Đã ẩn" in official[6]


@pytest.mark.parametrize("platform", ["telegram", "web"])
async def test_report_replying_to_photo_and_buttons(harness_factory, platform: str) -> None:
    h = await harness_factory(platform)
    await open_dms(h, "official")
    before = len(h.sent("dm", user="official"))
    photo = image_bytes((10, 10, 200))
    await h.say("", user="resident", chat="group1", photo=photo)
    target = last_user_message_id(h, "group1", "resident")
    texts = await h.say("/report Rác đổ bừa bãi | bờ mương xóm 2", user="resident",
                        chat="group1", reply_to=target)
    assert "phản ánh số 1" in texts[0] and "1 ảnh" in texts[0]
    assert "nhắn /start" in texts[1]  # no private chat yet: told how to get the news
    (report,) = await reports(h)
    assert (report.place, report.area) == ("bờ mương xóm 2", "Xóm 2")
    await settle(h, "dm", before + 1, user="official")
    alert_id = h.last_id("dm", user="official")
    # a resident pressing the button is refused
    refused = await h.press("rp:doing:1", user="resident", chat="group1", message_id=alert_id)
    assert any("Chỉ cán bộ" in t for t in refused), refused
    assert (await reports(h))[0].status == NEW
    taken = await h.press("rp:doing:1", user="official", chat="dm", message_id=alert_id)
    assert any("đang xử lý" in t for t in taken), taken
    assert any("chưa nhắn riêng" in t for t in taken)  # the reporter cannot be told
    assert (await reports(h))[0].status == DOING


async def test_caption_tag_and_telegram_location(harness_factory) -> None:
    h = await harness_factory("telegram")
    await open_dms(h, "official")
    assert h.tg is not None
    texts = await h.say("#phananh Cây đổ chắn đường xóm 4", user="resident", chat="group1",
                        photo=image_bytes((90, 90, 0)))
    assert "phản ánh số 1" in texts[0], texts
    # a location shared in the private chat soon after is added to the report
    await h.say("/start", user="resident", chat="dm")
    target = h.bot.pipeline.handled + 1
    h.tg.inject(h.tg.make_message_update(
        int(h.user_id("resident")), int(h.user_id("resident")), None, username="resident",
        first_name="Trần Thị Tư",
        extra={"location": {"latitude": 16.4637, "longitude": 107.5909}}))
    await h.bot.pipeline.wait_handled(target)
    await asyncio.sleep(0)
    assert "Đã thêm vị trí vào phản ánh số 1" in h.sent("dm", user="resident")[-1]
    (report,) = await reports(h)
    assert (report.latitude, report.longitude) == (16.4637, 107.5909)
    detail = await h.say("/phananh 1", user="official", chat="dm")
    assert "maps.google.com/?q=16.463700,107.590900" in detail[0], detail
    assert "16.46" not in await page(h)  # the page never shows the location


# ---------------------------------------------------------------- anti-abuse


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_daily_limit_and_duplicates(harness_factory, platform: str) -> None:
    h = await harness_factory(platform)
    await h.say("/dangky thanhbinh", user="resident", chat="dm")
    first = await h.say("/phananh Rác đầy ở xóm 2", user="resident", chat="dm")
    assert "phản ánh số 1" in first[0]
    again = await h.say("/phananh  rác đầy ở XÓM 2 ", user="resident", chat="dm")
    assert "gộp vào phản ánh số 1" in again[0], again
    assert len(await reports(h)) == 1
    for i in range(2, 6):
        texts = await h.say(f"/phananh Ổ gà số {i} trên đường xóm 1", user="resident",
                            chat="dm")
        assert f"phản ánh số {i}" in texts[0], texts
    refused = await h.say("/phananh Cống tắc xóm 5", user="resident", chat="dm")
    assert "tối đa 5 phản ánh" in refused[0], refused
    assert len(await reports(h)) == 5 and len(await audits(h, "phananh-gioihan")) == 1
    # another person is not limited by it
    other = await h.say("/phananh Cống tắc xóm 5", user="resident2", chat="group1")
    assert "phản ánh số 6" in other[0]
    # the same text an hour later is a new report (tomorrow: the limit starts again)
    await h.clock.advance(4 * 3600)  # 00:30 the next day in Vietnam
    later = await h.say("/phananh Rác đầy ở xóm 2", user="resident", chat="dm")
    assert "phản ánh số 7" in later[0], later
    # officials can change the limit
    assert "toida" in (await h.say("/caidat phananh toida", user="official",
                                   chat="group1"))[0]
    saved = await h.say("/caidat phananh toida 1", user="official", chat="group1")
    assert "tối đa 1 phản ánh" in saved[0], saved
    assert "tối đa 1" in (await h.say("/phananh Khác hẳn", user="resident", chat="dm"))[0]


# ---------------------------------------------------------------- stale reminders


async def _round(h: Harness) -> None:
    """Let the scheduler do its round for the current instant and the outbox send."""
    now = h.clock.now()
    for _ in range(500):
        await asyncio.sleep(0.01)
        if not any(r.remind_at is not None and r.remind_at <= now for r in await reports(h)):
            break
    await h.services.outbox.quiet()


_EARLIER: dict[int, list[str]] = {}


def _reminders(h: Harness) -> list[str]:
    """Every reminder the official received (the web chat's transcript lives in the process,
    so what an earlier process showed is kept by :func:`_stop`)."""
    now = [t for t in h.sent("dm", user="official") if "chưa ai xử lý" in t]
    return _EARLIER.get(id(h), []) + now


async def _stop(h: Harness) -> None:
    if h.platform == "web":
        _EARLIER[id(h)] = _reminders(h)
    await h.stop()


async def wait_reminders(h: Harness, count: int) -> list[str]:
    """Wait until the official has received ``count`` stale-report reminders."""
    for _ in range(120):
        if len(_reminders(h)) >= count:
            break
        await h.services.outbox.quiet()
        if len(_reminders(h)) < count:
            await h.clock.advance(1)
    assert len(_reminders(h)) == count, _reminders(h)
    return _reminders(h)


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_stale_report_reminds_daily_across_restart(harness_factory, platform: str) -> None:
    h = await harness_factory(platform)
    await open_dms(h, "official")
    saved = await h.say("/caidat phananh 2", user="official", chat="group1")
    assert "quá 2 ngày" in saved[0], saved
    before = len(h.sent("dm", user="official"))
    await h.say("/phananh Cống tắc gây ngập xóm 1", user="resident", chat="group1")
    await h.say("/phananh Đèn đường xóm 2 chập chờn", user="resident2", chat="group1")
    await settle(h, "dm", before + 2, user="official")
    await h.clock.advance(2 * 86400 - 3600)
    await _round(h)
    assert _reminders(h) == []
    # the bot is down when the reminder falls due; the restart sends it, once
    await _stop(h)
    await h.clock.advance(3600 + 60)
    await h.restart()
    await h.services.scheduler.started.wait()
    await _round(h)
    (first,) = await wait_reminders(h, 1)
    assert "2 phản ánh quá 2 ngày" in first and "Số 1" in first and "Số 2" in first, first
    await _stop(h)
    await h.restart()
    await h.services.scheduler.started.wait()
    await h.clock.advance(3600)
    await _round(h)
    assert len(_reminders(h)) == 1  # once a day, not once per start
    # the next day it reminds again; after someone acts, that report waits 2 more days
    await h.clock.advance(23 * 3600)
    await _round(h)
    await wait_reminders(h, 2)
    await h.say("/xuly 1 Đã gọi đội thủy lợi", user="official", chat="dm")
    await h.say("/tuchoi 2 Đã báo điện lực, không thuộc thôn", user="official", chat="dm")
    await h.clock.advance(86400)
    await _round(h)
    assert len(_reminders(h)) == 2
    await h.clock.advance(86400)
    await _round(h)
    third = (await wait_reminders(h, 3))[-1]
    assert "1 phản ánh quá 2 ngày" in third and "Số 1" in third and "Số 2" not in third, third


async def test_album_photos_join_one_report(harness_factory) -> None:
    h = await harness_factory("telegram")
    await open_dms(h, "official")
    before = len(h.sent("dm", user="official"))
    texts = await h.say("/phananh Sạt lở bờ kênh xóm 5", user="resident", chat="group1",
                        photo=image_bytes((1, 2, 3)), album_id="alb1")
    assert "phản ánh số 1" in texts[0] and "gộp" in texts[0], texts
    assert await h.say("", user="resident", chat="group1", photo=image_bytes((4, 5, 6)),
                       album_id="alb1") == []
    # someone else's photo in another album is not added to it
    await h.say("", user="resident2", chat="group1", photo=image_bytes((7, 8, 9)),
                album_id="alb2")
    (report,) = await reports(h)
    assert [p.report_id for p in await photos(h)] == [report.id, report.id]
    # the officials hear once the album is complete, with both photos
    await h.services.outbox.quiet()
    assert len(h.sent("dm", user="official")) == before
    await h.clock.advance(2)
    await settle(h, "dm", before + 3, user="official")
    alert = h.messages("dm", user="official")[before:]  # an album of 2, then the text
    assert [m["media"] for m in alert] == [True, True, False], alert
    text = "\n".join(m["text"] for m in alert)
    assert "Phản ánh mới số 1" in text and "Ảnh: 2" in text and "/xuly 1" in text, text


async def test_zalo_caption_tag_in_group(harness_factory) -> None:
    h = await start_public(harness_factory, "zalo")
    texts = await h.say("#phananh Rác thải đầy ở xóm 6", user="resident", chat="group1",
                        photo=image_bytes((50, 60, 70)))
    assert "phản ánh số 1" in texts[0], texts
    (report,) = await reports(h)
    assert report.area == "Xóm 6" and len(await photos(h)) == 1


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_help_lists_report_commands(harness_factory, platform: str) -> None:
    h = await harness_factory(platform)
    resident = "\n".join(await h.say("/trogiup", user="resident", chat="dm"))
    assert "/phananh" in resident and "/phananhcuatoi" in resident and "/xong" not in resident
    official = "\n".join(await h.say("/trogiup", user="official", chat="dm"))
    # (on Zalo the officials' commands are listed by name only, so help stays one message)
    assert all(f"/{c}" in official for c in ("xuly", "xong", "tuchoi")), official
    settings = "\n".join(await h.say("/caidat", user="official", chat="group1"))
    assert "/caidat phananh 3" in settings
    usage = await h.say("/phananh", user="resident", chat="group1")
    assert "/phananh Đèn đường hỏng" in usage[0]
    bad = await h.say("/xong", user="official", chat="group1")
    assert "/xong 3" in bad[0]
    missing = await h.say("/xuly 42 Đang xem", user="official", chat="group1")
    assert "Không có phản ánh số 42" in missing[0]


async def test_setting_reschedules_open_reports(harness_factory) -> None:
    h = await harness_factory("web")
    await h.say("/phananh Cống tắc xóm 1", user="resident", chat="group1")
    (report,) = await reports(h)
    assert report.remind_at == h.clock.now() + timedelta(days=3)  # the default: 3 days
    refused = await h.say("/caidat phananh 1", user="resident", chat="group1")
    assert "Chỉ cán bộ" in refused[0]
    bad = await h.say("/caidat phananh 99", user="official", chat="group1")
    assert "từ 1 đến 30" in bad[0], bad
    await h.say("/caidat phananh 1", user="official", chat="group1")
    (report,) = await reports(h)
    assert report.remind_at == h.clock.now() + timedelta(days=1)
    shown = await h.say("/caidat phananh", user="official", chat="group1")
    assert "quá 1 ngày" in shown[0] and "tối đa 5" in shown[0], shown


async def test_village_page_lists_the_latest_reports(harness_factory) -> None:
    h = await harness_factory("web")
    await h.say("/phananh Đèn đường xóm 3 không sáng", user="resident", chat="group1")
    http = await h.http()
    async with http.get(f"{h.base_url}/v/thanhbinh") as resp:
        page = await resp.text()
    assert 'id="reports"' in page and "Đèn đường xóm 3 không sáng" in page
    assert 'href="/v/thanhbinh/phananh"' in page
    assert "Trần Thị Tư" not in page  # the reporter did not choose to show the name
