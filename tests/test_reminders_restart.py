"""Reminders due while the bot is down (issues 4 and 7), with a real ``python -m bot run``.

The subprocess runs on the real clock, so each test seeds a meeting far enough ahead that
nothing fires during the first run, stops the process (SIGTERM), then moves the meeting in
the database to where the downtime leaves it — exactly what the rows look like after that
much real time — and restarts.  The reminder rows are the schedule, rebuilt at start:

- due 1 s after the stop (and the test really waits for it): sent once, on time (within
  ``LATE_AFTER``, 2 min);
- due 3 min before the restart: sent once, marked late ("nhắc muộn");
- the meeting started during the downtime: the reminder is skipped, nothing is sent.

A third run in the first two cases checks the reminder is never sent again.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from pathlib import Path

from sqlmodel import select

from bot.core.events import ChatRef, Platform
from bot.db import repo
from bot.db.engine import Database
from handlers.meetings.models import (
    REMINDER_PENDING,
    REMINDER_SENT,
    REMINDER_SKIPPED,
    Meeting,
    Reminder,
)
from tests.fakes import FakeTelegram
from tests.procs import BotProcess, wait_until

TOKEN = "123456789:TEST-token_fake"
CHATS = [str(-1006000000000 - i) for i in range(3)]
OFFSET = 3600  # the village reminds 1 hour before (settings["reminder_offsets"])
LATE_MARK = "nhắc muộn"


async def _db(db_url: str) -> Database:
    """A connection pool on the test's SQLite file (the process shares it)."""
    return Database(db_url)


def _utcnow() -> datetime:
    """The real clock (the subprocess runs on it too)."""
    from bot.clock import SystemClock

    return SystemClock().now()


async def seed_meeting(db_url: str, starts_at: datetime) -> None:
    """Village (1-hour reminders) + linked Telegram groups + one meeting and its reminders."""
    from bot.db.engine import upgrade_schema
    from bot.db.models import Village
    from handlers.meetings.queries import replace_reminders, village_offsets

    await asyncio.to_thread(upgrade_schema, db_url)
    db = await _db(db_url)
    now = _utcnow()
    async with db.session() as s:
        village = Village(code="thanhbinh", name="Thôn Thanh Bình", created_at=now,
                          settings={"reminder_offsets": [OFFSET]})
        s.add(village)
        await s.flush()
        for cid in CHATS:
            chat = await repo.upsert_chat(s, ChatRef(Platform.TELEGRAM, cid, True, cid), now)
            chat.village_id = village.id
        meeting = Meeting(village_id=village.id or 0, starts_at=starts_at,
                          place="Nhà văn hóa thôn", topic="Họp bàn làm đường liên xóm",
                          created_at=now, updated_at=now)
        s.add(meeting)
        await s.flush()
        rows = await replace_reminders(s, meeting=meeting, offsets=village_offsets(village),
                                       now=now)
        assert [r.offset_seconds for r in rows] == [OFFSET]
    await db.close()


async def move_meeting(db_url: str, starts_at: datetime) -> None:
    """Put the meeting (and its pending reminder) where the downtime leaves them."""
    db = await _db(db_url)
    async with db.session() as s:
        meeting = (await s.exec(select(Meeting))).one()
        meeting.starts_at = starts_at
        for reminder in (await s.exec(select(Reminder))).all():
            reminder.fire_at = starts_at - timedelta(seconds=reminder.offset_seconds)
    await db.close()


async def reminder_row(db_url: str) -> Reminder:
    """The meeting's only reminder row."""
    db = await _db(db_url)
    async with db.session() as s:
        row = (await s.exec(select(Reminder))).one()
    await db.close()
    return row


@asynccontextmanager
async def bot_with_fake(tmp_path: Path) -> AsyncIterator[tuple[BotProcess, FakeTelegram, str]]:
    """A fake Telegram and a (not yet started) bot process on a scratch SQLite file."""
    db_url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    async with FakeTelegram(token=TOKEN) as tg:
        bot = BotProcess(tmp_path, {"TELEGRAM_BOT_TOKEN": TOKEN,
                                    "TELEGRAM_API_BASE_URL": tg.url, "DATABASE_URL": db_url})
        try:
            yield bot, tg, db_url
        finally:
            await bot.kill()


async def run_once(bot: BotProcess, db_url: str) -> None:
    """Start, wait until the scheduler's rebuild round has settled the reminder or left it
    pending for the future, then stop cleanly."""
    await bot.start()
    await bot.wait_log("listening on")
    await bot.wait_log("runs the scheduler")
    await asyncio.sleep(0.5)  # the rebuild round (and any wrong send) happens now


def texts(tg: FakeTelegram) -> dict[str, list[str]]:
    """What each village chat received."""
    return {c: tg.sent_texts(c) for c in CHATS}


async def first_run_sends_nothing(bot: BotProcess, tg: FakeTelegram, db_url: str) -> None:
    """Run 1: the reminder is an hour+ away, so nothing is sent; then SIGTERM."""
    await run_once(bot, db_url)
    assert texts(tg) == {c: [] for c in CHATS}
    assert (await reminder_row(db_url)).status == REMINDER_PENDING
    assert await bot.stop() == 0


async def test_reminder_due_during_short_downtime_is_sent_once(tmp_path: Path) -> None:
    async with bot_with_fake(tmp_path) as (bot, tg, db_url):
        await seed_meeting(db_url, _utcnow() + timedelta(seconds=OFFSET + 600))
        await first_run_sends_nothing(bot, tg, db_url)
        due = _utcnow() + timedelta(seconds=1)
        await move_meeting(db_url, due + timedelta(seconds=OFFSET))
        await asyncio.sleep(max(0.0, (due - _utcnow()).total_seconds()) + 0.3)
        await bot.start()  # the reminder fell due while the bot was stopped
        await wait_until(lambda: all(texts(tg).values()), timeout=15)
        assert await bot.stop() == 0
        await run_once(bot, db_url)  # a third run sends nothing again
        assert await bot.stop() == 0
    sent = texts(tg)
    assert all(len(v) == 1 for v in sent.values()), sent
    assert all("Họp bàn làm đường liên xóm" in v[0] and LATE_MARK not in v[0]
               for v in sent.values()), sent
    row = await reminder_row(db_url)
    assert (row.status, row.late) == (REMINDER_SENT, False)


async def test_reminder_missed_by_minutes_is_sent_once_marked_late(tmp_path: Path) -> None:
    async with bot_with_fake(tmp_path) as (bot, tg, db_url):
        await seed_meeting(db_url, _utcnow() + timedelta(seconds=OFFSET + 600))
        await first_run_sends_nothing(bot, tg, db_url)
        # down for a while: the 1-hour reminder fell due 3 minutes ago; the meeting is in 57
        await move_meeting(db_url, _utcnow() + timedelta(seconds=OFFSET - 180))
        await bot.start()
        await wait_until(lambda: all(texts(tg).values()), timeout=15)
        assert await bot.stop() == 0
        await run_once(bot, db_url)
        assert await bot.stop() == 0
    sent = texts(tg)
    assert all(len(v) == 1 for v in sent.values()), sent
    assert all(LATE_MARK in v[0] and "Họp bàn làm đường liên xóm" in v[0]
               for v in sent.values()), sent
    row = await reminder_row(db_url)
    assert (row.status, row.late) == (REMINDER_SENT, True)


async def test_meeting_started_during_downtime_gets_no_reminder(tmp_path: Path) -> None:
    async with bot_with_fake(tmp_path) as (bot, tg, db_url):
        await seed_meeting(db_url, _utcnow() + timedelta(seconds=OFFSET + 600))
        await first_run_sends_nothing(bot, tg, db_url)
        await move_meeting(db_url, _utcnow() - timedelta(seconds=60))  # started a minute ago
        await bot.start()
        await bot.wait_log("reminders fired")
        await asyncio.sleep(0.5)
        assert await bot.stop() == 0
        assert "skipped=1" in bot.log()
    assert texts(tg) == {c: [] for c in CHATS}
    assert (await reminder_row(db_url)).status == REMINDER_SKIPPED
