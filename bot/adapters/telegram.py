"""Telegram through python-telegram-bot 22: inbound updates → IncomingMessage, outbound sends.

PTB's Application is used without its JobQueue (the app owns the scheduler), without its
Updater (our own getUpdates loop, or our aiohttp server for the webhook) and without its update
queue and handlers: updates are decoded here (plain text messages straight from JSON, the rest
by PTB) and run through ``bot.core.ordering.ChatOrder``.  PTB's Bot and request objects send.
The Bot API base URL is configurable for a self-hosted Bot API server and for the tests' fake
server.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeGuard

from aiohttp import web
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeDefault,
    Chat,
    Document,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    PhotoSize,
    Update,
    User,
    Video,
)
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import Application, ApplicationBuilder
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter  # pinned PTB 22.8

from bot.adapters import Host
from bot.adapters.telegram_http import AiohttpRequest, JsonBody
from bot.config import ConfigError
from bot.core.events import (
    Attachment,
    ChatRef,
    IncomingMessage,
    Platform,
    ReplyRef,
    UserRef,
)
from bot.core.messenger import (
    Button,
    Capabilities,
    Media,
    OutMessage,
    SendError,
    SendErrorKind,
    SentRef,
)
from bot.core.ordering import ChatOrder
from bot.delivery.ratelimit import TELEGRAM_LIMITS
from bot.text.split import split_text
from bot.web.server import json_body, secret_ok

log = logging.getLogger(__name__)

CAPTION_LIMIT = 1024
TELEGRAM_CAPS = Capabilities(max_text=4096, buttons=True, pin=True, edit=True, video=True,
                             albums=True, photo_url_only=False, reuses_file_ids=True,
                             group_chat_prefixes=("-", "@"), flood_limits=TELEGRAM_LIMITS)
CAPABILITIES = TELEGRAM_CAPS  # what bot.adapters.capabilities_of answers

ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"]
MAX_PENDING = 256  # updates accepted and not yet handled before _poll waits
STOP_GRACE = 10.0  # seconds stop() lets accepted updates finish
Dispatch = Callable[[IncomingMessage], Awaitable[object]]


class QuietInvalidJson(logging.Filter):
    """Drop PTB's traceback for a malformed Bot API answer.

    PTB logs "Can not load invalid JSON data" at ERROR with a traceback and then raises a
    NetworkError, which we already report in one line (the failed reply, or the polling error
    callback).  Only that exact record is dropped; every other error still shows.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """False for PTB's invalid-JSON record."""
        exc = record.exc_info[1] if record.exc_info else None
        return not (isinstance(exc, ValueError)
                    and str(record.msg).startswith("Can not load invalid JSON data"))


def _quiet_ptb() -> None:
    logger = logging.getLogger("telegram.request.BaseRequest")
    if not any(isinstance(f, QuietInvalidJson) for f in logger.filters):
        logger.addFilter(QuietInvalidJson())


def _retry_seconds(value: object) -> float:
    """``RetryAfter.retry_after`` is an int or a timedelta depending on PTB settings."""
    seconds = getattr(value, "total_seconds", None)
    return float(seconds()) if callable(seconds) else float(value)  # type: ignore[arg-type]


def classify(exc: TelegramError) -> SendError:
    """Map a PTB exception to the outbox's vocabulary."""
    if isinstance(exc, RetryAfter):
        with warnings.catch_warnings():  # PTB 22 warns that retry_after becomes a timedelta
            warnings.simplefilter("ignore")
            seconds = _retry_seconds(exc.retry_after)
        return SendError(SendErrorKind.RETRY_AFTER, str(exc), retry_after=seconds)
    if isinstance(exc, ChatMigrated):
        return SendError(SendErrorKind.MIGRATED, str(exc), new_chat_id=str(exc.new_chat_id))
    if isinstance(exc, Forbidden):
        return SendError(SendErrorKind.FORBIDDEN, exc.message)
    if isinstance(exc, BadRequest):
        text = exc.message.lower()
        if "chat not found" in text or "group chat was deactivated" in text:
            return SendError(SendErrorKind.NOT_FOUND, exc.message)
        return SendError(SendErrorKind.BAD_REQUEST, exc.message)
    if isinstance(exc, TimedOut | NetworkError):
        return SendError(SendErrorKind.TRANSIENT, str(exc))
    return SendError(SendErrorKind.TRANSIENT, str(exc))


def _markup(rows: tuple[tuple[Button, ...], ...]) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(b.text, callback_data=b.data[:64])
                                  for b in row] for row in rows])


def render_html(title: str | None, text: str) -> str:
    """Plain text → Telegram HTML: escape everything, bold the title."""
    body = html.escape(text, quote=False)
    if title:
        return f"<b>{html.escape(title, quote=False)}</b>\n{body}" if body else (
            f"<b>{html.escape(title, quote=False)}</b>")
    return body


class TelegramMessenger:
    """Send to Telegram chats through a PTB ``Bot``."""

    platform = Platform.TELEGRAM
    capabilities = TELEGRAM_CAPS

    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self._answered: set[str] = set()

    def take_answered(self, callback_id: str) -> bool:
        """True (once) when a handler already answered this button press."""
        if callback_id in self._answered:
            self._answered.discard(callback_id)
            return True
        return False

    async def send(self, chat_id: str, message: OutMessage) -> SentRef:
        """Send text (split at 4096), media and buttons; raise SendError on failure."""
        sent = SentRef()
        try:
            await self._send(chat_id, message, sent)
        except TelegramError as exc:
            raise classify(exc) from exc
        return sent

    async def _send(self, chat_id: str, message: OutMessage, sent: SentRef) -> None:
        markup: InlineKeyboardMarkup | ForceReply | None = _markup(message.buttons)
        if markup is None and message.force_reply:
            # a question: the reply field opens for the person it answers (selective), and
            # the answer reaches the bot even with privacy mode on, as a reply to the bot
            markup = ForceReply(selective=True)
        title_len = len(message.title) + 1 if message.title else 0
        chunks = split_text(message.text, self.capabilities.max_text - title_len) or [""]
        media = list(message.media)
        if media:
            # the text is the caption (an album's goes on its first item) when it fits;
            # otherwise it follows the media as messages, never dropped
            # (an album cannot carry buttons: then the text and its buttons follow it)
            caption_chunk = chunks[0]
            caption = render_html(message.title, caption_chunk)
            if len(caption_chunk) + title_len > CAPTION_LIMIT or (
                    len(media) > 1 and markup is not None):
                caption = render_html(message.title, "")
            else:
                chunks = chunks[1:]
            chunks = [c for c in chunks if c]
            only = len(chunks) == 0
            for msg in await self._send_media(chat_id, media, caption,
                                              markup if only else None, message):
                sent.message_ids.append(str(msg.message_id))
            title = None
        else:
            title = message.title
        for index, chunk in enumerate(chunks):
            last = index == len(chunks) - 1
            sent.message_ids.append(await self._send_text(
                chat_id, render_html(title if index == 0 else None, chunk),
                markup if last else None, message.silent,
                int(message.reply_to) if (
                    message.reply_to and index == 0 and message.reply_to.isdigit()) else None))

    async def _send_text(self, chat_id: str, text: str,
                         markup: InlineKeyboardMarkup | ForceReply | None,
                         silent: bool, reply_to: int | None) -> str:
        """``sendMessage`` through PTB's request object: PTB's wire format and error mapping
        (RetryAfter, Forbidden, ChatMigrated …), without building a ``Message`` from the answer
        when only its id is needed (that parsing cost more than the rest of a reply)."""
        params: dict[str, object] = {"chat_id": chat_id, "text": text, "parse_mode": "HTML"}
        if markup is not None:
            params["reply_markup"] = markup.to_dict()
        if silent:
            params["disable_notification"] = True
        if reply_to is not None:
            params["reply_parameters"] = {"message_id": reply_to}
        data: RequestData = (JsonBody(params) if isinstance(self.bot.request, AiohttpRequest)
                             else RequestData([RequestParameter.from_input(k, v)
                                               for k, v in params.items()]))
        result = await self.bot.request.post(f"{self.bot.base_url}/sendMessage",
                                             request_data=data)
        return str(result["message_id"])  # type: ignore[index,call-overload]

    async def _send_media(
        self,
        chat_id: str,
        media: list[Media],
        caption: str,
        markup: InlineKeyboardMarkup | ForceReply | None,
        message: OutMessage,
    ) -> list[Message]:
        if len(media) == 1:
            item = media[0]
            payload = self._input(item)
            if item.kind == "video":
                msg = await self.bot.send_video(
                    chat_id=chat_id, video=payload, caption=caption or None, parse_mode="HTML",
                    reply_markup=markup, disable_notification=message.silent)
            else:
                msg = await self.bot.send_photo(
                    chat_id=chat_id, photo=payload, caption=caption or None, parse_mode="HTML",
                    reply_markup=markup, disable_notification=message.silent)
            return [msg]
        from telegram import InputMediaPhoto, InputMediaVideo

        group = []
        for i, item in enumerate(media[:10]):
            cls = InputMediaVideo if item.kind == "video" else InputMediaPhoto
            group.append(cls(self._input(item), caption=caption if i == 0 and caption else None,
                             parse_mode="HTML"))
        msgs = list(await self.bot.send_media_group(chat_id=chat_id, media=group,
                                                    disable_notification=message.silent))
        return msgs

    @staticmethod
    def _input(item: Media) -> str | bytes:
        if item.file_id:
            return item.file_id
        if item.path:
            return Path(item.path).read_bytes()
        return item.url or ""

    async def edit_buttons(
        self, chat_id: str, message_id: str, buttons: tuple[tuple[Button, ...], ...]
    ) -> None:
        """Replace a message's inline keyboard."""
        try:
            await self.bot.edit_message_reply_markup(chat_id=chat_id, message_id=int(message_id),
                                                     reply_markup=_markup(buttons))
        except BadRequest as exc:
            if "not modified" not in exc.message.lower():
                raise classify(exc) from exc
        except TelegramError as exc:
            raise classify(exc) from exc

    async def answer_button(self, callback_id: str, text: str | None = None) -> None:
        """Answer a callback query (stops the button's spinner)."""
        self._answered.add(callback_id)
        try:
            await self.bot.answer_callback_query(callback_id, text=text)
        except TelegramError as exc:
            log.info("answerCallbackQuery failed: %s", exc)

    async def pin(self, chat_id: str, message_id: str) -> bool:
        """Pin a message; False when the bot is not allowed to."""
        try:
            return bool(await self.bot.pin_chat_message(chat_id=chat_id,
                                                        message_id=int(message_id),
                                                        disable_notification=True))
        except (BadRequest, Forbidden) as exc:
            log.info("cannot pin in %s: %s", chat_id, exc)
            return False

    async def download(self, attachment: Attachment, max_bytes: int) -> bytes:
        """Download a file by file_id, refusing files over ``max_bytes``."""
        if attachment.size is not None and attachment.size > max_bytes:
            raise SendError(SendErrorKind.BAD_REQUEST, "too big")
        try:
            file = await self.bot.get_file(attachment.ref)
            if file.file_size is not None and file.file_size > max_bytes:
                raise SendError(SendErrorKind.BAD_REQUEST, "too big")
            data = bytes(await file.download_as_bytearray())
        except TelegramError as exc:
            raise classify(exc) from exc
        if len(data) > max_bytes:
            raise SendError(SendErrorKind.BAD_REQUEST, "too big")
        return data

    async def is_chat_admin(self, chat_id: str, user_id: str) -> bool:
        """True when ``user_id`` administers the Telegram group ``chat_id``."""
        try:
            member = await self.bot.get_chat_member(chat_id=chat_id, user_id=int(user_id))
        except (TelegramError, ValueError):
            return False
        return member.status in ("administrator", "creator")


def parse_update(data: dict[str, Any], bot: Bot) -> Update:
    """``Update.de_json``, then the checks PTB's Application relies on (hashable int ids)."""
    update = Update.de_json(data, bot)
    for part in (update.effective_user, update.effective_chat, update.effective_message):
        if part is not None:
            _int(getattr(part, "message_id", None) if isinstance(part, Message) else part.id,
                 "id")
    return update


# The common update, a plain text message, decoded straight from the JSON dict.  Only shapes
# whose every field is understood here are taken (anything else goes through PTB's
# ``Update.de_json`` and :func:`to_incoming`, which give the same IncomingMessage for these):
# tests/test_telegram_decode.py holds the two paths to the same answers.
_LEAN_MESSAGE = frozenset({"message_id", "from", "chat", "date", "text", "entities"})
_LEAN_USER = frozenset({"id", "is_bot", "first_name", "last_name", "username", "language_code",
                        "is_premium"})
_LEAN_CHAT = frozenset({"id", "type", "title", "username", "first_name", "last_name"})
_ENTITY = frozenset({"type", "offset", "length"})


def _plain_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def decode_lean(raw: dict[str, Any], bot_username: str | None) -> IncomingMessage | None:
    """A plain text message as an IncomingMessage, or None: not this shape, use PTB."""
    if len(raw) != 2 or "message" not in raw:
        return None
    message = raw["message"]
    if not isinstance(message, dict) or not message.keys() <= _LEAN_MESSAGE:
        return None
    chat, user = message.get("chat"), message.get("from")
    message_id, date = message.get("message_id"), message.get("date")
    if not (isinstance(chat, dict) and isinstance(user, dict) and _plain_int(message_id)
            and _plain_int(date) and date > 0 and chat.keys() <= _LEAN_CHAT
            and user.keys() <= _LEAN_USER and _plain_int(chat.get("id"))
            and isinstance(chat.get("type"), str) and _plain_int(user.get("id"))
            and "is_bot" in user and "first_name" in user):
        return None
    entities = message.get("entities")
    if entities is not None and not (isinstance(entities, list) and all(
            isinstance(e, dict) and e.keys() == _ENTITY for e in entities)):
        return None
    try:
        when = datetime.fromtimestamp(date, tz=UTC)
    except (ValueError, OverflowError, OSError):
        return None
    text = _str(message.get("text")) or ""
    chat_type = chat["type"]
    title = _str(chat.get("title")) or " ".join(
        n for n in (_str(chat.get("first_name")), _str(chat.get("last_name"))) if n) or None
    addressed = chat_type == "private" or bool(
        bot_username and f"@{bot_username.lower()}" in text.lower())
    return IncomingMessage(
        chat=ChatRef(platform=Platform.TELEGRAM, id=str(chat["id"]),
                     is_group=chat_type != "private", title=title),
        sender=UserRef(platform=Platform.TELEGRAM, id=str(user["id"]), name=" ".join(
            n for n in (_str(user.get("first_name")), _str(user.get("last_name"))) if n),
                       username=_str(user.get("username")), is_bot=user["is_bot"] is True),
        text=text, message_id=str(message_id),
        date=when, addressed=addressed,
        user_locale=_str(user.get("language_code")))


def _int(value: object, what: str) -> int:
    """An id PTB left as it came: it must be an integer (PTB does not check scalars)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{what} is not an integer")
    return value


def _str(value: object) -> str | None:
    """A text field, or None when absent or of another type."""
    return value if isinstance(value, str) else None


def _date(value: object) -> datetime:
    if not isinstance(value, datetime):
        raise ValueError("date is not a timestamp")
    return value


def to_incoming(update: Update, bot_id: int, bot_username: str | None) -> IncomingMessage | None:
    """Normalise a PTB update; None for update types the bot ignores.

    PTB builds objects without checking scalar types, so ids, dates and texts are checked
    here: a wrong-typed field raises ValueError (the update is skipped), never reaches a handler.
    """
    if update.callback_query is not None:
        query = update.callback_query
        source = query.message
        if source is None or not hasattr(source, "chat") or not isinstance(source, Message):
            return None
        return IncomingMessage(
            chat=_chat(source.chat), sender=_user(query.from_user), text="",
            message_id=str(_int(source.message_id, "message_id")), date=_date(source.date),
            button=_str(query.data) or "", callback_id=str(_str(query.id) or _int(query.id, "id")),
            addressed=True, user_locale=_str(query.from_user.language_code),
        )
    message = update.message
    if message is None or message.from_user is None:
        return None
    text = _str(message.text) or _str(message.caption) or ""
    reply = message.reply_to_message
    reply_ref = None
    if reply is not None:
        reply_ref = ReplyRef(
            message_id=str(_int(reply.message_id, "message_id")),
            sender=_user(reply.from_user) if reply.from_user else None,
            text=_str(reply.text) or _str(reply.caption) or "",
            attachments=_attachments(reply),
            from_this_bot=bool(reply.from_user and reply.from_user.id == bot_id),
            location=_location(reply),
        )
    addressed = message.chat.type == "private" or bool(reply_ref and reply_ref.from_this_bot)
    if bot_username and f"@{bot_username.lower()}" in text.lower():
        addressed = True
    migrated = message.migrate_to_chat_id
    return IncomingMessage(
        chat=_chat(message.chat), sender=_user(message.from_user), text=text,
        message_id=str(_int(message.message_id, "message_id")), date=_date(message.date),
        attachments=_attachments(message), reply_to=reply_ref,
        album_id=_str(message.media_group_id), addressed=addressed,
        migrated_to=str(_int(migrated, "migrate_to_chat_id")) if migrated else None,
        user_locale=_str(message.from_user.language_code), location=_location(message),
    )


def _location(message: Message) -> tuple[float, float] | None:
    """(latitude, longitude) of a shared location (or a venue's), else None."""
    place = message.location or (message.venue.location if message.venue else None)
    return (place.latitude, place.longitude) if place is not None else None


def _chat(chat) -> ChatRef:  # type: ignore[no-untyped-def]
    if not isinstance(chat, Chat) or not isinstance(chat.type, str):
        raise ValueError("malformed chat")
    title = _str(chat.title) or " ".join(
        n for n in (_str(chat.first_name), _str(chat.last_name)) if n) or None
    return ChatRef(platform=Platform.TELEGRAM, id=str(_int(chat.id, "chat id")),
                   is_group=chat.type != "private", title=title)


def _user(user) -> UserRef:  # type: ignore[no-untyped-def]
    if not isinstance(user, User):
        raise ValueError("malformed sender")
    name = " ".join(n for n in (_str(user.first_name), _str(user.last_name)) if n)
    return UserRef(platform=Platform.TELEGRAM, id=str(_int(user.id, "user id")), name=name,
                   username=_str(user.username), is_bot=user.is_bot is True)


def _size(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _attachments(message: Message) -> tuple[Attachment, ...]:
    photo, video, doc = message.photo, message.video, message.document
    if photo and isinstance(photo, tuple | list):
        best = photo[-1]
        if isinstance(best, PhotoSize) and _str(best.file_id):
            return (Attachment("photo", best.file_id, size=_size(best.file_size),
                               mime="image/jpeg"),)
    if isinstance(video, Video) and _str(video.file_id):
        return (Attachment("video", video.file_id, size=_size(video.file_size),
                           mime=_str(video.mime_type)),)
    if isinstance(doc, Document) and _str(doc.file_id):
        return (Attachment("document", doc.file_id, size=_size(doc.file_size),
                           mime=_str(doc.mime_type), file_name=_str(doc.file_name)),)
    return ()


class TelegramAdapter:
    """Runs PTB (polling, or webhook through our server) and feeds the pipeline."""

    def __init__(
        self,
        *,
        token: str,
        api_base_url: str,
        dispatch: Callable[[IncomingMessage, TelegramMessenger], Awaitable[object]],
        webhook: bool = False,
        poll_timeout: int = 30,
        concurrent_updates: int = 16,
        admit: Callable[[IncomingMessage], None] | None = None,
    ) -> None:
        _quiet_ptb()
        self._dispatch = dispatch
        self._admit = admit
        self.webhook = webhook
        self.poll_timeout = poll_timeout
        # aiohttp instead of PTB's default httpx: same wire format, less CPU per request
        builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = (
            Application.builder().token(token)
            .base_url(f"{api_base_url}/bot").base_file_url(f"{api_base_url}/file/bot")
            .request(AiohttpRequest(connect_timeout=10, read_timeout=20, write_timeout=20))
            .get_updates_request(AiohttpRequest(connection_pool_size=1, connect_timeout=10,
                                                read_timeout=poll_timeout + 10))
        )
        # no PTB Updater: our own getUpdates loop (_poll) parses each update on its own, so one
        # malformed update is skipped (and confirmed) instead of failing its whole batch forever
        builder = builder.updater(None)
        self.app = builder.build()
        self.polling_task: asyncio.Task[None] | None = None
        self._offset = 0
        # updates go from _poll / feed straight to the pipeline, not through PTB's queue and
        # handlers: different chats concurrently, each chat in order (bot/core/ordering.py)
        self.order = ChatOrder(concurrent_updates)
        self.messenger = TelegramMessenger(self.app.bot)

    @property
    def username(self) -> str | None:
        """The bot's @username (after start)."""
        username: str | None = self.app.bot.username
        return username

    async def start(self, retry_delay: float = 2.0) -> None:
        """Initialise (retrying while the API is unreachable) and start receiving updates."""
        delay = retry_delay
        while True:
            try:
                await self.app.initialize()
                break
            except InvalidToken:
                # never chain the SDK error: its text or cause may quote the token
                raise ConfigError("TELEGRAM_BOT_TOKEN",
                                  "Telegram rejected the token (check it with @BotFather)"
                                  ) from None
            except (NetworkError, TimedOut) as exc:
                log.warning("Telegram API unreachable at start (%s); retrying in %.0fs", exc,
                            delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 60)
        await self.app.start()
        if not self.webhook:
            self.polling_task = asyncio.create_task(self._poll(), name="telegram-poll")

    def polling_alive(self) -> bool:
        """True while the getUpdates loop runs (also while it backs off after errors)."""
        return self.polling_task is not None and not self.polling_task.done()

    async def _get_updates(self, timeout: int) -> object:
        """One raw getUpdates call (JSON list, not parsed by PTB)."""
        bot = self.app.bot
        request = bot._request[0]  # PTB's getUpdates request object (pinned PTB 22.8)
        params: dict[str, object] = {"timeout": timeout, "allowed_updates": ALLOWED_UPDATES}
        if self._offset:
            params["offset"] = self._offset
        if isinstance(request, AiohttpRequest):  # JSON body as is: no PTB Bot._post per poll
            return await request.post(f"{bot.base_url}/getUpdates",
                                      request_data=JsonBody(params), read_timeout=timeout + 10)
        return await bot._post("getUpdates", params, read_timeout=timeout + 10)

    async def _poll(self, max_backoff: float = 30.0) -> None:
        """Long-poll getUpdates; parse each update alone; back off on repeated errors."""
        backoff = 1.0
        while True:
            try:
                await self.app.bot.delete_webhook()
                break
            except TelegramError as exc:
                log.warning("Telegram deleteWebhook failed (%s); retrying in %.0fs", exc, backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, max_backoff)
        backoff = 1.0
        while True:
            try:
                batch = await self._get_updates(self.poll_timeout)
                if not isinstance(batch, list):
                    raise ValueError(f"getUpdates answered {type(batch).__name__}, not a list")
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # any fault: log, wait, try again; the loop never ends
                log.warning("Telegram getUpdates failed (%s); retrying in %.0fs",
                            exc if isinstance(exc, TelegramError) else repr(exc), backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, max_backoff)
                continue
            backoff = 1.0
            for raw in batch:
                incoming = self._parse(raw)
                if incoming is not None:
                    self._submit(incoming)
            await self.order.room(MAX_PENDING)  # back-pressure: fetch more when these ran

    def _parse(self, raw: object) -> IncomingMessage | None:
        """Advance the offset past ``raw`` and decode it; None (logged once) when malformed."""
        if not isinstance(raw, dict):
            log.warning("skipped a Telegram update without an update_id")
            return None
        update_id = raw.get("update_id")
        if isinstance(update_id, int) and not isinstance(update_id, bool):
            self._offset = max(self._offset, update_id + 1)
        else:
            log.warning("skipped a Telegram update without an update_id")
            return None
        lean = decode_lean(raw, self.app.bot.username)
        if lean is not None:
            return lean
        try:
            update = parse_update(raw, self.app.bot)
        except Exception as exc:
            log.warning("skipped malformed Telegram update %s: %r", update_id, exc)
            return None
        return self._incoming(update)

    def _decode(self, raw: dict[str, Any]) -> IncomingMessage | None:
        """The lean decoder for plain text messages, PTB for everything else."""
        lean = decode_lean(raw, self.app.bot.username)
        if lean is not None:
            return lean
        return self._incoming(parse_update(raw, self.app.bot))

    def _incoming(self, update: Update) -> IncomingMessage | None:
        """A parsed PTB update as an IncomingMessage; None when ignored or malformed."""
        if update.my_chat_member is not None:
            return None
        try:
            return to_incoming(update, self.app.bot.id, self.app.bot.username)
        except Exception as exc:
            log.warning("skipped malformed Telegram update %s: %r", update.update_id, exc)
            return None

    def _submit(self, incoming: IncomingMessage) -> None:
        if not self.webhook:
            # polling never redelivers: _poll confirms a batch's offset with its next call
            incoming = replace(incoming, may_redeliver=False)
        if self._admit is not None:
            self._admit(incoming)  # a redelivery check starts now, not in its chat's turn
        self.order.submit(incoming.chat.id, incoming.sender.id, lambda: self._handle(incoming))

    async def set_webhook(self, url: str, secret: str) -> None:
        """Register our webhook URL with Telegram."""
        await self.app.bot.set_webhook(url=url, secret_token=secret,
                                       allowed_updates=ALLOWED_UPDATES)

    async def set_commands(
        self, everyone: list[tuple[str, str]], officials: list[tuple[str, str]],
        language: str | None = None,
    ) -> None:
        """Register the command menu: residents' commands for all, more for chat admins."""
        try:
            await self.app.bot.set_my_commands(
                [BotCommand(n, d) for n, d in everyone], scope=BotCommandScopeDefault(),
                language_code=language)
            await self.app.bot.set_my_commands(
                [BotCommand(n, d) for n, d in everyone + officials],
                scope=BotCommandScopeAllChatAdministrators(), language_code=language)
        except TelegramError as exc:
            log.warning("setMyCommands failed: %s", exc)

    async def feed(self, data: dict[str, Any]) -> None:
        """Queue a webhook update body (already JSON-decoded) for processing.

        Raises when PTB cannot parse it (the webhook answers 400)."""
        incoming = self._decode(data)
        if incoming is not None:
            self._submit(incoming)

    async def _handle(self, incoming: IncomingMessage) -> None:
        """One update through the pipeline (then the button's spinner stopped if need be)."""
        await self._dispatch(incoming, self.messenger)
        if incoming.callback_id and not self.messenger.take_answered(incoming.callback_id):
            await self.messenger.answer_button(incoming.callback_id)

    async def stop(self) -> None:
        """Stop polling and shut PTB down."""
        try:
            if self.polling_task is not None:
                self.polling_task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await self.polling_task
                if self._offset:  # confirm what was fetched, so a restart does not refetch it
                    with contextlib.suppress(Exception):
                        await self._get_updates(0)
            await self.order.drain(STOP_GRACE)  # like PTB's stop: let accepted updates finish
            if self.app.running:
                await self.app.stop()
            await self.app.shutdown()
        except Exception:
            log.exception("error while stopping Telegram")


async def webhook(request: web.Request, adapter: TelegramAdapter, secret: str) -> web.Response:
    """``POST /webhook/telegram``: secret header, JSON update, queued for the pipeline."""
    if not secret_ok(request, "X-Telegram-Bot-Api-Secret-Token", secret):
        log.warning("Telegram webhook with a wrong or missing secret from %s", request.remote)
        return web.json_response({"ok": False}, status=403)
    body = await json_body(request)
    if not isinstance(body, dict) or not isinstance(body.get("update_id"), int):
        return web.json_response({"ok": False}, status=400)
    try:
        await adapter.feed(body)
    except Exception as exc:
        log.warning("malformed Telegram update: %s", exc)
        return web.json_response({"ok": False}, status=400)
    return web.json_response({"ok": True})


class TelegramBots:
    """Every configured Telegram bot (``TELEGRAM_BOT_TOKEN`` then ``TELEGRAM_BOT_TOKENS``),
    started and stopped together (the registry's ``Running`` for Telegram)."""

    def __init__(self, adapters: list[TelegramAdapter]) -> None:
        self.adapters = adapters

    @property
    def messenger(self) -> TelegramMessenger:
        """The first bot's messenger (the platform's default)."""
        return self.adapters[0].messenger

    async def stop(self) -> None:
        """Stop every bot."""
        for adapter in self.adapters:
            await adapter.stop()


def _stamped(
    dispatch: Callable[[IncomingMessage, TelegramMessenger], Awaitable[object]],
    adapter: TelegramAdapter,
) -> Callable[[IncomingMessage, TelegramMessenger], Awaitable[object]]:
    """Several bots: mark each update's chat with the bot that received it."""
    async def stamped(msg: IncomingMessage, messenger: TelegramMessenger) -> object:
        bot_id = str(adapter.app.bot.id)
        return await dispatch(replace(msg, chat=replace(msg.chat, bot=bot_id)), messenger)
    return stamped


def _webhook_handler(
    adapter: TelegramAdapter, secret: str
) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def handle(request: web.Request) -> web.Response:
        return await webhook(request, adapter, secret)
    return handle


async def start(host: Host) -> TelegramBots:
    """Start PTB per bot, register the menus and, in webhook mode, each bot's webhook
    (``Platform.TELEGRAM``).  The first bot keeps ``/webhook/telegram`` and the scope
    ``telegram``; further bots use ``/webhook/telegram/<bot id>`` and ``telegram:<bot id>``."""
    s = host.settings
    tokens, secrets = s.telegram_tokens, s.telegram_secrets
    assert tokens
    is_webhook = s.telegram_mode == "webhook"
    if is_webhook and (not s.public_base_url or len(secrets) < len(tokens)):
        raise ConfigError("TELEGRAM_WEBHOOK_SECRET" + ("S" if len(tokens) > 1 else ""),
                          "webhook mode needs PUBLIC_BASE_URL and a secret")
    started: list[TelegramAdapter] = []
    try:
        for index, token in enumerate(tokens):
            adapter = TelegramAdapter(
                token=token.get_secret_value(), api_base_url=s.telegram_api_base_url,
                dispatch=host.dispatch, webhook=is_webhook, poll_timeout=s.poll_timeout,
                admit=host.admit)
            if len(tokens) > 1:
                adapter._dispatch = _stamped(host.dispatch, adapter)
            try:
                await adapter.start()
            except ConfigError as exc:
                if index == 0 and s.telegram_bot_token is not None:
                    raise
                raise ConfigError("TELEGRAM_BOT_TOKENS", exc.reason) from None
            started.append(adapter)
            bot_id = str(adapter.app.bot.id)
            running = host.services.add_bot(Platform.TELEGRAM, adapter.messenger,
                                            bot_id=bot_id, name=adapter.username or "")
            host.services.bot_usernames[f"telegram:{bot_id}"] = adapter.username
            if running.primary:
                host.services.bot_usernames[Platform.TELEGRAM] = adapter.username
            if not is_webhook:
                host.web.polling[running.scope] = adapter.polling_alive
            for locale in ("vi", "en"):
                everyone, officials = host.menus(locale)
                await adapter.set_commands(everyone, officials, None if locale == "vi" else locale)
            if is_webhook:
                path = "telegram" if running.primary else f"telegram/{bot_id}"
                secret = secrets[index].get_secret_value()
                host.web.add_webhook(path, _webhook_handler(adapter, secret))
                await adapter.set_webhook(f"{s.public_base_url}/webhook/{path}", secret)
    except BaseException:
        for adapter in started:
            await adapter.stop()
        raise
    return TelegramBots(started)
