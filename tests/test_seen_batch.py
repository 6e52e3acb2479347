"""The batched redelivery check on PostgreSQL (``bot/db/seen_batch.py``).

Ids arriving together are recorded by one statement; an id is new exactly once (also twice in
one batch, and from another "process"); a dropped connection answers None (the pipeline then
checks through its session) and is reopened; Telegram webhook updates posted twice (at once,
or later) are handled once.  PostgreSQL only.
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime

import asyncpg
import pytest
from sqlalchemy import event

from bot.db.engine import Database
from bot.db.seen_batch import SeenBatch
from tests.conftest_pg import pg_harness_factory, pg_url  # noqa: F401
from tests.harness import Harness
from tests.pg import _dsn, requires_pg

pytestmark = requires_pg

NOW = datetime(2026, 12, 3, 7, 0, tzinfo=UTC)
TG_SECRET = "tg-secret-123456"


@pytest.fixture
async def db(pg_url: str):  # noqa: F811
    database = Database(pg_url)
    await database.upgrade()
    yield database
    await database.close()


async def test_ids_arriving_together_take_one_statement(db: Database) -> None:
    seen = SeenBatch(db.engine)
    try:
        first = await asyncio.gather(*(seen.submit("telegram", "-100", str(i), NOW)
                                       for i in range(50)))
        assert first == [True] * 50
        assert seen.statements == 1
        again = await asyncio.gather(seen.submit("telegram", "-100", "7", NOW),
                                     seen.submit("telegram", "-100", "50", NOW),
                                     seen.submit("zalo", "-100", "7", NOW))
        assert again == [False, True, True]  # the platform is part of the id
        assert seen.statements == 2
        # its records are committed without waiting for the WAL flush (see seen_batch.py)
        assert await seen._conn.fetchval("SHOW synchronous_commit") == "off"
    finally:
        await seen.close()


async def test_the_same_id_twice_in_one_batch_is_new_once(db: Database) -> None:
    seen = SeenBatch(db.engine)
    try:
        got = await asyncio.gather(*(seen.submit("telegram", "-100", "42", NOW) for _ in range(3)))
        assert sorted(got) == [False, False, True]
    finally:
        await seen.close()


async def test_two_processes_share_the_record(db: Database, pg_url: str) -> None:  # noqa: F811
    other = Database(pg_url)
    a, b = SeenBatch(db.engine), SeenBatch(other.engine)
    try:
        assert await a.submit("zalo", "g1", "m1", NOW) is True
        assert await b.submit("zalo", "g1", "m1", NOW) is False
        # the session path (the fallback) sees the batch's record, too
        from bot.db import repo

        async with db.session() as session:
            assert await repo.mark_seen(session, "zalo", "g1", "m1", NOW) is False
    finally:
        await a.close()
        await b.close()
        await other.close()


async def test_a_killed_connection_is_reopened(db: Database, pg_url: str) -> None:  # noqa: F811
    clock = [100.0]
    seen = SeenBatch(db.engine, retry_after=1.0, monotonic=lambda: clock[0])
    try:
        assert await seen.submit("telegram", "c", "1", NOW) is True
        conn = await asyncpg.connect(_dsn(pg_url))
        try:
            killed = await conn.fetchval(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE application_name = 'villagebot-seen' AND datname = current_database()")
        finally:
            await conn.close()
        assert killed == 1
        # unknown (the session decides) if the statement met the dead connection, else new
        assert await seen.submit("telegram", "c", "2", NOW) in (None, True)
        clock[0] += 1.5
        assert await seen.submit("telegram", "c", "1", NOW) is False  # on a new connection
        assert await seen.submit("telegram", "c", "3", NOW) is True
    finally:
        await seen.close()
    assert await seen.submit("telegram", "c", "9", NOW) is None  # closed


async def test_no_server_answers_unknown_and_waits_before_retrying(
        pg_url: str) -> None:  # noqa: F811
    from sqlalchemy.engine import make_url

    dead = Database(make_url(pg_url).set(port=1).render_as_string(hide_password=False))
    clock = [100.0]
    seen = SeenBatch(dead.engine, retry_after=1.0, monotonic=lambda: clock[0])
    try:
        assert await seen.submit("telegram", "c", "1", NOW) is None
        assert seen.failures == 1
        assert await seen.submit("telegram", "c", "1", NOW) is None  # no new attempt yet
        assert seen.failures == 1
        clock[0] += 1.5
        assert await seen.submit("telegram", "c", "1", NOW) is None  # tried again, still down
        assert seen.failures == 2 and seen.statements == 0
    finally:
        await seen.close()
        await dead.close()


async def _post(h: Harness, body: bytes) -> int:
    http = await h.http()
    async with http.post(f"{h.base_url}/webhook/telegram", data=body, headers={
            "Content-Type": "application/json",
            "X-Telegram-Bot-Api-Secret-Token": TG_SECRET}) as resp:
        return resp.status


async def test_telegram_webhook_redeliveries_are_handled_once(pg_harness_factory) -> None:  # noqa: F811
    h = await pg_harness_factory("telegram", telegram_mode="webhook",
                                 telegram_webhook_secret=TG_SECRET,
                                 public_base_url="https://bot.example.org")
    assert h.tg is not None
    session_inserts: list[str] = []

    def watch(_conn, _cursor, statement: str, *_args) -> None:  # type: ignore[no-untyped-def]
        if "seenmessage" in statement.lower():
            session_inserts.append(statement)

    event.listen(h.bot.db.engine.sync_engine, "before_cursor_execute", watch)
    chat, user = int(h.chat_id("dm")), int(h.user_id("resident"))
    first = json.dumps(h.tg.make_message_update(chat, user, "/start", chat_type="private",
                                                first_name="Tư")).encode()
    second = json.dumps(h.tg.make_message_update(chat, user, "/help", chat_type="private",
                                                 first_name="Tư")).encode()
    target = h.bot.pipeline.handled + 3
    # the same update twice at once, and another one
    assert await asyncio.gather(_post(h, first), _post(h, first), _post(h, second)) == [
        200, 200, 200]
    await h.bot.pipeline.wait_handled(target)
    await h.wait_sent("dm", 2)
    assert await _post(h, first) == 200  # and once more, later
    await h.bot.pipeline.wait_handled(target + 1)
    await h.settle()
    assert len(h.sent("dm")) == 2
    assert session_inserts == []  # recorded by the batch, not through the pool
    assert h.bot.pipeline.seen is not None and h.bot.pipeline.seen.statements >= 1
