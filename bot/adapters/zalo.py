"""Zalo Bot Platform through python-zalo-bot 0.1.9, with its gaps handled here, once.

SDK gaps handled in this file (see README "Zalo notes"):
- ``BaseRequest.post`` returns ``json["result"]`` on HTTP 200 and ignores ``ok:false``: an idle
  getUpdates (error 408) and a quota error (429) would silently become ``None``.
  :class:`ZaloRequest` raises :class:`ZaloApiError` for ``ok:false`` and maps 408 to "no update".
- ``Message.de_json`` reads ``photo_url`` but not ``photo``/``caption``, and has no chat type
  filter: we normalise from the raw message dict the SDK keeps in ``api_kwargs``.
- ``set_webhook``/``delete_webhook`` wrap ``asyncio.run`` (they break inside a running loop): we
  call the SDK's async ``_post`` for those methods instead.
- ``getUpdates`` has no offset, and Zalo may redeliver and echo the bot's own sends: we drop
  ``is_bot`` senders and the bot's own id here, and the pipeline dedupes by message_id.
- Incoming photo URLs expire: features download them at once through :meth:`download`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable, Coroutine
from datetime import UTC, datetime
from typing import Any

import httpx
from aiohttp import web
from zalo_bot import Bot
from zalo_bot.error import InvalidToken, NetworkError, ZaloError
from zalo_bot.request import HTTPXRequest

from bot.adapters import Host
from bot.config import ConfigError
from bot.core.commands import strip_mention
from bot.core.events import Attachment, ChatRef, IncomingMessage, Platform, UserRef
from bot.core.messenger import (
    Button,
    Capabilities,
    OutMessage,
    SendError,
    SendErrorKind,
    SentRef,
)
from bot.delivery.ratelimit import ZALO_LIMITS
from bot.text.split import split_text
from bot.web.server import json_body, secret_ok

log = logging.getLogger(__name__)

ZALO_CAPS = Capabilities(max_text=2000, buttons=False, pin=False, edit=False, video=False,
                         albums=False, photo_url_only=True, flood_limits=ZALO_LIMITS)
CAPABILITIES = ZALO_CAPS  # what bot.adapters.capabilities_of answers


class ZaloApiError(ZaloError):  # type: ignore[misc]  # the SDK ships no types
    """An ``ok:false`` answer from the Zalo Bot API."""

    def __init__(self, error_code: int, description: str) -> None:
        super().__init__(f"{error_code} {description}")
        self.error_code = error_code
        self.description = description


class ZaloRequest(HTTPXRequest):  # type: ignore[misc]  # the SDK ships no types
    """The SDK's HTTPX request, but honouring ``ok:false`` envelopes."""

    @staticmethod
    def parse_json_payload(payload: bytes) -> dict[str, Any]:
        """Decode the envelope; raise :class:`ZaloApiError` unless ``ok`` (408 = no update)."""
        try:
            data = json.loads(payload.decode("utf-8", "replace"))
        except ValueError as exc:
            raise ZaloApiError(502, "invalid JSON from Zalo") from exc
        if not isinstance(data, dict):
            raise ZaloApiError(502, "unexpected body from Zalo")
        if data.get("ok") is False:
            code = int(data.get("error_code") or 0)
            if code == 408:
                return {"ok": True, "result": None}
            raise ZaloApiError(code, str(data.get("description") or ""))
        return data


def classify(exc: Exception) -> SendError:
    """Map SDK and API errors to the outbox's vocabulary."""
    if isinstance(exc, ZaloApiError):
        if exc.error_code == 429:
            return SendError(SendErrorKind.QUOTA, exc.description)
        if exc.error_code == 404:
            return SendError(SendErrorKind.NOT_FOUND, exc.description)
        if exc.error_code in (400, 425):
            return SendError(SendErrorKind.BAD_REQUEST, exc.description)
        if exc.error_code == 401:
            return SendError(SendErrorKind.FORBIDDEN, "token rejected")
        return SendError(SendErrorKind.TRANSIENT, f"{exc.error_code} {exc.description}")
    return SendError(SendErrorKind.TRANSIENT, str(exc))


def unwrap(body: object) -> dict[str, Any]:
    """Accept a webhook body wrapped ``{ok, result}`` or flat ``{event_name, message}``."""
    if isinstance(body, dict) and isinstance(body.get("result"), dict):
        body = body["result"]
    if not isinstance(body, dict) or not isinstance(body.get("message"), dict):
        raise ValueError("no message in Zalo update")
    return body


def _id(value: object, what: str) -> str:
    """A Zalo id: a non-empty string (or number); anything else is a malformed event."""
    if isinstance(value, bool) or not isinstance(value, str | int) or value == "":
        raise ValueError(f"Zalo message without a valid {what}")
    return str(value)


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def to_incoming(event: dict[str, Any], bot_id: str, names: list[str]) -> IncomingMessage | None:
    """Normalise a raw Zalo event; None for the bot's own echoes and other bots.

    Every field is type-checked: a wrong-typed one raises ValueError (the event is skipped).
    """
    raw = event["message"]
    sender, chat = raw.get("from"), raw.get("chat")
    if not isinstance(sender, dict) or not isinstance(chat, dict):
        raise ValueError("Zalo message without sender or chat")
    sender_id, chat_id = _id(sender.get("id"), "sender id"), _id(chat.get("id"), "chat id")
    message_id = _id(raw.get("message_id"), "message_id")
    if sender.get("is_bot") is True or sender_id == bot_id:
        return None
    is_group = _text(chat.get("chat_type")).upper() == "GROUP"
    text = _text(raw.get("text")) or _text(raw.get("caption"))
    text, _ = strip_mention(text, names)
    if is_group and text.startswith("@") and " /" in text:
        text = text[text.index(" /") + 1:]
    photo = _text(raw.get("photo")) or _text(raw.get("photo_url"))
    attachments = (Attachment("photo", photo),) if photo else ()
    date_ms = raw.get("date")
    try:
        date = datetime.fromtimestamp(date_ms / 1000, UTC) if (
            isinstance(date_ms, int | float) and not isinstance(date_ms, bool)) else (
            datetime.now(UTC))
    except (OverflowError, OSError, ValueError):
        date = datetime.now(UTC)
    name = (_text(sender.get("display_name")) or _text(sender.get("name"))
            or _text(sender.get("first_name")))
    return IncomingMessage(
        chat=ChatRef(Platform.ZALO, chat_id, is_group=is_group, bot=bot_id or None),
        sender=UserRef(Platform.ZALO, sender_id, name=name),
        text=text.strip(), message_id=message_id, date=date, attachments=attachments,
        addressed=True,
    )


class ZaloMessenger:
    """Send to Zalo chats through the SDK's ``Bot``."""

    platform = Platform.ZALO
    capabilities = ZALO_CAPS

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(self, chat_id: str, message: OutMessage) -> SentRef:
        """Send plain text (split at 2000) and photos by public URL."""
        sent = SentRef()
        text = f"{message.title}\n{message.text}" if message.title else message.text
        chunks = split_text(text, self.capabilities.max_text)
        try:
            for item in message.media:
                if not item.url:
                    continue
                caption = ""
                if chunks and len(message.media) == 1:
                    caption = chunks.pop(0)
                result = await self.bot.send_photo(chat_id, caption, item.url)
                sent.message_ids.append(str(getattr(result, "message_id", "") or ""))
            for chunk in chunks:
                result = await self.bot.send_message(chat_id, chunk)
                sent.message_ids.append(str(getattr(result, "message_id", "") or ""))
        except (ZaloError, httpx.HTTPError) as exc:
            raise classify(exc) from exc
        return sent

    async def edit_buttons(
        self, chat_id: str, message_id: str, buttons: tuple[tuple[Button, ...], ...]
    ) -> None:
        """Zalo has no inline buttons: nothing to edit."""

    async def answer_button(self, callback_id: str, text: str | None = None) -> None:
        """Zalo has no inline buttons: nothing to answer."""

    async def pin(self, chat_id: str, message_id: str) -> bool:
        """The Zalo Bot API cannot pin."""
        return False

    async def is_chat_admin(self, chat_id: str, user_id: str) -> bool:
        """The Zalo Bot API cannot tell who administers a group."""
        return False

    async def download(self, attachment: Attachment, max_bytes: int) -> bytes:
        """Fetch an incoming photo URL (it expires soon), refusing more than ``max_bytes``.

        httpx, not aiohttp: Zalo's CDN has been seen sending duplicate headers that aiohttp's
        client parser rejects.
        """
        data = bytearray()
        try:
            async with httpx.AsyncClient(timeout=20, follow_redirects=True) as client, (
                client.stream("GET", attachment.ref)
            ) as resp:
                if resp.status_code != 200:
                    raise SendError(SendErrorKind.NOT_FOUND, f"photo URL gave {resp.status_code}")
                length = resp.headers.get("content-length")
                if length and length.isdigit() and int(length) > max_bytes:
                    raise SendError(SendErrorKind.BAD_REQUEST, "too big")
                async for part in resp.aiter_bytes():
                    data.extend(part)
                    if len(data) > max_bytes:
                        raise SendError(SendErrorKind.BAD_REQUEST, "too big")
        except httpx.HTTPError as exc:
            raise SendError(SendErrorKind.TRANSIENT, str(exc)) from exc
        return bytes(data)


class ZaloAdapter:
    """Long-polls getUpdates (one update per call) or receives webhooks; feeds the pipeline."""

    def __init__(
        self,
        *,
        token: str,
        api_base_url: str,
        dispatch: Callable[[IncomingMessage, ZaloMessenger], Awaitable[object]],
        webhook: bool = False,
        poll_timeout: int = 30,
        bot_name: str | None = None,
        token_variable: str = "ZALO_BOT_TOKEN",
    ) -> None:
        self.bot = Bot(token, base_url=api_base_url)
        self.token_variable = token_variable  # named in the error when Zalo rejects it
        # The SDK builds two plain HTTPXRequest objects; swap in ours (see module docstring).
        self.bot._request = (ZaloRequest(read_timeout=5), ZaloRequest(read_timeout=20))
        self._dispatch = dispatch
        self.webhook = webhook
        self.poll_timeout = poll_timeout
        self.messenger = ZaloMessenger(self.bot)
        self.bot_id = ""
        self.names: list[str] = [bot_name] if bot_name else []
        self.polling_task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    async def start(self, retry_delay: float = 2.0) -> None:
        """Check the token (retrying while unreachable), then poll unless in webhook mode."""
        delay = retry_delay
        while True:
            try:
                await self.bot.initialize()
                break
            except (InvalidToken, ZaloApiError, NetworkError) as exc:
                if isinstance(exc, InvalidToken) or (
                        isinstance(exc, ZaloApiError) and exc.error_code == 401):
                    # never chain the SDK error: InvalidToken's text quotes the token
                    raise ConfigError(self.token_variable, "Zalo rejected the token") from None
                log.warning("Zalo API unreachable at start (%s); retrying in %.0fs", exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 60)
        me = self.bot._bot_user
        self.bot_id = str(me.id)
        self.names += [n for n in (me.display_name, me.account_name) if n]
        if not self.webhook:
            with contextlib.suppress(ZaloError):
                await self.bot._post("deleteWebhook")
            self.polling_task = asyncio.create_task(self._poll(), name=f"zalo-poll-{self.bot_id}")

    async def set_webhook(self, url: str, secret: str) -> None:
        """Register our webhook URL (async; the SDK's own wrapper calls asyncio.run)."""
        await self.bot._post("setWebhook", {"url": url, "secret_token": secret})

    def polling_alive(self) -> bool:
        """True while the getUpdates loop runs (also while it backs off after errors)."""
        return self.polling_task is not None and not self.polling_task.done()

    async def _poll(self, max_backoff: float = 30.0) -> None:
        """Long-poll getUpdates; any fault is logged and retried with backoff, never fatal.

        The raw JSON event is fed as it came: the SDK's ``Update.de_json`` raises on events it
        cannot parse (no message_id, a string date …), which ended polling for good.
        """
        backoff = 1.0
        while not self._stopping.is_set():
            try:
                event = await self.bot._post("getUpdates", {"timeout": self.poll_timeout},
                                             read_timeout=self.poll_timeout + 5)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # SDK, transport or anything else: wait and retry
                log.warning("Zalo getUpdates failed (%s); retrying in %.0fs",
                            exc if isinstance(exc, ZaloError | httpx.HTTPError) else repr(exc),
                            backoff)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), backoff)
                backoff = min(backoff * 2, max_backoff)
                continue
            backoff = 1.0
            if event:
                await self.feed(event)

    async def feed(self, body: object) -> None:
        """Process one raw event (from polling or the webhook)."""
        try:
            event = unwrap(body)
            incoming = to_incoming(event, self.bot_id, self.names)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            log.warning("skipped malformed Zalo update: %r", exc)
            return
        if incoming is not None:
            await self._dispatch(incoming, self.messenger)

    async def stop(self) -> None:
        """Stop polling and close the HTTP clients."""
        self._stopping.set()
        if self.polling_task is not None:
            self.polling_task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self.polling_task
        with contextlib.suppress(Exception):
            await self.bot.shutdown()


async def webhook(
    request: web.Request, adapter: ZaloAdapter, secret: str,
    spawn: Callable[[Coroutine[Any, Any, None]], None],
) -> web.Response:
    """``POST /webhook/zalo`` (first bot) or ``/webhook/zalo/<bot id>``: the bot's own secret
    header, wrapped or flat body, handled after answering."""
    if not secret_ok(request, "X-Bot-Api-Secret-Token", secret):
        log.warning("Zalo webhook with a wrong or missing secret from %s", request.remote)
        return web.json_response({"message": "Forbidden"}, status=403)
    body = await json_body(request)
    inner = body.get("result", body) if isinstance(body, dict) else None
    if not isinstance(inner, dict) or not isinstance(inner.get("message"), dict):
        return web.json_response({"message": "Bad Request"}, status=400)
    spawn(adapter.feed(body))
    return web.json_response({"message": "Success"})


def _webhook_handler(
    adapter: ZaloAdapter, secret: str, spawn: Callable[[Coroutine[Any, Any, None]], None],
) -> Callable[[web.Request], Awaitable[web.Response]]:
    """The webhook of one bot, bound to its adapter and secret."""
    async def handle(request: web.Request) -> web.Response:
        return await webhook(request, adapter, secret, spawn)
    return handle


class ZaloBots:
    """Every configured Zalo bot (``ZALO_BOT_TOKEN`` then ``ZALO_BOT_TOKENS``), each with its
    own getMe identity, polling loop or webhook path, and outbox worker; started and stopped
    together (the registry's ``Running`` for Zalo)."""

    def __init__(self, adapters: list[ZaloAdapter]) -> None:
        self.adapters = adapters

    @property
    def messenger(self) -> ZaloMessenger:
        """The first bot's messenger (the platform's default)."""
        return self.adapters[0].messenger

    async def stop(self) -> None:
        """Stop every bot."""
        for adapter in self.adapters:
            await adapter.stop()


async def start(host: Host) -> ZaloBots:
    """Check every token, poll or register each bot's webhook (registry entry ``ZALO``).

    The first bot keeps ``/webhook/zalo`` and the platform's name as its scope (pauses,
    budgets, health), as with one bot; the others use ``/webhook/zalo/<bot id>`` and
    ``zalo:<bot id>``.
    """
    s = host.settings
    tokens, secrets, names = s.zalo_tokens, s.zalo_secrets, s.zalo_names
    assert tokens
    is_webhook = s.zalo_mode == "webhook"
    if is_webhook and (not s.public_base_url or len(secrets) < len(tokens)):
        raise ConfigError("ZALO_WEBHOOK_SECRET" if len(tokens) == 1 else "ZALO_WEBHOOK_SECRETS",
                          "webhook mode needs PUBLIC_BASE_URL and a secret per bot")
    started: list[ZaloAdapter] = []
    try:
        for index, token in enumerate(tokens):
            adapter = ZaloAdapter(
                token=token.get_secret_value(), api_base_url=s.zalo_api_base_url,
                dispatch=host.dispatch, webhook=is_webhook, poll_timeout=s.poll_timeout,
                bot_name=names[index],
                token_variable="ZALO_BOT_TOKEN" if index == 0 and s.zalo_bot_token else (
                    "ZALO_BOT_TOKENS"))
            await adapter.start()
            started.append(adapter)
            if any(a.bot_id == adapter.bot_id for a in started[:-1]):
                raise ConfigError("ZALO_BOT_TOKENS", f"two tokens of the same bot "
                                  f"({adapter.bot_id})")
            running = host.services.add_bot(Platform.ZALO, adapter.messenger,
                                            bot_id=adapter.bot_id,
                                            name=adapter.names[0] if adapter.names else "")
            if not is_webhook:
                host.web.polling[running.scope] = adapter.polling_alive
                continue
            path = "zalo" if running.primary else f"zalo/{adapter.bot_id}"
            secret = secrets[index].get_secret_value()
            host.web.add_webhook(path, _webhook_handler(adapter, secret, host.web.spawn))
            await adapter.set_webhook(f"{s.public_base_url}/webhook/{path}", secret)
    except BaseException:
        for adapter in started:
            await adapter.stop()
        raise
    return ZaloBots(started)
