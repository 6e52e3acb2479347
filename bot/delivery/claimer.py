"""Who claimed an outbox row, so a dead process's claims are taken back at once (PostgreSQL).

Each process keeps ONE connection of its own (outside the pool) for its lifetime; its token is
that session's ``pid:backend_start`` as PostgreSQL reports it.  A claim records the token; a
row ``sending`` whose token is no longer a session in ``pg_stat_activity`` belongs to a process
that died (SIGKILL, power cut: the server ends the session when the socket closes), so any
worker may put it back to pending without waiting for the lease.  A claim the dead process
had already sent is sent again: at most one duplicate per crash and platform (a worker claims
one row at a time).  If the dedicated connection breaks while the process lives, a new one
(a new token) is opened; claims made under the old token may then be re-sent by another
process — the same one-duplicate bound.  Every process must connect as the same database role
(PostgreSQL hides other roles' ``backend_start``, which would make their claims look dead).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from sqlalchemy import text

from bot.db import own_connection
from bot.db.engine import Database

log = logging.getLogger(__name__)

TOKEN_SQL = ("pid::text || ':' || floor(extract(epoch from backend_start) * 1000)::bigint::text")
LIVE_TOKENS_SQL = f"select {TOKEN_SQL} from pg_stat_activity where backend_start is not null"


class Claimer:
    """This process's claim token, backed by a dedicated PostgreSQL session."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.token: str | None = None
        self._conn: Any = None
        self._lock = asyncio.Lock()

    async def current(self) -> str | None:
        """The token to write with a claim (None when the session cannot be opened)."""
        async with self._lock:
            if self._conn is not None and not self._conn.is_closed():
                return self.token
            try:
                self._conn = await self._connect()
                self.token = await self._conn.fetchval(
                    f"select {TOKEN_SQL} from pg_stat_activity where pid = pg_backend_pid()")
            except Exception as exc:
                log.warning("outbox: no claim session (%s); claims fall back to the lease", exc)
                self._conn, self.token = None, None
            return self.token

    async def _connect(self) -> Any:
        return await own_connection.connect(self.db.engine, "villagebot-outbox")

    async def close(self) -> None:
        """End the session (this process's remaining claims become reclaimable)."""
        conn, self._conn = self._conn, None
        await own_connection.close(conn)


def dead_claims_clause() -> Any:
    """SQL condition: the row's claimer session is gone."""
    return text(f"outbox.claimed_by IS NOT NULL AND outbox.claimed_by NOT IN "
                f"({LIVE_TOKENS_SQL})")
