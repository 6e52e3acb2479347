"""The village page's projects: progress, a donate block (bank, account, VietQR, copy button),
the photo timeline (small WebP variants with ``srcset``, lazy below the fold) and the ledger;
and the project's VietQR image ``/v/<mã thôn>/<mã công trình>/vietqr.png``."""

from __future__ import annotations

import asyncio
from functools import lru_cache
from html import escape
from typing import Any

from aiohttp import web

from bot.core.router import Router
from bot.core.services import Services
from bot.db import repo
from bot.media import PAGE_WIDTHS, MediaStore, variant_size
from bot.qrimage import QR_BORDER, QR_ERROR, qr_png
from bot.text.money import format_vnd
from bot.web.sections import PageRequest, PageSection, attrs, day, text_html
from handlers.projects import queries as projects_repo
from handlers.projects.models import Project
from handlers.projects.vietqr import build_vietqr_payload, find_bank

UPDATE_LIMIT = 30
EAGER_PHOTOS = 2
"""The first photos of the page load at once (they may be on the first screen); others lazily."""
QR_SCALE = 4
THUMB_SIZES = "(min-width: 760px) 172px, 43vw"
"""Displayed width of a thumbnail: 2 columns on a phone, 4 in the 760 px column."""

router = Router("projects-page")


def percent_text(total: int, target: int | None) -> str | None:
    """Share of the target reached, as text: ``<1`` for a little above nothing; None: no target."""
    if not target:
        return None
    if 0 < total * 100 < target:
        return "<1"
    return str(max(0, total * 100 // target))


def memo_of(project: Project) -> str:
    """The transfer memo printed and encoded in the VietQR."""
    return f"UNG HO {project.code.upper()}"


class _Photos:
    """Renders thumbnails, counting them so only the first few load eagerly."""

    def __init__(self, store: MediaStore) -> None:
        self.store = store
        self.count = 0

    def html(self, name: str, caption: str) -> str:
        store = self.store
        size = store.dimensions(name)
        if size is None:
            return ""
        self.count += 1
        small = store.variant_name(name, PAGE_WIDTHS[0], "webp")
        widths = {variant_size(size, w)[0]: w for w in reversed(PAGE_WIDTHS)}  # no duplicates
        srcset = ", ".join(f"/media/{store.variant_name(name, w, 'webp')} {real}w"
                           for real, w in sorted(widths.items()))
        width, height = variant_size(size, PAGE_WIDTHS[0])
        lazy = "lazy" if self.count > EAGER_PHOTOS else None
        big = store.variant_name(name, PAGE_WIDTHS[-1], "webp")
        return (f"<a{attrs(href=f'/media/{big}')}><img{attrs(src=f'/media/{small}')}"
                f"{attrs(srcset=srcset, sizes=THUMB_SIZES, width=width, height=height)}"
                f"{attrs(alt=caption, loading=lazy, decoding='async')}></a>")


def _media_html(view: projects_repo.UpdateView, t: Any, photos: _Photos) -> str:
    items = []
    for item in view.media:
        caption = item.caption or view.update.text or t("vpage-photo")
        if item.name is None:
            items.append(f'<p class="empty">{escape(t("vpage-video-elsewhere"))}</p>')
        elif item.kind == "video":
            items.append(f'<video controls preload="none"{attrs(src=f"/media/{item.name}")}'
                         f"{attrs(aria_label=caption)}></video>")
        else:
            items.append(photos.html(item.name, caption))
    return f'<div class="photos">{"".join(items)}</div>' if items else ""


def _donate_html(req: PageRequest, project: Project) -> str:
    t = req.t
    bank = find_bank(project.bank_bin or "")
    account = project.bank_account or ""
    qr = f"/v/{req.village.code}/{project.code}/vietqr.png"
    side = _qr_side(project)
    facts = [(t("vpage-donate-bank"), bank.short_name if bank else project.bank_bin or ""),
             (t("vpage-donate-account"), account),
             (t("vpage-donate-holder"), project.account_holder or ""),
             (t("vpage-donate-memo"), memo_of(project))]
    dl = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in facts)
    button = (f'<button type="button" class="copy"'
              f"{attrs(data_copy=account, data_done=t('vpage-donate-copied'))}"
              f"{attrs(data_failed=t('vpage-donate-copy-failed'))}>"
              f"{escape(t('vpage-donate-copy'))}</button>")
    return (f'<h3>{escape(t("vpage-donate"))}</h3><div class="donate">'
            f"<img{attrs(src=qr, width=side, height=side)}"
            f"{attrs(alt=t('vpage-donate-qr-alt', name=project.name), loading='lazy')}>"
            f"<dl>{dl}</dl>{button}</div>")


def _qr_payload(project: Project) -> str:
    assert project.bank_bin and project.bank_account
    return build_vietqr_payload(project.bank_bin, project.bank_account, None, memo_of(project))


def _qr_side(project: Project) -> int:
    return _qr_side_of(_qr_payload(project))


@lru_cache(maxsize=256)
def _qr_side_of(payload: str) -> int:
    import segno

    width, _ = segno.make(payload, error=QR_ERROR, micro=False).symbol_size(
        scale=QR_SCALE, border=QR_BORDER)
    return int(width)


@lru_cache(maxsize=64)
def _qr_png_of(payload: str) -> bytes:
    return qr_png(payload, scale=QR_SCALE)


async def _project_section(req: PageRequest, project: Project, photos: _Photos
                           ) -> PageSection:
    t, locale, session = req.t, req.locale, req.session
    pid = project.id or 0
    updates = await projects_repo.timeline(session, project_id=pid, limit=UPDATE_LIMIT)
    ledger = await projects_repo.ledger(session, project_id=pid)
    total = await projects_repo.ledger_total(session, project_id=pid)
    trusted = await projects_repo.account_trusted(session, project=project,
                                                  admins=req.services.admins)
    progress = t("vpage-progress", percent=project.progress)
    out = [f'<section id="p-{escape(project.code)}"><h2>{escape(project.name)}</h2>',
           f'<div class="bar" role="img"{attrs(aria_label=progress)}><span style="width:'
           f'{max(0, min(100, project.progress))}%"></span></div>',
           f'<p class="facts">{escape(progress)}']
    raised = format_vnd(total, locale)
    percent = percent_text(total, project.budget_target)
    if project.budget_target and percent is not None:
        out.append(" · " + escape(t("vpage-raised-of", raised=raised, percent=percent,
                                    target=format_vnd(project.budget_target, locale))))
    else:
        out.append(" · " + escape(t("vpage-raised", raised=raised)))
    out.append("</p>")
    if trusted:
        out.append(_donate_html(req, project))
    out.append(f"<h3>{escape(t('vpage-timeline'))}</h3>")
    if not updates:
        out.append(f'<p class="empty">{escape(t("vpage-no-updates"))}</p>')
    image = None
    for view in updates:
        u = view.update
        when = day(u.created_at) + (f" · {u.percent}%" if u.percent is not None else "")
        out.append(f'<div class="update" id="u{u.id}"><div class="when">{escape(when)}</div>'
                   f"<div>{text_html(u.text)}</div>{_media_html(view, t, photos)}</div>")
        if image is None:
            image = next((f"/media/{photos.store.send_name(m.name)}" for m in view.media
                          if m.name and m.kind == "photo"), None)
    out.append(f"<h3>{escape(t('vpage-ledger'))}</h3>")
    out.append(_ledger_html(ledger, total, t, locale))
    out.append("</section>")
    summary = t("vpage-summary-project", name=project.name, percent=project.progress,
                raised=raised)
    return PageSection(key=f"p-{project.code}", html="".join(out), image=image,
                       summary=summary)


def _ledger_html(ledger: list[projects_repo.LedgerLine], total: int, t: Any, locale: str
                 ) -> str:
    if not ledger:
        return f'<p class="empty">{escape(t("vpage-no-gifts"))}</p>'
    rows = []
    for line in ledger:
        d = line.donation
        if d.amount < 0:
            who = t("vpage-correction", ref=line.reverses_number or "-", reason=d.note)
            cls = ' class="corr"'
        else:
            who = t("vpage-anonymous") if d.anonymous else d.donor_name
            cls = ""
        rows.append(f"<tr{cls}><td>{line.number}</td><td>{escape(who)}<div class=\"when\">"
                    f"{escape(day(d.created_at))}</div></td>"
                    f'<td class="amt">{escape(format_vnd(d.amount, locale))}</td></tr>')
    head = (f"<thead><tr><th>#</th><th>{escape(t('vpage-donor'))}</th>"
            f'<th class="amt">{escape(t("vpage-amount"))}</th></tr></thead>')
    foot = (f'<tfoot><tr><td></td><td>{escape(t("vpage-total"))}</td><td class="amt" '
            f'data-total="{total}">{escape(format_vnd(total, locale))}</td></tr>'
            "</tfoot>")
    return f'<table class="ledger">{head}<tbody>{"".join(rows)}</tbody>{foot}</table>'


@router.page_section
async def projects_sections(req: PageRequest) -> list[PageSection]:
    """One section per project, oldest first."""
    projects = await projects_repo.projects_of(req.session, village_id=req.village.id or 0)
    if not projects:
        return [PageSection(key="projects", html=f'<section><p class="empty">'
                            f'{escape(req.t("vpage-no-projects"))}</p></section>')]
    photos = _Photos(req.services.media)
    return [await _project_section(req, p, photos) for p in projects]


@router.web
def vietqr_route(app: web.Application, services: Services) -> None:
    """``/v/<village>/<project>/vietqr.png``: only for an account a current official set."""

    async def vietqr(request: web.Request) -> web.Response:
        async with services.db.session() as session:
            village = await repo.village_by_code(session, request.match_info["code"])
            project = village and await projects_repo.project_by_code(
                session, village_id=village.id or 0, code=request.match_info["project"])
            if not project or not await projects_repo.account_trusted(
                    session, project=project, admins=services.admins):
                raise web.HTTPNotFound()
        png = await asyncio.to_thread(_qr_png_of, _qr_payload(project))
        return web.Response(body=png, content_type="image/png",
                            headers={"Cache-Control": "public, max-age=300"})

    app.router.add_get("/v/{code}/{project}/vietqr.png", vietqr)
