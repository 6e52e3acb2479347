"""PostgreSQL for tests: a throw-away database per test, from ``VILLAGEBOT_TEST_POSTGRES_URL``.

The URL names an existing database (``…/test``) that is only used to run ``CREATE DATABASE
vb_<random>`` and ``DROP DATABASE``; every test gets its own empty database, migrated by the
app's normal start-up (``Database.upgrade()`` → Alembic ``upgrade heads``).
"""

from __future__ import annotations

import os
import secrets

import asyncpg
import pytest
from sqlalchemy.engine import make_url

ENV = "VILLAGEBOT_TEST_POSTGRES_URL"
PG_URL = os.environ.get(ENV, "").strip()
SKIP_REASON = (f"{ENV} is not set (e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/test); "
               "PostgreSQL tests skipped")

requires_pg = pytest.mark.skipif(not PG_URL, reason=SKIP_REASON)
"""Mark a test (or ``pytestmark`` a module) that needs a real PostgreSQL."""


def _dsn(url: str) -> str:
    """A plain ``postgresql://`` DSN for asyncpg from an SQLAlchemy URL."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def with_database(url: str, name: str) -> str:
    """``url`` pointing at database ``name`` (same server, user and driver)."""
    return make_url(url).set(database=name).render_as_string(hide_password=False)


async def create_database(base_url: str = "", prefix: str = "vb") -> str:
    """Create an empty database ``<prefix>_<random>``; return its SQLAlchemy URL."""
    base_url = base_url or PG_URL
    name = f"{prefix}_{secrets.token_hex(6)}"
    conn = await asyncpg.connect(_dsn(base_url))
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return with_database(base_url, name)


async def drop_database(url: str, base_url: str = "") -> None:
    """Drop the database of ``url``, disconnecting whoever still uses it."""
    base_url = base_url or PG_URL
    name = make_url(url).database
    if not name or name == make_url(base_url).database:
        raise ValueError(f"refusing to drop {name!r}")
    conn = await asyncpg.connect(_dsn(base_url))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


async def connect(url: str) -> asyncpg.Connection:
    """A raw asyncpg connection to the database of ``url`` (for assertions)."""
    return await asyncpg.connect(_dsn(url))
