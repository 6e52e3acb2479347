"""Cross-process invalidation of the read caches on PostgreSQL, by LISTEN/NOTIFY.

Migration 0015 puts a statement-level trigger on every cached table that runs
``pg_notify('villagebot_cache', <table>)``; the server delivers it at commit to every listening
session, whoever wrote (another bot process, psql, a script).  Each process keeps one
connection of its own (``application_name`` ``villagebot-cache``) listening, and on a
notification empties every registered :class:`~bot.db.read_cache.ReadCache` that watches the
table.

A cache is *live* (serves and stores) only while that connection listens and every table it
watches carries the trigger (checked in ``pg_trigger`` on each connect); otherwise it is
bypassed and every read goes to the database — slower, never stale.  Losing the connection
(its termination, a failed ping every ``check_interval`` seconds, any error) bypasses and
empties the caches at once; the listener reconnects in the background (backoff
``min_backoff`` → ``max_backoff``) and, once listening again, empties them once more
(notifications sent while it was away are lost) before they go live.

The ping is a notification the connection sends itself and must hear back: a connection that
answers queries but no longer hears notifications (a transaction-pooling proxy such as
PgBouncer in ``pool_mode=transaction``, where LISTEN stays on whichever server connection ran
it; an UNLISTEN) never makes the caches live, or takes them out within one check.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from contextlib import suppress
from typing import TYPE_CHECKING, Any

from bot.db import own_connection

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

    from bot.db.read_cache import ReadCache

log = logging.getLogger(__name__)

CHANNEL = "villagebot_cache"
APPLICATION_NAME = "villagebot-cache"
PROBE = "?probe:"  # payload prefix of the ping (no table is named so)
# tables (visible in the search path) whose enabled trigger calls the notify function on
# INSERT, UPDATE, DELETE and TRUNCATE (tgtype bits 4 | 8 | 16 | 32)
_COVERED = """
    SELECT DISTINCT c.relname FROM pg_trigger t
    JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid
    WHERE p.proname = 'villagebot_cache_notify' AND NOT t.tgisinternal
      AND t.tgenabled IN ('O', 'A') AND (t.tgtype & 60) = 60 AND pg_table_is_visible(c.oid)
"""


class CacheListener:
    """One process's LISTEN connection; gates and empties the caches registered with it."""

    def __init__(self, engine: AsyncEngine, *, min_backoff: float = 0.5,
                 max_backoff: float = 10.0, check_interval: float = 5.0,
                 ping_timeout: float = 3.0) -> None:
        self.engine = engine
        self.min_backoff, self.max_backoff = min_backoff, max_backoff
        self.check_interval, self.ping_timeout = check_interval, ping_timeout
        self.up = False  # True only while LISTEN is in force on a live connection
        self.covered: frozenset[str] = frozenset()  # tables carrying the notify trigger
        self.connects = 0  # successful LISTENs so far
        self.notifications = 0  # table notifications heard (not counting the probes)
        self._probe = ""  # the payload of our latest probe
        self._heard = asyncio.Event()  # the latest probe came back
        self._caches: list[ReadCache] = []
        self._warned: set[frozenset[str]] = set()
        self._conn: Any = None
        self._lost = asyncio.Event()
        self._tried = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    # ------------------------------------------------------------------ caches
    def register(self, cache: ReadCache) -> None:
        """Gate ``cache`` by this listener (bypassed until it listens for all its tables)."""
        self._caches.append(cache)
        cache.set_live(self._serves(cache))

    @property
    def state(self) -> str:
        """``live`` (every cache served), ``partial`` (some tables lack the trigger) or
        ``bypassed`` (not listening: every read goes to the database)."""
        if not self.up:
            return "bypassed"
        return "live" if all(cache.live for cache in self._caches) else "partial"

    def _serves(self, cache: ReadCache) -> bool:
        if not self.up:
            return False
        missing = cache.watched - self.covered
        if missing:
            if cache.watched not in self._warned:
                self._warned.add(cache.watched)
                log.warning("read cache of %s stays bypassed: no change notification for "
                            "table(s) %s (migration 0015 missing?)", ", ".join(sorted(
                                cache.watched)), ", ".join(sorted(missing)))
            return False
        return True

    def _on_notify(self, _conn: Any, _pid: int, _channel: str, table: str) -> None:
        if table.startswith(PROBE):  # every process hears every probe: only ours counts
            if table == self._probe:
                self._heard.set()
            return
        self.notifications += 1
        for cache in self._caches:
            if table in cache.watched:
                cache.clear()

    def _become_up(self) -> None:
        self.up = True
        for cache in self._caches:
            cache.set_live(self._serves(cache))  # emptied: what was missed while away

    def _go_down(self, why: str, level: int = logging.WARNING) -> None:
        if self.up:
            log.log(level, "read caches bypassed: %s", why)
        self.up = False
        for cache in self._caches:
            cache.set_live(False)

    # ------------------------------------------------------------------ lifecycle
    async def start(self, wait: float = 5.0) -> None:
        """Start listening in the background; wait up to ``wait`` s for the first attempt."""
        if self._task is not None:
            return
        self._tried.clear()
        self._task = asyncio.create_task(self._run(), name="cache-listener")
        with suppress(TimeoutError):
            async with asyncio.timeout(wait):
                await self._tried.wait()

    async def stop(self) -> None:
        """Stop listening and close the connection; the caches are bypassed from now on."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task
        self._go_down("stopped", logging.INFO)
        await self._close()

    async def _run(self) -> None:
        delay = self.min_backoff
        while True:
            try:
                await self._listen()
                delay = self.min_backoff
                self._tried.set()
                await self._watch()
                why = "the listening connection was lost"
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # refused, server restarting, failed ping, …
                why = f"{type(exc).__name__}: {exc}"
            self._tried.set()
            self._go_down(why)
            await self._close()
            log.info("cache listener: reconnecting in %.1fs (%s)", delay, why)
            await asyncio.sleep(delay)
            delay = min(delay * 2, self.max_backoff)

    async def _listen(self) -> None:
        conn = self._conn = await own_connection.connect(self.engine, APPLICATION_NAME)
        self._lost.clear()
        conn.add_termination_listener(self._on_terminated)
        await conn.add_listener(CHANNEL, self._on_notify)
        self.covered = frozenset(row[0] for row in await conn.fetch(_COVERED))
        await self._echo()
        self.connects += 1
        self._become_up()
        if self.connects > 1:
            log.info("read caches live again (listening for changes)")

    def _on_terminated(self, conn: Any) -> None:
        if conn is self._conn:
            self._lost.set()
            self._go_down("the listening connection was closed")

    async def _watch(self) -> None:
        """Return when the connection is gone; raise when a ping fails."""
        while not self._lost.is_set():
            with suppress(TimeoutError):
                async with asyncio.timeout(self.check_interval):
                    await self._lost.wait()
            if self._lost.is_set() or self._conn is None or self._conn.is_closed():
                return
            await self._echo()

    async def _echo(self) -> None:
        """Send ourselves a probe notification; raise unless it comes back in time."""
        self._probe = f"{PROBE}{secrets.token_hex(8)}"
        self._heard.clear()
        try:
            async with asyncio.timeout(self.ping_timeout):
                await self._conn.execute("SELECT pg_notify($1, $2)", CHANNEL, self._probe)
                await self._heard.wait()
        except TimeoutError:
            raise RuntimeError("the listening connection does not hear its own notification "
                               "(a transaction-pooling proxy in between?)") from None

    async def _close(self) -> None:
        conn, self._conn = self._conn, None
        await own_connection.close(conn)
