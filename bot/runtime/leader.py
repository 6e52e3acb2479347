"""Leader election for several bot processes sharing one PostgreSQL database.

Exactly one process at a time runs the scheduler.  On PostgreSQL the leader is whoever holds a
session-level advisory lock (``pg_try_advisory_lock(LOCK_KEY)``) on a dedicated connection,
outside the SQLAlchemy pool, so the lock lives exactly as long as that connection:

- a standby retries every ``retry_interval`` seconds (2 s by default), so when the leader dies
  (process killed: the server sees the socket close and frees the lock at once) another process
  leads within about 2 s — well inside the 10 s promise;
- the leader pings its connection every ``check_interval`` seconds and listens for its
  termination; when the connection breaks (server restart, ``pg_terminate_backend``, network)
  it stops leading at once (``on_deposed``), because the server has freed the lock and a
  standby may already lead.

A short overlap of two leaders is still possible (a partition the old leader has not noticed
yet), so work done by the leader must be idempotent in the database: reminders are claimed
with a conditional ``UPDATE … WHERE status='pending'`` and never fire twice.

On SQLite there is a single process: it is always the leader.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from contextlib import suppress
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar

from bot.db import own_connection
from bot.db.engine import Database

log = logging.getLogger(__name__)

LOCK_KEY = 0x56_42_53_43  # "VBSC": villagebot scheduler; one lock per database
Callback = Callable[[], Awaitable[None]]
S_co = TypeVar("S_co", covariant=True)


class Leader:
    """Campaign for leadership; call ``on_elected`` when won and ``on_deposed`` when lost."""

    def __init__(
        self,
        db: Database,
        on_elected: Callback,
        on_deposed: Callback,
        *,
        key: int = LOCK_KEY,
        retry_interval: float = 2.0,
        check_interval: float = 1.0,
        ping_timeout: float = 3.0,
    ) -> None:
        self.db = db
        self.on_elected = on_elected
        self.on_deposed = on_deposed
        self.key = key
        self.retry_interval = retry_interval
        self.check_interval = check_interval
        self.ping_timeout = ping_timeout
        self.is_leader = False
        self.terms = 0  # how many times this process was elected
        self._conn: Any = None  # asyncpg.Connection holding (or trying for) the lock
        self._lost = asyncio.Event()
        self._changed = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    # ------------------------------------------------------------------ public
    async def start(self) -> None:
        """Begin campaigning (SQLite: become the leader at once)."""
        self._stopping = False
        if self.db.is_sqlite:
            await self._elect()
            return
        self._task = asyncio.create_task(self._campaign(), name="leader-election")

    async def stop(self) -> None:
        """Stop campaigning; if leading, call ``on_deposed`` and release the lock."""
        self._stopping = True
        if self._task is not None:
            self._task.cancel()
            with suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self.is_leader:
            await self._depose("stopping")
        await self._close()

    async def wait_leading(self, leading: bool = True, timeout: float = 15.0) -> None:
        """Wait (real time) until ``is_leader == leading`` — for tests and tools."""
        async with asyncio.timeout(timeout):
            while self.is_leader != leading:
                self._changed.clear()
                await self._changed.wait()

    # ------------------------------------------------------------------ campaign
    async def _campaign(self) -> None:
        """Try for the lock until won; while leading, watch the connection."""
        while not self._stopping:
            try:
                if await self._try_lock():
                    await self._elect()
                    if self.is_leader:
                        await self._hold()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # connection refused, server restarting, …
                log.warning("leader election: %s; retrying in %.0fs", exc, self.retry_interval)
                if self.is_leader:
                    await self._depose("error")
                await self._close()
            if not self._stopping:
                await asyncio.sleep(self.retry_interval)

    async def _try_lock(self) -> bool:
        """One attempt at the advisory lock on the dedicated connection."""
        if self._conn is None or self._conn.is_closed():
            self._conn = await self._connect()
            self._lost.clear()
            self._conn.add_termination_listener(lambda _conn: self._lost.set())
        return bool(await self._conn.fetchval("select pg_try_advisory_lock($1)", self.key))

    async def _hold(self) -> None:
        """While leading: ping the connection; return (deposed) as soon as it breaks."""
        while not self._stopping:
            with suppress(TimeoutError):
                async with asyncio.timeout(self.check_interval):
                    await self._lost.wait()
            broken = self._lost.is_set() or self._conn is None or self._conn.is_closed()
            if not broken:
                try:
                    async with asyncio.timeout(self.ping_timeout):
                        await self._conn.fetchval("select 1")
                except Exception as exc:  # TimeoutError included
                    log.warning("leader connection check failed: %s", exc)
                    broken = True
            if broken:
                log.error("leader: lost the database connection holding the lock; "
                          "stopping the scheduler")
                await self._depose("connection lost")
                await self._close()
                return

    async def _elect(self) -> None:
        self.is_leader = True
        self.terms += 1
        self._changed.set()
        log.info("leader: this process now runs the scheduler (term %d)", self.terms)
        try:
            await self.on_elected()
        except Exception:
            log.exception("leader: on_elected failed; giving the lead up")
            await self._depose("on_elected failed")
            await self._close()

    async def _depose(self, why: str) -> None:
        self.is_leader = False
        self._changed.set()
        log.warning("leader: this process no longer runs the scheduler (%s)", why)
        try:
            await self.on_deposed()
        except Exception:
            log.exception("leader: on_deposed failed")

    # ------------------------------------------------------------------ connection
    async def _connect(self) -> Any:
        """A connection of its own (never from the pool: the lock lives and dies with it)."""
        return await own_connection.connect(self.db.engine, "villagebot-leader")

    async def _close(self) -> None:
        conn, self._conn = self._conn, None
        await own_connection.close(conn)  # ends the session: the server frees the lock


class Runner(Protocol[S_co]):
    """What :class:`LeaderScheduler` runs while leading (a ``ReminderScheduler``)."""

    started: asyncio.Event  # set after the first (rebuild) round
    rounds: int

    @property
    def service(self) -> S_co:
        """The object doing the rounds' work."""
        ...

    def poke(self, when: datetime | None = None) -> None:
        """Wake up for a new or changed due time."""
        ...

    async def start(self) -> None:
        """Rebuild from the database and run."""
        ...

    async def stop(self) -> None:
        """Stop running."""
        ...


class LeaderScheduler(Generic[S_co]):
    """A scheduler that runs only while this process leads (``services.scheduler``).

    ``start()`` begins campaigning; the wrapped scheduler is started when elected (it rebuilds
    its schedule from the database, so a new leader picks up everything) and stopped when
    deposed.  ``stop()`` (called by the app at shutdown) gives the lead up.  Satisfies
    :class:`bot.core.services.Scheduler`.
    """

    def __init__(self, scheduler: Runner[S_co], db: Database, **leader_options: Any) -> None:
        self.scheduler = scheduler
        self.leader = Leader(db, self._elected, self._deposed, **leader_options)

    async def _elected(self) -> None:
        await self.scheduler.start()

    async def _deposed(self) -> None:
        await self.scheduler.stop()

    async def start(self) -> None:
        """Campaign for the lead (SQLite: lead and start the scheduler at once)."""
        await self.leader.start()

    async def stop(self) -> None:
        """Stop the scheduler (if leading) and leave the election."""
        await self.leader.stop()

    def poke(self, when: datetime | None = None) -> None:
        """A due time was added or changed: pass it on (acted on while running)."""
        self.scheduler.poke(when)

    @property
    def is_leader(self) -> bool:
        """True while this process runs the scheduler."""
        return self.leader.is_leader

    @property
    def started(self) -> asyncio.Event:
        """Set once the scheduler finished its first round as leader."""
        return self.scheduler.started

    @property
    def rounds(self) -> int:
        """Rounds the scheduler ran in this process."""
        return self.scheduler.rounds

    @property
    def service(self) -> S_co:
        """The wrapped scheduler's service (``ReminderService``)."""
        return self.scheduler.service
