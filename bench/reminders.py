"""Reminder benchmark: 100,000 reminders in SQLite (or 1,000,000 on PostgreSQL) — rebuild
time, memory, firing lateness.

Run: ``python -m bench.reminders [--reminders 100000] [--live 2000] [--villages 1000]``, or on
the local PostgreSQL (a database of its own, emptied first; rows written with COPY):
``python -m bench.reminders --postgres postgresql+asyncpg://postgres@127.0.0.1/villagebot_bench
--reminders 1000000 --villages 2000`` (goals there: rebuild < 1 s, RSS < 150 MB, p99 < 100 ms).

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


def machine(db: str = "SQLite file") -> str:
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
            f"Python {sys.version.split()[0]}, {db}; load average "
            + " ".join(f"{x:.2f}" for x in os.getloadavg()))


def _fire_at(n: int, k: int, starts: datetime, live: int, first_live: datetime) -> datetime:
    """Reminder k (0: a day before, 1: an hour before) of meeting n; ``live`` are due soon."""
    if k == 1 and n < live:  # one per meeting, in bursts of BURST, 5–25 s ahead
        return first_live + timedelta(seconds=(n // BURST) * 20 / max(1, live // BURST))
    return starts - (timedelta(days=1) if k == 0 else timedelta(hours=1))


PLACEHOLDER = timedelta(days=3650)  # live rows are written this far ahead, then moved


async def populate_pg(url: str, total: int, live: int, now: datetime, villages: int) -> None:
    """The same rows as :func:`populate`, made by PostgreSQL itself (``generate_series``):
    1M rows in seconds.  The live reminders are written ``PLACEHOLDER`` ahead and moved to
    their instants by :func:`move_live` once populating is over, however long it took."""
    import asyncpg

    conn = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql", 1))
    meetings = total // 2
    bursts = max(1, live // BURST)
    try:
        await conn.execute(
            "insert into village (id, code, name, settings, created_at) "
            "select i, 'v' || i, 'Thôn ' || i, '{}', $1 from generate_series(1, $2) i",
            now, villages)
        await conn.execute(
            "insert into chat (id, platform, external_id, is_group, village_id, tags, active,"
            " created_at) select 2 * v + k - 1, 'telegram', '-' || v || k, true, v, '', true, $1"
            " from generate_series(1, $2) v, generate_series(0, 1) k", now, villages)
        await conn.execute(
            "insert into meeting (id, village_id, number, starts_at, place, topic, status,"
            " created_at, updated_at, version)"
            " select i + 1, i % $2 + 1, i / $2 + 1,"
            " $1::timestamptz + make_interval(days => 2 + i % 28, mins => i % 600),"
            " 'NVH', 'Họp ' || i,"
            " 'scheduled', $1, $1, 1 from generate_series(0, $3 - 1) i", now, villages, meetings)
        await conn.execute(
            "insert into reminder (id, meeting_id, fire_at, offset_seconds, status, late,"
            " meeting_version)"
            " select 2 * (m.id - 1) + k + 1, m.id,"
            " case when k = 1 and m.id <= $2"
            " then $1::timestamptz + make_interval(secs => 5 + ((m.id - 1) / $3) * 20.0 / $4)"
            " when k = 0 then m.starts_at - interval '1 day'"
            " else m.starts_at - interval '1 hour' end,"
            " case when k = 0 then 86400 else 3600 end, 'pending', false, 1"
            " from meeting m, generate_series(0, 1) k order by 1",
            now + PLACEHOLDER, live, BURST, bursts)
        for table in ("village", "chat", "meeting", "reminder"):
            await conn.execute(f"select setval(pg_get_serial_sequence('{table}', 'id'), "
                               f"(select max(id) from {table}))")
            await conn.execute(f"vacuum analyze {table}")
    finally:
        await conn.close()


async def move_live(url: str, placeholder_first: datetime, first: datetime) -> None:
    """Move the live reminders from the placeholder instants to ``first`` + 0–20 s."""
    import asyncpg

    conn = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql", 1))
    try:
        await conn.execute("update reminder set fire_at = fire_at - $1::interval "
                           "where status = 'pending' and fire_at >= $2",
                           placeholder_first - first, placeholder_first)
    finally:
        await conn.close()


async def reset_pg(url: str) -> None:
    """Empty the benchmark database (never the tests' ``test``)."""
    import asyncpg

    conn = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql", 1))
    try:
        await conn.execute("drop schema public cascade; create schema public")
    finally:
        await conn.close()


async def populate(db: Database, total: int, live: int, now: datetime,
                   villages: int = VILLAGES) -> datetime:
    """Villages with 2 chats each, total/2 meetings with 2 reminders; ``live`` due soon."""
    async with db.session() as s:
        await s.exec(insert(Village), params=[  # type: ignore[call-overload]
            {"code": f"v{i}", "name": f"Thôn {i}", "settings": {}, "created_at": now}
            for i in range(villages)])
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
                fire_at = _fire_at(n, k, starts, live, first_live)
                reminders.append({"meeting_id": mid, "fire_at": fire_at,
                                  "offset_seconds": int(offset.total_seconds()),
                                  "status": "pending", "late": False, "meeting_version": 1})
        await s.exec(insert(Reminder), params=reminders)  # type: ignore[call-overload]
    return first_live + timedelta(seconds=20)


def _populate_child(url: str, total: int, live: int, start: str, villages: int) -> None:
    async def go() -> None:
        if url.startswith("postgresql"):
            await populate_pg(url, total, live, datetime.fromisoformat(start), villages)
            return
        db = Database(url)
        await populate(db, total, live, datetime.fromisoformat(start), villages)
        await db.close()

    asyncio.run(go())


async def run(total: int, live: int, villages: int, pg_url: str | None,
              lead: float) -> None:
    """Populate, start the scheduler, wait for the live reminders, print a table."""
    with tempfile.TemporaryDirectory() as tmp:
        url = pg_url or f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        if pg_url:
            await reset_pg(pg_url)
        await asyncio.to_thread(upgrade_schema, url)
        settings = Settings(_env_file=None, database_url=url, web_chat="off",  # type: ignore[call-arg]
                            demo_data=False)
        t0 = time.perf_counter()
        start = datetime.now(UTC) + timedelta(seconds=lead)  # populating takes ~10 s
        # fixtures are written by a child process, so the measured RSS is the scheduler's
        child = multiprocessing.get_context("spawn").Process(
            target=_populate_child, args=(url, total, live, start.isoformat(), villages))
        child.start()
        await asyncio.to_thread(child.join)
        populate_s = time.perf_counter() - t0
        if pg_url:  # the live rows were written far ahead: bring them to 5–25 s from now
            placeholder = start + PLACEHOLDER + timedelta(seconds=5)
            start = datetime.now(UTC) + timedelta(seconds=5)
            await move_live(pg_url, placeholder, start + timedelta(seconds=5))
        if datetime.now(UTC) > start:
            print(f"populating took {populate_s:.0f} s, longer than --lead {lead:.0f} s: "
                  "the live reminders are already due", file=sys.stderr)
        last_live = start + timedelta(seconds=25)
        db = Database(url)
        services = Services(settings=settings, db=db, clock=SystemClock(), i18n=Translator())
        rss_before = rss_mb()
        sched = ReminderScheduler(ReminderService(services), services.clock)
        t0 = time.perf_counter()
        await sched.start()
        await sched.started.wait()
        rebuild_s = time.perf_counter() - t0
        t1 = time.perf_counter()
        await sched.service.next_wakeup()  # what the round does next (the MIN queries)
        wakeup_s = time.perf_counter() - t1
        rss_after = rss_mb()
        await asyncio.sleep(max(0.0, (last_live - datetime.now(UTC)).total_seconds() + 1))
        for _ in range(100):
            async with db.session() as s:
                done = (await s.exec(select(Reminder).where(
                    Reminder.status == "sent", col(Reminder.sent_at).is_not(None)))).all()
            if len(done) >= live:
                break
            await asyncio.sleep(0.1)
        await sched.stop()
        late = sorted((r.sent_at - r.fire_at).total_seconds() for r in done if r.sent_at)
        async with db.session() as s:
            from bot.delivery.models import OutboxItem

            outbox_rows = len((await s.exec(select(OutboxItem.id))).all())
        pg_version = ""
        if pg_url:
            async with db.engine.connect() as conn:
                pg_version = str((await conn.exec_driver_sql("show server_version")).scalar())
        await db.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    p50 = statistics.median(late) if late else float("nan")
    p99 = late[min(len(late) - 1, int(len(late) * 0.99))] if late else float("nan")
    pg = bool(pg_url)
    print(f"machine: {machine('PostgreSQL ' + pg_version if pg else 'SQLite file')}")
    print(f"reminders in DB: {total:,} ({total // 2:,} meetings, {villages} villages x 2 chats);"
          f" populate {populate_s:.1f} s")
    goals = ("< 1 s", "< 150 MB", "p99 < 100 ms") if pg else ("< 3 s", "< 250 MB",
                                                                "p99 < 500 ms")
    print()
    print("| metric | value | goal |")
    print("|---|---|---|")
    print(f"| rebuild at start (first round) + next wake-up query | {rebuild_s * 1000:.0f} ms + "
          f"{wakeup_s * 1000:.0f} ms | {goals[0]} |")
    print(f"| RSS after rebuild / peak | {rss_after:.0f} MB / {peak:.0f} MB "
          f"(before start {rss_before:.0f} MB) | {goals[1]} |")
    print(f"| live reminders fired | {len(late):,} of {live:,} (bursts of {BURST}); "
          f"{outbox_rows:,} outbox rows | all |")
    print(f"| firing lateness p50 / p99 / max | {p50 * 1000:.0f} / {p99 * 1000:.0f} / "
          f"{(late[-1] if late else float('nan')) * 1000:.0f} ms | {goals[2]} |")


def main() -> None:
    """CLI entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reminders", type=int, default=100_000)
    parser.add_argument("--live", type=int, default=2_000)
    parser.add_argument("--villages", type=int, default=VILLAGES)
    parser.add_argument("--postgres", metavar="URL",
                        help="a PostgreSQL database of its own (it is emptied first)")
    parser.add_argument("--lead", type=float, default=None,
                        help="seconds from now to the first live reminder, after populating "
                             "(default 20; 60 on PostgreSQL)")
    args = parser.parse_args()
    lead = args.lead if args.lead is not None else (60.0 if args.postgres else 20.0)
    asyncio.run(run(args.reminders, args.live, args.villages, args.postgres, lead))


if __name__ == "__main__":
    main()
