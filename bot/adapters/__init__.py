"""Platform adapters: the only code that imports ``telegram`` or ``zalo_bot``.

:data:`PLATFORMS` is the platform registry: the app starts, and stops, every platform whose
settings ask for it by looping over it, and code that only knows a platform by name (a chat
row, a person) asks :func:`capabilities_of` instead of comparing names.  Each adapter module
holds ``CAPABILITIES`` and ``async def start(host) -> Running``; nothing here imports an SDK.
Adding a platform = its adapter module + one entry below + its settings + its locale strings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING, Any, Protocol

from bot.core.events import IncomingMessage, Platform
from bot.core.messenger import Capabilities, Messenger

if TYPE_CHECKING:
    from aiohttp.web import Application
    from pydantic import SecretStr

    from bot.config import Settings
    from bot.core.services import Services
    from bot.web.server import WebServer


class Host(Protocol):
    """What the app lends an adapter's ``start``: settings, services, the web server, dispatch."""

    settings: Settings
    services: Services
    web: WebServer
    web_app: Application  # where the simulator's routes go (usually ``web.app``)
    webchat_demo: dict[str, Any] | None

    async def dispatch(self, msg: IncomingMessage, messenger: Messenger) -> None:
        """Hand one incoming message to the pipeline."""
        ...

    def admit(self, msg: IncomingMessage) -> None:
        """Say a message has arrived, before it waits for its chat's turn (the pipeline
        starts what needs no order: the redelivery check)."""
        ...

    def menus(self, locale: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """(everyone's, officials') command menus as (name, description) pairs."""
        ...


class Running(Protocol):
    """A started platform: its messenger, and how to stop receiving."""

    @property
    def messenger(self) -> Messenger:
        """Sends to this platform."""
        ...

    async def stop(self) -> None:
        """Stop receiving updates (polling or webhook)."""
        ...


@dataclass(frozen=True, slots=True)
class PlatformSpec:
    """One platform: its adapter module, when its settings turn it on, and its secrets."""

    platform: Platform
    module: str
    enabled: Callable[[Settings], bool]
    secrets: Callable[[Settings], Iterable[SecretStr | None]] = lambda _s: ()

    async def start(self, host: Host) -> Running:
        """Import the adapter module and start it."""
        running: Running = await import_module(self.module).start(host)
        return running


PLATFORMS: tuple[PlatformSpec, ...] = (
    # beside Telegram/Zalo the simulator runs in a bot of its own (VillageBot._start_demo_bot)
    PlatformSpec(Platform.WEB, "bot.adapters.webchat",
                 lambda s: s.web_chat_enabled and not s.web_chat_beside_platforms),
    PlatformSpec(Platform.TELEGRAM, "bot.adapters.telegram",
                 lambda s: s.telegram_enabled,
                 lambda s: (*s.telegram_tokens, *s.telegram_secrets)),
    # every token of ZALO_BOT_TOKEN + ZALO_BOT_TOKENS is one bot (bot.adapters.zalo.ZaloBots)
    PlatformSpec(Platform.ZALO, "bot.adapters.zalo", lambda s: s.zalo_enabled,
                 lambda s: (*s.zalo_tokens, *s.zalo_secrets)),
)


def spec_of(platform: Platform | str) -> PlatformSpec:
    """The registry entry of ``platform``."""
    wanted = Platform(platform)
    return next(spec for spec in PLATFORMS if spec.platform is wanted)


def capabilities_of(platform: Platform | str) -> Capabilities:
    """What ``platform`` can do (imports its adapter module on first use)."""
    caps: Capabilities = import_module(spec_of(platform).module).CAPABILITIES
    return caps
