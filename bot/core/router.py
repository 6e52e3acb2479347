"""Feature routers: each ``handlers/<feature>.py`` declares its commands, words and hooks."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from bot.core.commands import command_key
from bot.text.fold import fold

if TYPE_CHECKING:
    from aiohttp import web
    from sqlmodel.ext.asyncio.session import AsyncSession

    from bot.core.context import Context
    from bot.core.services import Services

Handler = Callable[["Context"], Awaitable[None]]
MessageHook = Callable[["Context"], Awaitable[bool]]
WebSetup = Callable[["web.Application", "Services"], None]
StartHook = Callable[["Services"], Awaitable[Any]]
SettingHandler = Callable[["Context", str], Awaitable[None]]
PageSectionHook = Callable[[Any], Awaitable[list[Any]]]
"""``hook(bot.web.sections.PageRequest) -> list[bot.web.sections.PageSection]``."""
NextDue = Callable[["Services"], Awaitable["datetime | None"]]
FireDue = Callable[["Services", "datetime"], Awaitable[int]]
DraftAction = Callable[["Context", Any], Awaitable[None]]
"""``action(ctx, draft: bot.db.drafts.PendingDraft)`` run by ``/xacnhan`` or ``/huy``."""
FlowStop = Callable[["Context"], Awaitable[bool]]
ReachHook = Callable[["AsyncSession", "Services", "ReachQuery"], Awaitable[list[str]]]
"""``hook(session, services, query) -> lines`` (no line when it knows nothing to say)."""


@dataclass(frozen=True, slots=True)
class DraftKind:
    """What ``/xacnhan`` (``confirm``) and ``/huy`` (``drop``) do to drafts of one ``kind``.

    The core checks that the person confirming is *still* an official of the draft's village
    before ``confirm`` runs; ``drop`` None means the core's plain "dropped" answer.
    """

    kind: str
    confirm: DraftAction
    drop: DraftAction | None = None


@dataclass(frozen=True, slots=True)
class ReachQuery:
    """"Whom did this reach?" about something sent to a village's chats.

    ``kind`` and ``ref_id`` are the fan-out's (``"announce"`` and the notice id, ``"meeting"``
    and the meeting id …); ``batch_id`` is the outbox batch when the question comes from its
    delivery report; ``locale`` the language of the answer.  The answer may be read in a group:
    a hook gives counts, never names or phone numbers.
    """

    kind: str
    ref_id: int
    locale: str
    batch_id: int | None = None


@dataclass(frozen=True, slots=True)
class DueJob:
    """Work that falls due at a time stored in the database (a poll's deadline …).

    The reminder scheduler (leader only) asks ``next_due`` when to wake up and calls ``fire``
    at that time; ``fire`` claims its rows with a conditional UPDATE so it runs once per row,
    also after a restart.
    """

    name: str
    next_due: NextDue
    fire: FireDue


class Role(IntEnum):
    """Who may use a command; higher includes lower."""

    RESIDENT = 0
    OFFICIAL = 1
    ADMIN = 2


@dataclass(frozen=True, slots=True)
class Command:
    """One command: canonical name (menu form), aliases, handler and who may use it."""

    name: str
    handler: Handler
    aliases: tuple[str, ...] = ()
    role: Role = Role.RESIDENT
    help_key: str | None = None
    usage_key: str | None = None
    words: tuple[str, ...] = ()  # plain words that trigger it in a private chat
    private_only: bool = False
    group_only: bool = False
    menu: bool = True

    @property
    def keys(self) -> set[str]:
        """Lookup keys of the name and every alias."""
        return {command_key(n) for n in (self.name, *self.aliases)}


@dataclass(frozen=True, slots=True)
class ButtonHook:
    """A handler for inline buttons with one data prefix, and who may press them."""

    prefix: str
    handler: Handler
    role: Role = Role.RESIDENT


@dataclass
class Router:
    """Collects one feature's commands, message hooks, button hooks and web routes."""

    name: str
    commands: list[Command] = field(default_factory=list)
    message_hooks: list[tuple[MessageHook, bool]] = field(default_factory=list)
    button_hooks: dict[str, ButtonHook] = field(default_factory=dict)
    web_setups: list[WebSetup] = field(default_factory=list)
    start_hooks: list[StartHook] = field(default_factory=list)
    stop_hooks: list[StartHook] = field(default_factory=list)
    settings: dict[str, SettingHandler] = field(default_factory=dict)
    page_sections: list[PageSectionHook] = field(default_factory=list)
    due_jobs: list[DueJob] = field(default_factory=list)
    after_command_hooks: list[Handler] = field(default_factory=list)
    draft_kinds: dict[str, DraftKind] = field(default_factory=dict)
    flow_stops: list[FlowStop] = field(default_factory=list)
    reach_hooks: list[ReachHook] = field(default_factory=list)

    def include(self, *others: Router) -> Router:
        """Take over every registration of ``others`` (a feature split over several modules)."""
        for other in others:
            self.commands.extend(other.commands)
            self.message_hooks.extend(other.message_hooks)
            self.button_hooks.update(other.button_hooks)
            self.web_setups.extend(other.web_setups)
            self.start_hooks.extend(other.start_hooks)
            self.stop_hooks.extend(other.stop_hooks)
            self.settings.update(other.settings)
            self.page_sections.extend(other.page_sections)
            self.due_jobs.extend(other.due_jobs)
            self.after_command_hooks.extend(other.after_command_hooks)
            for kind in other.draft_kinds.values():
                self._add_draft(kind)
            self.flow_stops.extend(other.flow_stops)
            self.reach_hooks.extend(other.reach_hooks)
        return self

    def command(
        self,
        name: str,
        *aliases: str,
        role: Role = Role.RESIDENT,
        help_key: str | None = None,
        usage_key: str | None = None,
        words: tuple[str, ...] = (),
        private_only: bool = False,
        group_only: bool = False,
        menu: bool = True,
    ) -> Callable[[Handler], Handler]:
        """Register ``handler`` for ``/name`` and its aliases."""

        def register(handler: Handler) -> Handler:
            self.commands.append(Command(
                name=name, handler=handler, aliases=aliases, role=role, help_key=help_key,
                usage_key=usage_key, words=tuple(fold(w) for w in words),
                private_only=private_only, group_only=group_only, menu=menu))
            return handler

        return register

    def on_message(self, *, groups: bool = False) -> Callable[[MessageHook], MessageHook]:
        """Register a hook for non-command messages; it returns True when it handled one.

        With ``groups=False`` the hook only sees private chats and group messages addressed to
        the bot; with ``groups=True`` it sees every group message the platform delivers.
        """

        def register(hook: MessageHook) -> MessageHook:
            self.message_hooks.append((hook, groups))
            return hook

        return register

    def on_button(
        self, prefix: str, *, role: Role = Role.RESIDENT
    ) -> Callable[[Handler], Handler]:
        """Register a handler for inline buttons whose data starts with ``prefix:``.

        ``role`` is checked by the pipeline when the button is pressed, exactly as for a
        command: a person who lost the role since the button was sent is refused.
        """

        def register(handler: Handler) -> Handler:
            self.button_hooks[prefix] = ButtonHook(prefix, handler, role)
            return handler

        return register

    def web(self, setup: WebSetup) -> WebSetup:
        """Register a function that adds aiohttp routes (public pages, feeds)."""
        self.web_setups.append(setup)
        return setup

    def page_section(self, hook: PageSectionHook) -> PageSectionHook:
        """Register a part of the public village page ``/v/<mã thôn>`` (in feature order).

        The hook gets a :class:`bot.web.sections.PageRequest` and returns a list of
        :class:`bot.web.sections.PageSection` (HTML fragments it escaped itself).
        """
        self.page_sections.append(hook)
        return hook

    def after_command(self, hook: Handler) -> Handler:
        """Register a coroutine run after any feature's command was allowed and handled."""
        self.after_command_hooks.append(hook)
        return hook

    def on_start(self, hook: StartHook) -> StartHook:
        """Register a coroutine run once at start-up (after migrations)."""
        self.start_hooks.append(hook)
        return hook

    def on_stop(self, hook: StartHook) -> StartHook:
        """Register a coroutine run once at shutdown (before the platforms stop)."""
        self.stop_hooks.append(hook)
        return hook

    def due(self, name: str, next_due: NextDue, fire: FireDue) -> None:
        """Register a :class:`DueJob` run by the reminder scheduler."""
        self.due_jobs.append(DueJob(name, next_due, fire))

    def draft(self, kind: str, *, confirm: DraftAction, drop: DraftAction | None = None) -> None:
        """Register what the shared ``/xacnhan [n]`` / ``/huy [n]`` (and the preview's
        ``draft:`` buttons) do to this feature's drafts of ``kind`` (``bot.db.drafts.put``)."""
        self._add_draft(DraftKind(kind, confirm, drop))

    def _add_draft(self, kind: DraftKind) -> None:
        if kind.kind in self.draft_kinds:
            raise ValueError(f"draft kind {kind.kind!r} registered twice")
        self.draft_kinds[kind.kind] = kind

    def stop_flow(self, hook: FlowStop) -> FlowStop:
        """Register a step-by-step question that ``/huy`` ends (True when it ended one)."""
        self.flow_stops.append(hook)
        return hook

    def reach(self, hook: ReachHook) -> ReachHook:
        """Register lines about whom a fan-out reached (delivery reports, ``/daxem`` …)."""
        self.reach_hooks.append(hook)
        return hook

    def setting(self, name: str) -> Callable[[SettingHandler], SettingHandler]:
        """Register ``/caidat <name> <rest>``: ``handler(ctx, rest)``."""

        def register(handler: SettingHandler) -> SettingHandler:
            self.settings[name] = handler
            return handler

        return register


class CommandTable:
    """All commands of all features, looked up by key or by private-chat words."""

    def __init__(self, routers: list[Router]) -> None:
        self.routers = routers
        self.by_key: dict[str, Command] = {}
        self.words: dict[str, str] = {}
        self.buttons: dict[str, ButtonHook] = {}
        self.settings: dict[str, SettingHandler] = {}
        self.due_jobs: list[DueJob] = [job for r in routers for job in r.due_jobs]
        self.drafts: dict[str, DraftKind] = {}
        self.flow_stops: list[FlowStop] = [hook for r in routers for hook in r.flow_stops]
        self.reach_hooks: list[ReachHook] = [hook for r in routers for hook in r.reach_hooks]
        for router in routers:
            for cmd in router.commands:
                for key in cmd.keys:
                    if key in self.by_key:
                        raise ValueError(f"command key {key!r} registered twice")
                    self.by_key[key] = cmd
                for phrase in cmd.words:
                    self.words[phrase] = command_key(cmd.name)
            self.buttons.update(router.button_hooks)
            for kind, draft in router.draft_kinds.items():
                if kind in self.drafts:
                    raise ValueError(f"draft kind {kind!r} registered twice")
                self.drafts[kind] = draft
            for name, handler in router.settings.items():
                if name in self.settings:
                    raise ValueError(f"setting {name!r} registered twice")
                self.settings[name] = handler

    @property
    def commands(self) -> list[Command]:
        """Every command in feature order."""
        return [c for r in self.routers for c in r.commands]

    def get(self, key: str) -> Command | None:
        """The command for a lookup key."""
        return self.by_key.get(key)

    async def reach_lines(
        self, session: AsyncSession, services: Services, query: ReachQuery
    ) -> list[str]:
        """Every feature's lines about whom ``query``'s fan-out reached, in feature order."""
        lines: list[str] = []
        for hook in self.reach_hooks:
            lines += await hook(session, services, query)
        return lines
