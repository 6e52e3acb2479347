"""Crash during broadcast (issue 7): a real ``python -m bot run`` fanning one notice out is
killed with SIGKILL at seeded random points, restarted, and must reach every chat, repeating
at most the message in flight at each crash (one per platform worker).

The app exposes no setting for the outbox's flood limits, so Telegram sends pace at the real
~30 messages/s (and Zalo at 5/s, in parallel).  To keep the file fast each trial fans out to
170 Telegram groups + 10 Zalo groups; the three seeded trials together cover 540 chats.
The fake servers answer without enforcing limits; a small per-send delay on Telegram widens
the in-flight window so some kills land while a send is on the wire.
"""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

import pytest

from bot.core.events import ChatRef, Platform
from bot.core.messenger import OutMessage
from bot.db import repo
from bot.delivery.outbox import fan_out
from tests.fakes import FakeTelegram, FakeZalo
from tests.procs import BotProcess, wait_until

TG_TOKEN = "123456789:TEST-token_fake"
ZL_TOKEN = "4242:zalo-test-token"
TG_CHATS = 170
ZL_CHATS = 10
KILLS = 2
TEXT = "Thông báo khẩn: cắt nước toàn thôn từ 7h đến 10h sáng mai."


async def seed_fan_out(db_url: str, chats: list[tuple[Platform, str]], text: str) -> None:
    """Village + linked group chats, and one fan-out queued (as /announce would)."""
    from bot.clock import SystemClock
    from bot.config import Settings
    from bot.core.services import Services
    from bot.db.engine import Database, upgrade_schema
    from bot.db.models import Village
    from bot.i18n import Translator

    await asyncio.to_thread(upgrade_schema, db_url)
    db = Database(db_url)
    settings = Settings(_env_file=None, database_url=db_url)  # type: ignore[call-arg]
    services = Services(settings=settings, db=db, clock=SystemClock(), i18n=Translator())
    now = services.clock.now()
    async with db.session() as s:
        village = Village(code="thanhbinh", name="Thôn Thanh Bình", created_at=now)
        s.add(village)
        await s.flush()
        rows = []
        for platform, cid in chats:
            chat = await repo.upsert_chat(s, ChatRef(platform, cid, True, cid), now)
            chat.village_id = village.id
            rows.append(chat)
        await fan_out(s, services, rows, lambda c: OutMessage(text=text), kind="announce")
    await db.close()


def kill_points(seed: int, total: int, kills: int) -> list[int]:
    """Telegram send counts (strictly increasing, well before the end) at which to kill."""
    rng = random.Random(seed)
    return sorted(rng.sample(range(3, total - 20), kills))


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_sigkill_at_random_points_loses_nothing(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed * 7919)
    tg_ids = [str(-1005000000000 - seed * 1000 - i) for i in range(TG_CHATS)]
    zl_ids = [f"{seed:02x}{i:018x}" for i in range(ZL_CHATS)]
    db_url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    await seed_fan_out(db_url, [(Platform.TELEGRAM, c) for c in tg_ids]
                       + [(Platform.ZALO, c) for c in zl_ids], TEXT)
    points = kill_points(seed, TG_CHATS, KILLS)
    async with FakeTelegram(token=TG_TOKEN) as tg, FakeZalo(token=ZL_TOKEN) as zl:
        tg.delay_next("sendMessage", 0.004, times=100_000)
        bot = BotProcess(tmp_path, {
            "TELEGRAM_BOT_TOKEN": TG_TOKEN, "TELEGRAM_API_BASE_URL": tg.url,
            "ZALO_BOT_TOKEN": ZL_TOKEN, "ZALO_API_BASE_URL": zl.url, "DATABASE_URL": db_url})

        def tg_arrived() -> int:
            return sum(1 for c in tg.calls_to("sendMessage") if str(c.chat_id) in tg_ids)

        def reached(fake: FakeTelegram | FakeZalo, ids: list[str]) -> int:
            return sum(1 for c in ids if fake.sent_texts(c))

        try:
            for point in points:
                await bot.start()
                await wait_until(lambda p=point: tg_arrived() >= p, interval=0.002)
                await asyncio.sleep(rng.uniform(0.0, 0.03))  # between sends or mid-send
                await bot.kill()
                assert reached(tg, tg_ids) < len(tg_ids), "the kill came too late"
            await bot.start()
            await wait_until(lambda: reached(tg, tg_ids) == len(tg_ids)
                             and reached(zl, zl_ids) == len(zl_ids), timeout=40)
            await asyncio.sleep(0.3)  # anything it would (wrongly) send again
            assert await bot.stop() == 0
        finally:
            await bot.kill()

    for fake, ids in ((tg, tg_ids), (zl, zl_ids)):
        counts = {c: len(fake.sent_texts(c)) for c in ids}
        assert all(n >= 1 for n in counts.values()), [c for c, n in counts.items() if not n]
        duplicates = sum(counts.values()) - len(ids)
        assert duplicates <= KILLS, {c: n for c, n in counts.items() if n > 1}
        assert {t for c in ids for t in fake.sent_texts(c)} == {TEXT}
    assert bot.runs == KILLS + 1
