"""Resident reports (phản ánh): /phananh (/report), /phananhcuatoi, and the officials'
/xuly, /xong, /tuchoi, their buttons, /caidat phananh and the public list /v/<mã>/phananh.

A report is sent with ``/phananh <nội dung>`` (with photos, replying to photos, or as a photo
captioned ``#phananh …``; an album's other photos join it), gets the village's next stable
number, and reaches the officials' private chats through the outbox.  Each official step is
told to the reporter in their private chat; the group where it was reported hears when it is
done.  Platform reach as for project photos: a captioned group photo that is not a command
reaches the bot on Telegram only when privacy mode is off or the bot is an admin, on Zalo only
when it mentions the bot; ``/phananh`` as the caption works everywhere.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.clock import to_local
from bot.core.context import Context
from bot.core.events import Attachment
from bot.core.messenger import OutMessage
from bot.core.router import Role, Router
from bot.core.services import Services
from bot.db import repo
from bot.db.models import Chat, Person, Village
from bot.db.sequences import next_number
from bot.db.villages import official_chats, private_chat_of
from bot.delivery.outbox import fan_out
from handlers.projects.media import KeepError, Kept, keep_attachment
from handlers.reports import queries as rq
from handlers.reports import render, schedule
from handlers.reports.models import (
    DOING,
    DONE,
    NEW,
    OPEN,
    PHOTO_REPORT,
    PHOTO_RESULT,
    REJECTED,
    Report,
    ReportPhoto,
)
from handlers.reports.page import setup_routes
from handlers.reports.parse import (
    DAYS_WORDS,
    HIDE_NAME_WORDS,
    HIDE_WORDS,
    LIMIT_WORDS,
    SHOW_NAME_WORDS,
    SHOW_WORDS,
    ReportText,
    caption_report,
    first_word,
    number_and_text,
    parse_report,
    text_key,
)
from handlers.reports.schedule import next_reminder, poke

log = logging.getLogger(__name__)

router = Router("reports")
router.due("phananh-stale", schedule.next_due, schedule.fire_due)

LOCATION_WINDOW = timedelta(minutes=30)
"""A location shared this long after a report is added to it."""
ALBUM_WAIT_SECONDS = 2.0
"""How long after an album's first photo the officials are told (its other photos join)."""
_TASKS: set[asyncio.Task[None]] = set()
MAX_DAYS = 30
MAX_LIMIT = 50
OPEN_LIST_LIMIT = 30


# ---------------------------------------------------------------- /phananh


@router.command("phananh", "phan_anh", "report", help_key="help-phananh",
                usage_key="reports-usage")
async def phananh(ctx: Context) -> None:
    """Report a problem; officials: no argument lists the open ones, ``an <n>`` hides one."""
    args = ctx.args.strip()
    attachments = _attachments(ctx)
    official = ctx.village is not None and ctx.is_official_of(ctx.village.id)
    word, rest = first_word(args)
    if not args and not attachments:
        await (_list_open(ctx) if official else ctx.say("reports-usage"))
        return
    if (word in HIDE_WORDS or word in SHOW_WORDS) and number_and_text(rest):
        if not official:
            await repo.audit(ctx.session, now=ctx.now, action="phananh-an", allowed=False,
                             person_id=ctx.person.id,
                             village_id=ctx.village.id if ctx.village else None,
                             detail=args[:500])
            await ctx.say("error-official-only")
            return
        await _hide(ctx, rest, hide=word in HIDE_WORDS)
        return
    if args.lstrip("#").isdigit() and not attachments:
        await _show(ctx, int(args.lstrip("#")))
        return
    await _new_report(ctx, parse_report(args), attachments)


@router.on_message(groups=True)
async def captioned_photo(ctx: Context) -> bool:
    """A photo captioned ``#phananh …``, or a later photo of a report's album."""
    msg = ctx.msg
    if not msg.attachments:
        return False
    text = caption_report(msg.text) if msg.text else None
    if text is not None:
        await _new_report(ctx, parse_report(text), msg.attachments)
        return True
    if not msg.album_id or msg.text:
        return False
    report = await rq.by_album(ctx.session, album_key=_album_key(ctx) or "")
    if report is None or report.person_id != ctx.person.id:
        return False
    kept = await _keep_all(ctx, msg.attachments)
    if kept is not None:
        _add_photos(ctx, report, kept, PHOTO_REPORT)
    return True


@router.on_message(groups=False)
async def shared_location(ctx: Context) -> bool:
    """A Telegram location shared soon after a report is added to the sender's latest one."""
    location = ctx.msg.location
    if location is None:
        return False
    report = await rq.latest_of(ctx.session, person_id=ctx.person.id or 0)
    if report is None or _aware(report.created_at) < ctx.now - LOCATION_WINDOW:
        if ctx.msg.is_private:
            await ctx.say("reports-location-unused")
            return True
        return False
    report.latitude, report.longitude = location
    ctx.session.add(report)
    await _commit(ctx)
    await ctx.say("reports-location-added", n=report.number)
    return True


def _attachments(ctx: Context) -> tuple[Attachment, ...]:
    if ctx.msg.attachments:
        return ctx.msg.attachments
    reply = ctx.msg.reply_to
    return reply.attachments if reply is not None else ()


def _album_key(ctx: Context) -> str | None:
    if not ctx.msg.album_id:
        return None
    return f"{ctx.msg.platform.value}:{ctx.msg.chat.id}:{ctx.msg.album_id}"


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


async def _keep_all(ctx: Context, attachments: tuple[Attachment, ...]) -> list[Kept] | None:
    """Store every photo now (Zalo's URLs expire), or answer why not and keep nothing."""
    limit = ctx.services.settings.max_photo_bytes
    kept: list[Kept] = []
    for att in attachments:
        if att.kind == "video":
            await ctx.say("reports-media-video")
            return None
        try:
            item = await keep_attachment(ctx.messenger, ctx.services.media, att, limit)
        except KeepError as exc:
            await ctx.say(f"reports-media-{exc.code}", mb=limit // (1024 * 1024))
            return None
        kept.append(item)
    return kept


def _add_photos(ctx: Context, report: Report, kept: list[Kept], stage: str) -> list[ReportPhoto]:
    photos = [ReportPhoto(report_id=report.id or 0, name=item.name or "", file_id=item.file_id,
                          stage=stage, created_at=ctx.now) for item in kept if item.name]
    ctx.session.add_all(photos)
    return photos


async def _commit(ctx: Context) -> None:
    """Say it only when it is saved: commit before the confirmation (the pipeline's own
    commit after the handler then has nothing left to do)."""
    await ctx.session.commit()


def _day_start(now: datetime) -> datetime:
    """Midnight of today in Vietnam (the daily limit counts from there)."""
    local = to_local(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)


async def _new_report(
    ctx: Context, parsed: ReportText, attachments: tuple[Attachment, ...]
) -> None:
    village = ctx.village
    if village is None:
        await ctx.say("reports-no-village")
        return
    if not parsed.text:
        await ctx.say("reports-need-text")
        return
    person_id = ctx.person.id or 0
    key = text_key(parsed.text)
    duplicate = await rq.recent_duplicate(ctx.session, village_id=village.id or 0,
                                          person_id=person_id, key=key, now=ctx.now)
    if duplicate is not None:
        kept = await _keep_all(ctx, attachments)
        if kept is None:
            return
        added = _add_photos(ctx, duplicate, kept, PHOTO_REPORT)
        await _commit(ctx)
        await ctx.say("reports-merged", n=duplicate.number, photos=len(added))
        return
    limit = rq.daily_limit(village)
    if await rq.count_since(ctx.session, person_id=person_id,
                            since=_day_start(ctx.now)) >= limit:
        await repo.audit(ctx.session, now=ctx.now, action="phananh-gioihan", allowed=False,
                         person_id=person_id, village_id=village.id, detail=parsed.text[:500])
        await ctx.say("reports-limit", limit=limit)
        return
    kept = await _keep_all(ctx, attachments)
    if kept is None:
        return
    location = ctx.msg.location or (ctx.msg.reply_to.location if ctx.msg.reply_to else None)
    number = await next_number(ctx.session, village_id=village.id, kind="report")
    report = Report(
        village_id=village.id or 0, number=number, person_id=person_id,
        text=parsed.text[:2000], text_key=key, place=parsed.place[:200], area=parsed.area,
        latitude=location[0] if location else None, longitude=location[1] if location else None,
        status=NEW, source_chat_id=ctx.chat.id, source_is_group=not ctx.msg.is_private,
        album_key=_album_key(ctx), created_at=ctx.now, acted_at=ctx.now)
    report.remind_at = next_reminder(report, rq.stale_days(village))
    ctx.session.add(report)
    await ctx.session.flush()
    photos = _add_photos(ctx, report, kept, PHOTO_REPORT)
    await repo.audit(ctx.session, now=ctx.now, action="phananh", person_id=person_id,
                     village_id=village.id, detail=f"#{number} {parsed.text}"[:500])
    if report.album_key is None:
        await ctx.session.flush()
        await alert_officials(ctx.session, ctx.services, report.id or 0)
    private = ctx.msg.is_private or await private_chat_of(ctx.session, ctx.person) is not None
    await _commit(ctx)
    poke(ctx.services, report.remind_at)
    if report.album_key is not None:
        task = asyncio.create_task(_alert_album_later(ctx.services, report.id or 0))
        _TASKS.add(task)
        task.add_done_callback(_TASKS.discard)
        await ctx.say("reports-saved-album", n=number, village=village.name)
    else:
        await ctx.say("reports-saved", n=number, village=village.name, photos=len(photos))
    await ctx.say("reports-saved-dm" if private else "reports-saved-no-dm", n=number)


async def alert_officials(session: AsyncSession, services: Services, report_id: int) -> int:
    """Queue the new report (with its photos so far) to the officials' private chats, once;
    return how many chats it goes to."""
    report = await session.get(Report, report_id)
    village = await session.get(Village, report.village_id) if report else None
    reporter = await session.get(Person, report.person_id) if report else None
    if report is None or village is None or reporter is None:
        return 0
    chats = await official_chats(session, village.id)
    if not chats:
        log.warning("report %s of village %s: no official has a private chat with the bot",
                    report.number, village.code)
        return 0
    source = await session.get(Chat, report.source_chat_id) if report.source_chat_id else None
    title = source.title if source is not None and report.source_is_group else None
    photos = (await rq.photos_of(session, report_ids=[report_id])).get(report_id, [])

    def alert(chat: Chat) -> OutMessage:
        t = render.translator(services, chat)
        label = title or t("reports-source-group" if report.source_is_group
                           else "reports-source-private")
        return render.official_alert(services, chat, report=report, village=village,
                                     reporter=reporter, photos=photos, source=label)

    await fan_out(session, services, chats, alert, kind="phananh-new", ref_id=report_id,
                  dedupe_key=f"phananh-new:{report_id}", author_id=reporter.id)
    return len(chats)


async def _alert_album_later(services: Services, report_id: int) -> None:
    """Wait for the album's other photos (on the injected clock), then alert the officials."""
    await services.clock.sleep(ALBUM_WAIT_SECONDS)
    try:
        async with services.db.session() as session:
            await alert_officials(session, services, report_id)
    except Exception:
        log.exception("alerting the officials of album report %s failed", report_id)


# ---------------------------------------------------------------- officials' list, detail, hide


async def _list_open(ctx: Context) -> None:
    village = ctx.village
    assert village is not None
    rows = await rq.open_reports(ctx.session, village_id=village.id or 0)
    if not rows:
        await ctx.say("reports-open-none", village=village.name)
        return
    lines = [render.list_line(ctx.t, r, ctx.now) for r in rows[:OPEN_LIST_LIMIT]]
    if len(rows) > OPEN_LIST_LIMIT:
        lines.append(ctx.t("reports-open-more", count=len(rows) - OPEN_LIST_LIMIT))
    lines.append(ctx.t("reports-open-footer", n=rows[0].number))
    await ctx.reply("\n".join(lines), title=ctx.t("reports-open-title", count=len(rows),
                                                   village=village.name))


async def _show(ctx: Context, number: int) -> None:
    """One report in full with its photos: for the village's officials and its reporter."""
    village = ctx.village
    report = None
    if village is not None:
        report = await rq.by_number(ctx.session, village_id=village.id or 0, number=number)
    if report is None:
        await ctx.say("reports-not-found", n=number)
        return
    if report.person_id != ctx.person.id and not ctx.is_official_of(report.village_id):
        await ctx.say("reports-not-yours", n=number)
        return
    photos = (await rq.photos_of(ctx.session, report_ids=[report.id or 0], stage=None)).get(
        report.id or 0, [])
    media, notes = render.photo_media(ctx.services, ctx.chat, photos, ctx.t)
    lines = [report.text, ctx.t("reports-alert-place", place=render.place_text(ctx.t, report)),
             ctx.t("reports-detail-status", status=render.status_text(ctx.t, report.status),
                   day=render.day_text(report.created_at),
                   age=render.age_text(ctx.t, report.created_at, ctx.now))]
    if report.note:
        lines.append(ctx.t("reports-you-note", note=report.note))
    official = ctx.is_official_of(report.village_id)
    if official and ctx.msg.is_private and (link := render.map_link(report)):
        lines.append(ctx.t("reports-alert-map", url=link))
    lines.extend(notes)
    await ctx.reply("\n".join(lines), media=media,
                    title=ctx.t("reports-detail-title", n=report.number))


async def _hide(ctx: Context, rest: str, *, hide: bool) -> None:
    village = ctx.village
    assert village is not None
    parsed = number_and_text(rest)
    assert parsed is not None
    report = await rq.by_number(ctx.session, village_id=village.id or 0, number=parsed[0])
    if report is None:
        await ctx.say("reports-not-found", n=parsed[0])
        return
    await _set_hidden(ctx, report, hide, parsed[1])


async def _set_hidden(ctx: Context, report: Report, hide: bool, reason: str) -> None:
    report.hidden = hide
    ctx.session.add(report)
    await repo.audit(ctx.session, now=ctx.now, action="phananh-an" if hide else "phananh-hien",
                     person_id=ctx.person.id, village_id=report.village_id,
                     detail=f"#{report.number} {reason}"[:500])
    await _commit(ctx)
    await ctx.say("reports-hidden" if hide else "reports-unhidden", n=report.number)


# ---------------------------------------------------------------- /xuly, /xong, /tuchoi


@router.command("xuly", "xu_ly", role=Role.OFFICIAL, help_key="help-xuly",
                usage_key="reports-usage-xuly")
async def xuly(ctx: Context) -> None:
    """``/xuly <n> <ghi chú>``: the report is being dealt with."""
    await _act(ctx, DOING, "reports-usage-xuly")


@router.command("xong", role=Role.OFFICIAL, help_key="help-xong", usage_key="reports-usage-xong")
async def xong(ctx: Context) -> None:
    """``/xong <n> <kết quả>`` (optionally with or replying to a photo of the result)."""
    await _act(ctx, DONE, "reports-usage-xong")


@router.command("tuchoi", "tu_choi", role=Role.OFFICIAL, help_key="help-tuchoi",
                usage_key="reports-usage-tuchoi")
async def tuchoi(ctx: Context) -> None:
    """``/tuchoi <n> <lý do>``: the report will not be acted on, and why."""
    await _act(ctx, REJECTED, "reports-usage-tuchoi")


async def _act(ctx: Context, status: str, usage: str) -> None:
    village = ctx.village
    if village is None:
        await ctx.say("error-no-village")
        return
    parsed = number_and_text(ctx.args)
    if parsed is None:
        await ctx.say(usage)
        return
    number, note = parsed
    attachments = _attachments(ctx) if status == DONE else ()
    if not note and (status == REJECTED or (status == DONE and not attachments)):
        await ctx.say(usage)
        return
    report = await rq.by_number(ctx.session, village_id=village.id or 0, number=number)
    if report is None:
        await ctx.say("reports-not-found", n=number)
        return
    kept = await _keep_all(ctx, attachments) if attachments else []
    if kept is None:
        return
    await apply_status(ctx, report, status, note, kept)


async def apply_status(
    ctx: Context, report: Report, status: str, note: str, kept: list[Kept]
) -> None:
    """Move a report to ``status``, tell the reporter (and the group when done), answer."""
    if report.status not in OPEN:
        await ctx.say("reports-already-closed", n=report.number,
                      status=render.status_text(ctx.t, report.status))
        return
    village = await ctx.session.get(Village, report.village_id)
    assert village is not None
    report.status, report.handled_by, report.acted_at = status, ctx.person.id, ctx.now
    if note:
        report.note = note[:2000]
    if status in OPEN:
        report.remind_at = next_reminder(report, rq.stale_days(village))
    else:
        report.closed_at, report.remind_at = ctx.now, None
    ctx.session.add(report)
    photos = _add_photos(ctx, report, kept, PHOTO_RESULT)
    action = {DOING: "xuly", DONE: "xong", REJECTED: "tuchoi"}[status]
    await repo.audit(ctx.session, now=ctx.now, action=action, person_id=ctx.person.id,
                     village_id=report.village_id, detail=f"#{report.number} {note}"[:500])
    told = await _tell_reporter(ctx, report, village, photos)
    if status == DONE:
        await _tell_group(ctx, report)
    await _commit(ctx)
    poke(ctx.services, report.remind_at)
    await ctx.say(f"reports-acted-{status}", n=report.number)
    await ctx.say("reports-reporter-told" if told else "reports-reporter-not-told")


async def _tell_reporter(
    ctx: Context, report: Report, village: Village, photos: list[ReportPhoto]
) -> bool:
    reporter = await ctx.session.get(Person, report.person_id)
    chat = await private_chat_of(ctx.session, reporter) if reporter is not None else None
    if chat is None:
        return False
    services = ctx.services
    await fan_out(ctx.session, services, [chat],
                  lambda c: render.reporter_update(services, c, report=report, village=village,
                                                   photos=photos),
                  kind="phananh-status", ref_id=report.id,
                  dedupe_key=f"phananh-status:{report.id}:{report.status}:{ctx.now.isoformat()}")
    return True


async def _tell_group(ctx: Context, report: Report) -> None:
    if not report.source_is_group or report.source_chat_id is None:
        return
    chat = await ctx.session.get(Chat, report.source_chat_id)
    if chat is None or not chat.active:
        return
    services = ctx.services
    await fan_out(ctx.session, services, [chat],
                  lambda c: render.group_done(services, c, report=report),
                  kind="phananh-done", ref_id=report.id, dedupe_key=f"phananh-done:{report.id}")


@router.on_button("rp", role=Role.OFFICIAL)
async def button(ctx: Context) -> None:
    """``rp:doing:<id>`` (take it on) and ``rp:hide:<id>`` (hide it from the public page)."""
    _prefix, action, ident = [*(ctx.msg.button or "").split(":"), "", ""][:3]
    report = await ctx.session.get(Report, int(ident)) if ident.isdigit() else None
    if ctx.msg.callback_id:
        await ctx.messenger.answer_button(ctx.msg.callback_id)
    if report is None:
        await ctx.say("reports-button-stale")
        return
    if not ctx.is_official_of(report.village_id):
        await repo.audit(ctx.session, now=ctx.now, action=f"rp-{action}"[:64], allowed=False,
                         person_id=ctx.person.id, village_id=report.village_id,
                         detail=ctx.msg.button or "")
        await ctx.say("error-official-only")
        return
    if action == "doing":
        await apply_status(ctx, report, DOING, "", [])
    elif action == "hide":
        await _set_hidden(ctx, report, True, "")
    else:
        await ctx.say("reports-button-stale")


# ---------------------------------------------------------------- /phananhcuatoi


@router.command("phananhcuatoi", "phan_anh_cua_toi", "myreports", help_key="help-phananhcuatoi",
                usage_key="reports-usage-mine")
async def phananhcuatoi(ctx: Context) -> None:
    """Your reports and their status; ``<n> hienten|anten`` shows/hides your name publicly."""
    args = ctx.args.strip()
    person_id = ctx.person.id or 0
    if not args:
        rows = await rq.reports_of(ctx.session, person_id=person_id)
        if not rows:
            await ctx.say("reports-mine-none")
            return
        lines = [render.mine_line(ctx.t, r) for r in rows]
        lines.append(ctx.t("reports-mine-footer", n=rows[0].number))
        await ctx.reply("\n".join(lines), title=ctx.t("reports-mine-title", count=len(rows)))
        return
    parsed = number_and_text(args)
    word = first_word(parsed[1])[0] if parsed else ""
    if parsed is None or word not in SHOW_NAME_WORDS | HIDE_NAME_WORDS:
        await ctx.say("reports-usage-mine")
        return
    number = parsed[0]
    mine = [r for r in await rq.reports_of(ctx.session, person_id=person_id, limit=1000)
            if r.number == number]
    if ctx.village is not None:
        mine = [r for r in mine if r.village_id == ctx.village.id] or mine
    if not mine:
        other = ctx.village is not None and await rq.by_number(
            ctx.session, village_id=ctx.village.id or 0, number=number) is not None
        if other:
            await repo.audit(ctx.session, now=ctx.now, action="phananh-ten", allowed=False,
                             person_id=person_id, village_id=ctx.village.id if ctx.village
                             else None, detail=args[:500])
        await ctx.say("reports-not-yours" if other else "reports-not-found", n=number)
        return
    report = mine[0]
    report.show_name = word in SHOW_NAME_WORDS
    ctx.session.add(report)
    await _commit(ctx)
    await ctx.say("reports-name-shown" if report.show_name else "reports-name-hidden",
                  n=report.number)


# ---------------------------------------------------------------- /caidat phananh


@router.setting("phananh")
async def caidat_phananh(ctx: Context, args: str) -> None:
    """``/caidat phananh 3`` (remind after 3 untouched days), ``/caidat phananh toida 5``."""
    village = ctx.village
    if village is None:
        await ctx.say("error-no-village")
        return
    if not ctx.is_official_of(village.id):
        await repo.audit(ctx.session, now=ctx.now, action="caidat", allowed=False,
                         person_id=ctx.person.id, village_id=village.id,
                         detail=f"phananh {args}"[:500])
        await ctx.say("error-official-only")
        return
    word, rest = first_word(args)
    if not args:
        await ctx.say("reports-setting-show", village=village.name, days=rq.stale_days(village),
                      limit=rq.daily_limit(village))
        return
    if word.isdigit():
        word, rest = "nhac", word
    value = int(rest) if rest.isdigit() else 0
    if word in DAYS_WORDS and 1 <= value <= MAX_DAYS:
        setting = rq.SETTING_STALE_DAYS
    elif word in LIMIT_WORDS and 1 <= value <= MAX_LIMIT:
        setting = rq.SETTING_DAILY_LIMIT
    else:
        await ctx.say("reports-setting-usage")
        return
    village.settings = {**(village.settings or {}), setting: value}
    ctx.session.add(village)
    if setting == rq.SETTING_STALE_DAYS:
        rows = await rq.reschedule_open(ctx.session, village_id=village.id or 0,
                                        remind_at=lambda r: next_reminder(r, value))
        times = [r.remind_at for r in rows if r.remind_at is not None]
        poke(ctx.services, min(times) if times else None)
    await repo.audit(ctx.session, now=ctx.now, action="caidat-phananh", person_id=ctx.person.id,
                     village_id=village.id, detail=f"{setting}={value}")
    await _commit(ctx)
    await ctx.say("reports-setting-saved", village=village.name, days=rq.stale_days(village),
                  limit=rq.daily_limit(village))


# ---------------------------------------------------------------- public page


router.web(setup_routes)
