"""Reminders and recurring notices: right instants, never twice, cancel/move, restarts, wiring.

The harness clock is a ManualClock (no real sleeping): with it the reminder runner sleeps on
the clock, so ``clock.advance(to=…)`` is what fires reminders.  One test runs the real
APScheduler with a fire time 0.2 s ahead to prove the production wiring.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import col, select

from bot.clock import SystemClock
from bot.config import Settings
from bot.core.services import Services
from bot.db.engine import Database
from bot.db.models import Chat, Village
from bot.delivery.models import OutboxItem
from bot.i18n import Translator
from handlers.meetings.models import Meeting, RecurringNotice, Reminder
from scheduler import ReminderScheduler, ReminderService
from scheduler.wakeup import SWEEP_JOB, WAKEUP_JOB
from tests.harness import Harness, prepare_workdir
from tests.test_meetings import CREATE, _confirmed, _create, settle

# CREATE is Saturday 28/11/2026 19:30 in Vietnam = 12:30 UTC
STARTS = datetime(2026, 11, 28, 12, 30, tzinfo=UTC)
DAY_BEFORE = STARTS - timedelta(days=1)
HOUR_BEFORE = STARTS - timedelta(hours=1)


async def _reminders(h: Harness) -> list[Reminder]:
    async with h.services.db.session() as session:
        return list((await session.exec(select(Reminder).order_by(col(Reminder.id)))).all())


async def _reminder_texts(h: Harness, chat: str) -> list[str]:
    return [t for t in h.sent(chat) if "Nhắc lịch họp" in t]


async def _advance_to(h: Harness, when: datetime) -> None:
    await h.clock.advance(to=when)
    sched = h.services.scheduler
    for _ in range(200):  # the runner reacts to the clock; wait until it has done a round
        await asyncio.sleep(0.01)
        if not any(r.status == "pending" and r.fire_at <= when for r in await _reminders(h)):
            break
    assert sched is not None


async def test_reminders_fire_at_the_right_instants(harness_factory, platform):
    h = await harness_factory(platform)
    await _create(h)
    rows = await _reminders(h)
    assert [r.fire_at for r in rows] == [DAY_BEFORE, HOUR_BEFORE]
    await _advance_to(h, DAY_BEFORE - timedelta(seconds=1))
    assert await _reminder_texts(h, "group1") == []
    await _advance_to(h, DAY_BEFORE)
    sent = await settle(h, "group2", 2)
    assert "Còn 1 ngày nữa" in sent[1] and "Thứ Bảy, 28/11/2026 lúc 19:30" in sent[1]
    assert "nhắc muộn" not in sent[1]
    await _advance_to(h, HOUR_BEFORE)
    sent = await settle(h, "group2", 3)
    assert "Còn 1 giờ nữa" in sent[2]
    await settle(h, "group1", 4)
    assert len(await _reminder_texts(h, "group1")) == 2
    assert h.sent("group3") == []
    assert [r.status for r in await _reminders(h)] == ["sent", "sent"]


async def test_fire_due_never_sends_twice(harness_factory):
    h = await harness_factory("web")
    await _create(h)
    service: ReminderService = h.services.scheduler.service
    await h.clock.advance(to=DAY_BEFORE)
    # the runner and two direct calls race for the same row: exactly one claims it
    await asyncio.gather(service.fire_due(DAY_BEFORE), service.fire_due(DAY_BEFORE))
    await service.fire_due(DAY_BEFORE + timedelta(seconds=5))
    async with h.services.db.session() as session:
        items = (await session.exec(select(OutboxItem).where(
            OutboxItem.kind == "reminder"))).all()
    assert len(items) == 2  # group1 and group2, once each
    assert {i.dedupe_key for i in items} == {"reminder:1"}


async def test_cancelled_meeting_never_reminds(harness_factory):
    h = await harness_factory("telegram")
    await _create(h)
    await _confirmed(h, "/huyhop 1")
    await _advance_to(h, HOUR_BEFORE + timedelta(minutes=1))
    await h.services.outbox.quiet()
    assert await _reminder_texts(h, "group1") == []
    assert {r.status for r in await _reminders(h)} == {"skipped"}


async def test_moved_meeting_gets_only_new_reminders(harness_factory):
    h = await harness_factory("telegram")
    await _create(h)
    texts = await _confirmed(h, "/doihop 1 19h30 Chủ nhật tuần sau")  # 29/11
    assert "Chủ Nhật, 29/11/2026 lúc 19:30" in texts[0]
    rows = await _reminders(h)
    assert [(r.status, r.meeting_version) for r in rows] == [
        ("skipped", 1), ("skipped", 1), ("pending", 2), ("pending", 2)]
    await _advance_to(h, DAY_BEFORE)
    await _advance_to(h, HOUR_BEFORE)
    await h.services.outbox.quiet()
    assert await _reminder_texts(h, "group1") == []  # the old times pass silently
    await _advance_to(h, STARTS)  # new day-before reminder (29/11 19:30 minus one day)
    await _advance_to(h, HOUR_BEFORE + timedelta(days=1))
    sent = await settle(h, "group2", 4)
    assert "Chủ Nhật, 29/11/2026 lúc 19:30" in sent[-1] and "Còn 1 giờ" in sent[-1]
    assert len(await _reminder_texts(h, "group2")) == 2  # day-before (29-1) and hour-before


async def test_village_offsets(harness_factory):
    h = await harness_factory("web")
    await _create(h)
    texts = await h.say("/caidat nhac 24h,2h,15p", user="official")
    assert "1 ngày, 2 giờ, 15 phút" in texts[0]
    pending = [r for r in await _reminders(h) if r.status == "pending"]
    assert [STARTS - r.fire_at for r in pending] == [
        timedelta(days=1), timedelta(hours=2), timedelta(minutes=15)]
    assert "Chỉ cán bộ" in (await h.say("/caidat nhac 3h", user="resident"))[0]
    for offset in (timedelta(days=1), timedelta(hours=2), timedelta(minutes=15)):
        await _advance_to(h, STARTS - offset)
    sent = await settle(h, "group2", 4)
    assert "Còn 15 phút nữa" in sent[-1]


async def test_restart_sends_missed_reminder_once_marked_late(harness_factory):
    h = await harness_factory("telegram")
    await _create(h)
    await h.stop()
    await h.clock.advance(to=HOUR_BEFORE + timedelta(minutes=20))  # down for a while
    await h.restart()
    sent = await settle(h, "group2", 2)
    assert "(nhắc muộn)" in sent[1] and "Còn 40 phút nữa" in sent[1]
    # the day-before one also fell due during the downtime: superseded, never sent
    await h.restart()
    await h.services.scheduler.started.wait()
    await h.services.outbox.quiet()
    await h.clock.advance(60)
    await h.services.outbox.quiet()
    assert len([t for t in h.sent("group2") if "Nhắc lịch họp" in t]) == 1
    assert [(r.status, r.late) for r in await _reminders(h)] == [
        ("skipped", False), ("sent", True)]


async def test_restart_between_reminders_sends_the_due_one_late(harness_factory):
    h = await harness_factory("zalo")
    await _create(h)
    await h.stop()
    await h.clock.advance(to=DAY_BEFORE + timedelta(hours=3))
    await h.restart()
    sent = await settle(h, "group2", 2)
    assert "(nhắc muộn)" in sent[1] and "Còn 21 giờ nữa" in sent[1]
    await _advance_to(h, HOUR_BEFORE)  # the next one is on time again
    sent = await settle(h, "group2", 3)
    assert "nhắc muộn" not in sent[2] and "Còn 1 giờ nữa" in sent[2]


async def test_restart_after_meeting_started_skips(harness_factory):
    h = await harness_factory("telegram")
    await _create(h)
    await h.stop()
    await h.clock.advance(to=STARTS + timedelta(minutes=5))
    await h.restart()
    await h.services.scheduler.started.wait()
    await h.services.outbox.quiet()
    assert await _reminder_texts(h, "group2") == []
    assert {r.status for r in await _reminders(h)} == {"skipped"}


async def test_recurring_monthly_across_month_ends(harness_factory):
    h = await harness_factory("web")
    preview = await h.say("/nhacdinhky ngày 31 hàng tháng 8h | Nộp quỹ thôn", user="official")
    assert "Thứ Năm, 31/12/2026 lúc 08:00" in preview[0] and "/xacnhan" in preview[0]
    assert "chưa có nhắc" in (await h.say("/nhacdinhky", user="official"))[0]
    texts = await h.say("/xacnhan", user="official")
    assert "Thứ Năm, 31/12/2026 lúc 08:00" in texts[0]
    texts = await _confirmed(h, "/nhacdinhky mỗi Chủ nhật 6:30 | Tổng vệ sinh đường làng")
    assert "Chủ Nhật, 22/11/2026 lúc 06:30" in texts[0]
    listing = (await h.say("/nhacdinhky", user="official"))[0]
    assert "Số 1 · Nộp quỹ thôn" in listing and "Số 2 · Tổng vệ sinh" in listing
    assert "đã xóa" in (await h.say("/nhacdinhky xoa 2", user="official"))[0].lower()
    fired = []
    for local in ("2026-12-31T08:00", "2027-01-31T08:00", "2027-03-31T08:00"):
        at = datetime.fromisoformat(local + "+07:00").astimezone(UTC)
        await h.clock.advance(to=at)
        count = len([t for t in h.sent("group2") if "Nộp quỹ thôn" in t]) + 1
        for _ in range(200):
            await asyncio.sleep(0.01)
            if len([t for t in h.sent("group2") if "Nộp quỹ thôn" in t]) >= count:
                break
        fired.append(at)
    notices = [t for t in h.sent("group2") if "Nộp quỹ thôn" in t]
    assert len(notices) == 3  # February has no 31st: skipped, not moved
    assert not any("Tổng vệ sinh" in t for t in h.sent("group2"))  # deleted rule stays quiet
    async with h.services.db.session() as session:
        notice = (await session.exec(select(RecurringNotice).where(
            col(RecurringNotice.text).contains("Nộp quỹ thôn")))).one()
        assert notice is not None and notice.next_fire_at == datetime(2027, 5, 31, 1, 0,
                                                                       tzinfo=UTC)


async def test_recurring_bad_input(harness_factory):
    h = await harness_factory("zalo")
    assert "chưa hiểu" in (await h.say("/nhacdinhky thứ 2 19h | Họp", user="official"))[0]
    assert "cần giờ" in (await h.say("/nhacdinhky mỗi Chủ nhật | Họp", user="official"))[0]
    assert "Chỉ cán bộ" in (await h.say("/nhacdinhky", user="resident"))[0]


@pytest.mark.timeout(20)
async def test_real_apscheduler_fires_on_time(tmp_path: Path, db_template: Path):
    """Production wiring: SystemClock → AsyncIOScheduler wake-up job → fire_due → outbox rows."""
    prepare_workdir(tmp_path, db_template)
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    settings = Settings(_env_file=None, database_url=url, web_chat="off",  # type: ignore[call-arg]
                        demo_data=False)
    db = Database(url)
    services = Services(settings=settings, db=db, clock=SystemClock(), i18n=Translator())
    now = services.clock.now()
    async with db.session() as session:
        village = Village(code="thanhbinh", name="Thôn Thanh Bình", created_at=now)
        session.add(village)
        await session.flush()
        session.add(Chat(platform="telegram", external_id="-100", is_group=True,
                         village_id=village.id, created_at=now))
        meeting = Meeting(village_id=village.id or 0, starts_at=now + timedelta(hours=1),
                          place="Nhà văn hóa", topic="Họp", created_at=now, updated_at=now)
        session.add(meeting)
        await session.flush()
        fire_at = services.clock.now() + timedelta(seconds=0.2)
        session.add(Reminder(meeting_id=meeting.id or 0, fire_at=fire_at, offset_seconds=3600))
    sched = ReminderScheduler(ReminderService(services), services.clock)
    assert sched.use_apscheduler
    await sched.start()
    try:
        await sched.started.wait()
        assert sched.aps is not None
        job = None
        for _ in range(50):
            job = sched.aps.get_job(WAKEUP_JOB)
            if job is not None:
                break
            await asyncio.sleep(0.002)
        assert job is not None and job.misfire_grace_time is None and job.coalesce
        assert sched.aps.get_job(SWEEP_JOB) is not None
        for _ in range(100):
            await asyncio.sleep(0.02)
            async with db.session() as session:
                row = (await session.exec(select(Reminder))).one()
            if row.status == "sent":
                break
        assert row.status == "sent" and row.sent_at is not None
        lateness = (row.sent_at - fire_at).total_seconds()
        assert 0 <= lateness < 0.5
        async with db.session() as session:
            items = (await session.exec(select(OutboxItem))).all()
        assert [i.dedupe_key for i in items] == [f"reminder:{row.id}"]
    finally:
        await sched.stop()
        await db.close()


async def test_create_without_reminder_for_past_offsets(harness_factory):
    h = await harness_factory("web")
    await _create(h, "/taohop 21h tối nay | Sân đình | Họp gấp")  # 30 minutes from now
    assert await _reminders(h) == []
    assert CREATE  # the shared phrase stays importable
