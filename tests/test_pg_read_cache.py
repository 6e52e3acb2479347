"""The read caches on PostgreSQL: other processes' commits reach them by LISTEN/NOTIFY.

Two ``Database`` objects on one fresh database stand for two bot processes; a raw asyncpg
connection stands for psql.  Waiting for a notification is a short bounded poll.  Skipped
without ``VILLAGEBOT_TEST_POSTGRES_URL``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any

import aiohttp
import pytest
from sqlalchemy import event, text

from bot.core.events import ChatRef, Platform, UserRef
from bot.db import repo
from bot.db.engine import Database
from bot.db.read_cache import KNOWN_TABLES, ReadCache
from handlers.meetings.commands import MeetingListing
from handlers.meetings.queries import LISTING_TABLES
from tests.conftest_pg import pg_harness_factory, pg_url  # noqa: F401
from tests.harness import Harness
from tests.pg import connect, requires_pg
from tests.test_meetings import _create

pytestmark = requires_pg
NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)


async def _until(condition: Callable[[], bool], what: str, timeout: float = 5.0) -> None:
    """Poll ``condition`` every 5 ms for at most ``timeout`` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        if condition():
            return
        await asyncio.sleep(0.005)
    raise AssertionError(f"{what}: not within {timeout}s")


def _stored(cache: ReadCache, key: str = "k", value: str = "v") -> None:
    """Store a value and check it is served."""
    cache.put(key, value, cache.generation)
    assert cache.get(key) == value


@pytest.fixture
async def two(pg_url: str) -> AsyncIterator[tuple[Database, Database]]:  # noqa: F811
    """Process A (listening) and process B on one migrated database."""
    a, b = Database(pg_url), Database(pg_url)
    await a.upgrade()
    await a.start_cache_listener()
    try:
        yield a, b
    finally:
        await b.close()
        await a.close()


async def test_a_commit_in_another_process_or_psql_empties_the_cache(two) -> None:  # type: ignore[no-untyped-def]
    a, b = two
    known, listing = a.read_cache(KNOWN_TABLES), a.read_cache(LISTING_TABLES, max_entries=8)
    assert a.cache_listener is not None and a.cache_listener.up
    assert known.live and listing.live
    _stored(known)
    _stored(listing)

    # B's committed write to a table only the listing reads: the known cache keeps its value
    async with b.session() as session:
        await session.exec(text("UPDATE meeting SET place = place"))  # type: ignore
    await _until(lambda: listing.get("k") is None, "B's meeting write reaches A")
    assert known.get("k") == "v"

    async with b.session() as session:  # a write of B to a watched table (no row matches)
        await session.exec(text("UPDATE village SET name = name WHERE id = -1"))  # type: ignore
    await _until(lambda: known.get("k") is None, "B's village write reaches A")

    # an uncommitted write of B is not announced; its commit is
    _stored(known)
    session_cm = b.session()
    session = await session_cm.__aenter__()
    await session.exec(text("UPDATE person SET locale = locale"))  # type: ignore
    generation = known.generation
    await asyncio.sleep(0.05)
    assert known.generation == generation and known.get("k") == "v"
    await session_cm.__aexit__(None, None, None)
    await _until(lambda: known.get("k") is None, "B's commit reaches A")

    # psql: a raw connection of no bot at all, TRUNCATE included
    for statement in ("INSERT INTO village (code, name, settings, "
                      "created_at) VALUES ('x', 'X', '{}', now())", "TRUNCATE chat_member"):
        _stored(known)
        raw = await connect(a.url)
        try:
            await raw.execute(statement)
        finally:
            await raw.close()
        await _until(lambda: known.get("k") is None, f"{statement!r} reaches A")


async def test_a_cache_hit_on_postgresql_sends_no_query(two) -> None:  # type: ignore[no-untyped-def]
    a, _b = two
    cache = a.read_cache(KNOWN_TABLES)
    chat = ChatRef(Platform.TELEGRAM, "-100", is_group=False)
    sender = UserRef(Platform.TELEGRAM, "7", name="Lan")
    async with a.session() as session:
        await repo.upsert_chat(session, chat, NOW)
        await repo.upsert_person(session, sender, NOW)
    listener = a.cache_listener
    assert listener is not None
    # our own commit is announced too: one notification per table (chat, person)
    await _until(lambda: listener.notifications >= 2, "our own commit is announced too")

    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(a.engine.sync_engine, "before_cursor_execute", count)
    try:
        for _ in range(2):
            async with a.session() as session:
                assert await repo.load_known(session, chat, sender, cache) is not None
    finally:
        event.remove(a.engine.sync_engine, "before_cursor_execute", count)
    assert len([s for s in statements if "FROM chat" in s]) == 1, statements
    assert cache.hits == 1


async def test_another_process_s_probe_is_not_a_change(two) -> None:  # type: ignore[no-untyped-def]
    a, _b = two
    listener = a.cache_listener
    assert listener is not None
    cache = a.read_cache(frozenset({"meeting"}))
    _stored(cache)
    before = listener.notifications
    raw = await connect(a.url)
    try:  # notifications of one session arrive in order: the probe before the change
        await raw.execute("SELECT pg_notify('villagebot_cache', '?probe:not-ours')")
        await raw.execute("SELECT pg_notify('villagebot_cache', 'person')")
    finally:
        await raw.close()
    await _until(lambda: listener.notifications > before, "the change is heard")
    assert listener.notifications == before + 1
    assert cache.get("k") == "v", "neither empties a cache of meetings"


async def test_a_connection_that_stops_hearing_notifications_is_replaced(two) -> None:  # type: ignore[no-untyped-def]
    """A connection that still answers queries but hears nothing (what a transaction-pooling
    proxy does to LISTEN; here an UNLISTEN) takes the caches out at its next check."""
    a, _b = two
    listener = a.cache_listener
    assert listener is not None
    await listener.stop()  # restarted with short checks for the test
    listener.check_interval, listener.ping_timeout, listener.min_backoff = 0.1, 0.3, 0.1
    await listener.start()
    assert listener.up
    cache = a.read_cache(KNOWN_TABLES)
    connects = listener.connects
    await listener._conn.execute("UNLISTEN villagebot_cache")
    _stored(cache)  # the deaf connection is not noticed before its check
    await _until(lambda: not listener.up, "the check notices nothing comes back")
    assert cache.get("k") is None
    await _until(lambda: listener.up and listener.connects > connects, "a new connection")
    _stored(cache)


async def test_while_the_listener_is_down_nothing_is_cached(two) -> None:  # type: ignore[no-untyped-def]
    a, b = two
    listener = a.cache_listener
    assert listener is not None
    listener.min_backoff = 0.3  # long enough to see the gap, short for the test
    cache = a.read_cache(KNOWN_TABLES)
    _stored(cache)
    connects = listener.connects

    raw = await connect(a.url)
    try:
        killed = await raw.fetchval(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE application_name = 'villagebot-cache' AND datname = current_database()")
    finally:
        await raw.close()
    assert killed == 1
    await _until(lambda: not listener.up, "the listener notices its connection is gone")
    assert not cache.live and cache.get("k") is None, "emptied at once"
    cache.put("k", "v", cache.generation)
    assert cache.get("k") is None, "bypassed while down"

    await _until(lambda: listener.up, "the listener reconnects")
    assert listener.connects == connects + 1 and cache.live
    _stored(cache)
    async with b.session() as session:  # the new connection listens too
        await session.exec(text("UPDATE chat SET title = title"))  # type: ignore
    await _until(lambda: cache.get("k") is None, "B's write reaches A after the reconnect")


async def test_a_cache_of_a_table_nobody_announces_stays_bypassed(  # type: ignore[no-untyped-def]
        two, caplog: pytest.LogCaptureFixture) -> None:
    a, _b = two
    with caplog.at_level(logging.WARNING, logger="bot.db.cache_listener"):
        cache = a.read_cache(frozenset({"village", "seenmessage"}))
        twin = a.read_cache(frozenset({"village", "seenmessage"}))
    assert a.cache_listener is not None and a.cache_listener.up
    assert not cache.live and not twin.live
    cache.put("k", "v", cache.generation)
    assert cache.get("k") is None
    assert a.read_cache(frozenset({"village"})).live, "a covered table is cached"
    assert a.cache_listener.state == "partial"
    warned = [r.getMessage() for r in caplog.records]
    assert len(warned) == 1 and "seenmessage" in warned[0], warned


async def test_without_a_listener_caches_are_bypassed(pg_url: str) -> None:  # noqa: F811
    db = Database(pg_url)
    try:
        await db.upgrade()
        cache = db.read_cache(KNOWN_TABLES)  # never started: the safe default
        cache.put("k", "v", cache.generation)
        assert not cache.live and cache.get("k") is None
    finally:
        await db.close()


async def test_meeting_list_on_postgresql_is_cached_and_sees_other_processes(
        pg_harness_factory) -> None:  # noqa: F811
    h: Harness = await pg_harness_factory("telegram")
    await _create(h, "/taohop 19h30 thứ Bảy | Nhà văn hóa thôn | Họp bàn làm đường")
    for _ in range(3):
        assert "Nhà văn hóa thôn" in (await h.say("/lich-hop"))[0]
    cache = h.services.component(MeetingListing, lambda: None).cache
    assert cache is not None and cache.live and cache.hits >= 1
    async with aiohttp.ClientSession() as http, http.get(f"{h.base_url}/healthz") as resp:
        assert resp.status == 200 and (await resp.json())["read_caches"] == "live"

    other = Database(h.services.db.url)  # another bot process on the same database
    try:
        for change, seen in (("UPDATE meeting SET place = 'Sân bóng thôn'", "Sân bóng thôn"),
                             ("UPDATE meeting SET status = 'cancelled'", "chưa có cuộc họp")):
            generation = cache.generation
            async with other.session() as session:
                await session.exec(text(change))  # type: ignore
            await _until(lambda g=generation: cache.generation > g,  # type: ignore[misc]
                         "the other process's change is announced")
            assert seen in (await h.say("/lich-hop"))[0]
    finally:
        await other.close()


async def test_healthz_says_when_the_caches_are_bypassed(pg_harness_factory) -> None:  # noqa: F811
    h: Harness = await pg_harness_factory("telegram")
    listener = h.services.db.cache_listener
    assert listener is not None
    await listener.stop()
    async with aiohttp.ClientSession() as http, http.get(f"{h.base_url}/healthz") as resp:
        body = await resp.json()
    assert resp.status == 200 and body["status"] == "ok", "slower, not unhealthy"
    assert body["read_caches"] == "bypassed"
