"""The same migrations and queries on PostgreSQL: core flows through the shared harness.

Every test gets a fresh database (``CREATE DATABASE vb_<random>``) migrated by the bot's normal
start-up (``Database.upgrade()`` → ``alembic upgrade heads``).  Skipped without
``VILLAGEBOT_TEST_POSTGRES_URL``.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect as sa_inspect
from sqlmodel import SQLModel, select

from bot.db import (
    all_models,  # noqa: F401  (complete metadata)
    repo,
)
from bot.db.engine import Database
from bot.db.models import Chat, OfficialRole, Person, Village
from tests.conftest_pg import pg_harness_factory, pg_url  # noqa: F401
from tests.harness import START, Harness
from tests.pg import requires_pg
from tests.test_meetings import settle

pytestmark = requires_pg
ROOT = Path(__file__).resolve().parent.parent


async def test_upgrade_heads_creates_every_table(pg_url: str) -> None:  # noqa: F811
    db = Database(pg_url)
    try:
        await db.upgrade()
        await db.upgrade()  # idempotent: a second start changes nothing
        async with db.engine.connect() as conn:
            tables = set(await conn.run_sync(lambda c: sa_inspect(c).get_table_names()))
            heads = (await conn.exec_driver_sql(
                "select version_num from alembic_version")).scalars().all()
        assert set(SQLModel.metadata.tables) <= tables
        assert "alembic_version" in tables and heads
    finally:
        await db.close()


async def test_mark_seen_on_conflict_do_nothing_asyncpg(pg_url: str) -> None:  # noqa: F811
    db = Database(pg_url)
    try:
        await db.upgrade()
        async with db.session() as s:
            assert s.bind is not None and s.bind.dialect.name == "postgresql"
            assert await repo.mark_seen(s, "telegram", "-100", "7", START) is True
            assert await repo.mark_seen(s, "telegram", "-100", "7", START) is False
            assert await repo.mark_seen(s, "telegram", "-100", "8", START) is True
        async with db.session() as s:  # a redelivery in a later transaction, too
            assert await repo.mark_seen(s, "telegram", "-100", "7",
                                        START + timedelta(seconds=5)) is False
            assert await repo.mark_seen(s, "zalo", "-100", "7", START) is True
    finally:
        await db.close()


@pytest.mark.parametrize("platform", ["telegram", "zalo", "web"])
async def test_core_flows_on_postgresql(pg_harness_factory, platform: str) -> None:  # noqa: F811
    h: Harness = await pg_harness_factory(platform)
    assert h.services.db.engine.dialect.name == "postgresql"

    # /start
    [hello] = await h.say("/start", user="resident", chat="group1")
    assert "trợ lý của thôn" in hello

    # /taohop then /lich-hop (meetings tables, outbox fan-out, JSON columns, timestamps)
    before = len(h.sent("group1"))
    await h.say("/taohop 19h30 thứ Bảy | Nhà văn hóa thôn | Họp bàn xây dựng khu dân cư",
                user="official")
    await h.say("/xacnhan", user="official")  # preview, then the confirmation (drafts table)
    await settle(h, "group1", before + 3)
    [listing] = await h.say("/lich-hop", user="resident", chat="group1")
    assert "Số 1 · Thứ Bảy, 28/11/2026 lúc 19:30" in listing and "Nhà văn hóa thôn" in listing

    # /dangky in a private chat, then /lich-hop there
    sub = await h.say("/dangky thanhbinh", user="resident", chat="dm")
    assert "Thôn Thanh Bình" in sub[0]
    [dm_listing] = await h.say("/lich-hop", user="resident", chat="dm")
    assert "Thứ Bảy, 28/11/2026 lúc 19:30" in dm_listing

    # /capquyen by explicit id; the new official may use official commands
    who = f"{platform}:{h.user_id('resident2')}"
    done = await h.say(f"/capquyen {who} thanhbinh Tổ công nghệ số", user="admin", chat="dm")
    assert "Tổ công nghệ số" in done[0]
    await h.say("/toi", user="resident2", chat="dm")
    canbo = "\n".join(await h.say("/canbo", user="resident", chat="group1"))
    assert "Tổ công nghệ số: Lê Văn Năm" in canbo

    async with h.services.db.session() as s:
        dm = (await s.exec(select(Chat).where(
            Chat.external_id == h.chat_id("dm", "resident"), Chat.platform == platform))).one()
        village = (await s.exec(select(Village).where(Village.code == "thanhbinh"))).one()
        assert dm.village_id == village.id
        titles = (await s.exec(select(OfficialRole.title, Person.external_id).join(
            Person, Person.id == OfficialRole.person_id).where(
            OfficialRole.village_id == village.id).order_by(OfficialRole.id))).all()
        assert [tuple(t) for t in titles] == [("Trưởng thôn", h.user_id("official")),
                                              ("Tổ công nghệ số", h.user_id("resident2"))]


async def test_concurrent_starts_migrate_once(pg_url: str) -> None:  # noqa: F811
    """Three processes migrating an empty database at once (the lock in migrations/env.py)."""
    code = f"from bot.db.engine import upgrade_schema; upgrade_schema({pg_url!r})"
    procs = [await asyncio.create_subprocess_exec(
        sys.executable, "-c", code, cwd=ROOT, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT) for _ in range(3)]
    outputs = [(await p.communicate())[0].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], outputs
    db = Database(pg_url)
    try:
        async with db.engine.connect() as conn:
            tables = set(await conn.run_sync(lambda c: sa_inspect(c).get_table_names()))
        assert set(SQLModel.metadata.tables) <= tables
    finally:
        await db.close()
