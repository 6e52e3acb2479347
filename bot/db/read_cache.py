"""In-process caches of hot reads, emptied by any write to the tables they read.

Every update needs its chat, sender, the sender's roles and the chat's village (``known`` in
the pipeline), and ``/lich-hop`` its village's meetings; each query costs ~0.5 ms through the
async ORM, a copy from the cache ~0.1 ms.  Correctness comes from watching the engine, not from
callers: any INSERT/UPDATE/DELETE (or DDL) that touches one of a cache's tables, from any
session or raw statement of this process, empties that cache at once, and the cache stays
bypassed until that writer's connection is back in the pool (its transaction committed or
rolled back), so a read racing an uncommitted change is never stored.

SQLite: one bot process owns the database file; a change made behind the bot's back (the
``sqlite3`` shell while it runs) is seen within ``ttl`` seconds.

PostgreSQL: several processes write, so a cache is also bound to the process's
:class:`~bot.db.cache_listener.CacheListener` (make caches with :meth:`Database.read_cache
<bot.db.engine.Database.read_cache>`).  Every commit to a cached table, by any process or
psql, sends a notification (migration 0015) that empties the caches watching it; another
process's commit is seen once its notification arrives (typically well under a millisecond on
a local server).  While the listener is not listening (not started, connection lost,
reconnecting) or a watched table lacks the trigger, the cache is bypassed: nothing is served
or stored, every read goes to the database.  A listening connection that dies silently
(network partition) is noticed by its ping within ~``check_interval + ping_timeout`` (8 s);
``ttl`` bounds everything else.  Every change of state empties the cache and bumps
:attr:`ReadCache.generation`, so a read in flight at that moment is never stored.
"""

from __future__ import annotations

import re
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Protocol

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

KNOWN_TABLES = frozenset({"chat", "person", "officialrole", "village", "chat_member"})
_WRITE = re.compile(
    r"^\s*(?:insert\s+(?:or\s+\w+\s+)?into|replace\s+into|update(?:\s+or\s+\w+)?|delete\s+from)"
    r"\s+[\"`\[]?(\w+)", re.IGNORECASE)
_READ_ONLY = ("select", "pragma", "begin", "commit", "rollback", "savepoint", "release",
              "explain")


def touched_table(statement: str) -> str | None:
    """The table a write statement changes; "*" for DDL or an unrecognised write; None: a read."""
    head = statement.lstrip()[:10].lower()
    if head.startswith(_READ_ONLY):
        return None
    found = _WRITE.match(statement)
    return found.group(1).lower() if found else "*"


class Listener(Protocol):
    """What gates a cache on PostgreSQL (:class:`bot.db.cache_listener.CacheListener`)."""

    def register(self, cache: ReadCache) -> None:
        """Keep ``cache`` live only while every change to its tables is heard."""
        ...


class ReadCache:
    """A bounded LRU of reads, emptied by any write to the ``watched`` tables.

    With a ``listener`` (PostgreSQL) it is bypassed unless the listener sets it :attr:`live`.
    """

    def __init__(self, engine: AsyncEngine, watched: frozenset[str], *, max_entries: int = 4096,
                 ttl: float = 60.0, monotonic: Callable[[], float] = time.monotonic,
                 listener: Listener | None = None) -> None:
        self.watched = watched
        self.live = listener is None  # False: bypassed (get misses, put stores nothing)
        self.max_entries, self.ttl, self._monotonic = max_entries, ttl, monotonic
        self._pending = f"villagebot_writer_{id(self)}"  # marks a connection in pool info
        self._entries: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self.generation = 0  # bumped on every relevant write and every writer's end
        self.writers = 0  # connections with an unfinished write to a watched table
        self.hits = self.misses = 0
        event.listen(engine.sync_engine, "before_cursor_execute", self._on_execute)
        event.listen(engine.sync_engine.pool, "checkin", self._on_release)
        event.listen(engine.sync_engine.pool, "invalidate", self._on_release)
        event.listen(engine.sync_engine.pool, "close", self._on_release)
        if listener is not None:
            listener.register(self)

    def get(self, key: Hashable) -> Any | None:
        """The cached value, or None (also while a write to a watched table is unfinished, or
        while bypassed)."""
        if self.writers or not self.live:
            return None
        found = self._entries.get(key)
        if found is None or found[0] <= self._monotonic():
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return found[1]

    def put(self, key: Hashable, value: Any, generation: int) -> None:
        """Store ``value`` read when :attr:`generation` was ``generation`` (dropped if stale)."""
        if self.writers or not self.live or generation != self.generation:
            return
        self._entries[key] = (self._monotonic() + self.ttl, value)
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def clear(self) -> None:
        """Forget everything (and make reads in flight unstorable)."""
        self.generation += 1
        self._entries.clear()

    def set_live(self, live: bool) -> None:
        """Serve and store (``True``) or bypass; either way start empty."""
        self.live = live
        self.clear()

    def __len__(self) -> int:
        return len(self._entries)

    # ------------------------------------------------------------------ engine events
    def _on_execute(self, conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        table = touched_table(statement)
        if table is None or (table != "*" and table not in self.watched):
            return
        info = conn.info
        if not info.get(self._pending):
            info[self._pending] = True
            self.writers += 1
        self.clear()

    def _on_release(self, _dbapi_conn: Any, record: Any, *_args: Any) -> None:
        info = getattr(record, "info", None)
        if info is not None and info.pop(self._pending, False):
            self.writers -= 1
            self.clear()
