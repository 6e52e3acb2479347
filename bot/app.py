"""Composition root: settings → database → pipeline → adapters → features → web server."""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
from contextlib import suppress
from typing import IO, TYPE_CHECKING, Any

from aiohttp import web
from sqlalchemy.engine import make_url

from bot import __version__, logsafe
from bot.adapters import PLATFORMS, Running, spec_of
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.core.events import IncomingMessage, Platform
from bot.core.messenger import Messenger
from bot.core.pipeline import Pipeline
from bot.core.router import Role, Router
from bot.core.services import Services
from bot.db.engine import Database
from bot.delivery.outbox import Outbox
from bot.i18n import Translator
from bot.media import MediaStore
from bot.web.server import WebServer

if TYPE_CHECKING:
    from bot.adapters.telegram import TelegramAdapter, TelegramBots
    from bot.adapters.webchat import WebChat
    from bot.adapters.zalo import ZaloAdapter, ZaloBots

log = logging.getLogger(__name__)


class VillageBot:
    """The whole running bot; ``start``/``stop`` are what tests and the CLI call."""

    def __init__(
        self, settings: Settings, *, clock: Clock | None = None,
        routers: list[Router] | None = None,
        webchat_demo: dict[str, Any] | None = None,
    ) -> None:
        if routers is None:
            from handlers import FEATURES

            routers = FEATURES
        self.settings = settings
        self.routers = routers
        logsafe.protect(secret.get_secret_value() for spec in PLATFORMS
                        for secret in spec.secrets(settings) if secret is not None)
        # the web chat alone: the bot is the simulator, on the simulator's own database
        web_only = settings.web_chat_enabled and not settings.web_chat_beside_platforms
        self.db = Database(settings.web_chat_database_url if web_only else settings.database_url)
        self.media = MediaStore(settings.media_dir, settings.public_base_url,
                                settings.max_photo_bytes)
        self.services = Services(settings=settings, db=self.db, clock=clock or SystemClock(),
                                 i18n=Translator(default=settings.default_locale),
                                 media=self.media)
        self.pipeline = Pipeline(self.services, routers)
        self.web = WebServer(self.services, self.media)
        self.web_app: web.Application = self.web.app  # where the simulator's routes go
        self.adapters: dict[Platform, Running] = {}
        self.demo_bot: VillageBot | None = None  # the simulator's own bot beside real platforms
        self.webchat_demo = webchat_demo
        self._stopped = asyncio.Event()
        self._run_lock: IO[bytes] | None = None

    async def dispatch(self, msg: IncomingMessage, messenger: Messenger) -> None:
        """Hand one message to the pipeline (what every adapter calls)."""
        await self.pipeline.handle(msg, messenger)

    def admit(self, msg: IncomingMessage) -> None:
        """A message has arrived and waits for its turn (see :meth:`Pipeline.admit`)."""
        self.pipeline.admit(msg)

    async def start(self) -> None:
        """Migrate, start every configured platform and feature, then listen."""
        s = self.settings
        from bot.runtime.backup import hold_run_lock

        self._run_lock = hold_run_lock(self.db.url)  # `villagebot restore` waits for us
        await self.db.upgrade()
        await self.db.start_cache_listener()  # PostgreSQL: the read caches go live
        if s.web_chat_beside_platforms:
            await self._start_demo_bot()
        for spec in PLATFORMS:
            if spec.enabled(s):
                self.adapters[spec.platform] = await spec.start(self)
        await self._claim_old_chats()
        await self._start_workers()
        self.web.add_feature_routes(self.routers)
        port = await self.web.start(s.web_host, s.web_port)
        log.info("villagebot %s started: listening on http://%s:%s (platforms: %s; database: %s)",
                 __version__, s.web_host, port,
                 ", ".join(p.value for p in self.services.messengers) or "none",
                 make_url(self.db.url).render_as_string(hide_password=True))
        if self.webchat is not None:
            host = "127.0.0.1" if s.web_host in ("0.0.0.0", "::") else s.web_host
            log.info("web chat simulator: open http://%s:%s/?token=%s", host, port,
                     self.webchat.token)

    async def _claim_old_chats(self) -> None:
        """Chats stored before their platform knew its bots (NULL ``bot``: before migration
        0014, or first seen without a bot id) belong to the platform's first bot."""
        from sqlalchemy import func, update
        from sqlmodel import col, select

        from bot.db.models import Chat

        firsts = [b for b in self.services.bots.values() if b.primary and b.bot_id]
        if not firsts:
            return
        async with self.db.session() as session:
            for bot in firsts:
                result = await session.exec(update(Chat).where(
                    Chat.platform == bot.platform.value,  # type: ignore[arg-type]
                    Chat.bot.is_(None),  # type: ignore[union-attr]
                ).values(bot=bot.bot_id))
                if result.rowcount:
                    log.info("%d %s chat(s) from before several bots belong to the first "
                             "bot %s", result.rowcount, bot.platform.value, bot.bot_id)
                ours = [b.bot_id for b in self.services.bots.values()
                        if b.platform is bot.platform and b.bot_id]
                orphans = (await session.exec(select(Chat.bot, func.count()).where(
                    Chat.platform == bot.platform.value, Chat.active,
                    col(Chat.bot).not_in(ours)).group_by(Chat.bot))).all()
                for other, count in orphans:
                    log.warning("%d active %s chat(s) belong to bot %s, which is not "
                                "configured: their messages wait until its token is back",
                                count, bot.platform.value, other)

    async def _start_workers(self) -> None:
        # the outbox first: features' start hooks (reminders) may already send
        self.services.outbox = Outbox(self.services)
        await self.services.outbox.start()
        for router in self.routers:
            for hook in router.start_hooks:
                await hook(self.services)

    async def _start_demo_bot(self) -> None:
        """Beside Telegram/Zalo the simulator is a bot of its own, on its own database.

        Its identities, villages and roles live only there (WEB_CHAT_DATABASE_URL), so nothing
        done in the web chat can grant a right to, or send to, a real chat or person.
        """
        s = self.settings
        demo_settings = s.model_copy(update={
            "telegram_bot_token": None, "telegram_bot_tokens": None,
            "zalo_bot_token": None, "zalo_bot_tokens": None,
            "web_chat": "on",
            "villagebot_admins": "", "database_url": s.web_chat_database_url})
        demo = self.demo_bot = VillageBot(demo_settings, clock=self.services.clock,
                                          routers=self.routers, webchat_demo=self.webchat_demo)
        demo.web_app = self.web.app  # its routes on our server
        await demo.db.upgrade()
        await demo.db.start_cache_listener()
        demo.adapters[Platform.WEB] = await spec_of(Platform.WEB).start(demo)
        await demo._start_workers()

    def menus(self, locale: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """(everyone's, officials') command menus in ``locale``, for platforms that show one."""
        everyone: list[tuple[str, str]] = []
        officials: list[tuple[str, str]] = []
        for cmd in self.pipeline.table.commands:
            if not cmd.menu or cmd.help_key is None or cmd.role is Role.ADMIN:
                continue
            item = (cmd.name, self.services.i18n.t(locale, cmd.help_key)[:256])
            (everyone if cmd.role is Role.RESIDENT else officials).append(item)
        return everyone, officials

    @property
    def telegram(self) -> TelegramAdapter | None:
        """The first running Telegram bot's adapter (tests reach PTB through it)."""
        fleet: TelegramBots | None = self.adapters.get(Platform.TELEGRAM)  # type: ignore[assignment]
        return fleet.adapters[0] if fleet is not None else None

    @property
    def zalo(self) -> ZaloAdapter | None:
        """The first running Zalo bot's adapter."""
        bots = self.zalo_bots
        return bots[0] if bots else None

    @property
    def zalo_bots(self) -> list[ZaloAdapter]:
        """Every running Zalo bot's adapter, in the tokens' order."""
        fleet: ZaloBots | None = self.adapters.get(Platform.ZALO)  # type: ignore[assignment]
        return list(fleet.adapters) if fleet is not None else []

    @property
    def webchat(self) -> WebChat | None:
        """The running web chat simulator (the demo bot's, beside real platforms)."""
        if self.demo_bot is not None:
            return self.demo_bot.webchat
        return self.adapters.get(Platform.WEB)  # type: ignore[return-value]  # by key

    async def stop(self) -> None:
        """Stop features, platforms and the server; close the database."""
        if self.demo_bot is not None:
            await self.demo_bot.stop()
        for router in self.routers:
            for hook in router.stop_hooks:
                with suppress(Exception):
                    await hook(self.services)
        for part in (self.services.scheduler, self.services.outbox):
            if part is not None:
                with suppress(Exception):
                    await part.stop()
        for adapter in self.adapters.values():
            await adapter.stop()
        await self.web.stop()
        await self.pipeline.close()
        await self.db.close()
        if self._run_lock is not None:
            self._run_lock.close()
            self._run_lock = None

    async def run_forever(self) -> None:
        """Start, wait for SIGINT/SIGTERM, stop."""
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with suppress(NotImplementedError):
                loop.add_signal_handler(sig, self._stopped.set)
        await self.start()
        # Everything loaded at start-up lives for the whole run: keep it out of the cyclic
        # collector's full passes (50-100 ms pauses measured under load, see benchmarks.md).
        gc.freeze()
        try:
            await self._stopped.wait()
        finally:
            await self.stop()
