"""Reach by household (issue 15): which households a notice or a meeting reached and which read
it, shown in the delivery report, ``/daxem``, ``/diemdanh`` and ``/chuanhan``; and one shared
``/xacnhan`` / ``/huy`` for every draft, household imports and polls included."""

from __future__ import annotations

import pytest

from tests.conftest_pg import pg_harness_factory  # noqa: F401
from tests.harness import Harness
from tests.test_households import household_csv, send_file


async def _quiet(*bots: Harness) -> None:
    for _ in range(2):  # a row settled by one bot may queue the report the other sends
        for bot in bots:  # (two processes on one database: the other one is not woken)
            bot.services.outbox.wake()
            await bot.services.outbox.quiet()


async def _import(h: Harness) -> None:
    (preview,) = await send_file(h, household_csv(), "ho.csv")
    assert "Sẽ thêm 125 hộ" in preview
    (done,) = await h.say("/xacnhan", user="official", chat="dm")
    assert "thêm 125 hộ" in done


async def test_notice_reach_across_telegram_and_zalo(harness_factory) -> None:
    """125 households; members on Telegram and Zalo; a notice to two Telegram groups and one
    Zalo subscriber: the report, /daxem and /chuanhan count exactly the households reached."""
    tg = await harness_factory("telegram")
    zl = await harness_factory("zalo")
    await zl.stop()  # one village database for both platforms
    zl.settings_overrides["database_url"] = tg.settings().database_url
    await zl.restart()
    for group in ("group1", "group2", "group4"):  # the Zalo groups are not the village's
        await zl.say("/ngatketnoi", user="admin", chat=group)
    await _import(tg)
    # household 1: a Telegram member who writes in group1; household 5: one who writes in
    # group2; household 2: a Zalo subscriber (private chat); household 3: a Telegram person in
    # no chat that gets the notice; household 4: a Zalo person only in an unlinked Zalo group
    await tg.say("/hocuatoi 1", user="resident", chat="group1")
    await tg.say("/ho duyet 1", user="official", chat="dm")
    await tg.say("xin chào", user="resident2", chat="group2")
    await tg.say(f"/ho lienket 5 telegram:{tg.user_id('resident2')}", user="official",
                 chat="dm")
    await zl.say("/dangky thanhbinh", user="resident2", chat="dm")
    await zl.say("/hocuatoi 2", user="resident2", chat="dm")
    await tg.say("/ho duyet 2", user="official", chat="dm")
    await tg.say(f"/ho lienket 3 telegram:{tg.user_id('admin')}", user="official", chat="dm")
    await zl.say("xin chào", user="resident", chat="group1")
    await tg.say(f"/ho lienket 4 zalo:{zl.user_id('resident')}", user="official", chat="dm")
    await _quiet(tg, zl)
    (preview,) = await tg.say("/thongbao Sáng mai cắt điện từ 7h đến 11h.", user="official",
                              chat="dm")
    assert "2 nhóm" in preview and "1 người" in preview
    await tg.say("/xacnhan", user="official", chat="dm")
    await _quiet(tg, zl)
    assert any("cắt điện" in t for t in zl.sent("dm", user="resident2"))
    reports = [t for t in tg.sent("dm", user="official") if "Đã gửi 3/3 nơi nhận" in t]
    assert len(reports) == 1 and "3/125 hộ đã nhận, 0 hộ đã xem" in reports[0]
    await tg.say("/dadoc 1", user="resident", chat="group1")
    await zl.say("/dadoc 1", user="resident2", chat="dm")
    await tg.say("/dadoc 1", user="official", chat="group1")  # not in any household
    (daxem,) = await tg.say("/daxem 1", user="official", chat="dm")
    assert "3/125 hộ đã nhận, 2 hộ đã xem" in daxem
    (in_group,) = await tg.say("/daxem 1", user="official", chat="group1")
    assert "3/125 hộ đã nhận, 2 hộ đã xem" in in_group
    assert "090" not in in_group  # never a phone number in a group
    (first,) = await tg.say("/chuanhan 1", user="official", chat="dm")
    assert "3/125 hộ đã nhận, 2 hộ đã xem." in first
    assert "• Hộ số 3 · Nguyễn Văn Hộ 3 · ĐT 0900000003" in first
    assert "• Hộ số 4 · Nguyễn Văn Hộ 4 · ĐT 0900000004" in first
    for reached in (1, 2, 5):
        assert f"Hộ số {reached} ·" not in first
    pages = [first]
    for page in range(2, 8):
        pages += await tg.say(f"/chuanhan 1 {page}", user="official", chat="dm")
    listed = "\n".join(pages)
    not_reached = {n for n in range(1, 126) if f"• Hộ số {n} · Nguyễn Văn Hộ {n} · ĐT" in listed}
    assert not_reached == set(range(1, 126)) - {1, 2, 5}
    assert "• Hộ số 5 · Nguyễn Văn Hộ 5 (Xóm 1)" in listed  # reached, not read


async def test_no_reach_line_without_households(harness_factory) -> None:
    h = await harness_factory("web")
    await h.say("/thongbao Họp tổ dân phố.", user="official", chat="dm")
    await h.say("/xacnhan", user="official", chat="dm")
    await h.services.outbox.quiet()
    report = [t for t in h.sent("dm", user="official") if "nơi nhận" in t]
    assert report and "hộ đã nhận" not in report[-1]
    (daxem,) = await h.say("/daxem 1", user="official", chat="dm")
    assert "hộ đã nhận" not in daxem


@pytest.mark.parametrize("platform", ["telegram", "web"])
async def test_meeting_reach(harness_factory, platform: str) -> None:
    h = await harness_factory(platform)
    await _import(h)
    await h.say("/hocuatoi 1", user="resident", chat="group1")
    await h.say("/ho duyet 1", user="official", chat="dm")
    await h.say("/dangky thanhbinh", user="resident2", chat="dm")
    await h.say("/hocuatoi 2", user="resident2", chat="dm")
    await h.say("/ho duyet 2", user="official", chat="dm")
    await h.say("/taohop 19h thứ Hai | Nhà văn hóa | Bàn làm đường", user="official",
                chat="dm")
    await h.say("/xacnhan", user="official", chat="dm")
    await h.services.outbox.quiet()
    await h.say("/thamdu 1", user="resident2", chat="dm")
    (roll,) = await h.say("/diemdanh 1", user="official", chat="dm")
    assert "2/125 hộ đã nhận, 1 hộ đã trả lời" in roll
    (missing,) = await h.say("/chuanhan hop 1", user="official", chat="dm")
    assert "Cuộc họp số 1" in missing
    assert "2/125 hộ đã nhận, 1 hộ đã trả lời" in missing
    assert "• Hộ số 3 · Nguyễn Văn Hộ 3 · ĐT 0900000003" in missing
    assert "Hộ số 1 ·" not in missing and "Hộ số 2 ·" not in missing
    assert "Xem tiếp: /chuanhan hop 1 2" in missing
    (last,) = await h.say("/chuanhan hop 1 7", user="official", chat="dm")
    assert "Đã nhận nhưng chưa trả lời:" in last and "• Hộ số 1 · Nguyễn Văn Hộ 1" in last
    assert "Cuộc họp số 9 chưa được gửi" in (await h.say("/chuanhan hop 9", user="official",
                                                         chat="dm"))[0]


@pytest.mark.parametrize("platform", ["telegram", "zalo", "web"])
async def test_shared_xacnhan_confirms_and_huy_drops_import_and_poll(harness_factory,
                                                                     platform: str) -> None:
    h = await harness_factory(platform)
    poll = "/bieuquyet Làm đường vào tháng nào? | Tháng 1 | Tháng 3"
    (preview,) = await h.say(poll, user="official", chat="dm")
    assert "/xacnhan" in preview
    (dropped,) = await h.say("/huy", user="official", chat="dm")
    assert "Đã bỏ biểu quyết số 1" in dropped
    assert "Không có biểu quyết số 1" in (await h.say("/ketqua 1", user="resident"))[0]
    await h.say(poll, user="official", chat="dm")
    assert "Chỉ cán bộ" in (await h.say("/xacnhan", user="resident", chat="dm"))[0]
    (sent,) = await h.say("/xacnhan", user="official", chat="dm")
    assert "biểu quyết số 2 tới" in sent
    await h.services.outbox.quiet()
    assert any("/chon 2" in t for t in h.sent("group1"))
    assert "không có bản nháp" in (await h.say("/xacnhan", user="official", chat="dm"))[0]
    if platform == "zalo":
        return  # Zalo cannot send files to a bot: imports come through the web chat
    (preview,) = await send_file(h, household_csv(10), "ho.csv")
    assert "/xacnhan" in preview
    (gone,) = await h.say("/huy", user="official", chat="dm")
    assert "không nhập gì" in gone
    assert "chưa có danh sách hộ" in (await h.say("/ho", user="official", chat="dm"))[0]
    await send_file(h, household_csv(10), "ho.csv")
    (done,) = await h.say("/xacnhan", user="official", chat="dm")
    assert "thêm 10 hộ" in done
    assert "(10 hộ)" in (await h.say("/ho", user="official", chat="dm"))[0]


async def test_old_import_and_poll_buttons_still_work(harness_factory) -> None:
    h = await harness_factory("telegram")
    await send_file(h, household_csv(10), "ho.csv")
    button = next(b for m in h.messages("dm", user="official") for row in m["buttons"]
                  for b in row if b and b.startswith("hoimp:ok:"))
    (done,) = await h.press(button, user="official", chat="dm")
    assert "thêm 10 hộ" in done
    await h.say("/bieuquyet Chọn ngày? | Thứ Bảy | Chủ Nhật", user="official", chat="dm")
    button = next(b for m in h.messages("dm", user="official") for row in m["buttons"]
                  for b in row if b and b.startswith("pl:ok:"))
    (sent,) = await h.press(button, user="official", chat="dm")
    assert "biểu quyết số 1 tới" in sent
    assert "không có bản nháp" in (await h.say("/xacnhan", user="official", chat="dm"))[0]


async def test_confirm_rechecks_the_village_role(harness_factory) -> None:
    """An official moved to another village after the preview cannot send the old village's
    poll or import, by /xacnhan or by the old subcommands."""
    h = await harness_factory("telegram")
    who = f"telegram:{h.user_id('resident2')}"
    await h.say(f"/capquyen {who} thanhbinh Phó trưởng thôn", user="admin", chat="dm")
    (preview,) = await h.say("/bieuquyet Chọn ngày? | Thứ Bảy | Chủ Nhật", user="resident2",
                             chat="dm")
    assert "/xacnhan" in preview
    await send_file(h, household_csv(10), "ho.csv", user="resident2")
    await h.say(f"/thuhoiquyen {who}", user="admin", chat="dm")
    await h.say(f"/capquyen {who} anphu Phó trưởng thôn", user="admin", chat="dm")
    for command in ("/xacnhan", "/xacnhan 1", "/bieuquyet xacnhan 1", "/ho xacnhan"):
        answer = "\n".join(await h.say(command, user="resident2", chat="dm"))
        assert "Chỉ cán bộ" in answer or "không có" in answer.lower(), (command, answer)
    await h.services.outbox.quiet()
    assert not any("Chọn ngày" in t for t in h.sent("group1"))
    async with h.services.db.session() as session:
        from sqlmodel import select

        from handlers.households.models import Household
        from handlers.polls.models import Poll

        assert (await session.exec(select(Household))).all() == []
        assert [p.status for p in (await session.exec(select(Poll))).all()] == ["draft"]


async def test_report_reach_line_on_postgresql(pg_harness_factory) -> None:  # noqa: F811
    h = await pg_harness_factory("telegram")
    await h.say("/ho them Xóm 1 | Nguyễn Văn An", user="official", chat="dm")
    await h.say("/ho them Xóm 2 | Trần Thị Bình", user="official", chat="dm")
    await h.say("/hocuatoi 1", user="resident", chat="group1")
    await h.say("/ho duyet 1", user="official", chat="dm")
    await h.say("/thongbao Sáng mai cắt điện.", user="official", chat="dm")
    await h.say("/xacnhan", user="official", chat="dm")
    before = len(h.sent("dm", user="official"))
    # the request to the official used this chat's flood allowance (shared on PostgreSQL)
    await h.clock.advance(5)
    texts = await h.wait_sent("dm", count=before + 1, user="official")
    report = [t for t in texts if "nơi nhận" in t]
    assert report, texts
    assert "1/2 hộ đã nhận, 0 hộ đã xem" in report[-1]


async def test_notice_reach_in_the_web_chat(harness_factory) -> None:
    h = await harness_factory("web")
    await _import(h)
    await h.say("/hocuatoi 1", user="resident", chat="group1")
    await h.say("/ho duyet 1", user="official", chat="dm")
    await h.say("/dangky thanhbinh", user="resident2", chat="dm")
    await h.say("/hocuatoi 2", user="resident2", chat="dm")
    await h.say("/ho duyet 2", user="official", chat="dm")
    await h.say("/thongbao Sáng mai cắt điện.", user="official", chat="dm")
    await h.say("/xacnhan", user="official", chat="dm")
    await h.services.outbox.quiet()
    report = [t for t in h.sent("dm", user="official") if "nơi nhận" in t]
    assert report and "2/125 hộ đã nhận, 0 hộ đã xem" in report[-1]
    await h.say("/dadoc 1", user="resident2", chat="dm")
    assert "2/125 hộ đã nhận, 1 hộ đã xem" in (await h.say("/daxem 1", user="official",
                                                             chat="dm"))[0]
    (missing,) = await h.say("/chuanhan 1", user="official", chat="dm")
    assert "Hộ số 1 ·" not in missing and "Hộ số 2 ·" not in missing
    assert "• Hộ số 3 · Nguyễn Văn Hộ 3 · ĐT 0900000003" in missing
