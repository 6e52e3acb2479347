"""Fake Telegram Bot API server for tests, driven by the real python-telegram-bot client.

    async with FakeTelegram(token=TOKEN, bot_username="ThisBot") as tg:
        app = (ApplicationBuilder().token(TOKEN).base_url(f"{tg.url}/bot")
               .base_file_url(f"{tg.url}/file/bot").build())

See ``tests/fakes/README.md`` for the full tour.
"""

from __future__ import annotations

import copy
import inspect
import itertools
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from ._base import Call, Clock, Fault, coerce_params, read_request, same_id
from ._tg_limits import FloodControl, TelegramLimits
from ._tg_methods import (
    FILE_EXT,
    StoredFile,
    TelegramApiError,
    TelegramMethods,
    chat_key,
    default_description,
    error_body,
    kicked_description,
    scope_key,
    tiny_png,
)
from ._tg_objects import infer_chat_type, make_chat, make_chat_member, make_user
from ._tg_updates import AUTO, UpdateBuilders

#: Sentinel for "use the registered value".
UNSET: Any = object()

_JSON_KEYS = frozenset(
    {
        *("reply_markup", "commands", "scope", "entities", "caption_entities", "media"),
        *("reply_parameters", "allowed_updates", "link_preview_options", "results"),
        *("permissions", "message_ids", "options", "input_message_content", "reaction"),
        *("rights", "menu_button", "button"),
    }
)
_INT_KEYS = frozenset(
    {
        *("chat_id", "from_chat_id", "message_id", "user_id", "offset", "limit", "timeout"),
        *("message_thread_id", "reply_to_message_id", "cache_time", "max_connections"),
        *("until_date", "duration", "width", "height"),
    }
)
_BOOL_KEYS = frozenset(
    {
        *("disable_notification", "protect_content", "show_alert", "drop_pending_updates"),
        *("allow_sending_without_reply", "disable_web_page_preview", "has_spoiler"),
        *("supports_streaming", "only_if_banned", "revoke_messages", "is_anonymous"),
        *("show_caption_above_media", "allow_paid_broadcast", "disable_content_type_detection"),
    }
)
_SERVICE_KEYS = frozenset(
    {
        *("new_chat_members", "left_chat_member", "new_chat_title", "new_chat_photo"),
        *("group_chat_created", "supergroup_chat_created", "migrate_to_chat_id"),
        *("migrate_from_chat_id", "pinned_message"),
    }
)


Handler = Callable[[Call], Awaitable[Any]]


class FakeTelegram(UpdateBuilders, TelegramMethods):
    """Fake Telegram Bot API (aiohttp, 127.0.0.1, random port) with state, faults and limits.

    Point PTB at it with ``.base_url(f"{tg.url}/bot").base_file_url(f"{tg.url}/file/bot")``.
    """

    label = "FakeTelegram"

    def __init__(
        self,
        token: str = "123456789:TEST-token_fake",
        bot_username: str = "ThisBot",
        *,
        bot_first_name: str = "Bot Làng",
        privacy_mode: bool = False,
        bot_is_admin: bool = False,
        enforce_limits: bool = False,
        limits: TelegramLimits | None = None,
        clock: Clock = time.monotonic,
        wall_clock: Clock = time.time,
        max_long_poll: float | None = None,
        validate_images: bool = True,
        strict_chats: bool = False,
        strict_webhook_urls: bool = False,
        media_group_min: int = 2,
    ) -> None:
        super().__init__(clock=clock, max_long_poll=max_long_poll)
        self.token = token
        head = token.split(":", 1)[0]
        self.bot_id = int(head) if head.isdigit() else 123456789
        self.bot_username = bot_username
        self.bot_user = make_user(self.bot_id, bot_first_name, username=bot_username, is_bot=True)
        #: Privacy mode on: getMe says so and :meth:`inject` drops group messages the bot
        #: would not see (see README); dropped updates land in :attr:`privacy_dropped`.
        self.privacy_mode = privacy_mode
        self.bot_is_admin = bot_is_admin
        self.wall_clock: Clock = wall_clock
        self.validate_images = validate_images
        self.strict_chats = strict_chats
        self.strict_webhook_urls = strict_webhook_urls
        self.media_group_min = media_group_min
        self.flood: FloodControl | None = (
            FloodControl(limits or TelegramLimits())
            if enforce_limits or limits is not None
            else None
        )
        # --- world state
        self.chats: dict[Any, dict[str, Any]] = {}
        self.users: dict[int, dict[str, Any]] = {}
        self.members: dict[tuple[Any, int], dict[str, Any]] = {}
        self.bot_members: dict[Any, dict[str, Any]] = {}
        self.messages: dict[tuple[Any, int], dict[str, Any]] = {}
        #: Snapshots of the messages the bot sent successfully, in order (media-group items
        #: one by one). Later edits show in :attr:`messages`, not here.
        self.sent: list[dict[str, Any]] = []
        self.deleted: list[tuple[Any, int]] = []
        self.pinned: dict[Any, list[int]] = {}
        self.files: dict[str, StoredFile] = {}
        #: Pending updates for getUpdates, oldest first.
        self.updates: list[dict[str, Any]] = []
        self.privacy_dropped: list[dict[str, Any]] = []
        self.allowed_updates: list[str] | None = None
        self.webhook: dict[str, Any] | None = None
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self.callback_answers: list[dict[str, Any]] = []
        self.fetched_urls: list[str] = []
        self.kicked: dict[Any, str] = {}
        self.missing: set[Any] = set()
        self.migrated: dict[Any, int] = {}
        self._next_update_id = 100_000
        self._pending_callbacks: set[str] = set()
        self._callback_seq = 0
        self._message_seq: dict[Any, int] = {}
        self._file_seq = itertools.count(1)
        self._album_seq = itertools.count(1)
        self._poll_generation = 0
        self._custom: dict[str, Any] = {}
        self._methods: dict[str, Handler] = {
            name.lower(): getattr(self, f"_m_{name}")
            for name in (
                *("getMe", "getUpdates", "setWebhook", "deleteWebhook", "getWebhookInfo"),
                *("setMyCommands", "getMyCommands", "deleteMyCommands", "sendMessage"),
                *("sendPhoto", "sendVideo", "sendDocument", "sendMediaGroup"),
                *("sendChatAction", "editMessageText", "editMessageReplyMarkup"),
                *("deleteMessage", "answerCallbackQuery", "pinChatMessage"),
                *("unpinChatMessage", "unpinAllChatMessages", "getChat", "getChatMember"),
                *("getChatAdministrators", "getChatMemberCount", "getFile", "leaveChat"),
            )
        }
        self._app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        self._app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)

    # ================================================================ world setup
    def add_chat(
        self,
        chat_id: Any,
        chat_type: str | None = None,
        *,
        title: str | None = None,
        username: str | None = None,
        first_name: str | None = None,
    ) -> dict[str, Any]:
        """Create (or update) a chat; returns the ``Chat`` dict the fake will use."""
        key = chat_key(chat_id)
        chat = self.chats.get(key)
        if chat is None:
            chat = make_chat(key, chat_type, title=title, username=username, first_name=first_name)
            self.chats[key] = chat
            return chat
        if chat_type and chat_type != chat["type"]:
            chat.clear()
            chat.update(make_chat(key, chat_type, title=title, first_name=first_name))
        if title and chat["type"] != "private":
            chat["title"] = title
        if username:
            chat["username"] = username
        return chat

    def register_user(
        self,
        user_id: int,
        first_name: str = "Người dùng",
        *,
        username: str | None = None,
        last_name: str | None = None,
        language_code: str | None = None,
        is_bot: bool = False,
    ) -> dict[str, Any]:
        """Create (or update) a user; returns the ``User`` dict."""
        user = make_user(
            user_id,
            first_name,
            username=username,
            last_name=last_name,
            is_bot=is_bot,
            language_code=language_code,
        )
        self.users[user_id] = user
        return user

    def set_member(
        self,
        chat_id: Any,
        user_id: int,
        status: str = "member",
        *,
        first_name: str | None = None,
        username: str | None = None,
        **rights: Any,
    ) -> dict[str, Any]:
        """Set a user's membership (``creator``, ``administrator``, ``member``, ``restricted``,
        ``left``, ``kicked``) for getChatMember/getChatAdministrators."""
        user = self.users.get(user_id)
        if user is None or first_name or username:
            user = self.register_user(
                user_id,
                first_name or (user or {}).get("first_name", "Người dùng"),
                username=username or (user or {}).get("username"),
            )
        member = make_chat_member(user, status, **rights)
        self.members[(chat_key(chat_id), user_id)] = member
        return member

    def set_bot_rights(self, chat_id: Any, status: str = "administrator", **rights: Any) -> None:
        """Set the bot's own membership in a chat, e.g. ``can_pin_messages=False``."""
        self._apply_bot_membership(
            chat_key(chat_id), make_chat_member(self.bot_user, status, **rights)
        )

    def bot_member(self, chat_id: Any) -> dict[str, Any]:
        """The bot's ChatMember dict in a chat (default: member, or admin if ``bot_is_admin``)."""
        key = chat_key(chat_id)
        if key in self.bot_members:
            return self.bot_members[key]
        if self.bot_is_admin:
            return make_chat_member(self.bot_user, "administrator")
        return make_chat_member(self.bot_user, "member")

    def kick(self, chat_id: Any, description: str | None = None) -> None:
        """From now on every send to this chat answers 403 (kicked / blocked by the user)."""
        key = chat_key(chat_id)
        kind = self.chats[key]["type"] if key in self.chats else infer_chat_type(int(key))
        self.kicked[key] = description or kicked_description(kind)

    def unkick(self, chat_id: Any) -> None:
        """Undo :meth:`kick`."""
        self.kicked.pop(chat_key(chat_id), None)

    def missing_chat(self, chat_id: Any) -> None:
        """From now on every call about this chat answers ``400 Bad Request: chat not found``."""
        self.missing.add(chat_key(chat_id))

    def migrate_chat(self, old_chat_id: int, new_chat_id: int) -> None:
        """Turn a group into a supergroup: calls to the old id answer 400 + migrate_to_chat_id."""
        old = self.chats.get(old_chat_id)
        self.migrated[old_chat_id] = new_chat_id
        self.add_chat(new_chat_id, "supergroup", title=old.get("title") if old else None)

    def add_file(
        self, file_id: str, data: bytes, *, file_path: str | None = None, kind: str = "photo"
    ) -> StoredFile:
        """Register bytes under ``file_id`` so getFile and the download route serve them."""
        n = next(self._file_seq)
        ext = FILE_EXT.get(kind, "bin")
        stored = StoredFile(
            file_id=file_id,
            file_unique_id=f"AQAD{n:08d}",
            data=data,
            file_path=file_path or f"{kind}s/file_{n}.{ext}",
            kind=kind,
        )
        self.files[file_id] = stored
        return stored

    def make_photo(
        self, data: bytes | None = None, *, width: int | None = None, height: int | None = None
    ) -> list[dict[str, Any]]:
        """Register a user's photo and return its ``PhotoSize`` list (for ``photo=``)."""
        return self._new_photo(data if data is not None else tiny_png(), width, height).sizes

    def set_result(self, method: str, result: Any) -> None:
        """Answer ``method`` with ``result`` — or ``result(call)`` if callable (may be async
        and may raise :class:`TelegramApiError`). Also adds methods the fake lacks."""
        self._custom[method.lower()] = result

    # ================================================================ updates
    def inject(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue an update for getUpdates (``update_id`` is added if missing)."""
        if "update_id" not in update:
            update["update_id"] = self.new_update_id()
        if self.privacy_mode and not self._bot_would_see(update):
            self.privacy_dropped.append(update)
            return update
        self.updates.append(update)
        self._touch()
        return update

    async def post_webhook(
        self, url: str | None, update: dict[str, Any], *, secret: str | None = UNSET
    ) -> int:
        """POST an update to a webhook like Telegram does; returns the HTTP status.

        ``url=None`` uses the URL from setWebhook; ``secret`` defaults to its secret_token
        (sent as ``X-Telegram-Bot-Api-Secret-Token``); ``secret=None`` sends no header.
        """
        hook = self.webhook or {}
        target = url or hook.get("url")
        if not target:
            raise RuntimeError("no webhook URL given and none registered")
        token = hook.get("secret_token") if secret is UNSET else secret
        headers = {"X-Telegram-Bot-Api-Secret-Token": token} if token else {}
        if "update_id" not in update:
            update["update_id"] = self.new_update_id()
        return await self._post_json(target, update, headers)

    async def deliver_to_webhook(self) -> list[int]:
        """Post every queued update to the registered webhook; 2xx ones leave the queue."""
        statuses = []
        for update in list(self.updates):
            status = await self.post_webhook(None, update)
            statuses.append(status)
            if 200 <= status < 300:
                self.updates.remove(update)
        return statuses

    # ================================================================ queries
    def sent_messages(self, chat_id: Any = None) -> list[dict[str, Any]]:
        """Messages the bot sent successfully (optionally in one chat), oldest first."""
        return [m for m in self.sent if chat_id is None or same_id(m["chat"]["id"], chat_id)]

    def sent_texts(self, chat_id: Any = None) -> list[str]:
        """Visible texts of the bot's text messages (HTML tags removed), oldest first."""
        return [m["text"] for m in self.sent_messages(chat_id) if "text" in m]

    def sent_captions(self, chat_id: Any = None) -> list[str]:
        """Captions of the bot's media messages, oldest first."""
        return [m["caption"] for m in self.sent_messages(chat_id) if "caption" in m]

    def last_sent(self, chat_id: Any = None) -> dict[str, Any] | None:
        """The bot's latest successful message (optionally in one chat)."""
        found = self.sent_messages(chat_id)
        return found[-1] if found else None

    def commands_for(
        self, scope: dict[str, Any] | None = None, language_code: str = ""
    ) -> list[dict[str, str]]:
        """Commands stored by setMyCommands for a scope (default scope if omitted)."""
        return list(self.commands.get(scope_key(scope, language_code), []))

    # ================================================================ faults
    def fail_next(
        self,
        method: str = "*",
        status: int | None = 429,
        *,
        retry_after: int = 3,
        description: str | None = None,
        times: int = 1,
        chat_id: Any = None,
        migrate_to_chat_id: int | None = None,
        delay: float | None = None,
        drop: bool = False,
        malformed: bool = False,
    ) -> Fault:
        """Make the next ``times`` calls of ``method`` (``"*"`` = any; optionally only for
        ``chat_id``) fail.

        ``status``: 429 (``parameters.retry_after``), 403 (kicked/blocked wording from the
        chat id), 400 (with ``migrate_to_chat_id`` -> ChatMigrated), 401, 409, 5xx…;
        ``status=None`` answers normally. ``delay`` waits first (client timeouts), ``drop``
        closes the connection without an answer, ``malformed`` sends broken JSON (HTTP 200).
        """

        def respond(call: Call) -> tuple[int, Any]:
            assert status is not None
            params: dict[str, Any] | None = None
            text = description
            if status == 429:
                params = {"retry_after": retry_after}
                text = text or f"Too Many Requests: retry after {retry_after}"
            elif migrate_to_chat_id is not None:
                params = {"migrate_to_chat_id": migrate_to_chat_id}
                text = text or "Bad Request: group chat was upgraded to a supergroup chat"
            elif status == 403:
                target = chat_key(call.params.get("chat_id", chat_id))
                kind = (
                    self.chats[target]["type"]
                    if target in self.chats
                    else infer_chat_type(target if isinstance(target, int) else -1)
                )
                text = text or kicked_description(kind)
            return status, error_body(status, text or default_description(status), params)

        return self.add_fault(
            Fault(
                method=method,
                times=times,
                chat_id=chat_id,
                delay=delay,
                drop=drop,
                malformed=malformed,
                respond=respond if status is not None else None,
            )
        )

    def delay_next(self, method: str, seconds: float, *, times: int = 1) -> Fault:
        """Answer the next calls normally but only after ``seconds`` (client read timeouts)."""
        return self.fail_next(method, None, delay=seconds, times=times)

    def drop_next(self, method: str, *, times: int = 1) -> Fault:
        """Close the connection of the next calls without answering."""
        return self.fail_next(method, None, drop=True, times=times)

    # ================================================================ HTTP plumbing
    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        raw = await read_request(request)
        params = coerce_params(
            raw.params, json_keys=_JSON_KEYS, int_keys=_INT_KEYS, bool_keys=_BOOL_KEYS
        )
        call = self._record(request.match_info["method"], params, raw.files, request.method)
        call.file_names = raw.file_names
        if request.match_info["token"] != self.token:
            return self._error(call, TelegramApiError(401, "Unauthorized"))
        fault = self._take_fault(call)
        if fault is not None:
            response = await self._apply_fault(fault, call, request)
            if response is not None:
                return response
        error: TelegramApiError | None = None
        try:
            result = await self._dispatch(call)
        except TelegramApiError as exc:
            error = exc
        outage = self._outage_response(request)
        if outage is not None:  # a long poll cut short by go_down()
            call.dropped = self._down == "refuse"
            self._finish(call, None if call.dropped else 502, None)
            return outage
        if error is not None:
            return self._error(call, error)
        body = {"ok": True, "result": result}
        self._finish(call, 200, body)
        return web.json_response(body)

    def _error(self, call: Call, exc: TelegramApiError) -> web.Response:
        body = error_body(exc.code, exc.description, exc.parameters)
        self._finish(call, exc.code, body)
        return web.json_response(body, status=exc.code)

    async def _dispatch(self, call: Call) -> Any:
        name = call.method.lower()
        if name in self._custom:
            custom = self._custom[name]
            if not callable(custom):
                return custom
            value = custom(call)
            return await value if inspect.isawaitable(value) else value
        handler = self._methods.get(name)
        if handler is None:
            raise TelegramApiError(404, "Not Found")
        return await handler(call)

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        path = request.match_info["path"]
        stored = next((f for f in self.files.values() if f.file_path == path), None)
        if request.match_info["token"] != self.token or stored is None:
            return web.json_response(error_body(404, "Not Found"), status=404)
        return web.Response(body=stored.data, content_type="application/octet-stream")

    # ================================================================ state helpers
    def _bot_would_see(self, update: dict[str, Any]) -> bool:
        """Telegram's privacy-mode filter for group messages (Bots FAQ)."""
        msg = update.get("message") or update.get("edited_message")
        if msg is None or msg["chat"]["type"] in ("private", "channel"):
            return True
        if self.bot_member(msg["chat"]["id"])["status"] in ("administrator", "creator"):
            return True
        if _SERVICE_KEYS & msg.keys():
            return True
        replied = msg.get("reply_to_message") or {}
        if (replied.get("from") or {}).get("id") == self.bot_id:
            return True
        body = msg.get("text") or msg.get("caption") or ""
        for ent in msg.get("entities") or msg.get("caption_entities") or []:
            if ent["type"] != "bot_command":
                continue
            command = body.encode("utf-16-le")[
                ent["offset"] * 2 : (ent["offset"] + ent["length"]) * 2
            ]
            _, _, target = command.decode("utf-16-le").partition("@")
            if not target or target.lower() == self.bot_username.lower():
                return True
        return False

    def _note_member(self, chat_id: Any, user: dict[str, Any]) -> None:
        key = (chat_key(chat_id), user["id"])
        if key not in self.members:
            self.members[key] = make_chat_member(user, "member")
        else:
            self.members[key]["user"] = user

    def _apply_bot_membership(self, chat_id: Any, member: dict[str, Any]) -> None:
        self.bot_members[chat_key(chat_id)] = member
        if member["status"] in ("left", "kicked"):
            self.kick(chat_id)
        else:
            self.unkick(chat_id)

    def _store_message(
        self,
        chat: dict[str, Any],
        from_user: dict[str, Any] | None,
        *,
        message_id: int | None = None,
        **fields: Any,
    ) -> dict[str, Any]:
        key = chat["id"]
        if message_id is None:
            message_id = self._message_seq.get(key, 0) + 1
        self._message_seq[key] = max(self._message_seq.get(key, 0), message_id)
        msg: dict[str, Any] = {"message_id": message_id}
        if from_user is not None:
            msg["from"] = from_user
        msg.update(chat=chat, date=int(self.wall_clock()))
        msg.update({k: v for k, v in fields.items() if v is not None})
        self.messages[(key, message_id)] = msg
        return msg

    def _emit(self, chat: dict[str, Any], **fields: Any) -> dict[str, Any]:
        msg = self._store_message(chat, self.bot_user, **fields)
        self.sent.append(copy.deepcopy(msg))
        self.stats["sent"] += 1
        return msg


__all__ = [
    "AUTO",
    "UNSET",
    "FakeTelegram",
    "StoredFile",
    "TelegramApiError",
    "TelegramLimits",
    "chat_key",
    "tiny_png",
]
