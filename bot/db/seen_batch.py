"""The redelivery check on PostgreSQL: one statement per batch, on a connection of its own.

On PostgreSQL every update's id is recorded before its handler runs (a webhook redelivery may
reach another process).  Through a pooled session that is a checkout with ``pool_pre_ping``,
an INSERT and a COMMIT, each a round trip taken in the chat's turn.  Here the ids of every
update that arrives while one statement is in flight go into the next single
``INSERT … ON CONFLICT DO NOTHING RETURNING`` (autocommit: recorded once it answers), and the
pipeline starts the check when the update arrives, before it waits for its chat's turn.

Its session commits asynchronously (``synchronous_commit = off``): a record is visible to every
other session at once, but the server does not wait for its WAL flush (that wait was most of
the check's time and nearly all of its tail: p99 8.7 → 1.5 ms, docs/benchmarks.md).  A server
crash can lose the last fraction of a second of records, and only those of updates that wrote
nothing: a handler's own (synchronous) commit flushes the WAL up to its commit record, which
follows the update's record.  So at worst a read-only answer (``/lich-hop``) is sent again for
an update that Telegram redelivers across a database crash.

When the connection fails, :meth:`SeenBatch.submit` answers None for a second (``retry_after``)
and the pipeline records the id through its session as before.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db import own_connection

log = logging.getLogger(__name__)

Key = tuple[str, str, str]  # (platform, chat external id, message id)

_INSERT = (
    "INSERT INTO seenmessage (platform, chat_external_id, message_id, seen_at) "
    "SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::timestamptz[]) "
    "ON CONFLICT DO NOTHING RETURNING platform, chat_external_id, message_id")


class SeenBatch:
    """Records message ids in batches; True for the first sight of an id, False after."""

    def __init__(self, engine: AsyncEngine, *, retry_after: float = 1.0, timeout: float = 5.0,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.engine = engine
        self.retry_after, self.timeout, self._monotonic = retry_after, timeout, monotonic
        self._queue: list[tuple[Key, datetime, asyncio.Future[bool | None]]] = []
        self._runner: asyncio.Task[None] | None = None
        self._conn: Any = None
        self._down_until = 0.0
        self._closed = False
        self.statements = self.failures = 0  # batches sent, batches failed

    def submit(self, platform: str, chat_id: str, message_id: str,
               now: datetime) -> asyncio.Future[bool | None]:
        """Record the id; the future's answer: True on first sight, False for a redelivery,
        None when unknown (no connection; check another way).  No task per id."""
        future: asyncio.Future[bool | None] = asyncio.get_running_loop().create_future()
        if self._closed or self._monotonic() < self._down_until:
            future.set_result(None)
            return future
        self._queue.append(((platform, chat_id, message_id), now, future))
        if self._runner is None:
            self._runner = asyncio.create_task(self._run(), name="villagebot-seen-batch")
        return future

    async def _run(self) -> None:
        try:
            while self._queue:
                batch, self._queue = self._queue, []
                await self._flush(batch)
        finally:
            self._runner = None

    async def _flush(self, batch: list[tuple[Key, datetime, asyncio.Future[bool | None]]]
                     ) -> None:
        first: dict[Key, datetime] = {}
        for key, now, _future in batch:
            first.setdefault(key, now)
        try:
            if self._conn is None or self._conn.is_closed():
                self._conn = await own_connection.connect(self.engine, "villagebot-seen",
                                                          synchronous_commit="off")
            rows = await self._conn.fetch(
                _INSERT, [k[0] for k in first], [k[1] for k in first], [k[2] for k in first],
                list(first.values()), timeout=self.timeout)
            self.statements += 1
        except Exception as exc:  # any fault: unknown for now, the session path decides
            self.failures += 1
            log.warning("redelivery check failed (%r); checking through the session for %.0fs",
                        exc, self.retry_after)
            self._down_until = self._monotonic() + self.retry_after
            conn, self._conn = self._conn, None
            await own_connection.close(conn)
            for _key, _now, future in batch:
                if not future.done():
                    future.set_result(None)
            return
        new = {(row[0], row[1], row[2]) for row in rows}
        for key, _now, future in batch:
            fresh = key in new
            new.discard(key)  # the same id twice in one batch: only the first is new
            if not future.done():
                future.set_result(fresh)

    async def close(self) -> None:
        """Answer what is queued (None) and end the connection."""
        self._closed = True
        if self._runner is not None:
            await asyncio.wait([self._runner], timeout=self.timeout)
        conn, self._conn = self._conn, None
        await own_connection.close(conn)
