"""Leader election: always the leader on SQLite; one PostgreSQL advisory-lock holder at a time."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.db.engine import Database
from bot.runtime.leader import LOCK_KEY, Leader
from tests.conftest_pg import pg_url  # noqa: F401
from tests.pg import connect, requires_pg


class Log:
    """Records elected/deposed calls of one candidate."""

    def __init__(self, name: str, events: list[str]) -> None:
        self.name = name
        self.events = events

    async def elected(self) -> None:
        self.events.append(f"{self.name}+")

    async def deposed(self) -> None:
        self.events.append(f"{self.name}-")


def _leader(db: Database, log: Log) -> Leader:
    return Leader(db, log.elected, log.deposed, retry_interval=0.2, check_interval=0.2)


async def test_sqlite_is_always_the_leader(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    events: list[str] = []
    leader = _leader(db, Log("a", events))
    await leader.start()
    assert leader.is_leader and events == ["a+"]
    await leader.stop()
    assert not leader.is_leader and events == ["a+", "a-"]
    await db.close()


async def _lock_holder(url: str) -> int | None:
    conn = await connect(url)
    try:
        return await conn.fetchval(
            "select pid from pg_locks where locktype = 'advisory' and granted "
            "and classid = 0 and objid = $1", LOCK_KEY)
    finally:
        await conn.close()


@requires_pg
async def test_one_leader_and_takeover_on_stop(pg_url: str) -> None:  # noqa: F811
    dbs = [Database(pg_url) for _ in range(3)]
    events: list[str] = []
    leaders = [_leader(db, Log(n, events)) for db, n in zip(dbs, "abc", strict=True)]
    try:
        await leaders[0].start()
        await leaders[0].wait_leading(timeout=5)
        for leader in leaders[1:]:
            await leader.start()
        await asyncio.sleep(0.6)  # several retry rounds: nobody else wins
        assert [x.is_leader for x in leaders] == [True, False, False]
        assert events == ["a+"] and await _lock_holder(pg_url) is not None

        loop = asyncio.get_running_loop()
        t0 = loop.time()
        await leaders[0].stop()
        assert events[:2] == ["a+", "a-"]
        _done, pending = await asyncio.wait(
            [asyncio.create_task(x.wait_leading(timeout=5)) for x in leaders[1:]],
            return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
        assert loop.time() - t0 < 1.0
        await asyncio.sleep(0.5)
        assert sum(x.is_leader for x in leaders) == 1 and len(events) == 3
    finally:
        for leader in leaders:
            await leader.stop()
        for db in dbs:
            await db.close()


@requires_pg
async def test_broken_connection_deposes_at_once(pg_url: str) -> None:  # noqa: F811
    dbs = [Database(pg_url) for _ in range(2)]
    events: list[str] = []
    a, b = (_leader(db, Log(n, events)) for db, n in zip(dbs, "ab", strict=True))
    try:
        await a.start()
        await a.wait_leading(timeout=5)
        await b.start()
        holder = await _lock_holder(pg_url)
        assert holder is not None
        conn = await connect(pg_url)
        try:  # the server kills the leader's session (same effect as a network cut)
            assert await conn.fetchval("select pg_terminate_backend($1)", holder)
        finally:
            await conn.close()
        await a.wait_leading(False, timeout=2)
        assert events[:2] == ["a+", "a-"]
        await b.wait_leading(timeout=5)
        await asyncio.sleep(0.5)  # a reconnects as a standby, does not lead again
        assert (a.is_leader, b.is_leader) == (False, True)
        assert events == ["a+", "a-", "b+"]
        assert await _lock_holder(pg_url) not in (None, holder)
    finally:
        for leader in (a, b):
            await leader.stop()
        for db in dbs:
            await db.close()


@requires_pg
async def test_reminder_scheduler_runs_only_on_the_leader(pg_url: str) -> None:  # noqa: F811
    from bot.clock import ManualClock
    from bot.config import Settings
    from bot.core.services import Services
    from bot.i18n import Translator
    from bot.runtime.leader import LeaderScheduler
    from scheduler import ReminderScheduler, ReminderService
    from tests.harness import START

    dbs = [Database(pg_url) for _ in range(2)]
    await dbs[0].upgrade()
    clock = ManualClock(START)
    settings = Settings(_env_file=None, database_url=pg_url)  # type: ignore[call-arg]
    scheds = []
    for db in dbs:
        services = Services(settings=settings, db=db, clock=clock, i18n=Translator())
        scheds.append(LeaderScheduler(ReminderScheduler(ReminderService(services), clock), db,
                                      retry_interval=0.2, check_interval=0.2))
    a, b = scheds
    try:
        await a.start()
        await a.leader.wait_leading(timeout=5)
        await b.start()
        await asyncio.wait_for(a.started.wait(), 5)  # delegated to the ReminderScheduler
        await asyncio.sleep(0.5)
        assert (a.is_leader, b.is_leader) == (True, False)
        assert a.rounds >= 1 and b.rounds == 0 and b.scheduler._task is None
        await a.stop()  # the leader shuts down: its runner stops, b rebuilds and runs
        assert a.scheduler._task is None
        await b.leader.wait_leading(timeout=5)
        await asyncio.wait_for(b.started.wait(), 5)
        assert b.rounds >= 1
    finally:
        for s in scheds:
            await s.stop()
        for db in dbs:
            await db.close()
