"""Shared machinery of the fake Bot API servers: lifecycle, call log, faults, outages."""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any, Self

import aiohttp
from aiohttp import web

Clock = Callable[[], float]
Predicate = Callable[["Call"], bool]

#: Body of the page a reverse proxy shows while the API behind it is down.
BAD_GATEWAY_HTML = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n"
    "</body>\r\n</html>\r\n"
)
#: What a "malformed" fault sends: JSON cut off in the middle.
MALFORMED_BODY = '{"ok":true,"result":{"message_id":'

_INT_RE = re.compile(r"-?\d+")


@dataclass
class Call:
    """One HTTP request the fake received on a Bot API route, and how it was answered."""

    method: str
    params: dict[str, Any]
    files: dict[str, bytes]
    at: float
    http_method: str = "POST"
    #: HTTP status sent back; ``None`` while in flight or when the connection was dropped.
    status: int | None = None
    #: The JSON body sent back (``None`` for dropped/malformed answers).
    response: Any = None
    #: True once the fake has answered (or deliberately dropped) the request.
    answered: bool = False
    #: True when a fault dropped the connection without an answer.
    dropped: bool = False
    #: Client-side file names of the multipart uploads, by field name.
    file_names: dict[str, str] = field(default_factory=dict)
    #: The request's connection (to tell whether the client is still there).
    transport: Any = field(default=None, repr=False, compare=False)

    @property
    def client_gone(self) -> bool:
        """True when the client closed the connection (e.g. a stopped bot's long poll)."""
        return self.transport is not None and self.transport.is_closing()

    @property
    def ok(self) -> bool:
        """True when the request was answered with ``{"ok": true, ...}``."""
        return isinstance(self.response, dict) and self.response.get("ok") is True

    @property
    def result(self) -> Any:
        """The ``result`` of the answer (``None`` for errors)."""
        return self.response.get("result") if isinstance(self.response, dict) else None

    @property
    def chat_id(self) -> Any:
        """Shortcut for ``params.get("chat_id")``."""
        return self.params.get("chat_id")

    @property
    def text(self) -> str | None:
        """Shortcut for ``params.get("text")`` (the raw text as sent, markup included)."""
        value = self.params.get("text")
        return value if isinstance(value, str) else None

    @property
    def description(self) -> str | None:
        """Error description of the answer, if any."""
        return self.response.get("description") if isinstance(self.response, dict) else None


@dataclass
class Fault:
    """A scripted misbehaviour applied to the next ``times`` matching calls.

    ``respond`` builds ``(http_status, json_body)`` for the call; ``None`` means "answer
    normally" (useful together with ``delay``).
    """

    method: str
    times: int = 1
    chat_id: Any = None
    delay: float | None = None
    drop: bool = False
    malformed: bool = False
    malformed_status: int = 200
    respond: Callable[[Call], tuple[int, Any]] | None = None
    #: How many calls this fault has hit so far.
    hits: int = 0

    @property
    def remaining(self) -> int:
        """How many more calls this fault will hit."""
        return self.times - self.hits

    def matches(self, call: Call) -> bool:
        """True when this fault applies to ``call``."""
        if self.remaining <= 0:
            return False
        if self.method not in ("*", call.method):
            return False
        return self.chat_id is None or same_id(call.params.get("chat_id"), self.chat_id)


def same_id(a: Any, b: Any) -> bool:
    """Compare chat/user ids loosely: ``-100`` equals ``"-100"``."""
    return a is not None and b is not None and str(a) == str(b)


def coerce_params(
    raw: dict[str, Any],
    *,
    json_keys: Collection[str] = (),
    int_keys: Collection[str] = (),
    bool_keys: Collection[str] = (),
) -> dict[str, Any]:
    """Turn textual form/query values into the types a JSON client would have sent."""
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if isinstance(value, str):
            if key in json_keys and value[:1] in ("{", "["):
                try:
                    value = json.loads(value)
                except ValueError:
                    pass
            elif key in int_keys and _INT_RE.fullmatch(value):
                value = int(value)
            elif key in bool_keys and value.lower() in ("true", "false"):
                value = value.lower() == "true"
        out[key] = value
    return out


@dataclass
class RawRequest:
    """Parameters and uploaded files of one HTTP request, before type coercion."""

    params: dict[str, Any]
    files: dict[str, bytes]
    file_names: dict[str, str]


async def read_request(request: web.Request) -> RawRequest:
    """Read every parameter of a Bot API request: query string, form, multipart or JSON."""
    params: dict[str, Any] = dict(request.query)
    files: dict[str, bytes] = {}
    names: dict[str, str] = {}
    raw = RawRequest(params, files, names)
    if not request.body_exists:
        return raw
    ctype = request.content_type
    if ctype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                files[key] = value.file.read()
                names[key] = value.filename
            else:
                params[key] = value
        return raw
    data = await request.read()
    if data.strip():
        try:
            body = json.loads(data)
        except ValueError:
            body = None
        if isinstance(body, dict):
            params.update(body)
    return raw


class FakeServer:
    """Base class: an aiohttp server on 127.0.0.1 with a random port, a call log and faults."""

    #: Name used in error messages.
    label = "fake"

    def __init__(self, *, clock: Clock = time.monotonic, max_long_poll: float | None = None):
        self.clock: Clock = clock
        #: Upper bound (seconds) for any long-poll wait, whatever the client asked for.
        self.max_long_poll = max_long_poll
        #: Every Bot API request received, in arrival order.
        self.calls: list[Call] = []
        #: Counters (e.g. ``"429"``, ``"down_rejected"``, ``"dropped"``).
        self.stats: Counter[str] = Counter()
        self.faults: list[Fault] = []
        self._app = web.Application(client_max_size=64 * 1024 * 1024)
        self._app.middlewares.append(self._outage_middleware)
        self._runner: web.AppRunner | None = None
        self._site: web.TCPSite | None = None
        self._port: int | None = None
        self._down: str | None = None
        self._closing = False
        self._event = asyncio.Event()
        self._session: aiohttp.ClientSession | None = None

    # ----------------------------------------------------------------- lifecycle
    @property
    def url(self) -> str:
        """Base URL of the running server, e.g. ``http://127.0.0.1:40123``."""
        if self._port is None:
            raise RuntimeError(f"{self.label} is not started")
        return f"http://127.0.0.1:{self._port}"

    @property
    def port(self) -> int:
        """TCP port of the running server."""
        if self._port is None:
            raise RuntimeError(f"{self.label} is not started")
        return self._port

    async def start(self) -> Self:
        """Bind to a free port on 127.0.0.1 and start serving."""
        self._closing = False
        self._runner = web.AppRunner(self._app, handle_signals=False, access_log=None)
        await self._runner.setup()
        await self._listen(0)
        return self

    async def stop(self) -> None:
        """Answer pending long polls, close every connection and release the port."""
        self._closing = True
        self._touch()
        if self._session is not None:
            await self._session.close()
            self._session = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        self._site = None

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    async def _listen(self, port: int) -> None:
        assert self._runner is not None
        self._site = web.TCPSite(self._runner, "127.0.0.1", port, reuse_address=True)
        await self._site.start()
        self._port = self._runner.addresses[-1][1]

    # ------------------------------------------------------------------- outages
    @property
    def is_down(self) -> bool:
        """True between :meth:`go_down` and :meth:`go_up`."""
        return self._down is not None

    async def go_down(self, mode: str = "refuse") -> None:
        """Simulate an outage.

        ``mode="refuse"``: stop listening (new connections are refused) and cut every open
        connection, pending long polls included. ``mode="502"``: keep listening but answer
        every request with an HTML ``502 Bad Gateway`` page, as a reverse proxy would.
        """
        if mode not in ("refuse", "502"):
            raise ValueError("mode must be 'refuse' or '502'")
        self._down = mode
        self._touch()
        if mode == "refuse" and self._site is not None and self._runner is not None:
            await self._site.stop()
            self._site = None
            server = self._runner.server
            if server is not None:
                for conn in list(server.connections):
                    # abort, not close(): an idle keep-alive connection that is only marked
                    # "closing" would swallow the client's next request until it times out
                    transport = conn.transport
                    if transport is not None:
                        transport.abort()

    async def go_up(self) -> None:
        """End the outage; the server listens again on the same port."""
        mode, self._down = self._down, None
        if mode == "refuse" and self._runner is not None and self._site is None:
            await self._listen(self.port)
        self._touch()

    @web.middleware
    async def _outage_middleware(
        self, request: web.Request, handler: Callable[[web.Request], Any]
    ) -> web.StreamResponse:
        response = self._outage_response(request)
        if response is not None:
            self.stats["down_rejected"] += 1
            return response
        return await handler(request)

    def _outage_response(self, request: web.Request) -> web.StreamResponse | None:
        """What a request gets during an outage (``None`` when the server is up)."""
        if self._down == "refuse":
            return self._drop_connection(request)
        if self._down == "502":
            return web.Response(status=502, text=BAD_GATEWAY_HTML, content_type="text/html")
        return None

    @staticmethod
    def _drop_connection(request: web.Request) -> web.StreamResponse:
        """Close the TCP connection without sending any HTTP response."""
        if request.transport is not None:
            request.transport.abort()
        return web.Response(status=499)

    # ---------------------------------------------------------------- call log
    def calls_to(self, method: str) -> list[Call]:
        """All recorded calls of one Bot API method."""
        return [c for c in self.calls if c.method == method]

    def reset_calls(self) -> None:
        """Forget the recorded calls (state such as sent messages is kept)."""
        self.calls.clear()

    async def wait_for(
        self,
        method: str | None = None,
        count: int = 1,
        timeout: float = 5.0,
        predicate: Predicate | None = None,
        *,
        ok: bool | None = None,
        answered: bool = True,
    ) -> list[Call]:
        """Wait until ``count`` calls match, and return all matching calls.

        Counts answered calls by default (``answered=False`` counts arrivals, e.g. a long poll
        still waiting). ``method=None`` matches any method; ``ok=True``/``False`` keeps only
        successful or failed answers. Raises ``AssertionError`` (listing what was seen) on
        timeout — no fixed sleeps needed in tests.
        """

        def matching() -> list[Call]:
            return [
                c
                for c in self.calls
                if (c.answered or not answered)
                and (method is None or c.method == method)
                and (ok is None or c.ok == ok)
                and (predicate is None or predicate(c))
            ]

        if not await self._wait_until(lambda: len(matching()) >= count, timeout):
            seen = ", ".join(f"{c.method}->{c.status}" for c in self.calls[-20:]) or "nothing"
            raise AssertionError(
                f"{self.label}: expected {count} x {method or 'any call'} within {timeout}s, "
                f"got {len(matching())}; last calls: {seen}"
            )
        return matching()

    def _touch(self) -> None:
        """Wake every waiter so it re-checks its condition (safe from sync code)."""
        event, self._event = self._event, asyncio.Event()
        event.set()

    async def _wait_until(self, predicate: Callable[[], bool], timeout: float) -> bool:
        """Wait until ``predicate()`` holds; False if ``timeout`` seconds passed first."""
        try:
            async with asyncio.timeout(max(timeout, 0)):
                while not predicate():
                    await self._event.wait()
        except TimeoutError:
            return predicate()
        return True

    async def _long_poll(self, timeout: float, ready: Callable[[], bool]) -> None:
        """Wait up to ``timeout`` s (capped by ``max_long_poll``) for ``ready()``, an outage or
        shutdown."""
        if self.max_long_poll is not None:
            timeout = min(timeout, self.max_long_poll)
        await self._wait_until(lambda: ready() or self._closing or self._down is not None, timeout)

    def _record(
        self, method: str, params: dict[str, Any], files: dict[str, bytes], http: str
    ) -> Call:
        call = Call(method=method, params=params, files=files, at=self.clock(), http_method=http)
        self.calls.append(call)
        self._touch()
        return call

    def _finish(self, call: Call, status: int | None, body: Any) -> None:
        call.status, call.response, call.answered = status, body, True
        if status is not None:
            self.stats[str(status)] += 1
        self._touch()

    # -------------------------------------------------------------------- faults
    def add_fault(self, fault: Fault) -> Fault:
        """Register a prepared :class:`Fault`."""
        self.faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        """Drop every pending fault."""
        self.faults.clear()

    def _take_fault(self, call: Call) -> Fault | None:
        for fault in self.faults:
            if fault.matches(call):
                fault.hits += 1
                if fault.remaining <= 0:
                    self.faults.remove(fault)
                return fault
        return None

    async def _apply_fault(
        self, fault: Fault, call: Call, request: web.Request
    ) -> web.StreamResponse | None:
        """Run a fault; returns the response to send, or ``None`` to answer normally."""
        if fault.delay:
            await asyncio.sleep(fault.delay)
        if fault.drop:
            self.stats["dropped"] += 1
            call.dropped = True
            self._finish(call, None, None)
            return self._drop_connection(request)
        if fault.malformed:
            self._finish(call, fault.malformed_status, None)
            return web.Response(
                status=fault.malformed_status, text=MALFORMED_BODY, content_type="application/json"
            )
        if fault.respond is None:
            return None
        status, body = fault.respond(call)
        self._finish(call, status, body)
        return web.json_response(body, status=status)

    # --------------------------------------------------------------- outgoing HTTP
    async def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))
        return self._session

    async def _post_json(self, url: str, body: Any, headers: dict[str, str] | None = None) -> int:
        session = await self._client()
        async with session.post(url, json=body, headers=headers or {}) as resp:
            await resp.read()
            return resp.status
