"""The long-lived objects a handler may need, built once by the composition root."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Protocol, TypeVar

from bot.clock import Clock
from bot.config import Settings
from bot.core.events import Platform
from bot.core.messenger import Capabilities, Messenger
from bot.db.engine import Database
from bot.i18n import Translator
from bot.media import MediaStore
from bot.runtime.metrics import Metrics

if TYPE_CHECKING:
    from bot.core.router import CommandTable
    from bot.delivery.outbox import Outbox

T = TypeVar("T")


class Scheduler(Protocol):
    """What features ask of the reminder scheduler: wake up for a new due time."""

    def poke(self, when: datetime | None = None) -> None:
        """Re-read the schedule now (``when`` is a hint of the next due time)."""
        ...

    async def start(self) -> None:
        """Start (rebuilds from the database)."""
        ...

    async def stop(self) -> None:
        """Stop; nothing is lost (the schedule lives in the database)."""
        ...


@dataclass(frozen=True, slots=True)
class RunningBot:
    """One running bot: a platform may run several (Zalo: each bot serves its own groups).

    ``scope`` keys everything per bot — outbox rows (``OutboxItem.sender``), pauses, rate
    budgets, polling health: the platform's name for its first bot (as with one bot), else
    ``platform:<bot id>``.
    """

    platform: Platform
    bot_id: str | None
    scope: str
    name: str
    messenger: Messenger

    @property
    def primary(self) -> bool:
        """The platform's first bot."""
        return self.scope == self.platform.value


@dataclass
class Services:
    """Settings, database, clock, translations, media, the running messengers and the core parts.

    ``outbox`` is started by the app before the features' start hooks; ``scheduler`` is set by
    the feature that owns reminders; ``commands`` by the pipeline.  Feature-private long-lived
    objects (a cache, a desk) are :meth:`component` s, keyed by their class.
    """

    settings: Settings
    db: Database
    clock: Clock
    i18n: Translator
    media: MediaStore = None  # type: ignore[assignment]  # made from settings when not given
    messengers: dict[Platform, Messenger] = field(default_factory=dict)  # first bot's
    bots: dict[str, RunningBot] = field(default_factory=dict)  # by scope (add_bot)
    # by platform (its first bot) and by "platform:<bot id>" (each bot)
    bot_usernames: dict[str, str | None] = field(default_factory=dict)
    admins: frozenset[tuple[str, str]] = frozenset()
    outbox: Outbox | None = None
    scheduler: Scheduler | None = None
    commands: CommandTable = field(init=False)
    metrics: Metrics = field(default_factory=Metrics)
    _components: dict[type, object] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.admins = self.admins or self.settings.admins
        if self.media is None:
            s = self.settings
            self.media = MediaStore(s.media_dir, s.public_base_url, s.max_photo_bytes)

    def messenger(self, platform: Platform | str) -> Messenger | None:
        """The messenger for ``platform`` when it runs."""
        return self.messengers.get(Platform(platform))

    def add_bot(self, platform: Platform, messenger: Messenger, *, bot_id: str | None = None,
                name: str = "") -> RunningBot:
        """Register a started bot; the platform's first one also becomes its messenger."""
        first = not any(b.platform is platform for b in self.bots.values())
        scope = platform.value if first else f"{platform.value}:{bot_id}"
        bot = self.bots[scope] = RunningBot(platform, bot_id, scope, name or scope, messenger)
        if first:
            self.messengers[platform] = messenger
        return bot

    def running_bots(self) -> list[RunningBot]:
        """Every running bot; a platform that registered none counts as its messenger alone."""
        bots = list(self.bots.values())
        have = {b.platform for b in bots}
        bots += [RunningBot(p, None, p.value, p.value, m) for p, m in self.messengers.items()
                 if p not in have]
        return bots

    def scope_of(self, platform: str, bot: str | None) -> str:
        """The sender scope of a chat on ``platform`` whose bot is ``bot`` (see RunningBot).

        A bot id no running bot has (its token was removed) keeps its own scope: its rows wait
        instead of going through a bot that is not in the chat.
        """
        if bot is None:
            return platform
        ours = [b for b in self.bots.values() if b.platform.value == platform]
        if not ours:
            return platform
        found = next((b for b in ours if b.bot_id == bot), None)
        return found.scope if found is not None else f"{platform}:{bot}"

    def bot_of(self, scope: str) -> RunningBot | None:
        """The running bot of a sender scope."""
        return self.bots.get(scope) or next(
            (b for b in self.running_bots() if b.scope == scope), None)

    def username_of(self, platform: Platform, bot: str | None) -> str | None:
        """The @username of the bot that received a message (commands like ``/x@name``)."""
        first = self.bot_usernames.get(platform)
        return first if bot is None else self.bot_usernames.get(f"{platform.value}:{bot}", first)

    def capabilities(self, platform: Platform | str) -> Capabilities:
        """What ``platform`` can do: its running messenger's, else its adapter's declaration."""
        messenger = self.messenger(platform)
        if messenger is not None:
            return messenger.capabilities
        from bot.adapters import capabilities_of  # the registry; no SDK until asked

        return capabilities_of(platform)

    def component(self, kind: type[T], make: Callable[[], T]) -> T:
        """The one ``kind`` object of this bot, made by ``make`` on first use."""
        found = self._components.get(kind)
        if found is None:
            found = self._components[kind] = make()
        return found  # type: ignore[return-value]  # stored under its own class
