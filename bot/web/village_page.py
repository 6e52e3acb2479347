"""The public, read-only village page ``/v/<mã thôn>`` and its printable QR poster.

Server-rendered HTML (every value through :func:`html.escape`), Vietnamese first, mobile
first, no login.  It shows only what was already posted publicly: notices for the whole
village, upcoming meetings, each project's photo timeline and its ledger (anonymous donors as
"Hảo tâm").  No platform ids, no author names.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from typing import Any

from aiohttp import web
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.clock import to_local
from bot.core.events import Platform
from bot.core.services import Services
from bot.db import repo
from bot.db.models import Village
from bot.qrimage import poster_png
from bot.text.lunar import format_lunar
from bot.text.money import format_vnd
from handlers.projects import queries as projects_repo
from handlers.projects.models import Project

log = logging.getLogger(__name__)

NOTICE_LIMIT = 5
MEETING_LIMIT = 5
UPDATE_LIMIT = 30


@dataclass(slots=True)
class ProjectBlock:
    """One project with its timeline, ledger and total."""

    project: Project
    updates: list[projects_repo.UpdateView]
    ledger: list[projects_repo.LedgerLine]
    total: int


@dataclass(slots=True)
class PageData:
    """Everything the page shows."""

    village: Village
    notices: list[tuple[datetime, str]] | None = None  # None: the feature is not installed
    meetings: list[tuple[datetime, str, str]] | None = None
    projects: list[ProjectBlock] = field(default_factory=list)
    bot_link: str | None = None


# ---------------------------------------------------------------- queries


async def recent_notices(
    session: AsyncSession, *, village_id: int, limit: int = NOTICE_LIMIT
) -> list[tuple[datetime, str]]:
    """Sent notices for the whole village (no tag-narrowed ones), newest first."""
    from handlers.announce.models import SENT, Notice

    rows = (await session.exec(select(Notice).where(
        Notice.status == SENT, Notice.tags == "",
        (Notice.village_id == village_id) | col(Notice.commune).is_(True)).order_by(
        col(Notice.sent_at).desc()).limit(limit))).all()
    return [(n.sent_at or n.created_at, n.text) for n in rows]


async def upcoming_meetings(
    session: AsyncSession, *, village_id: int, now: datetime, limit: int = MEETING_LIMIT
) -> list[tuple[datetime, str, str]]:
    """Scheduled meetings from now on: (start, place, topic)."""
    from handlers.meetings.models import MEETING_SCHEDULED, Meeting

    rows = (await session.exec(select(Meeting).where(
        Meeting.village_id == village_id, Meeting.status == MEETING_SCHEDULED,
        col(Meeting.starts_at) >= now).order_by(col(Meeting.starts_at)).limit(limit))).all()
    return [(m.starts_at, m.place, m.topic) for m in rows]


async def _optional(services: Services, query: Any) -> Any:
    """Run a query of another feature in its own session; None when its tables are missing."""
    try:
        async with services.db.session() as session:
            return await query(session)
    except Exception as exc:  # ImportError or a missing table: skip the section
        log.info("village page section skipped: %s", exc)
        return None


async def load_page(services: Services, code: str) -> PageData | None:
    """The page's data, or None for an unknown village."""
    now = services.clock.now()
    async with services.db.session() as session:
        village = await repo.village_by_code(session, code)
        if village is None:
            return None
        data = PageData(village=village)
        for project in await projects_repo.projects_of(session, village_id=village.id or 0):
            pid = project.id or 0
            data.projects.append(ProjectBlock(
                project=project,
                updates=await projects_repo.timeline(session, project_id=pid,
                                                     limit=UPDATE_LIMIT),
                ledger=await projects_repo.ledger(session, project_id=pid),
                total=await projects_repo.ledger_total(session, project_id=pid)))
    vid = village.id or 0
    data.notices = await _optional(services, lambda s: recent_notices(s, village_id=vid))
    data.meetings = await _optional(
        services, lambda s: upcoming_meetings(s, village_id=vid, now=now))
    username = services.bot_usernames.get(Platform.TELEGRAM)
    if Platform.TELEGRAM in services.messengers and username:
        data.bot_link = f"https://t.me/{username}"
    return data


# ---------------------------------------------------------------- rendering

_CSS = """
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,
sans-serif;color:#1d2a22;background:#f4f6f2}header{background:#1f6f43;color:#fff;padding:18px 16px}
header h1{margin:0;font-size:1.5rem}header p{margin:4px 0 0;opacity:.9}main{max-width:760px;
margin:0 auto;padding:8px 12px 40px}section{background:#fff;border-radius:12px;padding:14px 14px;
margin:14px 0;box-shadow:0 1px 3px rgba(0,0,0,.08)}h2{font-size:1.25rem;margin:0 0 8px}
h3{font-size:1.05rem;margin:16px 0 6px}ul.plain{list-style:none;padding:0;margin:0}
ul.plain li{padding:8px 0;border-top:1px solid #e6ebe4}ul.plain li:first-child{border-top:0}
.when{color:#5b6b60;font-size:.9rem}.bar{height:12px;background:#e3e9e1;border-radius:6px;
overflow:hidden;margin:6px 0}.bar span{display:block;height:100%;background:#2e8b57}
.facts{margin:4px 0 8px;color:#34433a}.update{border-left:3px solid #2e8b57;padding:2px 0 8px 10px;
margin:10px 0}.photos{display:grid;grid-template-columns:repeat(auto-fill,minmax(140px,1fr));
gap:6px;margin-top:6px}.photos img,.photos video{width:100%;border-radius:8px;display:block;
background:#dde3da}table{width:100%;border-collapse:collapse;font-size:.95rem}
td,th{padding:6px 4px;border-top:1px solid #e6ebe4;text-align:left;vertical-align:top}
td.amt,th.amt{text-align:right;white-space:nowrap}tr.corr td{color:#8a4b08}
tfoot td{font-weight:700;border-top:2px solid #1f6f43}.empty{color:#5b6b60}
footer{text-align:center;color:#5b6b60;font-size:.9rem;padding:10px}a{color:#1f6f43}
"""


def _day(value: datetime) -> str:
    return to_local(value).strftime("%d/%m/%Y")


def _moment(value: datetime) -> str:
    return to_local(value).strftime("%H:%M %d/%m/%Y")


def _text(value: str) -> str:
    """Escaped text with line breaks kept."""
    return escape(value).replace("\n", "<br>")


def _media_html(update: projects_repo.UpdateView, t: Any) -> str:
    items = []
    for item in update.media:
        caption = escape(item.caption or update.update.text or t("vpage-photo"))
        if item.name is None:
            items.append(f'<p class="empty">{escape(t("vpage-video-elsewhere"))}</p>')
        elif item.kind == "video":
            items.append(f'<video controls preload="metadata" src="/media/{escape(item.name)}">'
                         "</video>")
        else:
            items.append(f'<a href="/media/{escape(item.name)}"><img src="/media/'
                         f'{escape(item.name)}" alt="{caption}" loading="lazy"></a>')
    return f'<div class="photos">{"".join(items)}</div>' if items else ""


def _project_html(block: ProjectBlock, t: Any, locale: str) -> str:
    p = block.project
    progress = escape(t("vpage-progress", percent=p.progress))
    out = [f'<section id="p-{escape(p.code)}"><h2>{escape(p.name)}</h2>',
           f'<div class="bar" role="img" aria-label="{progress}"><span style="width:'
           f'{max(0, min(100, p.progress))}%"></span></div>',
           f'<p class="facts">{progress}']
    raised = format_vnd(block.total, locale)
    if p.budget_target:
        out.append(" · " + escape(t("vpage-raised-of", raised=raised,
                                    target=format_vnd(p.budget_target, locale),
                                    percent=block.total * 100 // p.budget_target)))
    else:
        out.append(" · " + escape(t("vpage-raised", raised=raised)))
    out.append("</p>")
    out.append(f"<h3>{escape(t('vpage-timeline'))}</h3>")
    if not block.updates:
        out.append(f'<p class="empty">{escape(t("vpage-no-updates"))}</p>')
    for view in block.updates:
        u = view.update
        percent = f" · {u.percent}%" if u.percent is not None else ""
        out.append(f'<div class="update" id="u{u.id}"><div class="when">'
                   f"{escape(_day(u.created_at))}{escape(percent)}</div>"
                   f"<div>{_text(u.text)}</div>{_media_html(view, t)}</div>")
    out.append(f"<h3>{escape(t('vpage-ledger'))}</h3>")
    out.append(_ledger_html(block, t, locale))
    out.append("</section>")
    return "".join(out)


def _ledger_html(block: ProjectBlock, t: Any, locale: str) -> str:
    if not block.ledger:
        return f'<p class="empty">{escape(t("vpage-no-gifts"))}</p>'
    rows = []
    for line in block.ledger:
        d = line.donation
        if d.amount < 0:
            ref = line.reverses_number or "-"
            who = t("vpage-correction", ref=ref, reason=d.note)
            cls = ' class="corr"'
        else:
            who = t("vpage-anonymous") if d.anonymous else d.donor_name
            cls = ""
        rows.append(f"<tr{cls}><td>{line.number}</td><td>{escape(who)}<div class=\"when\">"
                    f"{escape(_day(d.created_at))}</div></td>"
                    f'<td class="amt">{escape(format_vnd(d.amount, locale))}</td></tr>')
    head = (f"<thead><tr><th>#</th><th>{escape(t('vpage-donor'))}</th>"
            f'<th class="amt">{escape(t("vpage-amount"))}</th></tr></thead>')
    foot = (f'<tfoot><tr><td></td><td>{escape(t("vpage-total"))}</td><td class="amt" '
            f'data-total="{block.total}">{escape(format_vnd(block.total, locale))}</td></tr>'
            "</tfoot>")
    return f'<table class="ledger">{head}<tbody>{"".join(rows)}</tbody>{foot}</table>'


def render_page(data: PageData, t: Any, locale: str) -> str:
    """The whole page as HTML; ``t(key, **args)`` translates."""
    v = data.village
    parts = [f'<!doctype html><html lang="{escape(locale)}"><head><meta charset="utf-8">'
             '<meta name="viewport" content="width=device-width, initial-scale=1">'
             f"<title>{escape(t('vpage-title', village=v.name))}</title>"
             f"<style>{_CSS}</style></head><body>"
             f"<header><h1>{escape(v.name)}</h1><p>{escape(t('vpage-subtitle'))}</p></header>"
             "<main>"]
    if data.notices is not None:
        parts.append(f'<section id="notices"><h2>{escape(t("vpage-notices"))}</h2>')
        if data.notices:
            parts.append('<ul class="plain">' + "".join(
                f'<li><div class="when">{escape(_moment(at))}</div>{_text(text)}</li>'
                for at, text in data.notices) + "</ul>")
        else:
            parts.append(f'<p class="empty">{escape(t("vpage-no-notices"))}</p>')
        parts.append("</section>")
    if data.meetings is not None:
        parts.append(f'<section id="meetings"><h2>{escape(t("vpage-meetings"))}</h2>')
        if data.meetings:
            parts.append('<ul class="plain">' + "".join(
                f'<li><div class="when">{escape(_moment(at))}'
                f' ({escape(format_lunar(to_local(at).date(), locale))})'
                f'{" · " + escape(place) if place else ""}</div>{_text(topic)}</li>'
                for at, place, topic in data.meetings) + "</ul>")
        else:
            parts.append(f'<p class="empty">{escape(t("vpage-no-meetings"))}</p>')
        parts.append("</section>")
    if not data.projects:
        parts.append(f'<section><p class="empty">{escape(t("vpage-no-projects"))}</p></section>')
    parts.extend(_project_html(block, t, locale) for block in data.projects)
    links = [f'<a href="/v/{escape(v.code)}/poster.png">{escape(t("vpage-poster"))}</a>']
    if data.bot_link:
        links.append(f'<a href="{escape(data.bot_link)}">{escape(t("vpage-bot"))}</a>')
    parts.append(f"</main><footer>{' · '.join(links)}</footer></body></html>")
    return "".join(parts)


# ---------------------------------------------------------------- routes


def _locale(request: web.Request, services: Services) -> str:
    return services.i18n.resolve(request.query.get("lang")
                                 or services.settings.default_locale)


def _translator(services: Services, locale: str) -> Any:
    return lambda key, **args: services.i18n.t(locale, key, **args)


def setup_routes(app: web.Application, services: Services) -> None:
    """Add ``/v/{code}`` and ``/v/{code}/poster.png``."""

    async def page(request: web.Request) -> web.Response:
        locale = _locale(request, services)
        data = await load_page(services, request.match_info["code"])
        t = _translator(services, locale)
        if data is None:
            body = (f'<!doctype html><html lang="{locale}"><meta charset="utf-8">'
                    '<meta name="viewport" content="width=device-width, initial-scale=1">'
                    f"<p>{escape(t('vpage-unknown-village'))}</p></html>")
            return web.Response(text=body, status=404, content_type="text/html")
        return web.Response(text=render_page(data, t, locale), content_type="text/html",
                            headers={"Cache-Control": "public, max-age=60"})

    async def poster(request: web.Request) -> web.Response:
        locale = _locale(request, services)
        t = _translator(services, locale)
        async with services.db.session() as session:
            village = await repo.village_by_code(session, request.match_info["code"])
        if village is None:
            raise web.HTTPNotFound()
        base = services.settings.public_base_url or f"{request.scheme}://{request.host}"
        url = f"{base}/v/{village.code}"
        qrs = [(t("vposter-qr-page"), url)]
        username = services.bot_usernames.get(Platform.TELEGRAM)
        if Platform.TELEGRAM in services.messengers and username:
            qrs.append((t("vposter-qr-bot"), f"https://t.me/{username}"))
        png = await asyncio.to_thread(
            poster_png, village.name, [t("vposter-line-1"), t("vposter-line-2")], qrs)
        return web.Response(body=png, content_type="image/png",
                            headers={"Cache-Control": "public, max-age=3600"})

    app.router.add_get("/v/{code}", page)
    app.router.add_get("/v/{code}/poster.png", poster)
