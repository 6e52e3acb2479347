"""The public list of a village's reports: data for the village page and ``/v/<mã>/phananh``.

Shown: the photos, the xóm-level place (never the typed place or the location), the status
and how many days it has been open.  The reporter's name only when they chose to show it
(``/phananhcuatoi <n> hienten``); reports an official hid (``/phananh an <n>``) not at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import escape

from aiohttp import web
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.router import Router
from bot.core.services import Services
from bot.db import repo
from bot.db.models import Person
from bot.web.sections import PageRequest, PageSection, attrs
from handlers.reports import queries as rq
from handlers.reports.models import OPEN, PHOTO_RESULT, Report

T = Callable[..., str]
PAGE_LIMIT = 50


@dataclass(frozen=True, slots=True)
class PublicReport:
    """One report as the public may see it."""

    number: int
    text: str
    area: str
    status: str
    days_open: int  # until now while open, until it was closed otherwise
    created_at: datetime
    reporter: str | None  # only when the reporter chose to show their name
    photos: list[str] = field(default_factory=list)  # media names, the problem's photos
    result_photos: list[str] = field(default_factory=list)
    note: str = ""  # the result or the reason, once closed


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


async def public_reports(
    session: AsyncSession, village_id: int, *, now: datetime, limit: int = PAGE_LIMIT
) -> list[PublicReport]:
    """The village's visible reports, newest first."""
    rows = await rq.public_rows(session, village_id=village_id, limit=limit)
    ids = [r.id or 0 for r in rows]
    photos = await rq.photos_of(session, report_ids=ids)
    results = await rq.photos_of(session, report_ids=ids, stage=PHOTO_RESULT)
    out = []
    for r in rows:
        end = now if r.status in OPEN or r.closed_at is None else _aware(r.closed_at)
        out.append(PublicReport(
            number=r.number, text=r.text, area=r.area, status=r.status,
            days_open=max(0, (end - _aware(r.created_at)).days), created_at=r.created_at,
            reporter=await _name(session, r), photos=[p.name for p in photos.get(r.id or 0, [])],
            result_photos=[p.name for p in results.get(r.id or 0, [])],
            note=r.note if r.status not in OPEN else ""))
    return out


async def _name(session: AsyncSession, report: Report) -> str | None:
    if not report.show_name:
        return None
    person = await session.get(Person, report.person_id)
    return person.display_name or None if person is not None else None


def _photos_html(names: list[str], alt: str) -> str:
    if not names:
        return ""
    return '<div class="photos">' + "".join(
        f'<a href="/media/{escape(n)}"><img src="/media/{escape(n)}" alt="{escape(alt)}" '
        'loading="lazy"></a>' for n in names) + "</div>"


def reports_html(reports: list[PublicReport], t: T) -> str:
    """The reports as an HTML ``<section>`` (every value escaped), for the village page."""
    from handlers.reports.render import STATUS_KEYS

    out = [f'<section id="reports"><h2>{escape(t("reports-page-heading"))}</h2>']
    if not reports:
        out.append(f'<p class="empty">{escape(t("reports-page-none"))}</p>')
    for r in reports:
        facts = [t("reports-page-number", n=r.number), t(STATUS_KEYS[r.status]),
                 r.area or t("reports-no-place"), t("reports-page-days", days=r.days_open)]
        if r.reporter:
            facts.append(t("reports-page-by", name=r.reporter))
        out.append(f'<div class="report" id="r{r.number}" data-status="{escape(r.status)}">'
                   f'<div class="when">{escape(" · ".join(facts))}</div>'
                   f"<div>{escape(r.text)}</div>{_photos_html(r.photos, r.text)}")
        if r.note:
            out.append(f'<div class="result">{escape(t("reports-page-result", note=r.note))}'
                       "</div>")
        out.append(_photos_html(r.result_photos, r.note or r.text))
        out.append("</div>")
    out.append("</section>")
    return "".join(out)


_CSS = ("body{font-family:system-ui,sans-serif;margin:0 auto;max-width:720px;padding:12px;"
        "line-height:1.45}.report{border-top:1px solid #ddd;padding:10px 0}.when{color:#555;"
        "font-size:.9em}.photos img{max-width:48%;margin:4px 4px 0 0;border-radius:4px}"
        ".result{color:#1b5e20}.empty{color:#777}")


def setup_routes(app: web.Application, services: Services) -> None:
    """``/v/{code}/phananh``: the village's public list of reports."""

    async def page(request: web.Request) -> web.Response:
        locale = services.i18n.resolve(request.query.get("lang")
                                       or services.settings.default_locale)

        def t(key: str, **args: object) -> str:
            return services.i18n.t(locale, key, **args)

        async with services.db.session() as session:
            village = await repo.village_by_code(session, request.match_info["code"])
            if village is None:
                raise web.HTTPNotFound(text=t("reports-page-unknown"))
            reports = await public_reports(session, village.id or 0, now=services.clock.now())
        title = t("reports-page-title", village=village.name)
        body = (f'<!doctype html><html lang="{escape(locale)}"><head><meta charset="utf-8">'
                '<meta name="viewport" content="width=device-width, initial-scale=1">'
                f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>"
                f"<h1>{escape(title)}</h1>{reports_html(reports, t)}"
                f'<p><a href="/v/{escape(village.code)}">{escape(t("reports-page-back"))}</a>'
                "</p></body></html>")
        return web.Response(text=body, content_type="text/html",
                            headers={"Cache-Control": "public, max-age=60"})

    app.router.add_get("/v/{code}/phananh", page)


SECTION_LIMIT = 5

section_router = Router("reports-page")


@section_router.page_section
async def reports_section(req: PageRequest) -> list[PageSection]:
    """The latest visible reports (no photos: the full list has them) and a link to it."""
    rows = await public_reports(req.session, req.village.id or 0, now=req.now,
                                limit=SECTION_LIMIT)
    if not rows:
        return []
    from handlers.reports.render import STATUS_KEYS

    items = "".join(
        f'<li><div class="when">{escape(" · ".join((req.t("reports-page-number", n=r.number), req.t(STATUS_KEYS[r.status]), r.area or req.t("reports-no-place"), req.t("reports-page-days", days=r.days_open))))}'  # noqa: E501
        f"</div>{escape(r.text)}</li>" for r in rows)
    path = f"/v/{req.village.code}/phananh"
    html = (f'<section id="reports"><h2>{escape(req.t("reports-page-heading"))}</h2>'
            f'<ul class="plain">{items}</ul><p class="links"><a{attrs(href=path)}>'
            f'{escape(req.t("reports-page-all"))}</a></p></section>')
    return [PageSection(key="reports", html=html)]
