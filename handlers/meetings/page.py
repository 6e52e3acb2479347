"""The village page's meetings: upcoming ones with their weekday, and the calendar feed."""

from __future__ import annotations

from html import escape

from sqlmodel import col, select

from bot.clock import to_local
from bot.core.router import Router
from bot.text.lunar import format_lunar
from bot.web.sections import PageRequest, PageSection, attrs, moment, text_html
from handlers.meetings.models import MEETING_SCHEDULED, Meeting

MEETING_LIMIT = 5

router = Router("meetings-page")


def _lunar(req: PageRequest, meeting: Meeting) -> str:
    """`` · mùng 10 tháng 3 âm lịch`` (the lunar date of the meeting day)."""
    try:
        return f" · {format_lunar(to_local(meeting.starts_at).date(), req.locale)}"
    except Exception:  # a date outside the library's range: show the solar date only
        return ""


@router.page_section
async def meetings_section(req: PageRequest) -> list[PageSection]:
    """Scheduled meetings from now on, and links to subscribe to the feed."""
    rows = (await req.session.exec(select(Meeting).where(
        Meeting.village_id == (req.village.id or 0), Meeting.status == MEETING_SCHEDULED,
        col(Meeting.starts_at) >= req.now).order_by(col(Meeting.starts_at)).limit(
        MEETING_LIMIT))).all()
    parts = [f'<section id="meetings"><h2>{escape(req.t("vpage-meetings"))}</h2>']
    if rows:
        parts.append('<ul class="plain">' + "".join(
            f'<li><div class="when">{escape(moment(m.starts_at, req.locale))}'
            f"{escape(_lunar(req, m))}"
            f'{" · " + escape(m.place) if m.place else ""}</div>{text_html(m.topic)}</li>'
            for m in rows) + "</ul>")
    else:
        parts.append(f'<p class="empty">{escape(req.t("vpage-no-meetings"))}</p>')
    path = f"/v/{req.village.code}/lich.ics"
    absolute = req.absolute(path)
    links = []
    if absolute:
        webcal = "webcal://" + absolute.split("://", 1)[1]
        links.append(f"<a{attrs(href=webcal)}>{escape(req.t('vpage-calendar-subscribe'))}</a>")
    links.append(f"<a{attrs(href=absolute or path)}>{escape(req.t('vpage-calendar-file'))}</a>")
    parts.append(f'<p class="links">{"".join(links)}</p></section>')
    summary = req.t("vpage-summary-meetings", count=len(rows)) if rows else None
    return [PageSection(key="meetings", html="".join(parts), summary=summary)]
