"""Stable numbers: per (village, kind), never reused, concurrent-safe in one transaction each."""

from __future__ import annotations

from pathlib import Path

from bot.db.engine import Database
from bot.db.sequences import next_number, reserve_up_to


async def test_numbers_count_per_village_and_kind(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'seq.db'}")
    await db.upgrade()
    try:
        async with db.session() as s:
            got = [await next_number(s, village_id=1, kind="meeting") for _ in range(3)]
            other = await next_number(s, village_id=2, kind="meeting")
            notice = await next_number(s, village_id=1, kind="notice")
            await s.commit()
        assert got == [1, 2, 3] and other == 1 and notice == 1
        async with db.session() as s:
            await next_number(s, village_id=1, kind="meeting")
            await s.rollback()  # a creation that failed gives nothing away for good
        async with db.session() as s:
            await reserve_up_to(s, village_id=1, kind="meeting", number=10)
            await reserve_up_to(s, village_id=1, kind="meeting", number=5)  # never goes back
            assert await next_number(s, village_id=1, kind="meeting") == 11
            assert await next_number(s, village_id=None, kind="meeting") == 1
            await s.commit()
    finally:
        await db.close()
