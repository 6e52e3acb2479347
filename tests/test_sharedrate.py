"""Send budgets shared across processes (GCRA rows in ``rate_state``)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest

from bot.db.engine import Database
from bot.delivery.ratelimit import TELEGRAM_LIMITS
from bot.delivery.sharedrate import SEND_LAG, acquire, pause, rules_for
from tests.conftest_pg import pg_url  # noqa: F401
from tests.harness import START
from tests.pg import requires_pg

# every window is widened by the safety margin and by the send lag (relative to the window)
WIN = 1 + TELEGRAM_LIMITS.margin + SEND_LAG
WIN60 = 1 + TELEGRAM_LIMITS.margin + SEND_LAG / 60


def test_rules_from_telegram_limits() -> None:
    overall, private = rules_for(TELEGRAM_LIMITS, "telegram", "42", is_group=False)
    assert overall.key == "telegram" and overall.interval == pytest.approx(WIN / 28)
    assert overall.tolerance == pytest.approx(2 * WIN / 28)  # a burst of 3
    assert private.key == "telegram:42" and private.interval == pytest.approx(WIN)
    assert private.tolerance == pytest.approx(2 * WIN)  # a burst of 3
    _overall, group = rules_for(TELEGRAM_LIMITS, "telegram", "-100", is_group=True)
    assert group.interval == pytest.approx(60 / 18 * WIN60)
    assert group.tolerance == pytest.approx(2 * 60 / 18 * WIN60)
    # 20/min: a burst of 3, then one per 60/18·WIN s → 3 - 1 + 60 / (60/18·WIN) < 20 a minute


async def test_budgets_on_sqlite(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'r.db'}")
    await db.upgrade()
    chat = rules_for(TELEGRAM_LIMITS, "telegram", "42", is_group=False)[1:]
    try:
        async with db.session() as s:
            assert [await acquire(s, chat, START) for _ in range(3)] == [(0, None)] * 3
            wait, key = await acquire(s, chat, START)
            assert wait == pytest.approx(WIN, abs=1e-4) and key == "telegram:42"
            assert await acquire(s, chat, START + timedelta(seconds=WIN + 0.03)) == (0, None)
            # a two-part message costs two slots
            assert await acquire(s, chat, START + timedelta(seconds=5), units=2) == (0, None)
            # the platform: a burst of 3 chats at one instant, then one per WIN/28 s
            at = START + timedelta(seconds=9)
            for chat_id in ("43", "44", "45"):
                rules = rules_for(TELEGRAM_LIMITS, "telegram", chat_id, is_group=False)
                assert await acquire(s, rules, at) == (0, None)
            rules = rules_for(TELEGRAM_LIMITS, "telegram", "46", is_group=False)
            wait, key = await acquire(s, rules, at)
            assert key == "telegram" and wait == pytest.approx(WIN / 28, abs=1e-4)
        async with db.session() as s:
            await pause(s, "telegram:42", START + timedelta(seconds=60))
            wait, _key = await acquire(s, chat, START + timedelta(seconds=30))
            assert wait == pytest.approx(30 - 2 * WIN, abs=1e-4)
    finally:
        await db.close()


@requires_pg
async def test_three_processes_never_overspend(pg_url: str) -> None:  # noqa: F811
    """Three engines (separate connections, like three processes) race for one budget."""
    dbs = [Database(pg_url) for _ in range(3)]
    await dbs[0].upgrade()
    granted: list[float] = []

    async def attempt(db: Database, k: int, chat: str) -> None:
        now = START + timedelta(seconds=k * 0.01)
        rules = rules_for(TELEGRAM_LIMITS, "telegram", chat, is_group=False)
        async with db.session() as s:
            if (await acquire(s, rules, now))[0] == 0:
                granted.append(now.timestamp())

    try:
        # the same instant, 3 × 10 concurrent attempts on different chats: exactly the
        # burst of 3 wins
        await asyncio.gather(*(attempt(db, 0, f"c{i}-{j}")
                               for i, db in enumerate(dbs) for j in range(10)))
        assert len(granted) == 3
        # 3 simulated seconds, every 10 ms each process tries: never more than 30 in 1 s
        granted.clear()
        for k in range(1, 301):
            await asyncio.gather(*(attempt(db, k, f"p{i}-{k}") for i, db in enumerate(dbs)))
        granted.sort()
        def peak(window: float) -> int:
            return max(sum(1 for u in granted[i:] if u - t < window)
                       for i, t in enumerate(granted))

        # sends leave within SEND_LAG of their slot: 30 at most even in 1 + SEND_LAG s of slots
        assert peak(1.0 + SEND_LAG) <= 30 and peak(1.0) >= 20 and 60 <= len(granted) <= 90
    finally:
        for db in dbs:
            await db.close()
