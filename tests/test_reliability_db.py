"""Database and disk faults: SQLite held by another writer, a media folder that cannot be written.

Decision (see docs/benchmarks.md, "Reliability"): a writer that holds SQLite briefly only delays
the message (the bot waits up to its busy timeout, then handles it); past the timeout the sender
is told, in one sentence (``error-busy``), that the message was NOT processed and to send it
again — nothing half-done stays in the database.  A media folder that cannot be written gives
the official the feature's "photo failed, nothing was sent" sentence; no notice is queued.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import event

from bot.i18n import Translator
from tests.fakes import tiny_png
from tests.harness import Harness

ANNOUNCE = "/announce Lịch tiêm phòng cho trẻ em sáng mai"


def count_rows(h: Harness, table: str) -> int:
    """Rows of a table, read from outside the bot."""
    conn = sqlite3.connect(f"file:{h.workdir / 'bot.db'}?mode=ro", uri=True)
    try:
        return conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    finally:
        conn.close()


def hold_write_lock(h: Harness) -> sqlite3.Connection:
    """Another process-like connection that holds SQLite's write lock until rolled back."""
    conn = sqlite3.connect(h.workdir / "bot.db", timeout=0, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    return conn


async def short_busy_timeout(h: Harness, ms: int) -> None:
    """Reconnect the bot's pool with a shorter SQLite busy timeout (test configuration)."""
    assert h.bot is not None
    engine = h.bot.db.engine

    @event.listens_for(engine.sync_engine, "connect")
    def _busy(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout={ms}")
        cur.close()

    await engine.dispose()


@pytest.mark.parametrize("platform", ["telegram", "zalo"])
async def test_a_brief_lock_only_delays_the_message(harness_factory, platform: str) -> None:
    h: Harness = await harness_factory(platform)
    notices = count_rows(h, "notice")
    holder = hold_write_lock(h)
    try:
        task = asyncio.create_task(h.say(ANNOUNCE, user="official", chat="group1"))
        await asyncio.sleep(0.5)
        assert not task.done()  # waiting for the lock, not failed
    finally:
        holder.rollback()
        holder.close()
    [preview] = await task
    assert "Lịch tiêm phòng" in preview
    assert count_rows(h, "notice") == notices + 1


@pytest.mark.parametrize("platform", ["telegram", "zalo", "web"])
async def test_a_long_lock_tells_the_sender_to_send_again(
    harness_factory, caplog: pytest.LogCaptureFixture, platform: str
) -> None:
    h: Harness = await harness_factory(platform)
    await short_busy_timeout(h, 200)
    notices = count_rows(h, "notice")
    caplog.set_level(logging.INFO)
    caplog.clear()
    holder = hold_write_lock(h)
    try:
        replies = await h.say(ANNOUNCE, user="official", chat="group1")
    finally:
        holder.rollback()
        holder.close()
    assert replies == [Translator().t("vi", "error-busy")]
    assert count_rows(h, "notice") == notices  # nothing half-done
    # (scheduler/wakeup.py may also log its own round failing: reported to its owner)
    lines = [r for r in caplog.records
             if r.levelno >= logging.WARNING and r.name.startswith("bot.")]
    assert len(lines) == 1 and "database busy" in lines[0].getMessage()
    assert not lines[0].exc_info
    # sent again once the database is free: accepted
    [preview] = await h.say(ANNOUNCE, user="official", chat="group1")
    assert "Lịch tiêm phòng" in preview
    assert count_rows(h, "notice") == notices + 1


@pytest.mark.parametrize("platform", ["telegram", "zalo", "web"])
async def test_unwritable_media_folder_is_a_clear_error(
    harness_factory, tmp_path: Path, platform: str
) -> None:
    blocker = tmp_path / f"media-is-a-file-{platform}"
    blocker.write_text("not a folder")
    h: Harness = await harness_factory(platform, media_dir=blocker / "media")
    notices = count_rows(h, "notice")
    before_group2 = len(h.sent("group2"))
    replies = await h.say("/announce Ảnh hiện trường đoạn đường sạt lở", user="official",
                          chat="group1", photo=tiny_png())
    assert replies == [Translator().t("vi", "announce-photo-failed")]
    assert count_rows(h, "notice") == notices
    assert len(h.sent("group2")) == before_group2
    # without the photo the notice is accepted as usual
    [preview] = await h.say("/announce Đoạn đường sạt lở, đi đường vòng", user="official",
                            chat="group1")
    assert "sạt lở" in preview
