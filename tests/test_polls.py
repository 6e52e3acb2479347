"""Polls: preview then confirm, one vote per household across platforms, deadlines fire once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.harness import Harness

POLL = "/bieuquyet Làm đường xóm 3 vào tháng nào? | Tháng 1 | Tháng 3 | hạn 20h thứ Hai"


async def _texts(h: Harness, chat: str, user: str = "resident") -> str:
    await h.services.outbox.quiet()
    return "\n".join(h.sent(chat, user=user))


@pytest.mark.parametrize("platform", ["telegram", "zalo", "web"])
async def test_poll_preview_confirm_vote_close(harness_factory, platform) -> None:
    h = await harness_factory(platform)
    (preview,) = await h.say(POLL, user="official", chat="dm")
    assert "Xem trước biểu quyết số 1" in preview and "1. Tháng 1" in preview
    assert "Hạn: Thứ Hai, 23/11/2026 lúc 20:00" in preview
    assert "Sẽ gửi tới 2 nhóm" in preview
    await h.services.outbox.quiet()
    assert "Làm đường" not in "\n".join(h.sent("group1"))  # nothing before the confirmation
    assert "Chỉ cán bộ" in (await h.say("/bieuquyet xacnhan 1", user="resident",
                                        chat="dm"))[0]
    (sent,) = await h.say("/bieuquyet xacnhan 1", user="official", chat="dm")
    assert "biểu quyết số 1" in sent
    assert "/chon 1 <số lựa chọn>" in await _texts(h, "group1")
    assert "Đã ghi phiếu của bạn" in (await h.say("/chon 1 2", user="resident"))[0]
    assert "Đã đổi phiếu" in (await h.say("/chon 1 thang 1", user="resident"))[0]
    assert "có 2 lựa chọn" in (await h.say("/chon 1 7", user="resident2"))[0]
    await h.say("/chon 1 2", user="resident2")
    (result,) = await h.say("/ketqua 1", user="resident")
    assert "2 phiếu" in result and "1. Tháng 1: 1 phiếu (50%)" in result
    assert "Trần Thị Tư" not in result  # names only for officials in private
    (detail,) = await h.say("/ketqua 1", user="official", chat="dm")
    assert "• Trần Thị Tư: Tháng 1" in detail
    await h.say("/dongbieuquyet 1", user="official", chat="dm")
    assert "Kết quả biểu quyết số 1" in await _texts(h, "group1")
    assert "đã đóng" in (await h.say("/chon 1 1", user="resident"))[0]
    assert "đã đóng rồi" in (await h.say("/dongbieuquyet 1", user="official", chat="dm"))[0]


async def test_bad_polls_change_nothing(harness_factory) -> None:
    h = await harness_factory("web")
    one = (await h.say("/bieuquyet Có làm không? | Có", user="official", chat="dm"))[0]
    assert "từ 2 đến 10 lựa chọn (bạn đưa 1)" in one
    many = "/bieuquyet Chọn? | " + " | ".join(f"Lựa chọn {i}" for i in range(30))
    assert "(bạn đưa 30)" in (await h.say(many, user="official", chat="dm"))[0]
    bad = (await h.say("/bieuquyet A? | B | C | hạn hôm qua", user="official", chat="dm"))[0]
    assert "chưa hiểu hạn" in bad
    assert "Không có biểu quyết" in (await h.say("/bieuquyet xacnhan", user="official",
                                                 chat="dm"))[0]
    assert "Không có biểu quyết số 99999999999999999999" in (await h.say(
        "/chon 99999999999999999999 1", user="resident"))[0]


async def test_one_vote_per_household_across_platforms_and_deadline_after_restart(
    harness_factory,
) -> None:
    """Two members of one household on Telegram and Zalo: the household has one ballot."""
    from bot.db.models import Person
    from handlers.households.models import LINKED, Household, HouseholdMember
    from handlers.polls.models import Vote

    tg = await harness_factory("telegram")
    zl = await harness_factory("zalo")
    # one database for both platforms: the Zalo bot runs on the Telegram bot's file
    await zl.stop()
    zl.settings_overrides["database_url"] = tg.settings().database_url
    await zl.restart()
    await tg.say("/ho them Xóm 3 | Nguyễn Văn An", user="official", chat="dm")
    await tg.say("/hocuatoi 1", user="resident", chat="group1")
    await tg.say("/ho duyet 1", user="official", chat="dm")
    await zl.say("/dangky thanhbinh", user="resident2", chat="dm")  # the Zalo member
    async with tg.services.db.session() as s:
        from sqlmodel import select

        zperson = (await s.exec(select(Person).where(Person.platform == "zalo",
                                                     Person.external_id == zl.user_id(
                                                         "resident2")))).one()
        home = (await s.exec(select(Household))).one()
        s.add(HouseholdMember(village_id=home.village_id, household_id=home.id or 0,
                              person_id=zperson.id or 0, status=LINKED,
                              requested_at=tg.clock.now()))
        await s.commit()
    await tg.say(POLL + " | moi ho 1 phieu", user="official", chat="dm")
    await tg.say("/bieuquyet xacnhan 1", user="official", chat="dm")
    await tg.services.outbox.quiet()
    assert "chưa gắn với hộ" in "\n".join(await tg.say("/chon 1 1", user="resident2"))
    assert "phiếu của hộ bạn" in (await tg.say("/chon 1 1", user="resident"))[0]
    assert "Đã đổi phiếu của hộ bạn" in "\n".join(await zl.say("/chon 1 2", user="resident2",
                                                                     chat="dm"))
    async with tg.services.db.session() as s:
        votes = (await s.exec(select(Vote))).all()
    assert [(v.voter_key, v.option) for v in votes] == [(f"h:{home.id}", 1)]
    # the deadline passes while the bot is down; results are posted once after the restart
    await zl.stop()
    await tg.stop()
    await tg.clock.advance(timedelta(days=3).total_seconds())
    await tg.restart()
    await tg.services.scheduler.started.wait()  # type: ignore[union-attr]
    await tg.services.outbox.quiet()
    results = [t for t in tg.sent("group1") if "Kết quả biểu quyết số 1" in t]
    assert len(results) == 1 and "1 phiếu (mỗi hộ 1 phiếu)" in results[0]
    await tg.restart()
    await tg.services.scheduler.started.wait()  # type: ignore[union-attr]
    await tg.services.outbox.quiet()
    assert len([t for t in tg.sent("group1") if "Kết quả biểu quyết số 1" in t]) == 1
