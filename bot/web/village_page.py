"""The public, read-only village page ``/v/<mã thôn>`` and its printable QR poster.

Server-rendered HTML, Vietnamese first, mobile first, no login.  The page knows no feature: it
lays out the :class:`~bot.web.sections.PageSection` parts that installed features return from
their ``@router.page_section`` hooks (notices, meetings, projects...), in feature order, and adds
the head (description, OpenGraph card from PUBLIC_BASE_URL), a print stylesheet and the footer.
It shows only what was already posted publicly: no platform ids, no author names.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

from bot.core.events import Platform
from bot.core.services import Services
from bot.db import repo
from bot.db.models import Village
from bot.qrimage import POSTER_SIZES, poster_png
from bot.web.sections import PageRequest, PageSection, attrs

log = logging.getLogger(__name__)

SCRIPT_PATH = "/static/village-page.js"
_SCRIPT_FILE = Path(__file__).with_name("static") / "village-page.js"
ROBOTS = "User-agent: *\nDisallow: /chat\nDisallow: /webhook/\nAllow: /v/\n"
"""Village pages may be indexed; the local web chat and webhooks not."""

_CSS = """
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,
sans-serif;color:#1d2a22;background:#f4f6f2}header{background:#1f6f43;color:#fff;padding:18px 16px}
header h1{margin:0;font-size:1.5rem}header p{margin:4px 0 0}main{max-width:760px;
margin:0 auto;padding:8px 12px 40px}section{background:#fff;border-radius:12px;padding:14px 14px;
margin:14px 0;box-shadow:0 1px 3px rgba(0,0,0,.08)}h2{font-size:1.25rem;margin:0 0 8px}
h3{font-size:1.05rem;margin:16px 0 6px}ul.plain{list-style:none;padding:0;margin:0}
ul.plain li{padding:8px 0;border-top:1px solid #e6ebe4}ul.plain li:first-child{border-top:0}
.when{color:#4f5f54;font-size:.9rem}.bar{height:12px;background:#e3e9e1;border-radius:6px;
overflow:hidden;margin:6px 0}.bar span{display:block;height:100%;background:#2e8b57}
.facts{margin:4px 0 8px;color:#34433a}.update{border-left:3px solid #2e8b57;padding:2px 0 8px 10px;
margin:10px 0}.photos{display:grid;grid-template-columns:repeat(auto-fill,minmax(140px,1fr));
gap:6px;margin-top:6px}.photos a{display:block}.photos img,.photos video{width:100%;height:auto;
border-radius:8px;display:block;background:#dde3da}table{width:100%;border-collapse:collapse;
font-size:.95rem}td,th{padding:6px 4px;border-top:1px solid #e6ebe4;text-align:left;
vertical-align:top}td.amt,th.amt{text-align:right;white-space:nowrap}tr.corr td{color:#8a4b08}
tfoot td{font-weight:700;border-top:2px solid #1f6f43}.empty{color:#4f5f54}
footer{text-align:center;color:#4f5f54;font-size:.9rem;padding:10px}a{color:#1a5e39}
footer a{display:inline-block;padding:12px 8px}.links a{display:inline-block;padding:10px 0;
margin-right:16px}.donate{display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start;
background:#f0f6ef;border-radius:10px;padding:10px;margin:10px 0}
.donate dl{margin:0;flex:1 1 180px}
.donate dt{font-size:.85rem;color:#4f5f54}.donate dd{margin:0 0 6px;font-weight:600;
overflow-wrap:anywhere}.donate img{width:164px;height:164px;image-rendering:pixelated}
button.copy{font:inherit;min-height:44px;padding:8px 14px;border-radius:8px;
border:1px solid #1f6f43;background:#fff;color:#1a5e39;cursor:pointer}
@media print{body{background:#fff;font-size:11pt}header{background:none;color:#000;
padding:0 0 6pt;border-bottom:2pt solid #000}section{box-shadow:none;border:0;padding:0;
margin:0 0 10pt;break-inside:avoid-page}.photos{grid-template-columns:repeat(4,1fr)}
button,.links,footer{display:none}
a{color:#000;text-decoration:none}.donate{background:none;border:1pt solid #000}
@page{size:A4;margin:12mm}}
"""


async def collect_sections(services: Services, village: Village, locale: str) -> list[PageSection]:
    """Every installed feature's sections for ``village``; a failing one is left out."""
    t = _translator(services, locale)
    sections: list[PageSection] = []
    for router in services.commands.routers:
        for hook in router.page_sections:
            try:
                async with services.db.session() as session:
                    req = PageRequest(services=services, session=session, village=village,
                                      now=services.clock.now(), locale=locale, t=t)
                    sections.extend(await hook(req))
            except Exception as exc:  # a missing table or a bug: the rest of the page shows
                log.warning("village page section of %s skipped: %r", router.name, exc)
    return sections


def bot_link(services: Services) -> str | None:
    """The Telegram bot's address, when Telegram runs."""
    username = services.bot_usernames.get(Platform.TELEGRAM)
    return f"https://t.me/{username}" if Platform.TELEGRAM in services.messengers and username \
        else None


def render_page(services: Services, village: Village, sections: list[PageSection],
                locale: str) -> str:
    """The whole page as HTML."""
    t = _translator(services, locale)
    base = services.settings.public_base_url
    title = t("vpage-title", village=village.name)
    description = " ".join([t("vpage-description", village=village.name),
                            *(s.summary for s in sections if s.summary)])[:300]
    head = ['<!doctype html>', f'<html lang="{escape(locale)}"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{escape(title)}</title>",
            f"<meta{attrs(name='description', content=description)}>",
            '<link rel="icon" href="data:,">',
            f"<meta{attrs(property='og:type', content='website')}>",
            f"<meta{attrs(property='og:title', content=title)}>",
            f"<meta{attrs(property='og:description', content=description)}>",
            f"<meta{attrs(property='og:locale', content='vi_VN' if locale == 'vi' else 'en_US')}>"]
    if base:
        url = f"{base}/v/{village.code}"
        head += [f"<meta{attrs(property='og:url', content=url)}>",
                 f"<link{attrs(rel='canonical', href=url)}>"]
        image = next((s.image for s in sections if s.image), None)
        if image:
            head += [f"<meta{attrs(property='og:image', content=base + image)}>",
                     f"<meta{attrs(name='twitter:card', content='summary_large_image')}>"]
    head += [f"<style>{_CSS}</style>", f'<script src="{SCRIPT_PATH}" defer></script>',
             "</head>"]
    body = ["<body>", f"<header><h1>{escape(village.name)}</h1>",
            f"<p>{escape(t('vpage-subtitle'))}</p></header><main>"]
    body += [s.html for s in sections]
    links = [f'<a href="/v/{escape(village.code)}/poster.png">{escape(t("vpage-poster"))} '
             f"(A4)</a>",
             f'<a href="/v/{escape(village.code)}/poster.png?size=a5">'
             f'{escape(t("vpage-poster"))} (A5)</a>']
    link = bot_link(services)
    if link:
        links.append(f'<a href="{escape(link)}">{escape(t("vpage-bot"))}</a>')
    body.append(f"</main><footer>{' · '.join(links)}</footer></body></html>")
    return "".join(head + body)


# ---------------------------------------------------------------- poster


def poster_base(services: Services, bound_port: int | None = None) -> tuple[str, bool]:
    """(address the poster prints, True when only this machine or its network can open it).

    From settings only, never from the request's Host header: PUBLIC_BASE_URL, else this
    server's own WEB_HOST:WEB_PORT (``bound_port`` when WEB_PORT is 0).
    """
    settings = services.settings
    base = settings.public_base_url
    if not base:
        port = settings.web_port or bound_port or 0
        host = settings.web_host if settings.web_host not in ("", "0.0.0.0", "::") \
            else "127.0.0.1"
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{port}", True
    return base, is_local_address(base)


def is_local_address(url: str) -> bool:
    """True for a loopback, private, link-local or ``.local`` host (not reachable by phones)."""
    host = (urlsplit(url).hostname or "").lower()
    if host in ("", "localhost") or host.endswith((".localhost", ".local", ".lan",
                                                   ".internal", ".home.arpa")):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return "." not in host  # a bare machine name
    return (address.is_loopback or address.is_private or address.is_link_local
            or address.is_unspecified or address.is_reserved)


# ---------------------------------------------------------------- routes


def _locale(request: web.Request, services: Services) -> str:
    return services.i18n.resolve(request.query.get("lang")
                                 or services.settings.default_locale)


def _translator(services: Services, locale: str) -> Any:
    return lambda key, **args: services.i18n.t(locale, key, **args)


def setup_routes(app: web.Application, services: Services) -> None:
    """Add ``/v/{code}``, ``/v/{code}/poster.png`` (``?size=a4|a5``) and the page's script."""

    async def page(request: web.Request) -> web.Response:
        locale = _locale(request, services)
        t = _translator(services, locale)
        async with services.db.session() as session:
            village = await repo.village_by_code(session, request.match_info["code"])
        if village is None:
            body = (f'<!doctype html><html lang="{locale}"><meta charset="utf-8">'
                    '<meta name="viewport" content="width=device-width, initial-scale=1">'
                    f"<title>{escape(t('vpage-unknown-village'))}</title>"
                    f"<p>{escape(t('vpage-unknown-village'))}</p></html>")
            return web.Response(text=body, status=404, content_type="text/html")
        sections = await collect_sections(services, village, locale)
        response = web.Response(text=render_page(services, village, sections, locale),
                                content_type="text/html",
                                headers={"Cache-Control": "public, max-age=60"})
        response.enable_compression()
        return response

    async def poster(request: web.Request) -> web.Response:
        locale = _locale(request, services)
        t = _translator(services, locale)
        size = request.query.get("size", "a4").lower()
        if size not in POSTER_SIZES:
            raise web.HTTPBadRequest(text="size: a4 or a5")
        async with services.db.session() as session:
            village = await repo.village_by_code(session, request.match_info["code"])
        if village is None:
            raise web.HTTPNotFound()
        sockname = request.transport.get_extra_info("sockname") if request.transport else None
        base, local = poster_base(services, sockname[1] if sockname else None)
        url = f"{base}/v/{village.code}"
        warning = None
        if local:
            warning = [t("vposter-local-warning")]
            log.warning("poster of %s prints a local address (%s): phones outside this "
                        "machine or network cannot open it; set PUBLIC_BASE_URL", village.code,
                        url)
        qrs = [(t("vposter-qr-page"), url)]
        link = bot_link(services)
        if link:
            qrs.append((t("vposter-qr-bot"), link))
        png = await asyncio.to_thread(
            poster_png, village.name, [t("vposter-line-1"), t("vposter-line-2")], qrs,
            size=size, address=t("vposter-address", url=url), warning=warning)
        return web.Response(body=png, content_type="image/png",
                            headers={"Cache-Control": "no-cache" if local
                                     else "public, max-age=3600"})

    async def script(_request: web.Request) -> web.Response:
        return web.Response(body=_SCRIPT_FILE.read_bytes(),
                            content_type="application/javascript", charset="utf-8",
                            headers={"Cache-Control": "public, max-age=86400"})

    app.router.add_get("/v/{code}", page)
    app.router.add_get("/v/{code}/poster.png", poster)
    async def robots(_request: web.Request) -> web.Response:
        return web.Response(text=ROBOTS, content_type="text/plain")

    app.router.add_get(SCRIPT_PATH, script)
    app.router.add_get("/robots.txt", robots)
