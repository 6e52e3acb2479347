"""Fake Zalo Bot Platform API server for tests, driven by the real python-zalo-bot client.

    async with FakeZalo(token="123:abc", bot_id="botid1", bot_name="Bot Lang") as zl:
        bot = zalo_bot.Bot("123:abc", base_url=zl.url)   # -> {url}/bot123:abc/{method}

Wire format: docs/../shared/reference/zalo-bot-api.md. The SDK (0.1.9) posts
``application/x-www-form-urlencoded`` (httpx ``data=``); JSON bodies and query strings work too.
See ``tests/fakes/README.md`` for the full tour.
"""

from __future__ import annotations

import hashlib
import inspect
import itertools
import time
from dataclasses import dataclass
from typing import Any

import aiohttp
from aiohttp import web

from ._base import Call, Clock, FakeServer, Fault, coerce_params, read_request, same_id

#: Sentinel for "use the registered value".
UNSET: Any = object()

MAX_TEXT = 2000
CHAT_ACTIONS = frozenset({"typing", "upload_photo"})
_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Internal server error",
    404: "Not Found",
    408: "Request timeout",
    425: "The sticker is invalid",
    426: "Daily limit exceeded",
    429: "Quota exceeded",
}
_PRIVATE_HOSTS = ("localhost", "127.", "10.", "192.168.", "0.0.0.0")


class ZaloApiError(Exception):
    """An ``ok:false`` answer; raise it from :meth:`FakeZalo.set_result` handlers."""

    def __init__(self, error_code: int, description: str | None = None) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description or _DESCRIPTIONS.get(error_code, "Error")


@dataclass
class PhotoFetch:
    """The fake fetching a sendPhoto URL itself, as Zalo does."""

    url: str
    status: int | None
    data: bytes
    error: str | None = None

    @property
    def ok(self) -> bool:
        """True when the URL answered 200 with a non-empty body."""
        return self.status == 200 and bool(self.data)


@dataclass
class CdnImage:
    """Bytes served by the fake's tiny CDN until they expire."""

    data: bytes
    content_type: str
    expires_after_fetches: int | None
    expired_status: int
    fetches: int = 0

    @property
    def expired(self) -> bool:
        """True once the allowed number of fetches is used up."""
        limit = self.expires_after_fetches
        return limit is not None and self.fetches >= limit


def hex_id(seed: str) -> str:
    """A stable 20-hex-digit id like Zalo's (``message_id``, ``from.id``, ``chat.id``)."""
    return hashlib.sha1(seed.encode()).hexdigest()[:20]


class FakeZalo(FakeServer):
    """Fake Zalo Bot API (aiohttp, 127.0.0.1, random port) with state, quirks and faults."""

    label = "FakeZalo"

    def __init__(
        self,
        token: str = "123:abc",
        bot_id: str = "botid1",
        bot_name: str = "Bot Lang",
        *,
        account_name: str | None = None,
        can_join_groups: bool = True,
        clock: Clock = time.monotonic,
        wall_clock: Clock = time.time,
        max_long_poll: float | None = None,
        error_http_status: int = 200,
        strict_chats: bool = False,
        strict_webhook_urls: bool = False,
        reject_unfetchable_photos: bool = True,
        photo_fetch_timeout: float = 5.0,
    ) -> None:
        super().__init__(clock=clock, max_long_poll=max_long_poll)
        self.token, self.bot_id, self.bot_name = token, bot_id, bot_name
        self.account_name = account_name or f"bot.{hex_id(bot_id)[:9]}"
        self.can_join_groups = can_join_groups
        self.wall_clock: Clock = wall_clock
        #: HTTP status of every ``ok:false`` answer the fake makes up (Zalo mostly uses 200).
        self.error_http_status = error_http_status
        self.strict_chats = strict_chats
        self.strict_webhook_urls = strict_webhook_urls
        self.reject_unfetchable_photos = reject_unfetchable_photos
        self.photo_fetch_timeout = photo_fetch_timeout
        #: Quirk: every successful send comes back as an update from the bot itself.
        self.echo_sends = False
        #: Every send answers ``error_code 429 "Quota exceeded"`` while True.
        self.quota_exhausted = False
        #: Sends left before the quota runs out (``None`` = unlimited).
        self.quota_remaining: int | None = None
        #: Pending events for getUpdates, oldest first (each is consumed by one read).
        self.events: list[dict[str, Any]] = []
        #: Successful bot sends: dicts with kind, chat_id, message_id, date and content.
        self.outbox: list[dict[str, Any]] = []
        self.photo_fetches: list[PhotoFetch] = []
        self.chats: dict[str, str] = {}
        self.missing: set[str] = set()
        self.webhook: dict[str, Any] | None = None
        self.cdn: dict[str, CdnImage] = {}
        self._webhook_ever_set = False
        self._seq = itertools.count(1)
        self._custom: dict[str, Any] = {}
        self._methods = {
            "getMe": self._m_getMe,
            "getUpdates": self._m_getUpdates,
            "setWebhook": self._m_setWebhook,
            "deleteWebhook": self._m_deleteWebhook,
            "getWebhookInfo": self._m_getWebhookInfo,
            "sendMessage": self._m_sendMessage,
            "sendPhoto": self._m_sendPhoto,
            "sendSticker": self._m_sendSticker,
            "sendVoice": self._m_sendVoice,
            "sendChatAction": self._m_sendChatAction,
        }
        self._app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        self._app.router.add_get("/cdn/{name}", self._handle_cdn)

    # ================================================================ ids & time
    def new_id(self, kind: str = "msg") -> str:
        """A fresh hex-like id (20 hex digits)."""
        return hex_id(f"{kind}-{next(self._seq)}")

    def now_ms(self) -> int:
        """Current wall-clock time in epoch milliseconds (Zalo's ``date`` unit)."""
        return int(self.wall_clock() * 1000)

    # ================================================================ builders
    def _build_event(
        self,
        event_name: str,
        chat_id: str | None,
        from_id: str,
        *,
        chat_type: str,
        display_name: str,
        is_bot: bool,
        message_id: str | None,
        date: int | None,
        extra: dict[str, Any] | None,
        **content: Any,
    ) -> dict[str, Any]:
        chat = chat_id or from_id
        self.chats[chat] = chat_type
        message: dict[str, Any] = {
            "from": {"id": from_id, "display_name": display_name, "is_bot": is_bot},
            "chat": {"id": chat, "chat_type": chat_type},
            "message_id": message_id or self.new_id(),
            "date": date if date is not None else self.now_ms(),
        }
        message.update({k: v for k, v in content.items() if v is not None})
        message.update(extra or {})
        return {"event_name": event_name, "message": message}

    def make_text(
        self,
        chat_id: str | None,
        from_id: str,
        text: str,
        *,
        chat_type: str = "GROUP",
        display_name: str = "Người dùng",
        is_bot: bool = False,
        message_id: str | None = None,
        date: int | None = None,
        mention: bool = False,
        extra: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """A ``message.text.received`` event. ``mention=True`` prefixes ``@<bot name> ``, as
        group messages that reach a bot usually are. ``chat_id=None`` means ``from_id``."""
        body = f"@{self.bot_name} {text}" if mention else text
        return self._build_event(
            "message.text.received",
            chat_id,
            from_id,
            chat_type=chat_type,
            display_name=display_name,
            is_bot=is_bot,
            message_id=message_id,
            date=date,
            extra=extra,
            text=body,
        )

    def make_image(
        self,
        chat_id: str | None,
        from_id: str,
        *,
        photo_url: str,
        caption: str | None = None,
        field: str = "photo",
        chat_type: str = "GROUP",
        display_name: str = "Người dùng",
        is_bot: bool = False,
        message_id: str | None = None,
        date: int | None = None,
        extra: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """A ``message.image.received`` event; the URL goes in ``photo`` (docs),
        ``photo_url`` (what python-zalo-bot reads) or both (``field="both"``)."""
        if field not in ("photo", "photo_url", "both"):
            raise ValueError("field must be 'photo', 'photo_url' or 'both'")
        urls = {
            "photo": photo_url if field in ("photo", "both") else None,
            "photo_url": photo_url if field in ("photo_url", "both") else None,
        }
        return self._build_event(
            "message.image.received",
            chat_id,
            from_id,
            chat_type=chat_type,
            display_name=display_name,
            is_bot=is_bot,
            message_id=message_id,
            date=date,
            extra=extra,
            caption=caption,
            **urls,
        )

    def make_sticker(
        self,
        chat_id: str | None,
        from_id: str,
        sticker: str = "0e078a2fb66a5f34067b",
        *,
        chat_type: str = "GROUP",
        display_name: str = "Người dùng",
        message_id: str | None = None,
        date: int | None = None,
    ) -> dict[str, Any]:
        """A ``message.sticker.received`` event."""
        return self._build_event(
            "message.sticker.received",
            chat_id,
            from_id,
            chat_type=chat_type,
            display_name=display_name,
            is_bot=False,
            message_id=message_id,
            date=date,
            extra=None,
            sticker=sticker,
            url=f"https://zalo-api.zadn.vn/api/emoticon/sticker/webpc?eid={sticker}",
        )

    def make_unsupported(
        self,
        chat_id: str | None,
        from_id: str,
        *,
        chat_type: str = "GROUP",
        display_name: str = "Người dùng",
        message_id: str | None = None,
        date: int | None = None,
    ) -> dict[str, Any]:
        """A ``message.unsupported.received`` event (files, video, protected senders…)."""
        return self._build_event(
            "message.unsupported.received",
            chat_id,
            from_id,
            chat_type=chat_type,
            display_name=display_name,
            is_bot=False,
            message_id=message_id,
            date=date,
            extra=None,
        )

    # ================================================================ delivery
    def inject(self, event: dict[str, Any]) -> dict[str, Any]:
        """Queue an event for getUpdates."""
        self.events.append(event)
        self._touch()
        return event

    def inject_duplicate(self, event: dict[str, Any]) -> dict[str, Any]:
        """Queue the same message twice (Zalo redelivers; bots must dedupe on message_id)."""
        self.inject(event)
        return self.inject(dict(event))

    async def post_webhook(
        self,
        url: str | None,
        event: dict[str, Any],
        *,
        secret: str | None = UNSET,
        shape: str = "wrapped",
    ) -> int:
        """POST an event to a webhook like Zalo does; returns the HTTP status.

        ``shape="wrapped"`` sends ``{"ok": true, "result": event}``, ``"flat"`` the bare event.
        ``url=None``/``secret`` default to what setWebhook registered; the secret travels in
        ``X-Bot-Api-Secret-Token`` (``secret=None`` sends no header).
        """
        if shape not in ("wrapped", "flat"):
            raise ValueError("shape must be 'wrapped' or 'flat'")
        hook = self.webhook or {}
        target = url or hook.get("url")
        if not target:
            raise RuntimeError("no webhook URL given and none registered")
        token = hook.get("secret_token") if secret is UNSET else secret
        headers = {"X-Bot-Api-Secret-Token": token} if token else {}
        body = {"ok": True, "result": event} if shape == "wrapped" else event
        return await self._post_json(target, body, headers)

    async def deliver_to_webhook(self, shape: str = "wrapped") -> list[int]:
        """Post every queued event to the registered webhook (queue is emptied)."""
        events, self.events = self.events, []
        return [await self.post_webhook(None, event, shape=shape) for event in events]

    # ================================================================ CDN
    def add_cdn_image(
        self,
        name: str,
        data: bytes,
        *,
        expires_after_fetches: int | None = 1,
        content_type: str = "image/jpeg",
        expired_status: int = 403,
    ) -> str:
        """Serve ``data`` at the returned URL; after ``expires_after_fetches`` GETs it answers
        ``expired_status`` (Zalo's incoming photo URLs expire). Needs a started server."""
        self.cdn[name] = CdnImage(data, content_type, expires_after_fetches, expired_status)
        return f"{self.url}/cdn/{name}"

    def cdn_url(self, name: str) -> str:
        """URL of a CDN entry."""
        return f"{self.url}/cdn/{name}"

    async def _handle_cdn(self, request: web.Request) -> web.StreamResponse:
        image = self.cdn.get(request.match_info["name"])
        if image is None:
            return web.Response(status=404, text="Not Found")
        if image.expired:
            return web.Response(status=image.expired_status, text="URL signature expired")
        image.fetches += 1
        return web.Response(body=image.data, content_type=image.content_type)

    # ================================================================ queries
    def sent(self, chat_id: str | None = None) -> list[dict[str, Any]]:
        """Successful bot sends (optionally to one chat), oldest first."""
        return [s for s in self.outbox if chat_id is None or same_id(s["chat_id"], chat_id)]

    def sent_texts(self, chat_id: str | None = None) -> list[str]:
        """Texts of the bot's successful sendMessage calls, oldest first."""
        return [s["text"] for s in self.sent(chat_id) if s["kind"] == "text"]

    def last_sent(self, chat_id: str | None = None) -> dict[str, Any] | None:
        """The bot's latest successful send (optionally to one chat)."""
        found = self.sent(chat_id)
        return found[-1] if found else None

    def missing_chat(self, chat_id: str) -> None:
        """Sends to this chat answer ``ok:false, 400 "Bad Request: chat not found"``."""
        self.missing.add(chat_id)

    def set_result(self, method: str, result: Any) -> None:
        """Answer ``method`` with ``result`` — or ``result(call)`` if callable (may be async
        and may raise :class:`ZaloApiError`). Also adds methods the fake lacks."""
        self._custom[method] = result

    # ================================================================ faults
    def fail_next(
        self,
        method: str = "*",
        error_code: int | None = 403,
        *,
        http_status: int = 200,
        description: str | None = None,
        times: int = 1,
        chat_id: str | None = None,
        delay: float | None = None,
        drop: bool = False,
        malformed: bool = False,
    ) -> Fault:
        """Make the next ``times`` calls of ``method`` (``"*"`` = any) answer
        ``{"ok": false, "error_code": error_code, "description": …}`` with ``http_status``.

        ``error_code=None`` answers normally (after ``delay``); ``drop`` closes the connection
        without an answer; ``malformed`` sends broken JSON.
        """

        def respond(call: Call) -> tuple[int, Any]:
            assert error_code is not None
            return http_status, _error_body(error_code, description)

        return self.add_fault(
            Fault(
                method=method,
                times=times,
                chat_id=chat_id,
                delay=delay,
                drop=drop,
                malformed=malformed,
                malformed_status=http_status,
                respond=respond if error_code is not None else None,
            )
        )

    # ================================================================ HTTP plumbing
    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        raw = await read_request(request)
        params = coerce_params(raw.params, json_keys=("text_styles",))
        call = self._record(request.match_info["method"], params, raw.files, request.method)
        call.transport = request.transport
        call.file_names = raw.file_names
        if request.match_info["token"] != self.token:
            return self._error(call, ZaloApiError(401))
        fault = self._take_fault(call)
        if fault is not None:
            response = await self._apply_fault(fault, call, request)
            if response is not None:
                return response
        error: ZaloApiError | None = None
        try:
            result = await self._dispatch(call)
        except ZaloApiError as exc:
            error = exc
        outage = self._outage_response(request)
        if outage is not None:  # a long poll cut short by go_down()
            call.dropped = self._down == "refuse"
            self._finish(call, None if call.dropped else 502, None)
            return outage
        if error is not None:
            status = 200 if error.error_code == 408 else self.error_http_status
            return self._error(call, error, status)
        body = {"ok": True} if result is _NO_RESULT else {"ok": True, "result": result}
        self._finish(call, 200, body)
        return web.json_response(body)

    def _error(self, call: Call, exc: ZaloApiError, status: int | None = None) -> web.Response:
        body = _error_body(exc.error_code, exc.description)
        self.stats[f"error:{exc.error_code}"] += 1
        http = self.error_http_status if status is None else status
        self._finish(call, http, body)
        return web.json_response(body, status=http)

    async def _dispatch(self, call: Call) -> Any:
        if call.method in self._custom:
            custom = self._custom[call.method]
            if not callable(custom):
                return custom
            value = custom(call)
            return await value if inspect.isawaitable(value) else value
        handler = self._methods.get(call.method)
        if handler is None:
            raise ZaloApiError(400)
        return await handler(call)

    # ================================================================ send helpers
    def _target(self, call: Call) -> str:
        chat_id = call.params.get("chat_id")
        if not chat_id:
            raise ZaloApiError(400, "Bad Request: chat_id is required")
        chat = str(chat_id)
        if chat in self.missing or (self.strict_chats and chat not in self.chats):
            raise ZaloApiError(400, "Bad Request: chat not found")
        return chat

    def _check_quota(self) -> None:
        if self.quota_exhausted or self.quota_remaining == 0:
            self.stats["quota_rejected"] += 1
            raise ZaloApiError(429, "Quota exceeded")

    def _deliver(self, kind: str, chat_id: str, **content: Any) -> dict[str, Any]:
        """Record a successful send, spend quota, echo it if asked; returns the API result."""
        if self.quota_remaining is not None:
            self.quota_remaining -= 1
        result = {"message_id": self.new_id("bot"), "date": self.now_ms()}
        self.outbox.append({"kind": kind, "chat_id": chat_id, **result, **content})
        self.stats["sent"] += 1
        if self.echo_sends:
            self._echo(kind, chat_id, result["message_id"], content)
        return result

    def _echo(self, kind: str, chat_id: str, message_id: str, content: dict[str, Any]) -> None:
        names = {"text": "text", "photo": "image", "sticker": "sticker", "voice": "voice"}
        fields = {k: v for k, v in content.items() if k not in ("fetch", "parse_mode")}
        if kind == "photo":
            fields["photo_url"] = fields["photo"]
        event = self._build_event(
            f"message.{names[kind]}.received",
            chat_id,
            self.bot_id,
            chat_type=self.chats.get(chat_id, "GROUP"),
            display_name=self.bot_name,
            is_bot=True,
            message_id=message_id,
            date=None,
            extra=None,
            **fields,
        )
        self.inject(event)

    async def _fetch_photo(self, url: str) -> PhotoFetch:
        session = await self._client()
        timeout = aiohttp.ClientTimeout(total=self.photo_fetch_timeout)
        try:
            async with session.get(url, timeout=timeout) as resp:
                fetch = PhotoFetch(url, resp.status, await resp.read())
        except (aiohttp.ClientError, TimeoutError) as exc:
            fetch = PhotoFetch(url, None, b"", repr(exc))
        self.photo_fetches.append(fetch)
        return fetch

    # ================================================================ API methods
    async def _m_getMe(self, call: Call) -> Any:
        return {
            "id": self.bot_id,
            "account_name": self.account_name,
            "account_type": "BASIC",
            "can_join_groups": self.can_join_groups,
        }

    async def _m_getUpdates(self, call: Call) -> Any:
        if self.webhook is not None:
            raise ZaloApiError(400, "Bad Request: webhook is active, call deleteWebhook first")
        try:
            timeout = float(call.params.get("timeout") or 30)
        except (TypeError, ValueError):
            raise ZaloApiError(400, "Bad Request: invalid timeout") from None
        await self._long_poll(timeout, lambda: bool(self.events) or call.client_gone)
        # A long poll whose client went away (a stopped bot) must not take an event: real
        # Zalo keeps undelivered events for the next reader.
        if self.events and self._down is None and not call.client_gone:
            return self.events.pop(0)
        raise ZaloApiError(408, "Request timeout")

    async def _m_setWebhook(self, call: Call) -> Any:
        url, secret = call.params.get("url"), call.params.get("secret_token")
        if not url or not isinstance(url, str):
            raise ZaloApiError(400, "Bad Request: url is required")
        if self.strict_webhook_urls and (
            not url.startswith("https://")
            or url.removeprefix("https://").startswith(_PRIVATE_HOSTS)
        ):
            raise ZaloApiError(400, "Bad Request: url must be a public HTTPS URL")
        if not isinstance(secret, str) or not 8 <= len(secret) <= 256:
            raise ZaloApiError(400, "Bad Request: secret_token must be 8-256 characters")
        self.webhook = {"url": url, "secret_token": secret, "updated_at": self.now_ms()}
        self._webhook_ever_set = True
        return {"url": url, "updated_at": self.webhook["updated_at"]}

    async def _m_deleteWebhook(self, call: Call) -> Any:
        if not self._webhook_ever_set:
            raise ZaloApiError(400, "Bad Request: webhook not found")
        self.webhook = None
        return {"url": "", "updated_at": self.now_ms()}

    async def _m_getWebhookInfo(self, call: Call) -> Any:
        if self.webhook is None:
            raise ZaloApiError(404, "Not Found")
        return {"url": self.webhook["url"], "updated_at": self.webhook["updated_at"]}

    async def _m_sendMessage(self, call: Call) -> Any:
        chat = self._target(call)
        text = call.params.get("text")
        if not isinstance(text, str) or not 1 <= len(text) <= MAX_TEXT:
            raise ZaloApiError(400, f"Bad Request: text must be 1-{MAX_TEXT} characters")
        self._check_quota()
        return self._deliver("text", chat, text=text, parse_mode=call.params.get("parse_mode"))

    async def _m_sendPhoto(self, call: Call) -> Any:
        chat = self._target(call)
        photo, caption = call.params.get("photo"), call.params.get("caption")
        if not isinstance(photo, str) or not photo.startswith(("http://", "https://")):
            raise ZaloApiError(400, "Bad Request: photo must be an absolute http(s) URL")
        if caption is not None and not 1 <= len(str(caption)) <= MAX_TEXT:
            raise ZaloApiError(400, f"Bad Request: caption must be 1-{MAX_TEXT} characters")
        self._check_quota()
        fetch = await self._fetch_photo(photo)
        if self.reject_unfetchable_photos and not fetch.ok:
            raise ZaloApiError(400, "Bad Request: cannot download photo")
        return self._deliver("photo", chat, photo=photo, caption=caption, fetch=fetch)

    async def _m_sendSticker(self, call: Call) -> Any:
        chat = self._target(call)
        sticker = call.params.get("sticker")
        if not sticker:
            raise ZaloApiError(400, "Bad Request: sticker is required")
        self._check_quota()
        return self._deliver("sticker", chat, sticker=str(sticker))

    async def _m_sendVoice(self, call: Call) -> Any:
        chat = self._target(call)
        voice = call.params.get("voice_url")
        if not isinstance(voice, str) or not voice.startswith(("http://", "https://")):
            raise ZaloApiError(400, "Bad Request: voice_url must be an absolute http(s) URL")
        self._check_quota()
        return self._deliver("voice", chat, voice_url=voice)

    async def _m_sendChatAction(self, call: Call) -> Any:
        self._target(call)
        if call.params.get("action") not in CHAT_ACTIONS:
            raise ZaloApiError(400, "Bad Request: invalid action")
        return _NO_RESULT


#: Marker: answer ``{"ok": true}`` without a ``result`` key (sendChatAction does).
_NO_RESULT: Any = object()


def _error_body(code: int, description: str | None) -> dict[str, Any]:
    return {
        "ok": False,
        "error_code": code,
        "description": description or _DESCRIPTIONS.get(code, "Error"),
    }


__all__ = ["UNSET", "CdnImage", "FakeZalo", "PhotoFetch", "ZaloApiError", "hex_id"]
