"""Composition root: settings → database → pipeline → adapters → features → web server."""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
from contextlib import suppress
from typing import TYPE_CHECKING, Any

from bot import logsafe
from bot.adapters import PLATFORMS, Running
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
    from bot.adapters.telegram import TelegramAdapter
    from bot.adapters.webchat import WebChat
    from bot.adapters.zalo import ZaloAdapter

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
        self.db = Database(settings.database_url)
        self.media = MediaStore(settings.media_dir, settings.public_base_url,
                                settings.max_photo_bytes)
        self.services = Services(settings=settings, db=self.db, clock=clock or SystemClock(),
                                 i18n=Translator(default=settings.default_locale),
                                 media=self.media)
        self.pipeline = Pipeline(self.services, routers)
        self.web = WebServer(self.services, self.media)
        self.adapters: dict[Platform, Running] = {}
        self.webchat_demo = webchat_demo
        self._stopped = asyncio.Event()

    async def dispatch(self, msg: IncomingMessage, messenger: Messenger) -> None:
        """Hand one message to the pipeline (what every adapter calls)."""
        await self.pipeline.handle(msg, messenger)

    async def start(self) -> None:
        """Migrate, start every configured platform and feature, then listen."""
        s = self.settings
        await self.db.upgrade()
        for spec in PLATFORMS:
            if spec.enabled(s):
                self.adapters[spec.platform] = await spec.start(self)
        # the outbox first: features' start hooks (reminders) may already send
        self.services.outbox = Outbox(self.services)
        await self.services.outbox.start()
        for router in self.routers:
            for hook in router.start_hooks:
                await hook(self.services)
        self.web.add_feature_routes(self.routers)
        port = await self.web.start(s.web_host, s.web_port)
        log.info("listening on http://%s:%s (platforms: %s)", s.web_host, port,
                 ", ".join(p.value for p in self.services.messengers) or "none")

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
        """The running Telegram adapter (tests reach PTB through it)."""
        return self.adapters.get(Platform.TELEGRAM)  # type: ignore[return-value]  # by key

    @property
    def zalo(self) -> ZaloAdapter | None:
        """The running Zalo adapter."""
        return self.adapters.get(Platform.ZALO)  # type: ignore[return-value]  # by key

    @property
    def webchat(self) -> WebChat | None:
        """The running web chat simulator."""
        return self.adapters.get(Platform.WEB)  # type: ignore[return-value]  # by key

    async def stop(self) -> None:
        """Stop features, platforms and the server; close the database."""
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
        await self.db.close()

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
