"""The one outbound port: every handler and job replies through a :class:`Messenger`."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from bot.core.events import Attachment, Platform

if TYPE_CHECKING:
    from bot.delivery.ratelimit import Limits


@dataclass(frozen=True, slots=True)
class Button:
    """An inline button; ``data`` comes back as ``IncomingMessage.button`` when pressed."""

    text: str
    data: str


@dataclass(frozen=True, slots=True)
class Media:
    """A photo or video to send.

    ``url`` is a public URL (required by Zalo), ``path`` a local file the bot stored, and
    ``file_id`` a Telegram file_id that Telegram can reuse without an upload.
    """

    kind: str = "photo"  # "photo" | "video"
    url: str | None = None
    path: str | None = None
    file_id: str | None = None


@dataclass(frozen=True, slots=True)
class OutMessage:
    """A platform-neutral message: plain text, an optional bold title, media and buttons.

    Text is never markup: adapters escape it for their platform.  Buttons are laid out in rows.
    """

    text: str
    title: str | None = None
    media: tuple[Media, ...] = ()
    buttons: tuple[tuple[Button, ...], ...] = ()
    reply_to: str | None = None
    silent: bool = False
    force_reply: bool = False  # a question: Telegram shows a reply field (works with privacy on)


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What a platform can do; features degrade gracefully instead of branching on platform."""

    max_text: int
    buttons: bool
    pin: bool
    edit: bool
    video: bool
    albums: bool
    photo_url_only: bool  # photos only by public URL (no upload)
    reuses_file_ids: bool = False  # a received file's ref can be re-sent (and stands in for it)
    private_chat_prefix: str = ""  # a user's private chat id is this prefix + the user id
    group_chat_prefixes: tuple[str, ...] = ()  # chat ids starting so are groups (flood rules)
    flood_limits: Limits | None = None  # the platform's send limits (None: unlimited)


@dataclass(slots=True)
class SentRef:
    """Ids of the platform messages one :class:`OutMessage` became (text may be split)."""

    message_ids: list[str] = field(default_factory=list)

    @property
    def first(self) -> str | None:
        """The id of the first message sent, if any."""
        return self.message_ids[0] if self.message_ids else None


class SendErrorKind(StrEnum):
    """Why a send failed, in the terms the outbox needs to decide what to do next."""

    RETRY_AFTER = "retry_after"  # rate limited; wait ``retry_after`` seconds
    TRANSIENT = "transient"  # 5xx, timeout, connection error: back off and retry
    FORBIDDEN = "forbidden"  # bot kicked / blocked: stop sending to this chat
    NOT_FOUND = "not_found"  # chat does not exist: stop sending to this chat
    MIGRATED = "migrated"  # Telegram group became a supergroup: retry at ``new_chat_id``
    QUOTA = "quota"  # platform quota gone (Zalo 429): stop the platform, tell officials
    BAD_REQUEST = "bad_request"  # our message is wrong: do not retry


class SendError(Exception):
    """A failed send, classified for the outbox."""

    def __init__(
        self,
        kind: SendErrorKind,
        detail: str = "",
        *,
        retry_after: float | None = None,
        new_chat_id: str | None = None,
    ) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail
        self.retry_after = retry_after
        self.new_chat_id = new_chat_id

    @property
    def permanent(self) -> bool:
        """True when retrying the same chat can never succeed."""
        return self.kind in (SendErrorKind.FORBIDDEN, SendErrorKind.NOT_FOUND,
                             SendErrorKind.BAD_REQUEST)


@runtime_checkable
class Messenger(Protocol):
    """Send messages to one platform.  Implementations live in ``bot/adapters``."""

    platform: Platform
    capabilities: Capabilities

    async def send(self, chat_id: str, message: OutMessage) -> SentRef:
        """Send ``message`` (split to the platform limit); raise :class:`SendError` on failure."""
        ...

    async def edit_buttons(
        self, chat_id: str, message_id: str, buttons: tuple[tuple[Button, ...], ...]
    ) -> None:
        """Replace the inline buttons of a sent message (no-op where unsupported)."""
        ...

    async def answer_button(self, callback_id: str, text: str | None = None) -> None:
        """Acknowledge a button press, optionally with a short toast text."""
        ...

    async def pin(self, chat_id: str, message_id: str) -> bool:
        """Pin a message; return False when the bot lacks the right or the platform cannot."""
        ...

    async def download(self, attachment: Attachment, max_bytes: int) -> bytes:
        """Fetch an incoming attachment's bytes; raise :class:`SendError` if it is too big."""
        ...

    async def is_chat_admin(self, chat_id: str, user_id: str) -> bool:
        """True when the platform says ``user_id`` administers group ``chat_id`` (else False)."""
        ...
