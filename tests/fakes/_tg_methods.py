"""Bot API method handlers of FakeTelegram (mixin) and the pieces they share."""

from __future__ import annotations

import io
import itertools
import json
import re
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from ._base import Call, FakeServer
from ._tg_limits import FloodControl
from ._tg_objects import make_chat_full_info, make_chat_member, photo_sizes
from ._tg_text import EntityParseError, parse_html, utf16_len

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_DOWNLOAD = 20 * 1024 * 1024
COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
SECRET_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")
DEFAULT_EXCLUDED_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
CHAT_ACTIONS = frozenset(
    {
        *("typing", "upload_photo", "record_video", "upload_video", "record_voice"),
        *("upload_voice", "upload_document", "choose_sticker", "find_location"),
        *("record_video_note", "upload_video_note"),
    }
)
_FILE_PREFIX = {"photo": "AgAC", "video": "BAAC", "document": "BQAC", "audio": "CQAC"}
FILE_EXT = {"photo": "jpg", "video": "mp4", "document": "bin", "audio": "mp3"}


class TelegramApiError(Exception):
    """An error answer of the Bot API; raise it from :meth:`FakeTelegram.set_result` handlers."""

    def __init__(self, code: int, description: str, parameters: dict[str, Any] | None = None):
        super().__init__(description)
        self.code, self.description, self.parameters = code, description, parameters


@dataclass
class StoredFile:
    """A file the fake knows: uploaded by the bot, or registered for a user's message."""

    file_id: str
    file_unique_id: str
    data: bytes
    file_path: str
    kind: str
    width: int = 0
    height: int = 0
    file_name: str | None = None
    url: str | None = None
    sizes: list[dict[str, Any]] = field(default_factory=list)


def chat_key(value: Any) -> Any:
    """Normalise a chat id: numeric strings become ``int``; ``@username`` stays a string."""
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value):
        return int(value)
    return value


def tiny_png(
    width: int = 2, height: int = 2, color: tuple[int, int, int] = (200, 30, 30)
) -> bytes:
    """A small valid PNG, handy as a photo upload or a user's photo."""
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buf, format="PNG")
    return buf.getvalue()


def _image_size(data: bytes) -> tuple[int, int] | None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as img:
            img.verify()
            return img.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None


def _bad(description: str, parameters: dict[str, Any] | None = None) -> TelegramApiError:
    return TelegramApiError(400, f"Bad Request: {description}", parameters)


class TelegramMethods(FakeServer):
    """The ``_m_<method>`` handlers and send helpers; FakeTelegram supplies the state."""

    # State owned by FakeTelegram (declared here for readers and type checkers).
    bot_id: int
    bot_user: dict[str, Any]
    privacy_mode: bool
    validate_images: bool
    strict_chats: bool
    strict_webhook_urls: bool
    media_group_min: int
    flood: FloodControl | None
    chats: dict[Any, dict[str, Any]]
    users: dict[int, dict[str, Any]]
    members: dict[tuple[Any, int], dict[str, Any]]
    bot_members: dict[Any, dict[str, Any]]
    messages: dict[tuple[Any, int], dict[str, Any]]
    deleted: list[tuple[Any, int]]
    pinned: dict[Any, list[int]]
    files: dict[str, StoredFile]
    updates: list[dict[str, Any]]
    allowed_updates: list[str] | None
    webhook: dict[str, Any] | None
    commands: dict[tuple[str, str], list[dict[str, str]]]
    callback_answers: list[dict[str, Any]]
    fetched_urls: list[str]
    kicked: dict[Any, str]
    missing: set[Any]
    migrated: dict[Any, int]
    wall_clock: Any
    _pending_callbacks: set[str]
    _file_seq: itertools.count[int]
    _album_seq: itertools.count[int]
    _poll_generation: int

    if TYPE_CHECKING:  # implemented by FakeTelegram

        def add_chat(self, chat_id: Any, chat_type: str | None = None) -> dict[str, Any]: ...

        def add_file(
            self, file_id: str, data: bytes, *, file_path: str | None = None, kind: str = ""
        ) -> StoredFile: ...

        def bot_member(self, chat_id: Any) -> dict[str, Any]: ...

        def kick(self, chat_id: Any, description: str | None = None) -> None: ...

        def commands_for(
            self, scope: dict[str, Any] | None = None, language_code: str = ""
        ) -> list[dict[str, str]]: ...

        def _emit(self, chat: dict[str, Any], **fields: Any) -> dict[str, Any]: ...

    # ================================================================ helpers

    def _chat(
        self, call: Call, *, sending: bool = False, param: str = "chat_id"
    ) -> dict[str, Any]:
        """Resolve the chat a call is about, applying missing/migrated/kicked states."""
        raw = call.params.get(param)
        if raw is None or raw == "":
            raise _bad("chat_id is empty")
        key = chat_key(raw)
        if isinstance(key, str):
            uname = key.lstrip("@").lower()
            found = next(
                (c for c in self.chats.values() if c.get("username", "").lower() == uname), None
            )
            if found is None:
                raise _bad("chat not found")
            key = found["id"]
        if key in self.missing:
            raise _bad("chat not found")
        if key in self.migrated:
            raise _bad(
                "group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": self.migrated[key]},
            )
        chat = self.chats.get(key)
        if chat is None:
            if self.strict_chats or not isinstance(key, int):
                raise _bad("chat not found")
            chat = self.add_chat(key)
        if key in self.kicked and (sending or chat["type"] != "private"):
            raise TelegramApiError(403, self.kicked[key])
        return chat

    def _flood(self, chat: dict[str, Any], units: int = 1) -> None:
        if self.flood is None:
            return
        verdict = self.flood.check(chat["id"], self.clock(), units)
        if verdict is not None:
            self.stats[f"429:{verdict.reason}"] += 1
            raise TelegramApiError(
                429,
                f"Too Many Requests: retry after {verdict.retry_after}",
                {"retry_after": verdict.retry_after},
            )

    @staticmethod
    def _visible(text: str, parse_mode: Any) -> str:
        if isinstance(parse_mode, str) and parse_mode.upper() == "HTML":
            try:
                return parse_html(text)
            except EntityParseError as exc:
                raise _bad(str(exc)) from None
        return text

    def _caption(self, params: dict[str, Any]) -> str | None:
        caption = params.get("caption")
        if not caption:
            return None
        visible = self._visible(str(caption), params.get("parse_mode"))
        if utf16_len(visible) > MAX_CAPTION:
            raise _bad("message caption is too long")
        return visible

    @staticmethod
    def _inline_markup(params: dict[str, Any]) -> dict[str, Any] | None:
        """The inline keyboard to echo (reply keyboards are never echoed by Telegram)."""
        markup = params.get("reply_markup")
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise _bad("can't parse reply keyboard markup JSON object")
        rows = markup.get("inline_keyboard")
        if rows is None:
            return None
        for row in rows:
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(str(data).encode()) <= 64:
                    raise _bad("BUTTON_DATA_INVALID")
        return markup

    def _reply_to(self, chat: dict[str, Any], params: dict[str, Any]) -> dict[str, Any] | None:
        spec = params.get("reply_parameters")
        if isinstance(spec, dict):
            mid, allow = spec.get("message_id"), bool(spec.get("allow_sending_without_reply"))
        else:
            mid = params.get("reply_to_message_id")
            allow = bool(params.get("allow_sending_without_reply"))
        if mid is None:
            return None
        original = self.messages.get((chat["id"], int(mid)))
        if original is None:
            if allow:
                return None
            raise _bad("message to be replied not found")
        return {k: v for k, v in original.items() if k != "reply_to_message"}

    def _common(self, chat: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
        """Fields shared by every sent message: reply, keyboard, topic."""
        return {
            "reply_to_message": self._reply_to(chat, params),
            "reply_markup": self._inline_markup(params),
            "message_thread_id": params.get("message_thread_id"),
        }

    # ---------------------------------------------------------------- files
    def _register(
        self,
        data: bytes,
        kind: str,
        *,
        width: int = 0,
        height: int = 0,
        file_name: str | None = None,
        url: str | None = None,
    ) -> StoredFile:
        n = next(self._file_seq)
        file_id = f"{_FILE_PREFIX.get(kind, 'CAAC')}AgADfake{n:06d}"
        stored = self.add_file(file_id, data, kind=kind)
        stored.width, stored.height, stored.file_name, stored.url = width, height, file_name, url
        return stored

    def _new_photo(
        self,
        data: bytes,
        width: int | None = None,
        height: int | None = None,
        url: str | None = None,
    ) -> StoredFile:
        size = _image_size(data) if data else None
        w, h = width or (size[0] if size else 1280), height or (size[1] if size else 960)
        thumb = self._register(data, "photo", url=url)
        full = self._register(data, "photo", width=w, height=h, url=url)
        sizes = photo_sizes(
            (thumb.file_id, full.file_id),
            (thumb.file_unique_id, full.file_unique_id),
            w,
            h,
            len(data),
        )
        thumb.sizes = full.sizes = sizes
        return full

    def _ingest(self, value: Any, call: Call, kind: str, field_name: str) -> StoredFile:
        """Resolve a file parameter: upload, ``attach://name``, URL or known file_id."""
        name = field_name
        if isinstance(value, str) and value.startswith("attach://"):
            name = value.removeprefix("attach://")
            if name not in call.files:
                raise _bad("can't parse InputMedia: media not found")
            value = call.files[name]
        if isinstance(value, bytes):
            if not value:
                raise _bad("file must be non-empty")
            if kind == "photo":
                if self.validate_images and _image_size(value) is None:
                    raise _bad("IMAGE_PROCESS_FAILED")
                return self._new_photo(value)
            return self._register(value, kind, file_name=call.file_names.get(name))
        if not isinstance(value, str) or not value:
            raise _bad(f"there is no {kind} in the request")
        if value.startswith(("http://", "https://")):
            self.fetched_urls.append(value)
            return (
                self._new_photo(b"", url=value)
                if kind == "photo"
                else self._register(b"", kind, url=value)
            )
        known = self.files.get(value)
        if known is None:
            raise _bad("wrong file identifier/HTTP URL specified")
        return known

    def _media_fields(
        self, stored: StoredFile, kind: str, params: dict[str, Any]
    ) -> dict[str, Any]:
        base = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id}
        if kind == "photo":
            sizes = stored.sizes or photo_sizes(
                (stored.file_id, stored.file_id),
                (stored.file_unique_id, stored.file_unique_id),
                stored.width or 1280,
                stored.height or 960,
                len(stored.data),
            )
            return {"photo": sizes}
        if kind == "video":
            base.update(
                width=params.get("width") or stored.width or 1280,
                height=params.get("height") or stored.height or 720,
                duration=params.get("duration") or 1,
                mime_type="video/mp4",
                file_size=len(stored.data),
            )
            return {"video": base}
        base.update(file_name=stored.file_name or kind, file_size=len(stored.data))
        return {kind: base}

    # ================================================================ API methods
    async def _m_getMe(self, call: Call) -> Any:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": not self.privacy_mode,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _m_getUpdates(self, call: Call) -> Any:
        if self.webhook is not None:
            raise TelegramApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        p = call.params
        if p.get("allowed_updates") is not None:
            self.allowed_updates = list(p["allowed_updates"]) or None
        offset = p.get("offset")
        if isinstance(offset, int):
            self._confirm(offset)
        limit = min(max(int(p.get("limit") or 100), 1), 100)
        self._poll_generation += 1
        generation = self._poll_generation
        await self._long_poll(
            float(p.get("timeout") or 0),
            lambda: bool(self._deliverable()) or self._poll_generation != generation,
        )
        if self._poll_generation != generation:
            raise TelegramApiError(
                409,
                "Conflict: terminated by other getUpdates request; "
                "make sure that only one bot instance is running",
            )
        return self._deliverable()[:limit]

    def _confirm(self, offset: int) -> None:
        if offset < 0:
            del self.updates[: max(0, len(self.updates) + offset)]
        elif offset > 0:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]

    def _deliverable(self) -> list[dict[str, Any]]:
        allowed = self.allowed_updates

        def wanted(update: dict[str, Any]) -> bool:
            kind = next((k for k in update if k != "update_id"), "")
            return kind in allowed if allowed else kind not in DEFAULT_EXCLUDED_UPDATES

        return [u for u in self.updates if wanted(u)]

    async def _m_setWebhook(self, call: Call) -> Any:
        p = call.params
        url = p.get("url") or ""
        if not url:
            return await self._m_deleteWebhook(call)
        if self.strict_webhook_urls and not url.startswith("https://"):
            raise _bad("bad webhook: An HTTPS URL must be provided for webhook")
        secret = p.get("secret_token")
        if secret is not None and not SECRET_RE.fullmatch(str(secret)):
            raise _bad("secret token contains unallowed characters")
        if p.get("drop_pending_updates"):
            self.updates.clear()
        if p.get("allowed_updates") is not None:
            self.allowed_updates = list(p["allowed_updates"]) or None
        self.webhook = {
            "url": url,
            "secret_token": secret,
            "max_connections": p.get("max_connections") or 40,
        }
        return True

    async def _m_deleteWebhook(self, call: Call) -> Any:
        if call.params.get("drop_pending_updates"):
            self.updates.clear()
        self.webhook = None
        return True

    async def _m_getWebhookInfo(self, call: Call) -> Any:
        info: dict[str, Any] = {
            "url": (self.webhook or {}).get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self.updates),
        }
        if self.webhook:
            info.update(max_connections=self.webhook["max_connections"], ip_address="127.0.0.1")
            if self.allowed_updates:
                info["allowed_updates"] = self.allowed_updates
        return info

    async def _m_setMyCommands(self, call: Call) -> Any:
        commands = call.params.get("commands")
        if commands is None:
            raise _bad('parameter "commands" is required')
        if not isinstance(commands, list):
            raise _bad("can't parse commands JSON object")
        if len(commands) > 100:
            raise _bad("BOT_COMMANDS_TOO_MUCH")
        clean = []
        for item in commands:
            name = item.get("command") if isinstance(item, dict) else None
            desc = item.get("description") if isinstance(item, dict) else None
            if not isinstance(name, str) or not COMMAND_RE.fullmatch(name):
                raise _bad("BOT_COMMAND_INVALID")
            if not isinstance(desc, str) or not desc.strip() or len(desc) > 256:
                raise _bad("BOT_COMMAND_DESCRIPTION_INVALID")
            clean.append({"command": name, "description": desc})
        key = scope_key(call.params.get("scope"), call.params.get("language_code") or "")
        if clean:
            self.commands[key] = clean
        else:
            self.commands.pop(key, None)
        return True

    async def _m_getMyCommands(self, call: Call) -> Any:
        return self.commands_for(call.params.get("scope"), call.params.get("language_code") or "")

    async def _m_deleteMyCommands(self, call: Call) -> Any:
        key = scope_key(call.params.get("scope"), call.params.get("language_code") or "")
        self.commands.pop(key, None)
        return True

    async def _m_sendMessage(self, call: Call) -> Any:
        chat = self._chat(call, sending=True)
        text = call.params.get("text")
        if not isinstance(text, str) or not text.strip():
            raise _bad("message text is empty")
        visible = self._visible(text, call.params.get("parse_mode"))
        if not visible.strip():
            raise _bad("message text is empty")
        if utf16_len(visible) > MAX_TEXT:
            raise _bad("message is too long")
        common = self._common(chat, call.params)
        self._flood(chat)
        return self._emit(chat, text=visible, **common)

    async def _send_media(self, call: Call, kind: str) -> Any:
        chat = self._chat(call, sending=True)
        caption = self._caption(call.params)
        value = call.params.get(kind, call.files.get(kind))
        stored = self._ingest(value, call, kind, kind)
        common = self._common(chat, call.params)
        self._flood(chat)
        media = self._media_fields(stored, kind, call.params)
        return self._emit(chat, caption=caption, **media, **common)

    async def _m_sendPhoto(self, call: Call) -> Any:
        return await self._send_media(call, "photo")

    async def _m_sendVideo(self, call: Call) -> Any:
        return await self._send_media(call, "video")

    async def _m_sendDocument(self, call: Call) -> Any:
        return await self._send_media(call, "document")

    async def _m_sendMediaGroup(self, call: Call) -> Any:
        chat = self._chat(call, sending=True)
        media = call.params.get("media")
        if media is None:
            raise _bad('parameter "media" is required')
        if not isinstance(media, list):
            raise _bad("can't parse media JSON object")
        if not media:
            raise _bad("there are no messages to send")
        if len(media) > 10:
            raise _bad("too many messages to send as an album")
        if len(media) < self.media_group_min:
            raise _bad(f"media group must contain {self.media_group_min}-10 items")
        kinds = [item.get("type") if isinstance(item, dict) else None for item in media]
        for lonely in ("document", "audio"):
            if lonely in kinds and any(k != lonely for k in kinds):
                raise _bad(f"{lonely} can't be mixed with other media types")
        prepared = []
        for item, kind in zip(media, kinds, strict=True):
            if kind not in ("photo", "video", "document", "audio"):
                raise _bad(
                    f"can't parse InputMedia: type \"{kind}\" can't be used in sendMediaGroup"
                )
            stored = self._ingest(item.get("media"), call, kind, kind)
            caption = self._caption(item)
            prepared.append((self._media_fields(stored, kind, item), caption))
        common = self._common(chat, call.params)
        common.pop("reply_markup")
        self._flood(chat, units=len(prepared))
        album = f"{13_000_000_000_000_000 + next(self._album_seq)}"
        return [
            self._emit(chat, media_group_id=album, caption=caption, **fields, **common)
            for fields, caption in prepared
        ]

    async def _m_sendChatAction(self, call: Call) -> Any:
        self._chat(call, sending=True)
        if call.params.get("action") not in CHAT_ACTIONS:
            raise _bad("wrong parameter action in request")
        return True

    def _own_message(self, call: Call, missing: str) -> dict[str, Any] | None:
        """The stored message an edit targets (``None`` for inline messages)."""
        if call.params.get("inline_message_id"):
            return None
        chat = self._chat(call)
        msg = self.messages.get((chat["id"], call.params.get("message_id")))
        if msg is None:
            raise _bad(missing)
        if (msg.get("from") or {}).get("id") != self.bot_id:
            raise _bad("message can't be edited")
        return msg

    async def _m_editMessageText(self, call: Call) -> Any:
        msg = self._own_message(call, "message to edit not found")
        text = call.params.get("text")
        if not isinstance(text, str) or not text.strip():
            raise _bad("message text is empty")
        visible = self._visible(text, call.params.get("parse_mode"))
        if utf16_len(visible) > MAX_TEXT:
            raise _bad("MESSAGE_TOO_LONG")
        markup = self._inline_markup(call.params)
        if msg is None:
            return True
        if msg.get("text") == visible and msg.get("reply_markup") == markup:
            raise _bad(
                "message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message"
            )
        msg["text"] = visible
        _set_or_drop(msg, "reply_markup", markup)
        msg["edit_date"] = int(self.wall_clock())
        return msg

    async def _m_editMessageReplyMarkup(self, call: Call) -> Any:
        msg = self._own_message(call, "message to edit not found")
        markup = self._inline_markup(call.params)
        if msg is None:
            return True
        if msg.get("reply_markup") == markup:
            raise _bad(
                "message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message"
            )
        _set_or_drop(msg, "reply_markup", markup)
        msg["edit_date"] = int(self.wall_clock())
        return msg

    async def _m_deleteMessage(self, call: Call) -> Any:
        chat = self._chat(call)
        key = (chat["id"], call.params.get("message_id"))
        msg = self.messages.get(key)
        if msg is None:
            raise _bad("message to delete not found")
        mine = (msg.get("from") or {}).get("id") == self.bot_id
        rights = self.bot_member(chat["id"])
        can = rights["status"] == "creator" or rights.get("can_delete_messages")
        if not (mine or chat["type"] == "private" or can):
            raise _bad("message can't be deleted")
        del self.messages[key]
        self.deleted.append(key)
        return True

    async def _m_answerCallbackQuery(self, call: Call) -> Any:
        qid = str(call.params.get("callback_query_id", ""))
        if qid not in self._pending_callbacks:
            raise _bad("query is too old and response timeout expired or query ID is invalid")
        self._pending_callbacks.discard(qid)
        self.callback_answers.append(dict(call.params))
        return True

    def _check_pin_rights(self, chat: dict[str, Any]) -> None:
        if chat["type"] == "private":
            return
        member = self.bot_member(chat["id"])
        if member["status"] == "creator" or (
            member["status"] == "administrator" and member.get("can_pin_messages")
        ):
            return
        raise _bad("not enough rights to manage pinned messages in the chat")

    async def _m_pinChatMessage(self, call: Call) -> Any:
        chat = self._chat(call)
        mid = call.params.get("message_id")
        if (chat["id"], mid) not in self.messages:
            raise _bad("message to pin not found")
        self._check_pin_rights(chat)
        pins = self.pinned.setdefault(chat["id"], [])
        if mid in pins:
            pins.remove(mid)
        pins.append(mid)
        return True

    async def _m_unpinChatMessage(self, call: Call) -> Any:
        chat = self._chat(call)
        self._check_pin_rights(chat)
        pins = self.pinned.get(chat["id"], [])
        mid = call.params.get("message_id")
        if mid is None and pins:
            pins.pop()
        elif mid in pins:
            pins.remove(mid)
        return True

    async def _m_unpinAllChatMessages(self, call: Call) -> Any:
        chat = self._chat(call)
        self._check_pin_rights(chat)
        self.pinned.pop(chat["id"], None)
        return True

    async def _m_getChat(self, call: Call) -> Any:
        return make_chat_full_info(self._chat(call))

    async def _m_getChatMember(self, call: Call) -> Any:
        chat = self._chat(call)
        user_id = call.params.get("user_id")
        if user_id == self.bot_id:
            return self.bot_member(chat["id"])
        member = self.members.get((chat["id"], user_id))
        if member is not None:
            return member
        user = self.users.get(user_id) if isinstance(user_id, int) else None
        if user is None:
            raise _bad("user not found")
        status = "member" if chat["id"] == user_id else "left"
        return make_chat_member(user, status)

    async def _m_getChatAdministrators(self, call: Call) -> Any:
        chat = self._chat(call)
        if chat["type"] == "private":
            raise _bad("there are no administrators in the private chat")
        admins = [
            m
            for (cid, _), m in self.members.items()
            if cid == chat["id"] and m["status"] in ("creator", "administrator")
        ]
        if self.bot_member(chat["id"])["status"] in ("creator", "administrator"):
            admins.append(self.bot_member(chat["id"]))
        return admins

    async def _m_getChatMemberCount(self, call: Call) -> Any:
        chat = self._chat(call)
        present = ("creator", "administrator", "member", "restricted")
        humans = [
            m
            for (cid, _), m in self.members.items()
            if cid == chat["id"] and m["status"] in present
        ]
        return len(humans) + (0 if chat["id"] in self.kicked else 1)

    async def _m_leaveChat(self, call: Call) -> Any:
        chat = self._chat(call)
        self.bot_members[chat["id"]] = make_chat_member(self.bot_user, "left")
        self.kick(chat["id"], f"Forbidden: bot is not a member of the {chat['type']} chat")
        return True

    async def _m_getFile(self, call: Call) -> Any:
        stored = self.files.get(str(call.params.get("file_id", "")))
        if stored is None:
            raise _bad("invalid file_id")
        if len(stored.data) > MAX_DOWNLOAD:
            raise _bad("file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data),
            "file_path": stored.file_path,
        }


# ==================================================================== module helpers
def kicked_description(chat_type: str) -> str:
    if chat_type == "private":
        return "Forbidden: bot was blocked by the user"
    if chat_type == "channel":
        return "Forbidden: bot is not a member of the channel chat"
    return f"Forbidden: bot was kicked from the {chat_type} chat"


def default_description(status: int) -> str:
    known = {
        400: "Bad Request",
        401: "Unauthorized",
        404: "Not Found",
        409: "Conflict: terminated by other getUpdates request; "
        "make sure that only one bot instance is running",
    }
    if status in known:
        return known[status]
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown error"


def error_body(code: int, description: str, parameters: dict[str, Any] | None = None) -> Any:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return body


def scope_key(scope: Any, language_code: str) -> tuple[str, str]:
    return json.dumps(scope or {"type": "default"}, sort_keys=True), language_code


def _set_or_drop(msg: dict[str, Any], key: str, value: Any) -> None:
    if value is None:
        msg.pop(key, None)
    else:
        msg[key] = value
