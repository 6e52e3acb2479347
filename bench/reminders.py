"""Reminder benchmark: 100,000 reminders in SQLite — rebuild time, memory, firing lateness.

Run: ``python -m bench.reminders [--reminders 100000] [--live 2000]``.

What it measures (the scheduler/DB part only; messages are written to the outbox table in the
firing transaction but no platform worker runs, i.e. a null messenger):
- rebuild: from ``ReminderScheduler.start()`` (real APScheduler, SystemClock) until the first
  round is done — fire what is overdue (nothing here) and find the next wake-up;
- RSS after the rebuild and the peak RSS of the process;
- lateness = ``sent_at - fire_at`` of ``--live`` reminders due 5–25 s after start, in bursts of
  100 at the same instant (many meetings at 19:30 → many reminders at 18:30).
Goals: rebuild < 3 s, RSS < 250 MB, lateness p99 < 0.5 s.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert
from sqlmodel import col, select

from bot.clock import SystemClock
from bot.config import Settings
from bot.core.services import Services
from bot.db.engine import Database, upgrade_schema
from bot.db.models import Chat, Village
from bot.i18n import Translator
from handlers.meetings.models import Meeting, Reminder
from scheduler import ReminderScheduler, ReminderService

VILLAGES = 1000
BURST = 100


def rss_mb() -> float:
    """Current resident set size in MiB (Linux)."""
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def machine() -> str:
    """One line about this machine."""
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} CPUs, "
            f"Python {sys.version.split()[0]}, SQLite file")


async def populate(db: Database, total: int, live: int, now: datetime) -> datetime:
    """Villages with 2 chats each, total/2 meetings with 2 reminders; ``live`` due soon."""
    async with db.session() as s:
        await s.exec(insert(Village), params=[  # type: ignore[call-overload]
            {"code": f"v{i}", "name": f"Thôn {i}", "settings": {}, "created_at": now}
            for i in range(VILLAGES)])
        vids = list((await s.exec(select(Village.id))).all())
        await s.exec(insert(Chat), params=[  # type: ignore[call-overload]
            {"platform": "telegram", "external_id": f"-{v}{k}", "is_group": True,
             "village_id": v, "tags": "", "active": True, "created_at": now}
            for v in vids for k in range(2)])
        meetings = total // 2
        first_live = now + timedelta(seconds=5)
        rows = []
        for i in range(meetings):
            starts = now + timedelta(days=2 + (i % 28), minutes=i % 600)
            rows.append({"village_id": vids[i % len(vids)], "starts_at": starts, "place": "NVH",
                         "topic": f"Họp {i}", "status": "scheduled", "created_at": now,
                         "updated_at": now, "version": 1})
        await s.exec(insert(Meeting), params=rows)  # type: ignore[call-overload]
        mids = list((await s.exec(select(Meeting.id, Meeting.starts_at).order_by(
            col(Meeting.id)))).all())
        reminders = []
        for n, (mid, starts) in enumerate(mids):
            for k, offset in enumerate((timedelta(days=1), timedelta(hours=1))):
                if k == 1 and n < live:  # one per meeting, in bursts of BURST, 5–25 s ahead
                    fire_at = first_live + timedelta(
                        seconds=(n // BURST) * 20 / max(1, live // BURST))
                else:
                    fire_at = starts - offset
                reminders.append({"meeting_id": mid, "fire_at": fire_at,
                                  "offset_seconds": int(offset.total_seconds()),
                                  "status": "pending", "late": False, "meeting_version": 1})
        await s.exec(insert(Reminder), params=reminders)  # type: ignore[call-overload]
    return first_live + timedelta(seconds=20)


def _populate_child(url: str, total: int, live: int, start: str) -> None:
    async def go() -> None:
        db = Database(url)
        await populate(db, total, live, datetime.fromisoformat(start))
        await db.close()

    asyncio.run(go())


async def run(total: int, live: int) -> None:
    """Populate, start the scheduler, wait for the live reminders, print a table."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        await asyncio.to_thread(upgrade_schema, url)
        settings = Settings(_env_file=None, database_url=url, web_chat="off",  # type: ignore[call-arg]
                            demo_data=False)
        t0 = time.perf_counter()
        start = datetime.now(UTC) + timedelta(seconds=20)  # populating takes ~10 s
        # fixtures are written by a child process, so the measured RSS is the scheduler's
        child = multiprocessing.get_context("spawn").Process(
            target=_populate_child, args=(url, total, live, start.isoformat()))
        child.start()
        await asyncio.to_thread(child.join)
        populate_s = time.perf_counter() - t0
        last_live = start + timedelta(seconds=25)
        db = Database(url)
        services = Services(settings=settings, db=db, clock=SystemClock(), i18n=Translator())
        rss_before = rss_mb()
        sched = ReminderScheduler(ReminderService(services), services.clock)
        t0 = time.perf_counter()
        await sched.start()
        await sched.started.wait()
        rebuild_s = time.perf_counter() - t0
        rss_after = rss_mb()
        await asyncio.sleep(max(0.0, (last_live - datetime.now(UTC)).total_seconds() + 1))
        for _ in range(100):
            async with db.session() as s:
                done = (await s.exec(select(Reminder).where(
                    Reminder.status == "sent"))).all()
            if len(done) >= live:
                break
            await asyncio.sleep(0.1)
        await sched.stop()
        late = sorted((r.sent_at - r.fire_at).total_seconds() for r in done if r.sent_at)
        async with db.session() as s:
            from bot.delivery.models import OutboxItem

            outbox_rows = len((await s.exec(select(OutboxItem.id))).all())
        await db.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    p50 = statistics.median(late) if late else float("nan")
    p99 = late[min(len(late) - 1, int(len(late) * 0.99))] if late else float("nan")
    print(f"machine: {machine()}")
    print(f"reminders in DB: {total:,} ({total // 2:,} meetings, {VILLAGES} villages x 2 chats);"
          f" populate {populate_s:.1f} s")
    print()
    print("| metric | value | goal |")
    print("|---|---|---|")
    print(f"| rebuild at start (first round + next wake-up) | {rebuild_s * 1000:.0f} ms | < 3 s |")
    print(f"| RSS after rebuild / peak | {rss_after:.0f} MB / {peak:.0f} MB "
          f"(before start {rss_before:.0f} MB) | < 250 MB |")
    print(f"| live reminders fired | {len(late):,} of {live:,} (bursts of {BURST}); "
          f"{outbox_rows:,} outbox rows | all |")
    print(f"| firing lateness p50 / p99 / max | {p50 * 1000:.0f} / {p99 * 1000:.0f} / "
          f"{(late[-1] if late else float('nan')) * 1000:.0f} ms | p99 < 500 ms |")


def main() -> None:
    """CLI entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reminders", type=int, default=100_000)
    parser.add_argument("--live", type=int, default=2_000)
    args = parser.parse_args()
    asyncio.run(run(args.reminders, args.live))


if __name__ == "__main__":
    main()
