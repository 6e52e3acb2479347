"""The one object a handler receives: the message, its chat and sender, and how to reply."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.events import IncomingMessage
from bot.core.messenger import Button, Media, Messenger, OutMessage, SendError, SentRef
from bot.core.router import Command, Role
from bot.core.services import Services
from bot.db.models import Chat, OfficialRole, Person, Village

log = logging.getLogger(__name__)


@dataclass
class Context:
    """Everything a handler needs for one update.

    ``village`` is the chat's village, or for a private chat the village it subscribed to or the
    one the sender serves as an official.  ``session`` commits when the handler returns.

    Say it only when it is saved: :meth:`reply`/:meth:`say` and :meth:`after_commit` queue
    their work; the pipeline commits the session first, then runs the queue in order (a crash
    or error before the commit sends nothing that would promise what was not saved).
    """

    msg: IncomingMessage
    services: Services
    messenger: Messenger
    session: AsyncSession
    chat: Chat
    person: Person
    locale: str
    roles: list[OfficialRole]
    is_admin: bool
    village: Village | None = None
    command: Command | None = None
    args: str = ""
    replies: list[SentRef] = field(default_factory=list)
    state: dict[str, Any] = field(default_factory=dict)
    held: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    only_replies: bool = True  # nothing but replies queued (no after-commit action)

    def t(self, key: str, **args: object) -> str:
        """Translate ``key`` in this chat's language."""
        return self.services.i18n.t(self.locale, key, **args)

    @property
    def now(self):  # type: ignore[no-untyped-def]
        """The injected clock's current instant (aware UTC)."""
        return self.services.clock.now()

    def is_official_of(self, village_id: int | None) -> bool:
        """Admins, commune officials and officials of ``village_id`` pass."""
        if self.is_admin:
            return True
        return any(r.village_id is None or r.village_id == village_id for r in self.roles)

    @property
    def role(self) -> Role:
        """The highest role of the sender in this context."""
        if self.is_admin:
            return Role.ADMIN
        if self.village is not None and self.is_official_of(self.village.id):
            return Role.OFFICIAL
        if self.village is None and self.roles:
            return Role.OFFICIAL
        return Role.RESIDENT

    @property
    def is_commune_official(self) -> bool:
        """True for admins and officials of the whole commune."""
        return self.is_admin or any(r.village_id is None for r in self.roles)

    async def reply(
        self,
        text: str,
        *,
        title: str | None = None,
        buttons: tuple[tuple[Button, ...], ...] = (),
        media: tuple[Media, ...] = (),
        quote: bool = False,
        force_reply: bool = False,
    ) -> SentRef:
        """Send a message to this update's chat once the handler's work is committed.

        The returned :class:`SentRef` is filled with the message ids when it is sent; failures
        are logged, not raised.
        """
        out = OutMessage(text=text, title=title, buttons=buttons, media=media,
                         reply_to=self.msg.message_id if quote or (
                             force_reply and not self.msg.is_private) else None,
                         force_reply=force_reply)
        sent = SentRef()
        self.replies.append(sent)

        async def send() -> None:
            try:
                sent.message_ids.extend((await self.messenger.send(self.msg.chat.id, out))
                                        .message_ids)
            except SendError as exc:
                log.warning("reply to %s:%s failed: %s", self.msg.platform, self.msg.chat.id,
                            exc)

        self.held.append(send)
        return sent

    def after_commit(self, action: Callable[[], Awaitable[None]]) -> None:
        """Run ``action`` (a toast, a button edit) after the commit, in order with replies.

        The chat's next update may already be at work by then (bot/core/ordering.py): an
        action sends and reads, it never writes to the database.
        """
        self.only_replies = False
        self.held.append(action)

    async def send_held(self) -> None:
        """Run the queued replies and actions (the pipeline calls this after its commit)."""
        held, self.held = self.held, []
        for action in held:
            try:
                await action()
            except Exception:  # the work is saved: log, and still send the rest
                log.exception("after-commit action failed in %s:%s", self.msg.platform,
                              self.msg.chat.id)

    async def say(self, key: str, **args: object) -> SentRef:
        """Reply with the translated message ``key``."""
        return await self.reply(self.t(key, **args))
