"""Part of the meetings feature: /nhacdinhky, /caidat nhac, the ICS feed and the reminder start.

Its own :class:`Router`, included in the ``meetings`` feature router by ``__init__``.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from aiohttp import web

from bot.core.context import Context
from bot.core.router import Role, Router
from bot.core.services import Services
from bot.db import drafts, repo
from bot.db.sequences import next_number
from bot.runtime.leader import LeaderScheduler
from bot.text.fold import fold
from bot.text.numbers import db_id, parse_number
from bot.text.recurrence import RecurrenceStatus, next_occurrence, parse_recurrence
from bot.text.timeparse import format_when, parse_offsets
from handlers.meetings import queries as mrepo
from handlers.meetings.ics import build_calendar, feed_window_start
from handlers.meetings.models import RecurringNotice
from handlers.meetings.render import duration

log = logging.getLogger(__name__)

MAX_OFFSETS = 5
KIND_RECURRING = "recurring"
DELETE_WORDS = ("xoa", "delete", "del")


router = Router("meetings-extra")


# ---------------------------------------------------------------------------- start-up


@router.on_start
async def start_reminders(services: Services) -> None:
    """Own the reminder scheduler; rebuild it from the database."""
    # Only the elected leader runs it (PostgreSQL advisory lock; on SQLite always this process):
    # a new leader rebuilds from the database, and firing is a conditional UPDATE, never twice.
    # Imported here: the scheduler engine imports this feature's rules (a cycle at import time).
    from scheduler import ReminderScheduler, ReminderService

    scheduler = LeaderScheduler(ReminderScheduler(ReminderService(services), services.clock),
                                services.db)
    services.scheduler = scheduler
    await scheduler.start()


def _poke(ctx: Context, when: datetime | None) -> None:
    sched = ctx.services.scheduler
    if sched is not None:
        sched.poke(when)


# ---------------------------------------------------------------------------- /caidat nhac


def _offsets_text(ctx: Context, offsets: list[timedelta]) -> str:
    return ", ".join(duration(ctx.t, o) for o in offsets)


@router.setting("nhac")
async def caidat_nhac(ctx: Context, args: str) -> None:
    """``/caidat nhac 24h,2h,15p``: this village's reminder offsets (recomputes pending ones)."""
    village = ctx.village
    if village is None:
        await ctx.say("error-no-village")
        return
    if not ctx.is_official_of(village.id):
        await ctx.say("error-official-only")
        return
    if not args.strip():
        await ctx.say("caidat-nhac-show", village=village.name,
                      offsets=_offsets_text(ctx, mrepo.village_offsets(village)))
        return
    offsets = parse_offsets(args)
    if offsets is None or len(offsets) > MAX_OFFSETS:
        await ctx.say("caidat-nhac-usage")
        return
    village.settings = {**(village.settings or {}),
                        "reminder_offsets": [int(o.total_seconds()) for o in offsets]}
    ctx.session.add(village)
    times = []
    for meeting in await mrepo.future_meetings(ctx.session, village_id=village.id or 0,
                                               now=ctx.now):
        rows = await mrepo.replace_reminders(ctx.session, meeting=meeting, offsets=offsets,
                                             now=ctx.now)
        times += [r.fire_at for r in rows]
    await repo.audit(ctx.session, now=ctx.now, action="caidat-nhac", person_id=ctx.person.id,
                     village_id=village.id, detail=args[:200])
    if times:
        _poke(ctx, min(times))
    await ctx.say("caidat-nhac-done", village=village.name, offsets=_offsets_text(ctx, offsets))


# ---------------------------------------------------------------------------- /nhacdinhky


@router.command("nhacdinhky", "nhac_dinh_ky", "nhac-dinh-ky", role=Role.OFFICIAL,
                help_key="help-nhacdinhky", usage_key="nhacdinhky-usage")
async def recurring(ctx: Context) -> None:
    """Create (``<when> | <text>``), list (no argument) or delete (``xoa <n>``)."""
    village = ctx.village
    if village is None:
        await ctx.say("error-no-village")
        return
    args = ctx.args.strip()
    notices = await mrepo.recurring_list(ctx.session, village_id=village.id or 0)
    if not args:
        if not notices:
            await ctx.say("nhacdinhky-none", village=village.name)
            return
        lines = [ctx.t("nhacdinhky-item", n=n.number or "?", text=n.text, when=format_when(
            n.next_fire_at, ctx.locale) if n.next_fire_at else "-") for n in notices]
        lines.append(ctx.t("nhacdinhky-footer"))
        await ctx.reply("\n".join(lines), title=ctx.t("nhacdinhky-title", village=village.name))
        return
    first, _, rest = args.partition(" ")
    if fold(first) in DELETE_WORDS:
        number = rest.strip().lstrip("#")
        picked = parse_number(number)
        notice = (await mrepo.recurring_by_number(ctx.session, village_id=village.id or 0,
                                                  number=db_id(picked))
                  if picked is not None else None)
        if notice is None or not notice.active:
            await ctx.say("nhacdinhky-not-found", n=number or "?")
            return
        notice.active = False
        await repo.audit(ctx.session, now=ctx.now, action="nhacdinhky-xoa",
                         person_id=ctx.person.id, village_id=village.id,
                         detail=f"#{notice.number}")
        await ctx.say("nhacdinhky-deleted", n=notice.number, text=notice.text)
        return
    await _preview_recurring(ctx, args)


async def _preview_recurring(ctx: Context, args: str) -> None:
    """Show the understood rule, first time and text; ``/xacnhan`` creates it."""
    from handlers.meetings.commands import _preview

    assert ctx.village is not None
    rule_text, bar, text = args.partition("|")
    result = parse_recurrence(rule_text.strip(), ctx.now)
    if not bar:
        text = result.rest
    text = text.strip()
    if result.status is RecurrenceStatus.NO_TIME_OF_DAY:
        await ctx.say("nhacdinhky-no-time")
        return
    if result.status is not RecurrenceStatus.OK or not result.rrule or not text:
        await ctx.say("nhacdinhky-unparseable", text=rule_text.strip())
        return
    first = next_occurrence(result.rrule, ctx.now)
    if first is None:
        await ctx.say("nhacdinhky-unparseable", text=rule_text.strip())
        return
    body = ctx.t("nhacdinhky-preview-body", rule=rule_text.strip(), text=text[:2000],
                 when=format_when(first, ctx.locale))
    await _preview(ctx, ctx.village, kind=KIND_RECURRING, title=ctx.t("nhacdinhky-preview"),
                   lines=[body], payload={"rrule": result.rrule, "text": text[:2000]})


async def _create_recurring(ctx: Context, draft: drafts.PendingDraft) -> None:
    """``/xacnhan`` of a recurring notice: number it and plan its first sending."""
    rrule, text = str(draft.payload["rrule"]), str(draft.payload["text"])
    first = next_occurrence(rrule, ctx.now)
    if first is None:
        await ctx.say("nhacdinhky-unparseable", text=rrule)
        return
    vid = draft.village_id or 0
    notice = RecurringNotice(village_id=vid, rrule=rrule, text=text, created_by=ctx.person.id,
                             created_at=ctx.now, next_fire_at=first,
                             number=await next_number(ctx.session, village_id=vid,
                                                      kind="recurring"))
    ctx.session.add(notice)
    await ctx.session.flush()
    await repo.audit(ctx.session, now=ctx.now, action="nhacdinhky", person_id=ctx.person.id,
                     village_id=vid, detail=f"#{notice.number} {rrule}")
    _poke(ctx, first)
    await ctx.say("nhacdinhky-created", n=notice.number, text=notice.text,
                  when=format_when(first, ctx.locale))


# ---------------------------------------------------------------------------- ICS feed


@router.web
def setup_ics(app: web.Application, services: Services) -> None:
    """Serve ``/v/<village code>/lich.ics``."""

    async def feed(request: web.Request) -> web.Response:
        code = request.match_info["code"]
        async with services.db.session() as session:
            village = await repo.village_by_code(session, code)
            if village is None:
                raise web.HTTPNotFound(text="unknown village")
            meetings = await mrepo.feed_meetings(
                session, village_id=village.id or 0, since=feed_window_start(
                    services.clock.now()))
        locale = services.settings.default_locale
        body = build_calendar(
            meetings, name=services.i18n.t(locale, "meetings-ics-name", village=village.name),
            host=f"{village.code}.villagebot",
            summary_default=services.i18n.t(locale, "meetings-ics-summary"))
        return web.Response(body=body, content_type="text/calendar", charset="utf-8",
                            headers={"Content-Disposition":
                                     f'inline; filename="{village.code}.ics"'})

    app.router.add_get("/v/{code}/lich.ics", feed)


router.draft("recurring", confirm=_create_recurring)
