"""The village page's notices: the latest notices sent to the whole village."""

from __future__ import annotations

from html import escape

from sqlmodel import col, select

from bot.core.router import Router
from bot.web.sections import PageRequest, PageSection, moment, text_html
from handlers.announce.models import SENT, Notice

NOTICE_LIMIT = 5

router = Router("announce-page")


@router.page_section
async def notices_section(req: PageRequest) -> list[PageSection]:
    """Sent notices for the whole village (no tag-narrowed ones), newest first."""
    vid = req.village.id or 0
    rows = (await req.session.exec(select(Notice).where(
        Notice.status == SENT, Notice.tags == "",
        (col(Notice.village_id) == vid) | col(Notice.commune).is_(True)).order_by(
        col(Notice.sent_at).desc()).limit(NOTICE_LIMIT))).all()
    parts = [f'<section id="notices"><h2>{escape(req.t("vpage-notices"))}</h2>']
    if rows:
        parts.append('<ul class="plain">' + "".join(
            f'<li><div class="when">{escape(moment(n.sent_at or n.created_at))}</div>'
            f"{text_html(n.text)}</li>" for n in rows) + "</ul>")
    else:
        parts.append(f'<p class="empty">{escape(req.t("vpage-no-notices"))}</p>')
    parts.append("</section>")
    return [PageSection(key="notices", html="".join(parts))]
