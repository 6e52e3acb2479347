"""One API host for several fake bots: real Zalo (and Telegram) serve every bot's token on one
base URL (``ZALO_API_BASE_URL``, ``TELEGRAM_API_BASE_URL``), while each :class:`FakeZalo` or
:class:`FakeTelegram` answers one token.  The hub routes ``/bot{token}/{method}`` (and
Telegram's ``/file/bot{token}/{path}``) to the fake of that token over real HTTP and relays
the answer.

    async with FakeZalo(token="1:a") as a, FakeZalo(token="2:b") as b, ApiHub(a, b) as hub:
        ...  # settings: zalo_api_base_url=hub.url, tokens "1:a" and "2:b"

A client that goes away (a stopped bot's long poll) cancels the relayed request, so the fake
sees its client gone and keeps its events for the next reader.
"""

from __future__ import annotations

from typing import Any, Protocol, Self

import aiohttp
from aiohttp import web


class _Fake(Protocol):
    token: str

    @property
    def url(self) -> str: ...


class ApiHub:
    """An aiohttp server on 127.0.0.1 (random port) relaying each token to its fake."""

    def __init__(self, *fakes: _Fake) -> None:
        self.fakes = {fake.token: fake for fake in fakes}
        self._app = web.Application()
        self._app.router.add_route("*", "/bot{token}/{method}", self._relay)
        self._app.router.add_get("/file/bot{token}/{method:.+}", self._relay)
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self.url = ""

    async def start(self) -> Self:
        """Listen on a random port; ``url`` is the API base to configure."""
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=None))
        self._runner = web.AppRunner(self._app, handler_cancellation=True)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def stop(self) -> None:
        """Stop relaying."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(self, *_exc: Any) -> None:
        await self.stop()

    async def _relay(self, request: web.Request) -> web.StreamResponse:
        token, method = request.match_info["token"], request.match_info["method"]
        fake = self.fakes.get(token)
        if fake is None:
            return web.json_response({"ok": False, "error_code": 401,
                                      "description": "Unauthorized"})
        assert self._session is not None
        headers = {k: v for k, v in request.headers.items() if k.lower() == "content-type"}
        prefix = "/file/bot" if request.path.startswith("/file/") else "/bot"
        async with self._session.request(
                request.method, f"{fake.url}{prefix}{token}/{method}", params=request.query,
                data=await request.read(), headers=headers) as resp:
            body = await resp.read()
            return web.Response(status=resp.status, body=body,
                                content_type=resp.content_type or "application/json")
