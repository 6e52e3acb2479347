"""One aiohttp application: the platforms' webhooks, /healthz, /media, the simulator and
feature pages.  Each adapter registers its webhook (``add_webhook``) and checks it with
:func:`secret_ok` (constant time) and :func:`json_body`: a wrong or missing secret gets 403, a
malformed body 400, and neither disturbs the running bot."""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import mimetypes
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from aiohttp import web

from bot.core.router import Router
from bot.core.services import Services
from bot.media import MediaStore
from bot.web import metrics_route

log = logging.getLogger(__name__)

Webhook = Callable[[web.Request], Awaitable[web.StreamResponse]]

# Every page, feed and file: scripts and frames only from here, no sniffing of types.  Inline
# styles are allowed (pages carry a small <style>), images also as data: URLs.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
                               "style-src 'self' 'unsafe-inline'; script-src 'self'; "
                               "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
                               "form-action 'self'",
    "X-Content-Type-Options": "nosniff",
}


async def _security_headers(_request: web.Request, response: web.StreamResponse) -> None:
    """Add :data:`SECURITY_HEADERS` to every response (errors included) unless already set."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)


def secret_ok(request: web.Request, header: str, expected: str | None) -> bool:
    if not expected:
        return False
    given = request.headers.get(header, "")
    # aiohttp keeps undecodable header bytes as surrogates: they can never match the secret
    given_bytes = given.encode("utf-8", "surrogateescape")
    return hmac.compare_digest(given_bytes, expected.encode())


async def json_body(request: web.Request) -> Any:
    try:
        raw = await request.read()
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: absurdly deep
        return None


class WebServer:
    """Builds and runs the aiohttp app."""

    def __init__(self, services: Services, media: MediaStore) -> None:
        self.services = services
        self.media = media
        self.app = web.Application(client_max_size=services.settings.max_photo_bytes + 1_000_000)
        self.webhooks: dict[str, Webhook] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        # bot scope (platform name, or platform:<bot id> for a platform's further bots) ->
        # "is its polling loop running?" (only bots that poll)
        self.polling: dict[str, Callable[[], bool]] = {}
        self.app.on_response_prepare.append(_security_headers)
        self._runner: web.AppRunner | None = None
        self.port: int | None = None
        self.app.router.add_get("/healthz", self.healthz)
        self.app.router.add_post("/webhook/{platform}", self.webhook)
        self.app.router.add_post("/webhook/{platform}/{bot}", self.webhook)
        self.app.router.add_get("/media/{name}", self.media_file)
        metrics_route.setup(self.app, services)
        services.metrics.before_scrape(self._polling_gauge)

    def _polling_gauge(self) -> None:
        """villagebot_polling_alive per polling bot, read at scrape time."""
        for name, alive in self.polling.items():
            self.services.metrics.polling_alive.labels(name).set(1 if alive() else 0)

    def add_feature_routes(self, routers: list[Router]) -> None:
        """Let features add their pages and feeds."""
        for router in routers:
            for setup in router.web_setups:
                setup(self.app, self.services)

    async def healthz(self, _request: web.Request) -> web.Response:
        """Liveness for operators: platforms running and the database answering.

        ``read_caches`` (PostgreSQL only) is informational and never turns it red: ``live``,
        ``partial`` (some cached table has no change trigger) or ``bypassed`` (not hearing other
        processes' changes: still correct, every read goes to the database).
        """
        try:
            async with self.services.db.engine.connect() as conn:
                await conn.exec_driver_sql("SELECT 1")
            db = "ok"
        except Exception as exc:
            db = f"error: {type(exc).__name__}"
        polling = {name: "alive" if alive() else "dead" for name, alive in self.polling.items()}
        healthy = db == "ok" and "dead" not in polling.values()
        body: dict[str, Any] = {"status": "ok" if healthy else "degraded", "database": db,
                                "platforms": sorted(p.value for p in self.services.messengers)}
        if polling:
            body["polling"] = polling
        caches = self.services.db.read_cache_state
        if caches is not None:
            body["read_caches"] = caches
        return web.json_response(body, status=200 if healthy else 503)

    def add_webhook(self, platform: str, handler: Webhook) -> None:
        """Serve ``POST /webhook/<platform>`` with ``handler`` (an adapter in webhook mode);
        ``platform`` may be ``<platform>/<bot>`` for a platform's further bots."""
        self.webhooks[platform] = handler

    async def webhook(self, request: web.Request) -> web.StreamResponse:
        """A bot's webhook; 404 for a platform or bot not in webhook mode."""
        path = request.match_info["platform"]
        if "bot" in request.match_info:
            path = f"{path}/{request.match_info['bot']}"
        handler = self.webhooks.get(path)
        if handler is None:
            raise web.HTTPNotFound()
        return await handler(request)

    def spawn(self, work: Coroutine[Any, Any, None]) -> None:
        """Run ``work`` after answering; :meth:`stop` waits for it."""
        task = asyncio.create_task(self._guarded(work))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @staticmethod
    async def _guarded(work: Coroutine[Any, Any, None]) -> None:
        """Run answered webhook work; nothing escapes into the background task."""
        try:
            await work
        except Exception:
            log.exception("webhook update failed after it was answered")

    async def media_file(self, request: web.Request) -> web.StreamResponse:
        """A stored video, or a photo's clean variant (made on its first request); never a
        symlink (see :meth:`MediaStore.path`)."""
        path = await asyncio.to_thread(self.media.served_path, request.match_info["name"])
        if path is None:
            raise web.HTTPNotFound()
        ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return web.FileResponse(path, headers={  # names are content hashes: never change
            "Cache-Control": "public, max-age=31536000, immutable", "Content-Type": ctype})

    async def start(self, host: str, port: int) -> int:
        """Listen; return the bound port (useful with port 0)."""
        self._runner = web.AppRunner(self.app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        server = site._server
        sockets = getattr(server, "sockets", None) or []
        self.port = sockets[0].getsockname()[1] if sockets else port
        return self.port

    async def stop(self) -> None:
        """Stop listening and wait for in-flight webhook work."""
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._runner is not None:
            await self._runner.cleanup()
