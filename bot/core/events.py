"""Platform-neutral inbound events: what every adapter turns its SDK update into."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Platform(StrEnum):
    """Chat platforms the bot speaks on."""

    TELEGRAM = "telegram"
    ZALO = "zalo"
    WEB = "web"


@dataclass(frozen=True, slots=True)
class ChatRef:
    """A chat on one platform; ``id`` is always a string; ``bot`` is the platform id of the
    bot that received the update (None where the platform runs one bot)."""

    platform: Platform
    id: str
    is_group: bool
    title: str | None = None
    bot: str | None = None


@dataclass(frozen=True, slots=True)
class UserRef:
    """A person on one platform; ``id`` is always a string."""

    platform: Platform
    id: str
    name: str = ""
    username: str | None = None
    is_bot: bool = False


@dataclass(frozen=True, slots=True)
class Attachment:
    """A photo, video or other file attached to a message.

    ``ref`` is whatever the platform needs to fetch it: a Telegram file_id, a Zalo CDN URL or a
    web-chat upload key.  ``size`` is in bytes when the platform tells it.
    """

    kind: str  # "photo" | "video" | "document"
    ref: str
    size: int | None = None
    mime: str | None = None
    file_name: str | None = None


@dataclass(frozen=True, slots=True)
class ReplyRef:
    """The message an incoming message replies to."""

    message_id: str
    sender: UserRef | None
    text: str = ""
    attachments: tuple[Attachment, ...] = ()
    from_this_bot: bool = False
    location: tuple[float, float] | None = None  # (latitude, longitude) of a shared location



@dataclass(frozen=True, slots=True)
class IncomingMessage:
    """One inbound message or button press, already normalised by an adapter.

    ``addressed`` is true when the platform says the message was meant for this bot (private
    chat, a command naming this bot, an @mention or a reply to the bot).  ``button`` carries the
    callback data of a pressed inline button; ``callback_id`` lets the adapter answer it.
    ``migrated_to`` is set when a Telegram group became a supergroup with a new id.
    """

    chat: ChatRef
    sender: UserRef
    text: str
    message_id: str
    date: datetime
    attachments: tuple[Attachment, ...] = ()
    reply_to: ReplyRef | None = None
    album_id: str | None = None
    addressed: bool = False
    button: str | None = None
    callback_id: str | None = None
    migrated_to: str | None = None
    user_locale: str | None = None
    location: tuple[float, float] | None = None  # (latitude, longitude) of a shared location
    # False when the platform never redelivers this message (Telegram polling): the pipeline
    # may then skip recording its id (on SQLite).
    may_redeliver: bool = True

    @property
    def platform(self) -> Platform:
        """The platform this message came from."""
        return self.chat.platform

    @property
    def is_private(self) -> bool:
        """True for a one-to-one chat with the bot."""
        return not self.chat.is_group
