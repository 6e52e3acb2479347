"""Three real bot processes in webhook mode on ONE PostgreSQL database, behind a round-robin
"load balancer" in the test (each update goes to the next process, as nginx would).

Both platforms talk to one fake Telegram and one fake Zalo in the test process, so what a chat
"received" is counted across all processes.  Consecutive updates always reach different
processes: an announcement previewed on one and confirmed on another, the same Zalo event
delivered to two processes, a meeting created on one, listed on another and RSVP'd on a third,
and a Telegram album whose parts reach different processes.  Skipped without
``VILLAGEBOT_TEST_POSTGRES_URL``.
"""

from __future__ import annotations

import asyncio
import socket
from collections import Counter
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from bot.db.engine import Database
from bot.db.models import Chat, OfficialRole, Person, Village
from handlers.projects.models import ProgressUpdate, UpdateMedia
from tests.conftest_pg import pg_url  # noqa: F401
from tests.fakes import FakeTelegram, FakeZalo, tiny_png
from tests.pg import requires_pg
from tests.procs import BotProcess, wait_until

pytestmark = requires_pg

TG_TOKEN = "123456789:TEST-token_fake"
ZL_TOKEN = "987654321:zalo-secret-token"
TG_SECRET = "tg-secret-123456"
ZL_SECRET = "zalo-secret-123456"
GROUP1 = -1001000000001  # where the official works; the village has four more chats
OTHER_GROUPS = [-1001000000002, -1001000000003, -1001000000004]
ZALO_GROUP = "9f00000000000000gr01"
OFFICIAL_TG = 1002
RESIDENTS = [1003, 1004]
ZALO_USER = "a1d0000000000000ad03"
NOTICE = "Tối nay 19h họp dân tại nhà văn hóa."


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Cluster:
    """The processes, the shared fakes and the round-robin balancer in front of them."""

    url: str
    procs: list[BotProcess]
    ports: list[int]
    tg: FakeTelegram
    zl: FakeZalo
    turn: int = 0
    last: int = -1

    def _next(self) -> str:
        index = self.turn % len(self.ports)
        assert index != self.last  # every update reaches another process than the previous
        self.turn += 1
        self.last = index
        return f"http://127.0.0.1:{self.ports[index]}"

    async def telegram(self, update: dict[str, Any]) -> None:
        """POST one Telegram update to the next process's webhook."""
        status = await self.tg.post_webhook(f"{self._next()}/webhook/telegram", update,
                                            secret=TG_SECRET)
        assert status == 200

    async def zalo(self, event: dict[str, Any]) -> None:
        """POST one Zalo event to the next process's webhook."""
        status = await self.zl.post_webhook(f"{self._next()}/webhook/zalo", event,
                                            secret=ZL_SECRET)
        assert status == 200

    def say(self, text: str | None, *, user: int = OFFICIAL_TG, chat: int = GROUP1,
            **kw: Any) -> dict[str, Any]:
        """A Telegram message update (not yet delivered)."""
        return self.tg.make_message_update(chat, user, text, **kw)

    def texts(self, chat: int) -> list[str]:
        """Every text the bot (any process) sent to a Telegram chat."""
        return self.tg.sent_texts(chat)


async def _seed(url: str) -> None:
    """Village with five linked chats (four Telegram groups, one Zalo group) and an official."""
    db = Database(url)
    await db.upgrade()
    now = datetime.now(UTC)
    try:
        async with db.session() as s:
            village = Village(code="thanhbinh", name="Thôn Thanh Bình", created_at=now)
            s.add(village)
            await s.flush()
            for i, gid in enumerate([GROUP1, *OTHER_GROUPS]):
                s.add(Chat(platform="telegram", external_id=str(gid), is_group=True,
                           title=f"Nhóm {i}", village_id=village.id, created_at=now))
            s.add(Chat(platform="zalo", external_id=ZALO_GROUP, is_group=True,
                       title="Nhóm Zalo", village_id=village.id, created_at=now))
            person = Person(platform="telegram", external_id=str(OFFICIAL_TG),
                            display_name="Nguyễn Văn Ba", username="official", created_at=now)
            s.add(person)
            await s.flush()
            s.add(OfficialRole(person_id=person.id or 0, village_id=village.id,
                               title="Trưởng thôn", granted_at=now))
    finally:
        await db.close()


@pytest.fixture
async def cluster(pg_url: str, tmp_path: Path) -> AsyncIterator[Cluster]:  # noqa: F811
    """Three webhook-mode processes (both platforms) on one seeded database, started."""
    await _seed(pg_url)
    tg = await FakeTelegram(token=TG_TOKEN, bot_username="ThisBot").start()
    zl = await FakeZalo(token=ZL_TOKEN, bot_name="Bot Lang").start()
    ports = [_free_port() for _ in range(3)]
    procs = [BotProcess(tmp_path / name, {
        "DATABASE_URL": pg_url, "WEB_PORT": str(port), "WEB_CHAT": "off",
        "PUBLIC_BASE_URL": "https://bot.example.org",
        "TELEGRAM_BOT_TOKEN": TG_TOKEN, "TELEGRAM_API_BASE_URL": tg.url,
        "TELEGRAM_MODE": "webhook", "TELEGRAM_WEBHOOK_SECRET": TG_SECRET,
        "ZALO_BOT_TOKEN": ZL_TOKEN, "ZALO_API_BASE_URL": zl.url, "ZALO_BOT_NAME": "Bot Lang",
        "ZALO_MODE": "webhook", "ZALO_WEBHOOK_SECRET": ZL_SECRET,
    }) for name, port in zip("abc", ports, strict=True)]
    try:
        await asyncio.gather(*(p.start() for p in procs))
        await asyncio.gather(*(p.wait_log("listening on", timeout=30) for p in procs))
        assert len(tg.calls_to("setWebhook")) == 3 and len(zl.calls_to("setWebhook")) == 3
        yield Cluster(pg_url, procs, ports, tg, zl)
    finally:
        for proc in procs:
            await proc.stop(timeout=10)
        await tg.stop()
        await zl.stop()


async def _until(check: Callable[[], bool], timeout: float = 15.0) -> None:
    await wait_until(check, timeout=timeout, interval=0.05)


def _with(texts: list[str], needle: str) -> int:
    return sum(1 for t in texts if needle in t)


async def test_announce_previewed_on_one_process_confirmed_on_another(cluster: Cluster) -> None:
    c = cluster
    await c.telegram(c.say(f"/announce {NOTICE}"))
    await _until(lambda: _with(c.texts(GROUP1), "sẽ gửi tới") == 1)
    preview = c.texts(GROUP1)[-1]
    assert "sẽ gửi tới 5 nhóm" in preview, preview  # four Telegram groups + one Zalo group
    await c.telegram(c.say("/xacnhan"))
    await _until(lambda: _with(c.texts(GROUP1), "nơi nhận") == 1)
    await asyncio.sleep(1.5)  # a duplicate copy or a second report would arrive by now

    tg_copies = Counter(g for g in [GROUP1, *OTHER_GROUPS] for t in c.texts(g) if NOTICE in t
                        and "THÔNG BÁO" in t and "sẽ gửi tới" not in t)
    assert tg_copies == Counter({g: 1 for g in [GROUP1, *OTHER_GROUPS]})
    assert _with(c.zl.sent_texts(ZALO_GROUP), NOTICE) == 1
    reports = [t for t in c.texts(GROUP1) if "nơi nhận" in t]
    assert reports == ["Đã gửi 5/5 nơi nhận."]


async def test_same_zalo_event_on_two_processes_handled_once(cluster: Cluster) -> None:
    c = cluster
    event = c.zl.make_text(ZALO_USER, ZALO_USER, "/start", chat_type="PRIVATE",
                           display_name="Tư")
    await c.zalo(event)
    await _until(lambda: len(c.zl.sent_texts(ZALO_USER)) == 1)
    await c.zalo(event)  # the platform's retry, landing on another process
    # both copies at once on the two other processes: the race a retry storm makes
    again = c.zl.make_text(ZALO_USER, ZALO_USER, "/start", chat_type="PRIVATE",
                           display_name="Tư")
    await asyncio.gather(c.zalo(again), c.zalo(again))
    await _until(lambda: len(c.zl.sent_texts(ZALO_USER)) == 2)
    await asyncio.sleep(1.5)
    assert len(c.zl.sent_texts(ZALO_USER)) == 2  # one reply per distinct event


async def test_meeting_created_listed_and_rsvped_on_different_processes(
        cluster: Cluster) -> None:
    c = cluster
    await c.telegram(c.say("/taohop 19h30 thứ Bảy | Nhà văn hóa thôn | Họp bàn đường làng"))
    await _until(lambda: any("/xacnhan" in t for t in c.texts(GROUP1)))  # the preview …
    await c.telegram(c.say("/xacnhan"))  # … confirmed, maybe on another process (drafts table)
    # the announcement with RSVP buttons, through the outbox, in every linked group
    await _until(lambda: all(
        any(m.get("reply_markup") for m in c.tg.sent_messages(g)) for g in OTHER_GROUPS))
    before = len(c.texts(GROUP1))
    await c.telegram(c.say("/lich-hop"))
    await _until(lambda: len(c.texts(GROUP1)) > before)
    assert "Họp bàn đường làng" in c.texts(GROUP1)[before]  # listed by another process

    [notice] = [m for m in c.tg.sent_messages(OTHER_GROUPS[0]) if m.get("reply_markup")]
    data = notice["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    assert data.startswith("rsvp:yes:")
    for count, user in enumerate(RESIDENTS, start=1):
        await c.telegram(c.tg.make_callback_update(OTHER_GROUPS[0], user, data,
                                                   message_id=notice["message_id"]))
        await _until(lambda n=count: len(c.tg.callback_answers) == n)
        assert f"({count} tham dự, 0 vắng)" in c.tg.callback_answers[-1].get("text", "")

    def labels() -> list[str]:
        current = c.tg.messages[(OTHER_GROUPS[0], notice["message_id"])]
        return [b["text"] for b in current["reply_markup"]["inline_keyboard"][0]]

    await _until(lambda: labels() == ["Tham dự (2)", "Vắng (0)"])
    before = len(c.texts(GROUP1))
    await c.telegram(c.say("/lich-hop"))
    await _until(lambda: len(c.texts(GROUP1)) > before)
    assert "2 tham dự · ❌ 0 vắng" in c.texts(GROUP1)[before]


async def _album(c: Cluster, *, wait_for_ack: bool) -> tuple[Counter[str], int, int]:
    """A 2-photo ``#nvh`` album whose parts reach different processes; returns the
    sendMediaGroup calls per chat, and the ProgressUpdate and UpdateMedia row counts."""
    await c.telegram(c.say("/congtrinh tao Nhà văn hóa | nvh | 500tr"))
    await _until(lambda: len(c.texts(GROUP1)) == 1)
    photos = [c.tg.make_photo(tiny_png(color=(200, 0, 0))),
              c.tg.make_photo(tiny_png(color=(0, 200, 0)))]
    if not wait_for_ack:
        c.tg.delay_next("getFile", 1.0)  # part 1's download is slow: part 2 comes first
    await c.telegram(c.say(None, photo=photos[0], caption="#nvh 30% Lên cột tầng 1",
                           media_group_id="alb-1"))
    if wait_for_ack:
        await _until(lambda: len(c.texts(GROUP1)) == 2)  # "saved; the album follows"
    await c.telegram(c.say(None, photo=photos[1], media_group_id="alb-1"))
    sends = ("sendMediaGroup", "sendPhoto", "sendMessage")
    await _until(lambda: all(any(call.method in sends for call in c.tg.calls
                                 if call.chat_id == g) for g in OTHER_GROUPS), 20)
    await asyncio.sleep(2.5)  # a second post of the same album (or a late part) shows by now
    for g in OTHER_GROUPS:  # exactly one post per chat, whatever its form
        posts = [call for call in c.tg.calls if call.chat_id == g and call.method in sends]
        assert len(posts) == 1, (g, [(p.method, p.params) for p in posts])
    groups = Counter(str(call.params.get("chat_id")) for call in
                     c.tg.calls_to("sendMediaGroup") if call.ok)
    db = Database(c.url)
    try:
        async with db.session() as s:
            updates = len((await s.exec(select(ProgressUpdate))).all())
            media = len((await s.exec(select(UpdateMedia))).all())
    finally:
        await db.close()
    return groups, updates, media


async def test_album_parts_on_different_processes_make_one_update(cluster: Cluster) -> None:
    groups, updates, media = await _album(cluster, wait_for_ack=True)
    assert groups == Counter({str(g): 1 for g in OTHER_GROUPS}), groups
    assert (updates, media) == (1, 2)


async def test_album_parts_arriving_together_on_two_processes(cluster: Cluster) -> None:
    groups, updates, media = await _album(cluster, wait_for_ack=False)
    assert (updates, media) == (1, 2)
    assert groups == Counter({str(g): 1 for g in OTHER_GROUPS}), groups
