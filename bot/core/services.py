"""The long-lived objects a handler may need, built once by the composition root."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.clock import Clock
from bot.config import Settings
from bot.core.events import Platform
from bot.core.messenger import Messenger
from bot.db.engine import Database
from bot.i18n import Translator


@dataclass
class Services:
    """Settings, database, clock, translations and the messenger of each running platform.

    ``extras`` holds feature services (outbox, scheduler, media store) keyed by name so the core
    does not import features.
    """

    settings: Settings
    db: Database
    clock: Clock
    i18n: Translator
    messengers: dict[Platform, Messenger] = field(default_factory=dict)
    bot_usernames: dict[Platform, str | None] = field(default_factory=dict)
    extras: dict[str, Any] = field(default_factory=dict)
    admins: frozenset[tuple[str, str]] = frozenset()

    def __post_init__(self) -> None:
        self.admins = self.admins or self.settings.admins

    def messenger(self, platform: Platform | str) -> Messenger | None:
        """The messenger for ``platform`` when it runs."""
        return self.messengers.get(Platform(platform))
