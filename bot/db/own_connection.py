"""A PostgreSQL connection of a process's own, outside the pool (its session is its identity).

Used by the leader election (the advisory lock lives and dies with the session), the outbox's
claim marker (claims of a session that is gone are taken back), the read caches' change
listener (LISTEN belongs to a session) and the batched redelivery check (its own commit mode).
"""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine


async def connect(engine: AsyncEngine, application_name: str, **settings: str) -> Any:
    """A new asyncpg connection to the engine's database, named ``application_name``, with
    these server ``settings`` for its session."""
    import asyncpg

    _args, params = engine.dialect.create_connect_args(engine.url)
    accepted = inspect.signature(asyncpg.connect).parameters
    params = {k: v for k, v in params.items() if k in accepted}
    params.setdefault("timeout", 10)
    params["server_settings"] = {"application_name": application_name, **settings}
    return await asyncpg.connect(**params)


async def close(conn: Any) -> None:
    """End the session (within 2 s, else terminate it): the server frees what it held."""
    if conn is None or conn.is_closed():
        return
    try:
        async with asyncio.timeout(2):
            await conn.close()
    except Exception:  # TimeoutError included
        conn.terminate()
