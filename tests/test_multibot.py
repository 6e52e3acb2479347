"""Several Zalo bots in one deployment (issue 18, item 1), wire-level against fake Zalo bots
behind one API host (:class:`tests.fakes.hub.ApiHub`).

Bot A is the first token (``ZALO_BOT_TOKEN``, the harness's fake), bot B the second
(``ZALO_BOT_TOKENS``).  Each has its own groups; a chat belongs to the bot that is in it; the
outbox sends through that bot; Zalo's "Quota exceeded" pauses only the bot that hit it.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import sqlalchemy as sa
from alembic import command
from sqlmodel import select

from bot.clock import ManualClock
from bot.config import ConfigError, Settings, load_settings
from bot.core.events import ChatRef, Platform
from bot.core.messenger import OutMessage
from bot.db import repo
from bot.db.engine import alembic_config
from bot.db.models import Chat
from bot.delivery.models import PENDING, SENDING, OutboxItem, PlatformPause
from bot.delivery.outbox import fan_out, resume_platform
from tests.conftest_pg import pg_url  # noqa: F401  # the fixture
from tests.fakes import FakeTelegram, FakeZalo
from tests.fakes.hub import ApiHub
from tests.harness import TG_TOKEN, USERS, ZL_TOKEN, Harness, prepare_workdir
from tests.pg import requires_pg

BOT_A = "b0700000000000000001"
BOT_B = "b0700000000000000002"
TOKEN_B = "555000111:second-bot-token"
GB1 = "9f00000000000000bb01"  # a group of bot B
GB2 = "9f00000000000000bb02"
SECRET_A = "secret-of-bot-a-1234"
SECRET_B = "secret-of-bot-b-5678"


class TwoBots:
    """The running bot (harness on bot A) plus bot B's fake."""

    def __init__(self, h: Harness, b: FakeZalo) -> None:
        self.h, self.b = h, b

    @property
    def a(self) -> FakeZalo:
        assert self.h.zl is not None
        return self.h.zl

    async def say_b(self, text: str, *, user: str = "resident", chat: str = GB1) -> list[str]:
        """A message to bot B (mentioning it in a group); returns bot B's new texts there."""
        bot = self.h.bot
        assert bot is not None
        before = len(self.b.sent_texts(chat))
        target = bot.pipeline.handled + 1
        uid = USERS[user][2]
        private = chat == uid
        self.b.inject(self.b.make_text(
            chat, uid, text if private else f"@Bot Hai {text}",
            chat_type="PRIVATE" if private else "GROUP", display_name=USERS[user][0]))
        await bot.pipeline.wait_handled(target, 10)
        await asyncio.sleep(0)
        return self.b.sent_texts(chat)[before:]

    async def settle(self, limit: float = 120.0) -> None:
        """Advance the clock until no unpaused row is due."""
        h, moved = self.h, 0.0
        while True:
            await h.services.outbox.quiet()
            async with h.services.db.session() as s:
                busy = (await s.exec(select(OutboxItem).where(
                    OutboxItem.status.in_((PENDING, SENDING))))).all()  # type: ignore[attr-defined]
                paused = {p.platform for p in (await s.exec(select(PlatformPause))).all()}
            if not [r for r in busy if r.sender not in paused] or moved >= limit:
                return
            await h.clock.advance(1.0)
            moved += 1.0
            await asyncio.sleep(0.01)

    async def notice(self, text: str) -> int:
        """fan_out ``text`` to every active chat of thanhbinh."""
        from bot.db.villages import village_chats

        h = self.h
        async with h.services.db.session() as s:
            v = await repo.village_by_code(s, "thanhbinh")
            assert v is not None and v.id is not None
            chats = await village_chats(s, v.id)
            return await fan_out(s, h.services, chats, lambda c: OutMessage(text=text),
                                 kind="test", ref_id=1)


async def _two_bots(tmp_path: Path, db_template: Path | None, clock: ManualClock,
                    **settings: Any) -> AsyncIterator[TwoBots]:
    a = await FakeZalo(token=ZL_TOKEN, bot_id=BOT_A, bot_name="Bot Lang").start()
    b = await FakeZalo(token=TOKEN_B, bot_id=BOT_B, bot_name="Bot Hai").start()
    hub = await ApiHub(a, b).start()
    workdir = tmp_path / "zalo-two"
    if db_template is not None:  # else the test put an older database there
        prepare_workdir(workdir, db_template)
    h = Harness(platform="zalo", workdir=workdir, clock=clock, zl=a, settings_overrides={
        "zalo_api_base_url": hub.url, "zalo_bot_tokens": TOKEN_B, "zalo_bot_names": "Bot Hai",
        **settings})
    try:
        await h.start()
        yield TwoBots(h, b)
    finally:
        await h.close()
        await b.stop()
        await hub.stop()


@pytest.fixture
async def two(tmp_path: Path, db_template: Path, clock: ManualClock
              ) -> AsyncIterator[TwoBots]:
    async for world in _two_bots(tmp_path, db_template, clock):
        yield world


@pytest.fixture
async def two_webhook(tmp_path: Path, db_template: Path, clock: ManualClock
                      ) -> AsyncIterator[TwoBots]:
    async for world in _two_bots(tmp_path, db_template, clock, zalo_mode="webhook",
                                 public_base_url="https://bot.example.org",
                                 zalo_webhook_secret=SECRET_A, zalo_webhook_secrets=SECRET_B):
        yield world


async def _chat(h: Harness, external_id: str) -> Chat:
    async with h.services.db.session() as s:
        return (await s.exec(select(Chat).where(Chat.external_id == external_id))).one()


# ---------------------------------------------------------------- identity and binding


async def test_each_bot_has_its_identity_and_old_chats_belong_to_the_first(two: TwoBots
                                                                             ) -> None:
    h = two.h
    assert {bot.bot_id for bot in h.services.bots.values()} == {BOT_A, BOT_B}
    # the seeded groups existed before bot B: start-up gave them to the single old bot
    assert (await _chat(h, h.chat_id("group1"))).bot == BOT_A
    assert [c.method for c in two.b.calls].count("getMe") == 1


async def test_ketnoi_via_second_bot_binds_the_group_to_it(two: TwoBots) -> None:
    h = two.h
    replies = await two.say_b("/ketnoi thanhbinh", user="admin")
    assert replies and "Thanh Bình" in replies[-1]
    assert two.a.sent(GB1) == []  # the reply went through the bot that received the command
    chat = await _chat(h, GB1)
    assert chat.bot == BOT_B and chat.village_id is not None
    # a group first seen by bot B belongs to it even before /ketnoi
    await two.say_b("xin chào", chat=GB2)
    assert (await _chat(h, GB2)).bot == BOT_B


async def test_notice_reaches_both_bots_groups_through_their_own_bot(two: TwoBots) -> None:
    h = two.h
    await two.say_b("/ketnoi thanhbinh", user="admin")
    await two.notice("Họp dân 19h")
    await two.settle()
    for group in ("group1", "group2"):
        assert two.a.sent_texts(h.chat_id(group)) == ["Họp dân 19h"]
        assert two.b.sent(h.chat_id(group)) == []
    assert two.b.sent_texts(GB1)[-1] == "Họp dân 19h"
    assert "Họp dân 19h" not in two.a.sent_texts(GB1)


async def test_quota_pauses_only_the_bot_that_hit_it(two: TwoBots) -> None:
    await _quota_story(two)


@requires_pg
async def test_quota_pauses_only_the_bot_that_hit_it_on_postgresql(
        tmp_path: Path, db_template: Path, clock: ManualClock,
        pg_url: str) -> None:  # noqa: F811  # the fixture
    """The same on PostgreSQL: claims FOR UPDATE SKIP LOCKED and shared budgets per bot."""
    async for two in _two_bots(tmp_path, db_template, clock, database_url=pg_url):
        await _quota_story(two)


async def _quota_story(two: TwoBots) -> None:
    h = two.h
    await two.say_b("/ketnoi thanhbinh", user="admin")
    await h.say("/start", user="official", chat="dm")  # the official's chat with bot A
    two.b.quota_exhausted = True
    await two.notice("Đợt một")
    await two.settle()
    assert two.a.sent_texts(h.chat_id("group1")) == ["Đợt một"]
    refused = [c for c in two.b.calls_to("sendMessage") if c.params.get("text") == "Đợt một"]
    assert len(refused) == 1  # one refused call, then bot B stops
    async with h.services.db.session() as s:
        assert await s.get(PlatformPause, f"zalo:{BOT_B}") is not None
        assert await s.get(PlatformPause, "zalo") is None
    # bot A keeps sending while bot B waits
    await two.notice("Đợt hai")
    await two.settle()
    assert two.a.sent_texts(h.chat_id("group1")) == ["Đợt một", "Đợt hai"]
    assert len([c for c in two.b.calls_to("sendMessage")
                if c.params.get("text") in ("Đợt một", "Đợt hai")]) == 1
    # the officials are told, through bot A, which bot stopped
    warning = [t for t in two.a.sent_texts(h.chat_id("dm", "official")) if "hạn mức" in t]
    assert len(warning) == 1 and "Bot Hai" in warning[0]
    # quota renewed: bot B sends what waited, in order
    two.b.quota_exhausted = False
    async with h.services.db.session() as s:
        assert await resume_platform(s, h.services, f"zalo:{BOT_B}")
    await two.settle()
    assert two.b.sent_texts(GB1)[-2:] == ["Đợt một", "Đợt hai"]


async def test_upgrade_from_one_bot_gives_old_chats_and_rows_to_the_first_bot(
        tmp_path: Path, clock: ManualClock) -> None:
    """A one-bot database (schema 0013) with a row waiting: after 0014 and a start with two
    bots, the old chat is the first bot's and its row goes out through the first bot."""
    workdir = tmp_path / "zalo-two"
    workdir.mkdir()
    url = f"sqlite+aiosqlite:///{workdir / 'bot.db'}"
    await asyncio.to_thread(command.upgrade, alembic_config(url), "0013")
    engine = sa.create_engine(f"sqlite:///{workdir / 'bot.db'}")
    now = "2026-11-21 13:30:00.000000"
    with engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO chat (id, platform, external_id, is_group, tags, active, created_at) "
            "VALUES (1, 'zalo', :cid, 1, '', 1, :now)"), {"cid": "9f00000000000000old1",
                                                         "now": now})
        conn.execute(sa.text(
            "INSERT INTO outbox (kind, chat_id, platform, chat_external_id, payload, pin, "
            "status, attempts, next_attempt_at, message_ids, created_at) VALUES ('test', 1, "
            "'zalo', :cid, :payload, 0, 'pending', 0, :now, '[]', :now)"),
            {"cid": "9f00000000000000old1", "now": now,
             "payload": json.dumps({"text": "Từ trước"})})
    engine.dispose()
    async for two in _two_bots(tmp_path, None, clock):
        await two.settle()
        assert two.a.sent_texts("9f00000000000000old1") == ["Từ trước"]
        assert two.b.sent("9f00000000000000old1") == []
        assert (await _chat(two.h, "9f00000000000000old1")).bot == BOT_A
        async with two.h.services.db.session() as s:
            row = (await s.exec(select(OutboxItem))).one()
            assert row.sender == "zalo"


async def test_chats_of_a_bot_no_longer_configured_wait_and_are_named_at_start(
        two: TwoBots, caplog: pytest.LogCaptureFixture) -> None:
    h = two.h
    async with h.services.db.session() as s:
        chat = await repo.upsert_chat(s, ChatRef(Platform.ZALO, GB2, True, "Nhóm cũ",
                                                 bot="b07gone"), h.clock.now())
        chat.village_id = (await repo.village_by_code(s, "thanhbinh")).id  # type: ignore[union-attr]
    caplog.set_level(logging.WARNING, logger="bot.app")
    await h.restart()
    assert any("b07gone" in r.getMessage() and "not configured" in r.getMessage()
               for r in caplog.records)
    await two.notice("Chờ bot")
    await two.settle()
    assert two.a.sent(GB2) == [] and two.b.sent(GB2) == []  # never through a bot not in it
    async with h.services.db.session() as s:
        row = (await s.exec(select(OutboxItem).where(
            OutboxItem.chat_external_id == GB2))).one()
        assert (row.status, row.sender) == (PENDING, "zalo:b07gone")


# ---------------------------------------------------------------- polling, health, webhooks


async def test_healthz_and_metric_show_each_bots_polling(two: TwoBots) -> None:
    h = two.h
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{h.base_url}/healthz") as resp:
            body = await resp.json()
            assert resp.status == 200
        assert body["polling"] == {"zalo": "alive", f"zalo:{BOT_B}": "alive"}
        assert h.bot is not None
        second = h.bot.zalo_bots[1]
        assert second.bot_id == BOT_B and second.polling_task is not None
        second.polling_task.cancel()
        await asyncio.sleep(0.05)
        async with http.get(f"{h.base_url}/healthz") as resp:
            body = await resp.json()
            assert resp.status == 503
        assert body["polling"] == {"zalo": "alive", f"zalo:{BOT_B}": "dead"}
    text = h.services.metrics.render().decode()
    assert f'villagebot_polling_alive{{platform="zalo:{BOT_B}"}} 0.0' in text
    assert 'villagebot_polling_alive{platform="zalo"} 1.0' in text


async def test_webhook_per_bot_with_its_own_secret(two_webhook: TwoBots) -> None:
    two = two_webhook
    h = two.h
    assert two.a.webhook is not None and two.b.webhook is not None
    assert two.a.webhook["url"] == "https://bot.example.org/webhook/zalo"
    assert two.b.webhook["url"] == f"https://bot.example.org/webhook/zalo/{BOT_B}"
    assert two.b.webhook["secret_token"] == SECRET_B
    url_b = f"{h.base_url}/webhook/zalo/{BOT_B}"
    event = two.b.make_text(GB1, USERS["admin"][2], "@Bot Hai /ketnoi thanhbinh")
    for wrong in ("x" * 12, SECRET_A, None):
        assert await two.b.post_webhook(url_b, event, secret=wrong) == 403
    assert await two.b.post_webhook(f"{h.base_url}/webhook/zalo", event,
                                    secret=SECRET_B) == 403
    assert await two.b.post_webhook(f"{h.base_url}/webhook/zalo/nobot", event,
                                    secret=SECRET_B) == 404
    assert h.bot is not None
    target = h.bot.pipeline.handled + 1
    assert await two.b.post_webhook(url_b, event, secret=SECRET_B) == 200
    await h.bot.pipeline.wait_handled(target, 10)
    await h.settle()
    assert two.b.sent_texts(GB1) and two.a.sent(GB1) == []
    assert (await _chat(h, GB1)).bot == BOT_B


# ---------------------------------------------------------------- settings


def test_token_list_settings() -> None:
    s = Settings(_env_file=None, zalo_bot_token="1:a", zalo_bot_tokens="2:b, 3:c,1:a")  # type: ignore[call-arg]
    assert [t.get_secret_value() for t in s.zalo_tokens] == ["1:a", "2:b", "3:c"]
    assert s.zalo_api_base_url == "https://bot-api.zaloplatforms.com"
    only_list = Settings(_env_file=None, zalo_bot_tokens="2:b,3:c")  # type: ignore[call-arg]
    assert len(only_list.zalo_tokens) == 2 and not only_list.web_chat_enabled
    with pytest.raises(ConfigError) as err:
        load_settings(_env_file=None, zalo_bot_token="1:a", zalo_bot_tokens="2:b",
                      zalo_mode="webhook", public_base_url="https://x.example.org",
                      zalo_webhook_secret=SECRET_A)
    assert err.value.variable == "ZALO_WEBHOOK_SECRETS"
    with pytest.raises(ConfigError) as err:
        load_settings(_env_file=None, zalo_bot_tokens="2:b", zalo_mode="webhook",
                      public_base_url="https://x.example.org", zalo_webhook_secrets="short")
    assert err.value.variable == "ZALO_WEBHOOK_SECRETS"


# ---------------------------------------------------------------- several Telegram bots

TG_TOKEN_B = "222333444:SECOND-token_fake"
TG_BOT_A = "123456789"
TG_BOT_B = "222333444"
TG_GB = -1001000000099  # a group of Telegram bot B
TG_SECRET_A, TG_SECRET_B = "tg-secret-a-1234", "tg-secret-b-5678"


class TwoTelegramBots:
    """The running bot (harness on Telegram bot A) plus bot B's fake."""

    def __init__(self, h: Harness, b: FakeTelegram) -> None:
        self.h, self.b = h, b

    @property
    def a(self) -> FakeTelegram:
        assert self.h.tg is not None
        return self.h.tg

    def update_b(self, text: str, *, user: str = "resident", chat: int = TG_GB
                 ) -> dict[str, Any]:
        uid = USERS[user][1]
        return self.b.make_message_update(
            chat, uid, text, username=user, first_name=USERS[user][0],
            chat_type="private" if chat == uid else "supergroup",
            **({} if chat == uid else {"chat_title": "Nhóm của bot hai"}))

    async def say_b(self, text: str, *, user: str = "resident", chat: int = TG_GB
                    ) -> list[str]:
        bot = self.h.bot
        assert bot is not None
        before = len(self.b.sent_texts(chat))
        target = bot.pipeline.handled + 1
        self.b.inject(self.update_b(text, user=user, chat=chat))
        await bot.pipeline.wait_handled(target, 10)
        await asyncio.sleep(0)
        return self.b.sent_texts(chat)[before:]


async def _two_telegram(tmp_path: Path, db_template: Path, clock: ManualClock,
                        **settings: Any) -> AsyncIterator[TwoTelegramBots]:
    a = await FakeTelegram(token=TG_TOKEN, bot_username="ThisBot").start()
    b = await FakeTelegram(token=TG_TOKEN_B, bot_username="SecondBot").start()
    hub = await ApiHub(a, b).start()
    workdir = tmp_path / "telegram-two"
    prepare_workdir(workdir, db_template)
    h = Harness(platform="telegram", workdir=workdir, clock=clock, tg=a, settings_overrides={
        "telegram_api_base_url": hub.url, "telegram_bot_tokens": TG_TOKEN_B, **settings})
    try:
        await h.start()
        yield TwoTelegramBots(h, b)
    finally:
        await h.close()
        await b.stop()
        await hub.stop()


@pytest.fixture
async def two_tg(tmp_path: Path, db_template: Path, clock: ManualClock
                 ) -> AsyncIterator[TwoTelegramBots]:
    async for world in _two_telegram(tmp_path, db_template, clock):
        yield world


async def test_two_telegram_bots_each_serve_their_groups(two_tg: TwoTelegramBots) -> None:
    two, h = two_tg, two_tg.h
    assert {b.bot_id for b in h.services.bots.values()} == {TG_BOT_A, TG_BOT_B}
    assert (await _chat(h, h.chat_id("group1"))).bot == TG_BOT_A
    # a command addressed to bot B by its own @username is bot B's, answered through it
    replies = await two.say_b("/ketnoi@SecondBot thanhbinh", user="admin")
    assert replies and "Thanh Bình" in replies[-1]
    assert two.a.sent_texts(TG_GB) == []
    assert (await _chat(h, str(TG_GB))).bot == TG_BOT_B
    # a notice goes to each group through the bot that is in it
    async with h.services.db.session() as s:
        from bot.db.villages import village_chats

        v = await repo.village_by_code(s, "thanhbinh")
        assert v is not None and v.id is not None
        await fan_out(s, h.services, await village_chats(s, v.id),
                      lambda c: OutMessage(text="Họp dân 19h"), kind="test")
    await h.settle()
    assert two.a.sent_texts(h.chat_id("group1")) == ["Họp dân 19h"]
    assert two.b.sent_texts(TG_GB)[-1] == "Họp dân 19h"
    assert two.b.sent_texts(h.chat_id("group1")) == []
    async with aiohttp.ClientSession() as http, http.get(f"{h.base_url}/healthz") as resp:
        assert (await resp.json())["polling"] == {"telegram": "alive",
                                                  f"telegram:{TG_BOT_B}": "alive"}


async def test_telegram_webhook_per_bot_with_its_own_secret(
        tmp_path: Path, db_template: Path, clock: ManualClock) -> None:
    async for two in _two_telegram(
            tmp_path, db_template, clock, telegram_mode="webhook",
            public_base_url="https://bot.example.org", telegram_webhook_secret=TG_SECRET_A,
            telegram_webhook_secrets=TG_SECRET_B):
        h = two.h
        assert two.a.webhook is not None and two.b.webhook is not None
        assert two.a.webhook["url"] == "https://bot.example.org/webhook/telegram"
        assert two.b.webhook["url"] == f"https://bot.example.org/webhook/telegram/{TG_BOT_B}"
        url_b = f"{h.base_url}/webhook/telegram/{TG_BOT_B}"
        update = two.update_b("/ketnoi thanhbinh", user="admin")
        for wrong in ("x" * 12, TG_SECRET_A, None):
            assert await two.b.post_webhook(url_b, dict(update), secret=wrong) == 403
        assert await two.b.post_webhook(f"{h.base_url}/webhook/telegram", dict(update),
                                        secret=TG_SECRET_B) == 403
        assert h.bot is not None
        target = h.bot.pipeline.handled + 1
        assert await two.b.post_webhook(url_b, update, secret=TG_SECRET_B) == 200
        await h.bot.pipeline.wait_handled(target, 10)
        await h.settle()
        assert two.b.sent_texts(TG_GB) and two.a.sent_texts(TG_GB) == []
        assert (await _chat(h, str(TG_GB))).bot == TG_BOT_B


def test_telegram_token_list_settings() -> None:
    s = Settings(_env_file=None, telegram_bot_tokens="1:a,2:b")  # type: ignore[call-arg]
    assert [t.get_secret_value() for t in s.telegram_tokens] == ["1:a", "2:b"]
    assert s.telegram_enabled and not s.web_chat_enabled
    with pytest.raises(ConfigError) as err:
        load_settings(_env_file=None, telegram_bot_token="1:a", telegram_bot_tokens="2:b",
                      telegram_mode="webhook", public_base_url="https://x.example.org",
                      telegram_webhook_secret=TG_SECRET_A)
    assert err.value.variable == "TELEGRAM_WEBHOOK_SECRETS"
