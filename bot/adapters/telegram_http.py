"""PTB's HTTP transport on aiohttp (the server's library) instead of httpx.

PTB lets an application bring its own :class:`telegram.request.BaseRequest`.  This one sends
the Bot API's JSON bodies (multipart only with files), so Vietnamese text is not percent-encoded
three bytes to a letter.  In ``bench/throughput.py`` an echo bot on it reached 1.3–1.7× the
updates/s of PTB's httpx default on a quiet host, and the same CPU per update on a busy one.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from typing import Any

import aiohttp
import orjson
from aiohttp.helpers import get_env_proxy_for_url
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import JSONDict
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData
from yarl import URL

# what PTB passes for a timeout: a value, None (no timeout) or "use the default"
Timeout = float | DefaultValue[float] | DefaultValue[None] | None
# per origin: (proxy, proxy auth, netrc auth) as aiohttp's trust_env would find them
_Route = tuple[URL | None, aiohttp.BasicAuth | None, aiohttp.BasicAuth | None]


class JsonBody(RequestData):  # type: ignore[misc]  # final only to type checkers
    """A request whose JSON body is already encoded (the reply path: orjson, no PTB
    ``RequestParameter`` per field); only :class:`AiohttpRequest` sends it."""

    def __init__(self, params: Mapping[str, Any]) -> None:
        super().__init__()
        self.body = orjson.dumps(params)


class AiohttpRequest(BaseRequest):
    """A :class:`BaseRequest` on one :class:`aiohttp.ClientSession` (keep-alive pool)."""

    def __init__(
        self,
        *,
        connection_pool_size: int = 256,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None
        self._routes: dict[tuple[str, str | None, int | None], _Route] = {}

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout (PTB adds it to long-polling timeouts)."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Open the client session (idempotent)."""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size),
                headers={"User-Agent": self.USER_AGENT},
                # like httpx: HTTPS_PROXY / NO_PROXY (and ~/.netrc) from the environment are
                # honoured (a proxy is how some deployments reach Telegram) — looked up once
                # per origin in _route, not by aiohttp's trust_env, which reads them on a
                # worker thread for every request (two thread hops per reply)
                trust_env=False,
                # PTB reads the status and decodes JSON itself; never raise on 4xx/5xx here
                raise_for_status=False)

    async def shutdown(self) -> None:
        """Close the client session (idempotent)."""
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Timeout = BaseRequest.DEFAULT_NONE,
        write_timeout: Timeout = BaseRequest.DEFAULT_NONE,
        connect_timeout: Timeout = BaseRequest.DEFAULT_NONE,
        pool_timeout: Timeout = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send one Bot API request; map aiohttp failures to PTB's errors."""
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data.multipart_data if request_data else None
        read = self._read_timeout if isinstance(read_timeout, DefaultValue) else read_timeout
        connect = (self._connect_timeout if isinstance(connect_timeout, DefaultValue)
                   else connect_timeout)
        pool = self._pool_timeout if isinstance(pool_timeout, DefaultValue) else pool_timeout
        if isinstance(write_timeout, DefaultValue):
            write = self._write_timeout if not files else self._media_write_timeout
        else:
            write = write_timeout
        # aiohttp has no write timeout: the read timeout starts once the body is written,
        # so a slow upload is bounded by the write budget through ``total``.
        waits = [t for t in (connect, pool, write, read) if t is not None]
        timeout = aiohttp.ClientTimeout(
            total=sum(waits) if len(waits) == 4 else None,
            connect=None if connect is None or pool is None else connect + pool,
            sock_connect=connect, sock_read=read)
        body = _body(request_data, files)
        target = URL(url)
        route = self._routes.get((target.scheme, target.host, target.port))
        if route is None:
            route = await asyncio.to_thread(self._route, target)
        proxy, proxy_auth, auth = route
        try:
            async with self._session.request(method, target, data=body, timeout=timeout,
                                              proxy=proxy, proxy_auth=proxy_auth,
                                              auth=auth) as response:
                return response.status, await response.read()
        except TimeoutError as err:
            raise TimedOut from err
        except aiohttp.ClientError as err:
            raise NetworkError(f"aiohttp.{err.__class__.__name__}: {err}") from err


    def _route(self, url: URL) -> _Route:
        """Proxy and credentials for ``url``'s origin from the environment (once per origin)."""
        try:
            proxy, proxy_auth = get_env_proxy_for_url(url)
        except LookupError:
            proxy, proxy_auth = None, None
        auth = None
        if url.host is not None and self._session is not None:
            auth = self._session._get_netrc_auth(url.host)
        route = (proxy, proxy_auth, auth)
        self._routes[(url.scheme, url.host, url.port)] = route
        return route

    @staticmethod
    def parse_json_payload(payload: bytes) -> JSONDict:
        """orjson (~5× the standard library); PTB's own parser, with its errors, when orjson
        refuses (invalid UTF-8 PTB replaces, NaN, huge integers, broken JSON)."""
        try:
            parsed = orjson.loads(payload)
        except orjson.JSONDecodeError:
            return BaseRequest.parse_json_payload(payload)
        if not isinstance(parsed, dict):
            return BaseRequest.parse_json_payload(payload)
        return parsed


def _body(request_data: RequestData | None,
          files: Mapping[str, object] | None) -> aiohttp.FormData | aiohttp.BytesPayload | None:
    """A UTF-8 JSON body (which the Bot API accepts); multipart when a file is attached.

    JSON rather than PTB's form encoding: Vietnamese text is percent-encoded three bytes to a
    letter in a form, and both ends pay to encode and decode it.
    """
    if request_data is None:
        return None
    if isinstance(request_data, JsonBody):
        return aiohttp.BytesPayload(request_data.body, content_type="application/json")
    if not files:
        return aiohttp.BytesPayload(
            json.dumps(request_data.parameters, ensure_ascii=False).encode(),
            content_type="application/json")
    fields = request_data.json_parameters
    form = aiohttp.FormData(quote_fields=False)
    for name, value in fields.items():
        form.add_field(name, value)
    for name, part in files.items():
        if isinstance(part, tuple):
            file_name, content, *rest = part
            form.add_field(name, content, filename=file_name,
                           content_type=rest[0] if rest else "application/octet-stream")
        else:
            form.add_field(name, part)
    return form
