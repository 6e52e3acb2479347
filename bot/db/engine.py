"""Async engine, sessions and automatic Alembic upgrades at start."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING

import aiosqlite
from aiosqlite.context import contextmanager
from sqlalchemy import event, make_url, text
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.cache_listener import CacheListener
from bot.db.read_cache import ReadCache

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class _Cursor(aiosqlite.Cursor):
    """Closes on the calling thread: closing a finished cursor never touches the database."""

    async def close(self) -> None:
        """Close at once (aiosqlite would queue it for its thread)."""
        self._cursor.close()


class _Connection(aiosqlite.Connection):
    """aiosqlite with cursors made on the calling thread.

    SQLAlchemy opens and closes a cursor around every statement; aiosqlite sends both to its
    worker thread and back (two thread hops of ~0.1 ms CPU each, for calls that cannot block).
    Statements, fetches, commits and rollbacks still run on the worker thread.
    """

    @contextmanager
    async def cursor(self) -> aiosqlite.Cursor:
        """A cursor made here (``check_same_thread=False``); nothing is executed."""
        return _Cursor(self, self._conn.cursor())


def _sqlite_creator(path: str) -> Callable[[], Awaitable[aiosqlite.Connection]]:
    """SQLAlchemy's ``async_creator`` for a SQLite file: our aiosqlite connection."""

    async def connect() -> aiosqlite.Connection:
        connection = _Connection(partial(sqlite3.connect, path, timeout=30,
                                         check_same_thread=False), 64)
        connection._thread.daemon = True  # as SQLAlchemy does for aiosqlite's own connect
        return await connection

    return connect


def make_engine(url: str) -> AsyncEngine:
    """Create the engine; SQLite gets WAL, a busy timeout and foreign keys."""
    if url.startswith("sqlite"):
        path = make_url(url).database or ":memory:"
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, async_creator=_sqlite_creator(path))

        @event.listens_for(engine.sync_engine, "connect")
        def _pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        return engine
    return create_async_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


def idle(session: AsyncSession) -> bool:
    """True when committing ``session`` would do nothing: no ORM change pending and no
    connection taken in its transaction (a cache hit merges rows with ``load=False``, which
    begins a transaction without touching the database)."""
    sync = session.sync_session
    trans = sync.get_transaction()
    if trans is None:
        return True
    # SessionTransaction keeps its connections in ``_connections`` (SQLAlchemy 2.1, pinned)
    return not trans._connections and sync._is_clean()


class Database:
    """The engine, a session factory and (PostgreSQL) the read caches' change listener."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._sessions = async_sessionmaker(
            self.engine, class_=AsyncSession, expire_on_commit=False
        )
        # other processes write to PostgreSQL: its caches hear of their commits (or bypass)
        self.cache_listener = None if self.is_sqlite else CacheListener(self.engine)

    def read_cache(self, watched: frozenset[str], *, max_entries: int = 4096,
                   ttl: float = 60.0) -> ReadCache:
        """A read cache of the ``watched`` tables, right for this database (see read_cache.py):
        on PostgreSQL live only while :meth:`start_cache_listener` 's listener hears them."""
        return ReadCache(self.engine, watched, max_entries=max_entries, ttl=ttl,
                         listener=self.cache_listener)

    async def start_cache_listener(self) -> None:
        """PostgreSQL: start hearing other processes' changes (the caches go live)."""
        if self.cache_listener is not None:
            await self.cache_listener.start()

    @property
    def read_cache_state(self) -> str | None:
        """For /healthz on PostgreSQL: the listener's ``live``, ``partial`` or ``bypassed``
        (None on SQLite, whose caches need no listener)."""
        return None if self.cache_listener is None else self.cache_listener.state

    @property
    def is_sqlite(self) -> bool:
        """True for the default SQLite file."""
        return self.url.startswith("sqlite")

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A session that commits on success and rolls back on error."""
        async with self._sessions() as session:
            try:
                yield session
                # nothing pending and no connection used: skip the commit, which would
                # begin (or end) an empty transaction
                if not idle(session):
                    await session.commit()
            except BaseException:
                await session.rollback()
                raise

    async def upgrade(self) -> None:
        """Bring the schema to the newest Alembic revision.

        When the database already records every head revision of the packaged migrations
        (the usual start), Alembic is not even imported: one SELECT decides.
        """
        if await self.schema_current():
            return
        await asyncio.to_thread(upgrade_schema, self.url)

    async def schema_current(self) -> bool:
        """True when ``alembic_version`` holds exactly the packaged migrations' heads."""
        try:
            async with self.engine.connect() as conn:
                result = await conn.execute(text("select version_num from alembic_version"))
                stored = {str(row[0]) for row in result.all()}
        except Exception:  # no table yet, or no database: the full upgrade decides
            return False
        return bool(stored) and stored == script_heads()

    async def close(self) -> None:
        """Stop the change listener and dispose of the connection pool."""
        if self.cache_listener is not None:
            await self.cache_listener.stop()
        await self.engine.dispose()


_REVISION = re.compile(r"^revision(?::[^=]*)?=\s*['\"]([^'\"]+)['\"]", re.M)
_DOWN = re.compile(r"^down_revision(?::[^=]*)?=(.*)$", re.M)


@cache
def script_heads() -> frozenset[str]:
    """Head revisions of the packaged migrations, read from the files' ``revision`` and
    ``down_revision`` lines (the same graph Alembic builds, without importing it)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        rev, down = _REVISION.search(source), _DOWN.search(source)
        if rev is None:
            continue
        revisions.add(rev.group(1))
        if down is not None:
            parents.update(re.findall(r"['\"]([^'\"]+)['\"]", down.group(1)))
    return frozenset(revisions - parents)


def alembic_config(url: str) -> Config:
    """An Alembic config pointing at the packaged migrations."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    cfg.attributes["configure_logger"] = False
    return cfg


def upgrade_schema(url: str) -> None:
    """Run ``alembic upgrade heads`` (blocking; call from a thread)."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
    from alembic import command

    command.upgrade(alembic_config(url), "heads")
