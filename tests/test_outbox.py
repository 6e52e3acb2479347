"""The outbox and its delivery worker, wire-level against the fake Telegram and Zalo servers.

Every fault the platforms produce is exercised through the real adapters: 429 with
retry_after, 5xx, a kicked bot (403), a missing chat, a supergroup migration in the middle of
a fan-out, and Zalo's exhausted monthly quota.  Plus the pure rate limiter and (de)serialising.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from bot.clock import ManualClock
from bot.core.events import ChatRef, Platform, UserRef
from bot.core.messenger import Button, Media, OutMessage
from bot.db import repo
from bot.db.models import Chat, OfficialRole
from bot.delivery.models import FAILED, PENDING, SENDING, SENT, OutboxItem, PlatformPause
from bot.delivery.outbox import (
    batch_counts,
    deserialize,
    enqueue,
    fan_out,
    message_units,
    next_month_start,
    resume_platform,
    serialize,
)
from bot.delivery.ratelimit import TELEGRAM_LIMITS, Limits, RateLimiter, SlidingWindow, TokenBucket
from tests.harness import Harness

T0 = datetime(2026, 11, 21, 13, 30, tzinfo=UTC)


# ---------------------------------------------------------------- pure parts


def test_serialize_round_trip() -> None:
    msg = OutMessage(text="Nội dung", title="📢 THÔNG BÁO", media=(Media(url="http://x/a.jpg",
                     file_id="AgAC1"),), buttons=((Button("Đã đọc ✓ (0)", "ack:1"),),),
                     silent=True)
    assert deserialize(serialize(msg)) == msg


def test_message_units() -> None:
    assert message_units(OutMessage(text="a"), 4096) == 1
    long = "\n\n".join(["x" * 3000] * 3)
    assert message_units(OutMessage(text=long), 4096) == 3
    assert message_units(OutMessage(text="a", media=(Media(url="u"),)), 4096) == 1


def test_next_month_start_is_vietnam_midnight() -> None:
    assert next_month_start(T0) == datetime(2026, 11, 30, 17, 0, tzinfo=UTC)
    assert next_month_start(datetime(2026, 12, 31, 18, 0, tzinfo=UTC)) == datetime(
        2027, 1, 31, 17, 0, tzinfo=UTC)


def test_sliding_window_and_bucket() -> None:
    window = SlidingWindow(3, 1.0)
    for t in (0.0, 0.1, 0.2):
        assert window.wait(t) == 0
        window.add(t)
    assert window.wait(0.3) == pytest.approx(0.7)
    assert window.wait(1.0) == pytest.approx(0.0)
    bucket = TokenBucket(1.0, 3, 0.0)
    for _ in range(3):
        bucket.take(0.0)
    assert bucket.wait(0.0) == pytest.approx(1.0)
    assert bucket.wait(0.5) == pytest.approx(0.5)


async def test_rate_limiter_schedules_telegram_limits() -> None:
    clock = ManualClock(T0)
    lim = RateLimiter(TELEGRAM_LIMITS, clock)
    for i in range(30):
        assert lim.chat_wait(f"-{i}", is_group=True) == 0
        lim.record(f"-{i}", is_group=True)
    assert lim.overall_wait() == pytest.approx(1 + TELEGRAM_LIMITS.margin)
    await clock.advance(1.06)
    assert lim.overall_wait() == 0
    # one group: 3 at once (burst), then about 1/s, and never more than 20 a minute
    sent = 0
    for _ in range(200):
        wait = lim.chat_wait("-777", is_group=True)
        if wait:
            await clock.advance(wait)
            continue
        lim.record("-777", is_group=True)
        sent += 1
        if sent == 21:
            break
    assert (clock.now() - T0).total_seconds() >= 60
    lim.pause_chat("-5", 10)
    assert lim.chat_wait("-5", is_group=True) == pytest.approx(10)
    assert lim.chat_wait("-6", is_group=True) == 0
    lim.pause_all(4)
    assert lim.chat_wait("-6", is_group=True) == pytest.approx(4)


def test_no_limits_never_waits() -> None:
    lim = RateLimiter(Limits(), ManualClock(T0))
    for _ in range(1000):
        lim.record("c", is_group=True)
    assert lim.chat_wait("c", is_group=True) == 0


# ---------------------------------------------------------------- helpers


async def add_chats(h: Harness, ids: list[str], *, village: str = "thanhbinh",
                    platform: str | None = None) -> None:
    """Link more group chats to a village by direct DB writes."""
    p = Platform(platform or h.platform)
    async with h.services.db.session() as s:
        v = await repo.village_by_code(s, village)
        assert v is not None
        for cid in ids:
            chat = await repo.upsert_chat(s, ChatRef(p, cid, True, f"Nhóm {cid}"),
                                          h.clock.now())
            chat.village_id = v.id


async def queue(h: Harness, ids: list[str] | None = None, *, text: str = "Họp dân 19h",
                report: tuple[str, str, str] | None = None, platform: str | None = None,
                dedupe_key: str | None = None, pin: bool = False) -> int:
    """fan_out to the given chats (default: every active chat of thanhbinh)."""
    from bot.db.villages import village_chats

    async with h.services.db.session() as s:
        v = await repo.village_by_code(s, "thanhbinh")
        assert v is not None and v.id is not None
        chats = await village_chats(s, v.id)
        if ids is not None:
            chats = [c for c in chats if c.external_id in ids]
        if platform is not None:
            chats = [c for c in chats if c.platform == platform]
        return await fan_out(s, h.services, chats, lambda c: OutMessage(text=text),
                             kind="test", ref_id=1, report_to=report, dedupe_key=dedupe_key,
                             pin=pin)


async def rows(h: Harness) -> list[OutboxItem]:
    async with h.services.db.session() as s:
        return list((await s.exec(select(OutboxItem).order_by(OutboxItem.id))).all())


async def settle(h: Harness, *, step: float = 1.0, limit: float = 600.0) -> None:
    """Advance the manual clock until nothing is due (workers waiting on limits wake)."""
    moved = 0.0
    while True:
        await h.services.outbox.quiet()
        async with h.services.db.session() as s:
            busy = (await s.exec(select(OutboxItem).where(
                OutboxItem.status.in_((PENDING, SENDING))))).all()  # type: ignore[attr-defined]
            paused = {p.platform for p in (await s.exec(select(PlatformPause))).all()}
        running = set(h.services.outbox.workers)
        if not [r for r in busy if r.platform in running - paused] or moved >= limit:
            return
        await h.clock.advance(step)
        moved += step
        await asyncio.sleep(0.01)


TG_IDS = [str(-1002000000000 - i) for i in range(1, 6)]


# ---------------------------------------------------------------- Telegram


async def test_fan_out_to_many_telegram_chats_with_report(harness_factory) -> None:
    h = await harness_factory("telegram")
    await add_chats(h, TG_IDS)
    report_chat = h.chat_id("dm", "official")
    batch = await queue(h, report=("telegram", report_chat, "vi"))
    assert h.tg is not None
    await settle(h)
    for cid in [h.chat_id("group1"), h.chat_id("group2"), *TG_IDS]:
        assert h.tg.sent_texts(cid) == ["Họp dân 19h"], cid
    report = h.tg.sent_texts(report_chat)
    assert report == ["Đã gửi 7/7 nơi nhận."]
    async with h.services.db.session() as s:
        assert await batch_counts(s, batch) == {SENT: 7}
    sent = [r for r in await rows(h) if r.kind == "test"]
    assert all(r.message_id and r.sent_at for r in sent)


async def test_dedupe_key_queues_once(harness_factory) -> None:
    h = await harness_factory("telegram")
    await queue(h, dedupe_key="meeting:1:24h")
    await queue(h, dedupe_key="meeting:1:24h")
    await settle(h)
    assert h.tg is not None
    assert h.tg.sent_texts(h.chat_id("group1")) == ["Họp dân 19h"]
    assert len([r for r in await rows(h) if r.kind == "test"]) == 2


async def test_retry_after_is_honoured(harness_factory) -> None:
    h = await harness_factory("telegram")
    assert h.tg is not None
    g1 = h.chat_id("group1")
    h.tg.fail_next("sendMessage", 429, retry_after=5, chat_id=int(g1))
    await queue(h, [g1])
    await h.services.outbox.idle(timeout=5)
    assert h.tg.sent_texts(g1) == []
    await h.clock.advance(3)
    await h.services.outbox.quiet()  # the worker looked again and went back to sleep
    assert h.tg.sent_texts(g1) == []  # still inside retry_after
    await h.clock.advance(3)
    await settle(h)
    assert h.tg.sent_texts(g1) == ["Họp dân 19h"]
    assert [c.ok for c in h.tg.calls_to("sendMessage") if str(c.chat_id) == g1] == [False, True]


async def test_transient_errors_back_off_then_deliver(harness_factory) -> None:
    h = await harness_factory("telegram")
    assert h.tg is not None
    g1 = h.chat_id("group1")
    h.tg.fail_next("sendMessage", 502, times=2, chat_id=int(g1))
    await queue(h, [g1])
    await settle(h)
    assert h.tg.sent_texts(g1) == ["Họp dân 19h"]
    (row,) = [r for r in await rows(h) if r.kind == "test"]
    assert row.status == SENT and row.attempts == 3


async def test_kicked_bot_marks_chat_inactive_and_reports(harness_factory) -> None:
    h = await harness_factory("telegram")
    assert h.tg is not None
    g1, g2 = h.chat_id("group1"), h.chat_id("group2")
    h.tg.kick(int(g2))
    report_chat = h.chat_id("dm", "official")
    await queue(h, [g1, g2], report=("telegram", report_chat, "vi"))
    await settle(h)
    assert h.tg.sent_texts(g1) == ["Họp dân 19h"]
    assert h.tg.sent_texts(g2) == []
    assert h.tg.sent_texts(report_chat) == [
        "Đã gửi 1/2 nơi nhận.\nLỗi: Chi bộ Thanh Bình (bot bị xóa khỏi nhóm hoặc bị chặn)."]
    async with h.services.db.session() as s:
        chat = (await s.exec(select(Chat).where(Chat.external_id == g2))).one()
        assert (chat.active, chat.inactive_reason) == (False, "forbidden")
    # never again: a new fan-out skips the inactive chat and sends nothing there
    calls = len(h.tg.calls_to("sendMessage"))
    await queue(h)
    await settle(h)
    assert all(str(c.chat_id) != g2 for c in h.tg.calls_to("sendMessage")[calls:])


async def test_missing_chat_is_permanent(harness_factory) -> None:
    h = await harness_factory("telegram")
    assert h.tg is not None
    g2 = h.chat_id("group2")
    h.tg.missing_chat(int(g2))
    await queue(h, [g2])
    await settle(h)
    (row,) = [r for r in await rows(h) if r.kind == "test"]
    assert (row.status, row.error, row.attempts) == (FAILED, "not_found", 1)


async def test_supergroup_migration_during_fan_out(harness_factory) -> None:
    h = await harness_factory("telegram")
    assert h.tg is not None
    await add_chats(h, TG_IDS)
    old = int(TG_IDS[2])
    new = -1009999999999
    h.tg.migrate_chat(old, new)
    await queue(h)
    await settle(h)
    assert h.tg.sent_texts(new) == ["Họp dân 19h"]
    for cid in TG_IDS[:2] + TG_IDS[3:]:
        assert h.tg.sent_texts(cid) == ["Họp dân 19h"]
    async with h.services.db.session() as s:
        chat = (await s.exec(select(Chat).where(Chat.external_id == str(new)))).one()
        assert chat.active and chat.village_id is not None
    # later fan-outs go straight to the new id
    calls = len(h.tg.calls_to("sendMessage"))
    await queue(h, text="Lần hai")
    await settle(h)
    assert all(str(c.chat_id) != str(old) for c in h.tg.calls_to("sendMessage")[calls:])
    assert h.tg.sent_texts(new) == ["Họp dân 19h", "Lần hai"]


async def test_pin_when_allowed_and_report_when_not(harness_factory) -> None:
    h = await harness_factory("telegram")
    assert h.tg is not None
    g1, g2 = h.chat_id("group1"), h.chat_id("group2")
    h.tg.set_bot_rights(int(g1), "administrator", can_pin_messages=True)
    report_chat = h.chat_id("dm", "official")
    await queue(h, [g1, g2], pin=True, report=("telegram", report_chat, "vi"))
    await settle(h)
    assert h.tg.pinned.get(int(g1))
    assert not h.tg.pinned.get(int(g2))
    (report,) = h.tg.sent_texts(report_chat)
    assert "Không ghim được ở: Chi bộ Thanh Bình" in report


async def test_worker_resumes_rows_left_sending(harness_factory) -> None:
    """A row claimed but never finished (crash mid-send) is sent again after a restart."""
    h = await harness_factory("telegram")
    assert h.tg is not None
    g1 = h.chat_id("group1")
    await h.services.outbox.stop()  # the worker dies; the rest of the bot runs
    async with h.services.db.session() as s:
        chat = (await s.exec(select(Chat).where(Chat.external_id == g1))).one()
        await fan_out(s, h.services, [chat], lambda c: OutMessage(text="Giữa chừng"),
                      kind="test")
    async with h.services.db.session() as s:
        row = (await s.exec(select(OutboxItem))).one()
        row.status, row.claimed_at, row.attempts = SENDING, h.clock.now(), 1
    await h.restart()
    await settle(h)
    assert h.tg.sent_texts(g1) == ["Giữa chừng"]


# ---------------------------------------------------------------- Zalo


async def test_zalo_fan_out_and_quota_pause(harness_factory) -> None:
    h = await harness_factory("zalo")
    assert h.zl is not None
    zl_ids = [f"9f00000000000000zz{i:02d}" for i in range(6)]
    await add_chats(h, zl_ids)
    # the official also talks to the bot on the web chat? No: give them a Telegram DM.
    async with h.services.db.session() as s:
        v = await repo.village_by_code(s, "thanhbinh")
        assert v is not None
        tg_person = await repo.upsert_person(s, UserRef(Platform.TELEGRAM, "1002", "Ba"),
                                             h.clock.now())
        await repo.upsert_chat(s, ChatRef(Platform.TELEGRAM, "1002", False), h.clock.now())
        s.add(OfficialRole(person_id=tg_person.id or 0, village_id=v.id, title="Trưởng thôn",
                           granted_at=h.clock.now()))
    await queue(h, text="Đợt một")
    await settle(h)
    for cid in [h.chat_id("group1"), *zl_ids]:
        assert h.zl.sent_texts(cid) == ["Đợt một"], cid
    h.zl.quota_exhausted = True
    await queue(h, text="Đợt hai")
    await settle(h)
    sends = [c for c in h.zl.calls_to("sendMessage") if c.params.get("text") == "Đợt hai"]
    assert len(sends) == 1  # one refused call, then the platform stops: no retry storm
    async with h.services.db.session() as s:
        pause = await s.get(PlatformPause, "zalo")
        assert pause is not None and pause.reason == "quota"
        waiting = (await s.exec(select(OutboxItem).where(OutboxItem.platform == "zalo",
                                                         OutboxItem.status == PENDING))).all()
        assert len(waiting) == 8
        tg_rows = (await s.exec(select(OutboxItem).where(
            OutboxItem.platform == "telegram"))).all()
        assert [r.chat_external_id for r in tg_rows] == ["1002"]  # officials told once
        assert "hết hạn mức" in tg_rows[0].payload["text"]
    await h.clock.advance(3600)
    await settle(h)
    assert len([c for c in h.zl.calls_to("sendMessage")
                if c.params.get("text") == "Đợt hai"]) == 1
    # quota renewed (or raised by hand): everything waiting goes out, nothing lost
    h.zl.quota_exhausted = False
    async with h.services.db.session() as s:
        assert await resume_platform(s, h.services, "zalo")
    await settle(h)
    for cid in [h.chat_id("group1"), *zl_ids]:
        assert h.zl.sent_texts(cid) == ["Đợt một", "Đợt hai"], cid


async def test_enqueue_single_and_dedupe(harness_factory) -> None:
    h = await harness_factory("web")
    async with h.services.db.session() as s:
        assert await enqueue(s, h.services, "web", "group1", OutMessage(text="Một"),
                             kind="test", dedupe_key="k1")
    async with h.services.db.session() as s:
        assert not await enqueue(s, h.services, "web", "group1", OutMessage(text="Một"),
                                 kind="test", dedupe_key="k1")
    await settle(h)
    assert h.sent("group1") == ["Một"]


async def test_not_before_delays(harness_factory) -> None:
    h = await harness_factory("web")
    async with h.services.db.session() as s:
        chat = (await s.exec(select(Chat).where(Chat.external_id == "group1"))).one()
        await fan_out(s, h.services, [chat], lambda c: OutMessage(text="Sau"), kind="test",
                      not_before=h.clock.now() + timedelta(minutes=5))
    h.services.outbox.wake()
    await h.services.outbox.quiet()  # the worker saw the row and went back to sleep
    assert h.sent("group1") == []
    await h.clock.advance(301)
    await settle(h)
    assert h.sent("group1") == ["Sau"]


# ---------------------------------------------------------------- crash and restart


async def _seed_fan_out(db_url: str, chat_ids: list[str], text: str) -> None:
    """Village + linked Telegram groups, and one fan-out queued (as /announce would)."""
    from bot.clock import SystemClock
    from bot.config import Settings
    from bot.core.services import Services
    from bot.db.engine import Database
    from bot.db.models import Village
    from bot.i18n import Translator

    await asyncio.to_thread(__import__("bot.db.engine", fromlist=["x"]).upgrade_schema, db_url)
    db = Database(db_url)
    settings = Settings(_env_file=None, database_url=db_url)  # type: ignore[call-arg]
    services = Services(settings=settings, db=db, clock=SystemClock(), i18n=Translator())
    now = services.clock.now()
    async with db.session() as s:
        village = Village(code="thanhbinh", name="Thôn Thanh Bình", created_at=now)
        s.add(village)
        await s.flush()
        chats = []
        for cid in chat_ids:
            chat = await repo.upsert_chat(s, ChatRef(Platform.TELEGRAM, cid, True, cid), now)
            chat.village_id = village.id
            chats.append(chat)
        await fan_out(s, services, chats, lambda c: OutMessage(text=text), kind="announce")
    await db.close()


async def test_sigkill_mid_fan_out_then_restart_delivers_everything(tmp_path) -> None:
    """A real ``python -m bot run`` killed with SIGKILL mid-way: after a restart every chat
    has the notice, and at most the one message in flight was sent twice."""
    from tests.fakes import FakeTelegram
    from tests.procs import BotProcess, wait_until

    token = "123456789:TEST-token_fake"
    chat_ids = [str(-1004000000000 - i) for i in range(40)]
    text = "Thông báo khẩn: cắt điện từ 8h đến 11h."
    db_url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    await _seed_fan_out(db_url, chat_ids, text)
    async with FakeTelegram(token=token) as tg:
        tg.delay_next("sendMessage", 0.05, times=10_000)  # slow sends so the kill lands mid-way
        bot = BotProcess(tmp_path, {"TELEGRAM_BOT_TOKEN": token,
                                    "TELEGRAM_API_BASE_URL": tg.url,
                                    "DATABASE_URL": db_url})
        try:
            await bot.start()

            def delivered() -> int:
                return sum(1 for c in chat_ids if tg.sent_texts(c))

            await wait_until(lambda: len([c for c in tg.calls_to("sendMessage")
                                          if str(c.chat_id) in chat_ids]) >= 11,
                             interval=0.002)  # the 11th send has reached the server
            await bot.kill()
            first_run = delivered()
            assert first_run < len(chat_ids), "the kill came too late to test anything"
            await bot.start()
            await wait_until(lambda: delivered() >= len(chat_ids))
            await asyncio.sleep(0.3)  # anything else it would (wrongly) send
            assert await bot.stop() == 0
        finally:
            await bot.kill()
        counts = [len(tg.sent_texts(c)) for c in chat_ids]
        assert all(n >= 1 for n in counts)
        assert sum(counts) - len(chat_ids) <= 1, counts
        assert all(t == text for c in chat_ids for t in tg.sent_texts(c))
        assert "interrupted mid-send will be sent again" in bot.log()


async def test_next_row_claimed_while_the_overall_window_is_full(harness_factory) -> None:
    """With the overall window full, the next row is claimed (``sending``) but not sent; it
    leaves when the window opens, and it is the only row held back like that."""
    h = await harness_factory("telegram")
    ids = [str(-1003000000000 - i) for i in range(40)]
    await add_chats(h, ids)
    await queue(h, ids)
    await h.services.outbox.quiet()  # the manual clock stands still: one window's worth sent
    assert h.tg is not None
    sent = {cid for cid in ids if h.tg.sent_texts(cid)}
    assert len(sent) == TELEGRAM_LIMITS.overall
    held = [r for r in await rows(h) if r.status == SENDING]
    assert len(held) == 1 and held[0].chat_external_id not in sent
    await h.clock.advance(TELEGRAM_LIMITS.overall_window + TELEGRAM_LIMITS.margin + 0.01)
    await h.services.outbox.quiet()
    assert h.tg.sent_texts(held[0].chat_external_id) == ["Họp dân 19h"]
    await settle(h)
    assert all(h.tg.sent_texts(cid) == ["Họp dân 19h"] for cid in ids)


async def test_dedupe_fan_out_to_more_chats_than_one_statement_holds(harness_factory) -> None:
    """A deduplicated fan-out to 1,200 chats (three multi-row INSERTs) queues each once, and
    a second one with the same key none.  (The chunks are for PostgreSQL, whose 32,767 bound
    parameters one INSERT of ~2,200 rows would exceed; SQLite here allows 250,000.)"""
    from bot.delivery import outbox as outbox_module

    h = await harness_factory("telegram")
    ids = [str(-1004000000000 - i) for i in range(1200)]
    await add_chats(h, ids)
    assert len(ids) > 2 * outbox_module.DEDUPE_CHUNK
    await h.services.outbox.stop()  # count rows, do not send them
    await queue(h, ids, dedupe_key="big:1")
    await queue(h, ids, dedupe_key="big:1")
    queued = [r for r in await rows(h) if r.kind == "test"]
    assert sorted(r.chat_external_id for r in queued) == sorted(ids)
    async with h.services.db.session() as s:
        from bot.delivery.models import OutboxBatch

        totals = [b.total for b in (await s.exec(select(OutboxBatch))).all()]
    assert sorted(totals)[-2:] == [0, 1200]
