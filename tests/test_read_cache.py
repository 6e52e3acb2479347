"""The read caches (SQLite): every write to the tables a cache reads is seen at once.

The bot runs for real on Telegram polling (no dedupe write, so a message is a pure read) and
the changes are made the ways the code base makes them: commands, ORM sessions and raw SQL.
"""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text

from bot.db.models import Chat
from bot.db.read_cache import KNOWN_TABLES, ReadCache, touched_table
from handlers.meetings.commands import MeetingListing


@pytest.mark.parametrize(("statement", "table"), [
    ("SELECT chat.id FROM chat", None),
    ("  select 1", None),
    ("PRAGMA busy_timeout=30000", None),
    ("INSERT INTO chat (platform) VALUES (?)", "chat"),
    ("INSERT OR IGNORE INTO seenmessage VALUES (?)", "seenmessage"),
    ("UPDATE officialrole SET revoked_at=? WHERE officialrole.id = ?", "officialrole"),
    ('UPDATE "person" SET locale=?', "person"),
    ("update or replace village set name=?", "village"),
    ("DELETE FROM village WHERE id = ?", "village"),
    ("REPLACE INTO chat VALUES (1)", "chat"),
    ("ALTER TABLE chat ADD COLUMN x", "*"),
    ("WITH x AS (SELECT 1) UPDATE chat SET title = 'a'", "*"),
])
def test_touched_table(statement: str, table: str | None) -> None:
    assert touched_table(statement) == table


def _cache(h) -> ReadCache:  # type: ignore[no-untyped-def]
    cache = h.bot.pipeline.known_cache
    assert cache is not None, "SQLite keeps a lookup cache"
    return cache


async def test_role_changes_by_command_orm_and_raw_sql_are_seen_at_once(harness_factory) -> None:
    h = await harness_factory("telegram")
    cache = _cache(h)
    for _ in range(3):  # first sight (stored), a miss (cached), a hit
        assert "Chỉ cán bộ" in (await h.say("/caidat", user="resident2", chat="group1"))[0]
    assert cache.hits >= 1, "the third message is served from the cache"

    # a command grants the role: the very next message is an official's
    who = f"telegram:{h.user_id('resident2')}"
    await h.say(f"/capquyen {who} thanhbinh Tổ công nghệ số", user="admin", chat="dm")
    assert "/caidat quantri" in "\n".join(await h.say("/caidat", user="resident2",
                                                      chat="group1"))

    # raw SQL through the bot's engine revokes it: refused again at once
    async with h.bot.db.session() as session:
        await session.exec(text(  # type: ignore[call-overload]
            "UPDATE officialrole SET revoked_at = CURRENT_TIMESTAMP WHERE revoked_at IS NULL "
            "AND title = 'Tổ công nghệ số'"))
    assert "Chỉ cán bộ" in (await h.say("/caidat", user="resident2", chat="group1"))[0]


async def test_a_read_racing_an_uncommitted_write_is_not_kept(harness_factory) -> None:
    h = await harness_factory("telegram")
    cache = _cache(h)
    assert "chưa hiểu lệnh" in (await h.say("/xyz", user="resident", chat="dm"))[0]  # first sight

    # an ORM session changes the chat's language and holds its transaction open
    session_cm = h.bot.db.session()
    session = await session_cm.__aenter__()
    chat = (await session.exec(  # type: ignore[call-overload]
        Chat.__table__.select().where(Chat.external_id == h.chat_id("dm")))).first()
    await session.exec(text("UPDATE chat SET locale = 'en' WHERE id = :id"),  # type: ignore
                       params={"id": chat.id})
    assert cache.writers == 1 and len(cache) == 0

    # meanwhile the resident writes: served the committed (Vietnamese) state, not cached
    assert "chưa hiểu lệnh" in (await h.say("/xyz", user="resident", chat="dm"))[0]
    assert len(cache) == 0

    await session_cm.__aexit__(None, None, None)  # commits and returns the connection
    await asyncio.sleep(0)
    assert cache.writers == 0
    assert "know the command" in (await h.say("/xyz", user="resident", chat="dm"))[0]
    assert "know the command" in (await h.say("/xyz", user="resident", chat="dm"))[0]
    assert len(cache) >= 1


async def test_entries_expire_after_the_ttl(harness_factory) -> None:
    """A change made behind the bot's back (another program) shows within the TTL."""
    h = await harness_factory("telegram")
    now = [1000.0]
    cache = ReadCache(h.bot.db.engine, KNOWN_TABLES, ttl=60.0, monotonic=lambda: now[0])
    cache.put("k", "v", cache.generation)
    assert cache.get("k") == "v"
    now[0] += 59.0
    assert cache.get("k") == "v"
    now[0] += 2.0
    assert cache.get("k") is None
    generation = cache.generation
    async with h.bot.db.session() as session:
        await session.exec(text("UPDATE village SET name = name"))  # type: ignore
    cache.put("k", "stale", generation)
    assert cache.get("k") is None, "a value read before a write is never stored"


async def test_meeting_list_sees_changes_and_the_moving_window(harness_factory) -> None:
    from datetime import UTC, datetime

    from tests.test_meetings import _create

    h = await harness_factory("telegram")
    await _create(h, "/taohop 19h30 thứ Bảy | Nhà văn hóa thôn | Họp bàn làm đường")
    for _ in range(3):
        assert "Nhà văn hóa thôn" in (await h.say("/lich-hop"))[0]
    cache = h.services.component(MeetingListing, lambda: None).cache
    assert cache is not None and cache.hits >= 1

    async with h.bot.db.session() as session:  # a change outside the meeting commands
        await session.exec(text("UPDATE meeting SET place = 'Sân bóng thôn'"))  # type: ignore
    assert "Sân bóng thôn" in (await h.say("/lich-hop"))[0]

    # 2 hours after the start (Saturday 28/11 19:30 in Vietnam) it leaves the list
    await h.clock.advance(to=datetime(2026, 11, 28, 14, 31, tzinfo=UTC))
    assert "chưa có cuộc họp" in (await h.say("/lich-hop"))[0]
