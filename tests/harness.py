"""The shared test harness: a real VillageBot wired to a fake platform over real HTTP.

One :class:`Harness` runs the whole bot (migrations, pipeline, adapters, features, web server)
for ONE platform: Telegram (PTB talking to :class:`FakeTelegram`), Zalo (python-zalo-bot talking
to :class:`FakeZalo`) or the local web chat (its JSON API).  Tests speak in logical names:

- users: ``admin`` (bootstrap admin), ``official`` (Trưởng thôn of ``thanhbinh``), ``resident``,
  ``resident2``, ``outsider`` (official of the other village ``anphu``);
- chats: ``group1`` and ``group2`` (tag ``dang-vien``) linked to ``thanhbinh``, ``group3`` linked
  to ``anphu``, ``group4`` not linked, and ``dm`` = the private chat of the speaking user.

The clock is a :class:`ManualClock`: time moves only when a test says so.
"""

from __future__ import annotations

import asyncio
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp

from bot.app import VillageBot
from bot.clock import ManualClock
from bot.config import Settings
from bot.core.events import ChatRef, Platform, UserRef
from bot.db import repo
from bot.db.engine import upgrade_schema
from bot.db.models import OfficialRole, Village
from tests.fakes import FakeTelegram, FakeZalo

START = datetime(2026, 11, 21, 13, 30, tzinfo=UTC)  # Saturday 20:30 in Asia/Ho_Chi_Minh
TG_TOKEN = "123456789:TEST-token_fake"
ZL_TOKEN = "987654321:zalo-secret-token"
WEB_TOKEN = "web-chat-test-secret"  # the simulator's start-link secret (WEB_CHAT_TOKEN)

USERS = {
    "admin": ("Quản Trị", 1001, "a1d0000000000000ad01"),
    "official": ("Nguyễn Văn Ba", 1002, "a1d0000000000000ad02"),
    "resident": ("Trần Thị Tư", 1003, "a1d0000000000000ad03"),
    "resident2": ("Lê Văn Năm", 1004, "a1d0000000000000ad04"),
    "outsider": ("Phạm Văn Sáu", 1005, "a1d0000000000000ad05"),
}
GROUPS = {
    "group1": ("Nhóm thôn Thanh Bình", -1001000000001, "9f00000000000000gr01", "thanhbinh", ""),
    "group2": ("Chi bộ Thanh Bình", -1001000000002, "9f00000000000000gr02", "thanhbinh",
               "dang-vien"),
    "group3": ("Nhóm thôn An Phú", -1001000000003, "9f00000000000000gr03", "anphu", ""),
    "group4": ("Nhóm chưa kết nối", -1001000000004, "9f00000000000000gr04", None, ""),
}
VILLAGES = {"thanhbinh": "Thôn Thanh Bình", "anphu": "Thôn An Phú"}
OFFICIALS = {"official": ("thanhbinh", "Trưởng thôn"), "outsider": ("anphu", "Trưởng thôn")}


def user_id(platform: str, user: str) -> str:
    """The platform id of a logical user."""
    _name, tg, zl = USERS[user]
    return {"telegram": str(tg), "zalo": zl, "web": user}[platform]


def chat_id(platform: str, chat: str, user: str = "resident") -> str:
    """The platform id of a logical chat (``dm`` = the user's private chat)."""
    if chat == "dm":
        return f"dm-{user}" if platform == "web" else user_id(platform, user)
    _title, tg, zl, _village, _tags = GROUPS[chat]
    return {"telegram": str(tg), "zalo": zl, "web": chat}[platform]


def web_demo() -> dict[str, Any]:
    """The web chat's identities and groups, using the logical names as ids."""
    return {"web": {
        "users": [{"id": u, "name": n, "role_key": "webchat-role-resident"}
                  for u, (n, _t, _z) in USERS.items()],
        "groups": [{"id": g, "title": t} for g, (t, *_rest) in GROUPS.items()],
    }}


@dataclass
class Harness:
    """A running bot on one platform, plus the fake server it talks to."""

    platform: str
    workdir: Path
    clock: ManualClock
    tg: FakeTelegram | None = None
    zl: FakeZalo | None = None
    bot: VillageBot | None = None
    settings_overrides: dict[str, Any] = field(default_factory=dict)
    _http: aiohttp.ClientSession | None = None
    _tg_message_ids: dict[tuple[str, str], int] = field(default_factory=dict)

    # ------------------------------------------------------------------ lifecycle
    def settings(self) -> Settings:
        """Settings pointing at the fake server, a temp SQLite file and a temp media folder."""
        values: dict[str, Any] = {
            "database_url": f"sqlite+aiosqlite:///{self.workdir / 'bot.db'}",
            "media_dir": self.workdir / "media",
            "web_host": "127.0.0.1", "web_port": 0, "poll_timeout": 1,
            "villagebot_admins": f"{self.platform}:{user_id(self.platform, 'admin')}",
            "web_chat": "on" if self.platform == "web" else "off", "demo_data": False,
            "telegram_bot_token": None, "zalo_bot_token": None,
            "web_chat_token": WEB_TOKEN,  # the web chat alone runs on its own database
            "web_chat_database_url": "sqlite+aiosqlite:///" + str(
                self.workdir / ("bot.db" if self.platform == "web" else "webchat.db")),
        }
        if self.tg is not None:
            values.update(telegram_bot_token=TG_TOKEN, telegram_api_base_url=self.tg.url)
        if self.zl is not None:
            values.update(zalo_bot_token=ZL_TOKEN, zalo_api_base_url=self.zl.url,
                          zalo_bot_name="Bot Lang")
        values.update(self.settings_overrides)
        return Settings(_env_file=None, **values)  # type: ignore[call-arg]

    async def start(self) -> Harness:
        """Start the fake server (once) and the bot."""
        if self.platform == "telegram" and self.tg is None:
            self.tg = await FakeTelegram(token=TG_TOKEN, bot_username="ThisBot").start()
        if self.platform == "zalo" and self.zl is None:
            self.zl = await FakeZalo(token=ZL_TOKEN, bot_id="b0700000000000000001",
                                     bot_name="Bot Lang").start()
        self.bot = VillageBot(self.settings(), clock=self.clock, webchat_demo=web_demo())
        await self.bot.db.upgrade()
        await seed(self.bot, self.platform)
        await self.bot.start()
        return self

    async def stop(self) -> None:
        """Stop the bot (the fake server keeps its state)."""
        if self.bot is not None:
            await self.bot.stop()
            self.bot = None

    async def restart(self) -> None:
        """Stop the bot and start a fresh process-like instance on the same database."""
        await self.stop()
        self.bot = VillageBot(self.settings(), clock=self.clock, webchat_demo=web_demo())
        await self.bot.start()

    async def close(self) -> None:
        """Stop everything."""
        await self.stop()
        if self._http is not None:
            await self._http.close()
        for fake in (self.tg, self.zl):
            if fake is not None:
                await fake.stop()

    @property
    def services(self):  # type: ignore[no-untyped-def]
        """The running bot's services."""
        assert self.bot is not None
        return self.bot.services

    @property
    def base_url(self) -> str:
        """The bot's web server URL."""
        assert self.bot is not None
        return f"http://127.0.0.1:{self.bot.web.port}"

    async def http(self) -> aiohttp.ClientSession:
        """A client for the bot's web server."""
        if self._http is None:  # holds the simulator's cookie, as a browser that opened the link
            self._http = aiohttp.ClientSession(cookies={"villagebot_webchat": WEB_TOKEN})
        return self._http

    # ------------------------------------------------------------------ ids
    def user_id(self, user: str) -> str:
        """Platform id of a logical user."""
        return user_id(self.platform, user)

    def chat_id(self, chat: str, user: str = "resident") -> str:
        """Platform id of a logical chat."""
        return chat_id(self.platform, chat, user)

    # ------------------------------------------------------------------ talking
    async def say(
        self,
        text: str = "",
        *,
        user: str = "resident",
        chat: str = "group1",
        reply_to: str | None = None,
        photo: bytes | None = None,
        album_id: str | None = None,
        timeout: float = 10.0,
    ) -> list[str]:
        """Send a message as ``user`` in ``chat``; wait until handled; return the bot's texts."""
        assert self.bot is not None
        cid = self.chat_id(chat, user)
        before = len(self.sent(chat, user=user))
        target = self.bot.pipeline.handled + 1
        if self.platform == "web":
            await self._web_send(user, chat, text=text, reply_to=reply_to, photo=photo)
        elif self.platform == "telegram":
            self._tg_inject(user, chat, cid, text, reply_to, photo, album_id)
        else:
            self._zl_inject(user, chat, cid, text, photo)
        await self.bot.pipeline.wait_handled(target, timeout)
        await asyncio.sleep(0)
        return self.sent(chat, user=user)[before:]

    def _tg_inject(self, user: str, chat: str, cid: str, text: str, reply_to: str | None,
                   photo: bytes | None, album_id: str | None) -> None:
        assert self.tg is not None
        name = USERS[user][0]
        kwargs: dict[str, Any] = {"username": user, "first_name": name,
                                  "chat_type": "private" if chat == "dm" else "supergroup"}
        if chat != "dm":
            kwargs["chat_title"] = GROUPS[chat][0]
        if reply_to is not None:
            kwargs["reply_to"] = int(reply_to)
        if photo is not None:
            kwargs.update(photo=self.tg.make_photo(photo), caption=text or None)
            if album_id:
                kwargs["media_group_id"] = album_id
            update = self.tg.make_message_update(int(cid), int(self.user_id(user)), **kwargs)
        else:
            update = self.tg.make_message_update(int(cid), int(self.user_id(user)), text,
                                                 **kwargs)
        self.tg.inject(update)

    def _zl_inject(self, user: str, chat: str, cid: str, text: str,
                   photo: bytes | None) -> None:
        assert self.zl is not None
        name = USERS[user][0]
        chat_type = "PRIVATE" if chat == "dm" else "GROUP"
        if chat_type == "GROUP" and text and not text.startswith("@"):
            text = f"@Bot Lang {text}"
        if photo is not None:
            url = self.zl.add_cdn_image(f"p{len(self.zl.calls)}.jpg", photo)
            event = self.zl.make_image(cid, self.user_id(user), photo_url=url,
                                       caption=text or None, chat_type=chat_type,
                                       display_name=name)
        else:
            event = self.zl.make_text(cid, self.user_id(user), text, chat_type=chat_type,
                                      display_name=name)
        self.zl.inject(event)

    async def _web_send(self, user: str, chat: str, **fields: Any) -> dict[str, Any]:
        http = await self.http()
        form = aiohttp.FormData()
        form.add_field("user", user)
        form.add_field("chat", "private" if chat == "dm" else chat)
        form.add_field("text", fields.get("text") or "")
        if fields.get("reply_to"):
            form.add_field("reply_to", fields["reply_to"])
        if fields.get("button"):
            form.add_field("button", fields["button"])
            form.add_field("message_id", fields.get("message_id") or "")
        if fields.get("photo") is not None:
            form.add_field("photo", fields["photo"], filename="photo.jpg",
                           content_type="image/jpeg")
        async with http.post(f"{self.base_url}/chat/api/send", data=form) as resp:
            assert resp.status == 200, await resp.text()
            return await resp.json()

    async def press(
        self, data: str, *, user: str = "resident", chat: str = "group1",
        message_id: str | None = None, timeout: float = 10.0,
    ) -> list[str]:
        """Press an inline button (Telegram and web only); return the bot's new texts."""
        assert self.bot is not None
        before = len(self.sent(chat, user=user))
        target = self.bot.pipeline.handled + 1
        if self.platform == "telegram":
            assert self.tg is not None
            update = self.tg.make_callback_update(
                int(self.chat_id(chat, user)), int(self.user_id(user)), data,
                message_id=int(message_id) if message_id else None, username=user,
                first_name=USERS[user][0])
            self.tg.inject(update)
        elif self.platform == "web":
            await self._web_send(user, chat, button=data,
                                 message_id=message_id or self.last_id(chat, user=user))
        else:
            raise AssertionError("Zalo has no inline buttons")
        await self.bot.pipeline.wait_handled(target, timeout)
        return self.sent(chat, user=user)[before:]

    # ------------------------------------------------------------------ observing
    def messages(self, chat: str, *, user: str = "resident") -> list[dict[str, Any]]:
        """The bot's messages in a chat as dicts with ``text``, ``id``, ``buttons``, ``media``."""
        cid = self.chat_id(chat, user)
        out: list[dict[str, Any]] = []
        if self.platform == "telegram":
            assert self.tg is not None
            for m in self.tg.sent_messages(cid):
                markup = (m.get("reply_markup") or {}).get("inline_keyboard") or []
                out.append({"id": str(m["message_id"]),
                            "text": m.get("text") or m.get("caption") or "",
                            "buttons": [[b.get("callback_data") for b in row] for row in markup],
                            "media": "photo" in m or "video" in m, "raw": m})
        elif self.platform == "zalo":
            assert self.zl is not None
            for m in self.zl.sent(cid):
                out.append({"id": str(m.get("message_id", "")),
                            "text": m.get("text") or m.get("caption") or "",
                            "buttons": [], "media": m.get("kind") == "photo", "raw": m})
        else:
            assert self.bot is not None and self.bot.webchat is not None
            for m in self.bot.webchat.messenger.transcripts.get(cid, []):
                if m["from"] != "bot":
                    continue
                text = "\n".join(p for p in (m.get("title"), m.get("text")) if p)
                out.append({"id": m["id"], "text": text,
                            "buttons": [[b["data"] for b in row] for row in m["buttons"]],
                            "media": bool(m["media"]), "raw": m})
        return out

    def sent(self, chat: str, *, user: str = "resident") -> list[str]:
        """Every text (or caption) the bot sent to a chat so far, oldest first."""
        return [m["text"] for m in self.messages(chat, user=user)]

    def last_id(self, chat: str, *, user: str = "resident") -> str | None:
        """Id of the bot's latest message in a chat."""
        msgs = self.messages(chat, user=user)
        return msgs[-1]["id"] if msgs else None

    async def settle(self, timeout: float = 10.0) -> None:
        """Wait until the bot has stopped working: webhook work done, every outbox worker
        asleep on the clock with nothing to wake it (no fixed sleeps: returns as soon as idle).
        """
        assert self.bot is not None
        await asyncio.sleep(0)
        tasks = list(self.bot.web._tasks)
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        if self.services.outbox is not None:
            await self.services.outbox.quiet(timeout)

    async def wait_sent(self, chat: str, count: int, *, user: str = "resident",
                        timeout: float = 10.0) -> list[str]:
        """Wait until the bot has sent at least ``count`` messages to a chat in total."""
        async with asyncio.timeout(timeout):
            while len(self.sent(chat, user=user)) < count:  # noqa: ASYNC110 - three sources
                await asyncio.sleep(0.01)
        return self.sent(chat, user=user)


async def seed(bot: VillageBot, platform: str) -> None:
    """Villages, linked groups and officials of the logical world."""
    services = bot.services
    now = services.clock.now()
    p = Platform(platform)
    async with services.db.session() as session:
        villages: dict[str, Village] = {}
        for code, name in VILLAGES.items():
            village = await repo.village_by_code(session, code)
            if village is None:
                village = Village(code=code, name=name, created_at=now)
                session.add(village)
                await session.flush()
            villages[code] = village
        for logical, (title, *_ids, village_code, tags) in GROUPS.items():
            chat = await repo.upsert_chat(
                session, ChatRef(p, chat_id(platform, logical), True, title), now)
            if village_code:
                chat.village_id = villages[village_code].id
                chat.tags = tags
        for logical, (code, title) in OFFICIALS.items():
            person = await repo.upsert_person(
                session, UserRef(p, user_id(platform, logical), USERS[logical][0],
                                 username=logical), now)
            if not await repo.active_roles(session, person.id or 0):
                session.add(OfficialRole(person_id=person.id or 0, village_id=villages[code].id,
                                         title=title, granted_at=now))


_TEMPLATE: dict[str, Path] = {}


def migrated_template(root: Path) -> Path:
    """A SQLite file upgraded to the newest schema once per test session (copied per test)."""
    if "db" not in _TEMPLATE:
        path = root / "template.db"
        upgrade_schema(f"sqlite+aiosqlite:///{path}")
        _TEMPLATE["db"] = path
    return _TEMPLATE["db"]


def prepare_workdir(workdir: Path, template: Path) -> None:
    """Copy the migrated template database into a test's work folder."""
    workdir.mkdir(parents=True, exist_ok=True)
    shutil.copy(template, workdir / "bot.db")
