"""The local web chat: a simulator page where a person picks who they are and which chat, and
talks to the same pipeline and handlers as Telegram and Zalo.

It lets whoever opens it act as anyone, so it is fenced in: it listens on 127.0.0.1 unless
explicitly allowed otherwise (see :func:`bot.config.load_settings`), answers only requests whose
Host is this machine (no DNS rebinding) and whose Origin, when sent, is its own (no cross-site
forms), and only to a browser holding the per-process secret: the start link
``/?token=…`` (printed in the log) is exchanged for an HttpOnly, SameSite=Strict cookie.  Its
identities live on their own database (see ``VillageBot._start_demo_bot``).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import itertools
import json
import secrets
import tomllib
from collections import OrderedDict, defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from html import escape as html_escape
from pathlib import Path
from string import Template
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

from bot.adapters import Host
from bot.clock import Clock
from bot.core.events import Attachment, ChatRef, IncomingMessage, Platform, ReplyRef, UserRef
from bot.core.messenger import Button, Capabilities, OutMessage, SendError, SendErrorKind, SentRef
from bot.i18n import Translator
from bot.media import MediaStore
from bot.text.split import split_text

DM_PREFIX = "dm-"  # a private chat of the simulator is "dm-<user id>"
WEB_CAPS = Capabilities(max_text=4096, buttons=True, pin=False, edit=True, video=True,
                        albums=True, photo_url_only=False, private_chat_prefix=DM_PREFIX)
CAPABILITIES = WEB_CAPS  # what bot.adapters.capabilities_of answers
MAX_UPLOADS = 50
DEMO_FILE = Path(__file__).resolve().parent.parent / "data" / "demo.toml"
STATIC = Path(__file__).resolve().parent.parent / "web" / "static"
PAGE = STATIC / "webchat.html"
SCRIPT = STATIC / "webchat.js"
COOKIE = "villagebot_webchat"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True, slots=True)
class Identity:
    """A person the simulator can act as."""

    id: str
    name: str
    role_key: str


def load_demo() -> dict[str, Any]:
    """The demo village, people and chats used by the simulator."""
    return tomllib.loads(DEMO_FILE.read_text(encoding="utf-8"))


class WebChatMessenger:
    """Keeps each chat's transcript in memory; the page polls it."""

    platform = Platform.WEB
    capabilities = WEB_CAPS

    def __init__(self, media: MediaStore) -> None:
        self.media = media
        self.transcripts: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self._ids = itertools.count(1)
        self._revs = itertools.count(1)
        self.uploads: OrderedDict[str, bytes] = OrderedDict()
        self.toasts: dict[str, str] = {}  # callback id → the short answer shown to the presser

    def add(self, chat_id: str, entry: dict[str, Any]) -> str:
        """Append an entry to a chat's transcript; return its id."""
        entry["id"] = str(next(self._ids))
        entry["rev"] = next(self._revs)
        self.transcripts[chat_id].append(entry)
        return str(entry["id"])

    async def send(self, chat_id: str, message: OutMessage) -> SentRef:
        """Append the bot's message (split like a platform would)."""
        sent = SentRef()
        chunks = split_text(message.text, self.capabilities.max_text) or [""]
        media = [self.media.url(Path(m.path).name) if m.path else m.url for m in message.media]
        for index, chunk in enumerate(chunks):
            last = index == len(chunks) - 1
            sent.message_ids.append(self.add(chat_id, {
                "from": "bot", "title": message.title if index == 0 else None, "text": chunk,
                "media": [u for u in media if u] if index == 0 else [],
                "buttons": [[{"text": b.text, "data": b.data} for b in row]
                            for row in message.buttons] if last else [],
            }))
        return sent

    async def edit_buttons(
        self, chat_id: str, message_id: str, buttons: tuple[tuple[Button, ...], ...]
    ) -> None:
        """Replace the buttons of a transcript entry."""
        for entry in self.transcripts.get(chat_id, []):
            if entry["id"] == message_id:
                entry["buttons"] = [[{"text": b.text, "data": b.data} for b in row]
                                    for row in buttons]
                entry["rev"] = next(self._revs)

    async def answer_button(self, callback_id: str, text: str | None = None) -> None:
        """Keep the answer to a press: the page shows it as a toast (as Telegram does)."""
        if text:
            self.toasts[callback_id] = text

    async def pin(self, chat_id: str, message_id: str) -> bool:
        """The simulator cannot pin."""
        return False

    def keep_upload(self, data: bytes) -> str:
        """Hold an uploaded file in memory (the last few) as a platform would; return its key."""
        key = "up-" + hashlib.sha256(data).hexdigest()[:24]
        self.uploads[key] = data
        self.uploads.move_to_end(key)
        while len(self.uploads) > MAX_UPLOADS:
            self.uploads.popitem(last=False)
        return key

    async def download(self, attachment: Attachment, max_bytes: int) -> bytes:
        """An upload held in memory, or a file the bot stored (a reply to the bot's photo)."""
        data = self.uploads.get(attachment.ref)
        if data is None:
            path = self.media.path(attachment.ref)
            if path is None:
                raise SendError(SendErrorKind.NOT_FOUND, "upload missing")
            data = path.read_bytes()
        if len(data) > max_bytes:
            raise SendError(SendErrorKind.BAD_REQUEST, "too big")
        return data

    async def is_chat_admin(self, chat_id: str, user_id: str) -> bool:
        """The simulator has no group admins."""
        return False


class WebChat:
    """Routes of the simulator page and its small JSON API."""

    def __init__(
        self,
        *,
        messenger: WebChatMessenger,
        dispatch: Callable[[IncomingMessage, WebChatMessenger], Awaitable[object]],
        i18n: Translator,
        clock: Clock,
        locale: str,
        demo: dict[str, Any] | None = None,
        token: str | None = None,
        public_base_url: str | None = None,
    ) -> None:
        self.messenger = messenger
        self.token = token or secrets.token_urlsafe(24)
        public = urlsplit(public_base_url).hostname if public_base_url else None
        self._public_host = public.lower() if public else None
        self._dispatch = dispatch
        self.i18n = i18n
        self.clock = clock
        self.locale = locale
        demo = demo or load_demo()
        self.users = {u["id"]: Identity(u["id"], u["name"], u["role_key"])
                      for u in demo["web"]["users"]}
        self.groups = {g["id"]: g["title"] for g in demo["web"]["groups"]}
        self._seq = itertools.count(1)

    def chat_ref(self, chat_id: str, user_id: str) -> ChatRef:
        """A group from the demo, or the private chat of ``user_id``."""
        if chat_id in self.groups:
            return ChatRef(Platform.WEB, chat_id, is_group=True, title=self.groups[chat_id])
        return ChatRef(Platform.WEB, f"{DM_PREFIX}{user_id}", is_group=False)

    async def stop(self) -> None:
        """Nothing runs in the background: the page polls the server."""

    def setup(self, app: web.Application) -> None:
        """Add the page and API routes, each behind :meth:`_guard`."""
        app.router.add_get("/", self._guard(self.page))
        app.router.add_get("/chat/webchat.js", self._guard(self.script))
        app.router.add_get("/chat/api/config", self._guard(self.config))
        app.router.add_get("/chat/api/messages", self._guard(self.messages))
        app.router.add_post("/chat/api/send", self._guard(self.send))
        app.router.add_get("/chat/api/upload/{key}", self._guard(self.upload))

    def _host_ok(self, request: web.Request) -> bool:
        """This machine by address or ``localhost``, or PUBLIC_BASE_URL's host: never a name an
        attacker's DNS could point here."""
        host = (urlsplit(f"//{request.host}").hostname or "").lower()
        if host == "localhost" or host.endswith(".localhost") or host == self._public_host:
            return True
        try:
            ipaddress.ip_address(host)
        except ValueError:
            return False
        return True

    def _guard(self, handler: Handler) -> Handler:
        """Refuse foreign Hosts (421) and Origins (403); ask for the secret (403)."""

        async def guarded(request: web.Request) -> web.StreamResponse:
            if not self._host_ok(request):
                return self._refuse(request, 421)
            origin = request.headers.get("Origin")
            if origin is not None and urlsplit(origin).netloc.lower() != request.host.lower():
                return self._refuse(request, 403)
            if request.headers.get("Sec-Fetch-Site") in ("cross-site", "same-site"):
                return self._refuse(request, 403)
            given = request.query.get("token")
            if given is not None and request.path == "/" and self._secret_ok(given):
                raise web.HTTPSeeOther("/", headers={"Set-Cookie": (
                    f"{COOKIE}={self.token}; Path=/; HttpOnly; SameSite=Strict")})
            if not self._secret_ok(request.cookies.get(COOKIE, "")):
                return self._refuse(request, 403)
            return await handler(request)

        return guarded

    def _secret_ok(self, given: str) -> bool:
        return hmac.compare_digest(given.encode(), self.token.encode())

    def _refuse(self, request: web.Request, status: int) -> web.Response:
        text = self.i18n.t(self.locale, "webchat-refused")
        if request.path.startswith("/chat/api/"):
            return web.json_response({"error": text}, status=status)
        return web.Response(text=text, status=status, content_type="text/plain")

    async def page(self, _request: web.Request) -> web.Response:
        """The simulator page (strings from locales)."""
        def t(key: str) -> str:
            return self.i18n.t(self.locale, key)

        words = {"private": t("webchat-private"), "reply": t("webchat-reply"),
                 "network": t("webchat-network-error"), "failed": t("webchat-send-failed")}
        html = Template(PAGE.read_text(encoding="utf-8")).safe_substitute(
            lang=self.locale, title=t("webchat-title"), banner=t("webchat-banner"),
            who=t("webchat-who"), where=t("webchat-where"), send=t("webchat-send"),
            placeholder=t("webchat-placeholder"), photo=t("webchat-photo"),
            words=html_escape(json.dumps(words, ensure_ascii=False)))
        return web.Response(text=html, content_type="text/html",
                            headers={"Cache-Control": "no-store"})

    async def script(self, _request: web.Request) -> web.Response:
        """The page's script (a file of its own: the Content-Security-Policy allows no inline
        script)."""
        return web.Response(text=SCRIPT.read_text(encoding="utf-8"),
                            content_type="application/javascript")

    async def config(self, _request: web.Request) -> web.Response:
        """Identities and chats to choose from."""
        users = [{"id": u.id, "name": u.name, "role": self.i18n.t(self.locale, u.role_key)}
                 for u in self.users.values()]
        groups = [{"id": gid, "title": title} for gid, title in self.groups.items()]
        return web.json_response({"users": users, "groups": groups})

    async def messages(self, request: web.Request) -> web.Response:
        """Transcript entries of a chat added or changed after revision ``after``."""
        user = request.query.get("user", "")
        if user not in self.users:
            return web.json_response({"error": "unknown user"}, status=400)
        chat = self.chat_ref(request.query.get("chat", ""), user)
        after_text = request.query.get("after", "0") or "0"
        if not after_text.isdigit() or len(after_text) > 18:
            return web.json_response({"error": "bad after"}, status=400)
        after = int(after_text)
        items = [e for e in self.messenger.transcripts.get(chat.id, []) if e["rev"] > after]
        return web.json_response({"chat": chat.id, "messages": items})

    async def send(self, request: web.Request) -> web.Response:
        """A message (text, optional photo, optional reply) or a button press from the page."""
        try:
            if request.content_type in ("multipart/form-data",
                                        "application/x-www-form-urlencoded"):
                form = await request.post()
                fields = {k: v for k, v in form.items() if isinstance(v, str)}
                upload = form.get("photo")
            elif request.content_type == "application/json":
                fields = json.loads((await request.read()).decode("utf-8"))
                upload = None
            else:
                return web.json_response({"error": "unsupported body"}, status=415)
        except web.HTTPRequestEntityTooLarge:
            mb = self.messenger.media.max_bytes // (1024 * 1024)
            return web.json_response(
                {"error": self.i18n.t(self.locale, "webchat-too-big", mb=mb)}, status=413)
        except (ValueError, UnicodeDecodeError, RecursionError):
            return web.json_response({"error": "bad body"}, status=400)
        if not isinstance(fields, dict):
            return web.json_response({"error": "bad body"}, status=400)
        user = str(fields.get("user", ""))
        if user not in self.users:
            return web.json_response({"error": "unknown user"}, status=400)
        chat = self.chat_ref(str(fields.get("chat", "")), user)
        ident = self.users[user]
        sender = UserRef(Platform.WEB, user, name=ident.name, username=user)
        text = str(fields.get("text", ""))[:8000]
        attachments: tuple[Attachment, ...] = ()
        if upload is not None and hasattr(upload, "file"):
            # kept as sent, like a platform keeps a file: features validate and store it
            data = upload.file.read(self.messenger.media.max_bytes + 1)
            mime = getattr(upload, "content_type", None) or ""
            kind = "photo" if mime.startswith("image/") else "document"
            attachments = (Attachment(kind, self.messenger.keep_upload(data), size=len(data),
                                      mime=mime, file_name=getattr(upload, "filename", None)),)
        reply_id = str(fields.get("reply_to", "") or "")
        reply = self._reply_ref(chat.id, reply_id) if reply_id else None
        button = fields.get("button")
        if button:  # a press refers to the bot message that carries the button, as on Telegram
            msg_id = str(fields.get("message_id", "") or "")
        else:
            msg_id = self.messenger.add(chat.id, {
                "from": user, "name": ident.name, "text": text,
                "media": [f"/chat/api/upload/{a.ref}" for a in attachments],
                "buttons": [], "reply_to": reply_id or None})
        incoming = IncomingMessage(
            chat=chat, sender=sender, text=text if not button else "", message_id=msg_id,
            date=self.clock.now(), attachments=attachments, reply_to=reply,
            addressed=True, button=str(button) if button else None,
            callback_id=f"web-{next(self._seq)}" if button else None)
        await self._dispatch(incoming, self.messenger)
        body: dict[str, Any] = {"ok": True, "chat": chat.id, "id": msg_id}
        toast = self.messenger.toasts.pop(incoming.callback_id or "", None)
        if toast:
            body["toast"] = toast
        return web.json_response(body)

    async def upload(self, request: web.Request) -> web.Response:
        """A file a person sent in the simulator (images shown in the transcript)."""
        data = self.messenger.uploads.get(request.match_info["key"])
        if data is None:
            raise web.HTTPNotFound()
        return web.Response(body=data, content_type=_sniff(data))

    def _reply_ref(self, chat_id: str, message_id: str) -> ReplyRef | None:
        for entry in self.messenger.transcripts.get(chat_id, []):
            if entry["id"] == message_id:
                from_bot = entry["from"] == "bot"
                sender = None if from_bot else UserRef(Platform.WEB, entry["from"],
                                                       name=entry.get("name", ""))
                media = tuple(Attachment("photo", Path(u).name) for u in entry.get("media", []))
                return ReplyRef(message_id=message_id, sender=sender, text=entry["text"],
                                attachments=media, from_this_bot=from_bot)
        return None


def _sniff(data: bytes) -> str:
    """The content type of an uploaded image from its first bytes."""
    for magic, mime in ((b"\x89PNG", "image/png"), (b"\xff\xd8", "image/jpeg"),
                        (b"GIF8", "image/gif"), (b"RIFF", "image/webp")):
        if data.startswith(magic):
            return mime
    return "application/octet-stream"


async def start(host: Host) -> WebChat:
    """Serve the simulator on the app's web server (registry entry ``Platform.WEB``)."""
    from bot.runtime.demo import seed_demo

    services, settings = host.services, host.settings
    messenger = WebChatMessenger(services.media)
    token = settings.web_chat_token
    chat = WebChat(messenger=messenger, dispatch=host.dispatch, i18n=services.i18n,
                   clock=services.clock, locale=settings.default_locale,
                   demo=host.webchat_demo, token=token.get_secret_value() if token else None,
                   public_base_url=settings.public_base_url)
    chat.setup(host.web_app)
    services.messengers[Platform.WEB] = messenger
    services.bot_usernames[Platform.WEB] = "villagebot"
    # the simulator's admin: only ever on the simulator's database (VillageBot._start_demo_bot)
    services.admins = services.admins | {("web", "admin")}
    if host.settings.demo_data:
        await seed_demo(services)
    return chat
