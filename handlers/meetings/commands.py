"""Meetings: /taohop, /huyhop, /doihop, /lich-hop, RSVP, /diemdanh; reminders start here too.

Recurring notices, ``/caidat nhac`` and the ICS feed live in :mod:`handlers.meetings.extra`
(registered on this same router).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from bot.core.context import Context
from bot.core.messenger import Button, OutMessage, SendError
from bot.core.router import ReachQuery, Role, Router
from bot.core.services import Scheduler, Services
from bot.db import drafts, repo
from bot.db.models import Chat, Village
from bot.db.read_cache import ReadCache
from bot.db.sequences import next_number
from bot.text.command_vocab import MEETINGS_WORDS
from bot.text.fold import fold
from bot.text.numbers import db_id, parse_number, split_number
from bot.text.timeparse import EXAMPLES_VI, WhenResult, WhenStatus, format_when, parse_when
from handlers.meetings import queries as mrepo
from handlers.meetings.models import (
    MEETING_CANCELLED,
    MEETING_SCHEDULED,
    RSVP_NO,
    RSVP_YES,
    Meeting,
    MeetingDraft,
)
from handlers.meetings.place_parse import guess_splits
from handlers.meetings.render import (
    Translate,
    announcement,
    cancelled,
    meeting_fields,
    moved,
    rsvp_buttons,
    when_with_lunar,
)

log = logging.getLogger(__name__)
router = Router("meetings")

KIND_CREATE, KIND_MOVE, KIND_CANCEL = "meeting-create", "meeting-move", "meeting-cancel"
MAX_PLACE = 255
MAX_TOPIC = 1000


# ---------------------------------------------------------------------------- helpers


def _number(args: str) -> tuple[int | None, str]:
    """Split ``"2 <new time>"`` into (2, "<new time>")."""
    return split_number(args)


def _scheduler(ctx: Context) -> Scheduler | None:
    return ctx.services.scheduler


def _poke(ctx: Context, times: list[datetime]) -> None:
    sched = _scheduler(ctx)
    if sched is not None and times:
        sched.poke(min(times))


def _chat_t(ctx: Context, chat: Chat) -> tuple[Translate, str, bool]:
    """Translator, locale and "has buttons" for another chat."""
    services = ctx.services
    locale = services.i18n.resolve(chat.locale or services.settings.default_locale)
    messenger = services.messenger(chat.platform)

    def t(key: str, **args: object) -> str:
        return services.i18n.t(locale, key, **args)

    return t, locale, bool(messenger and messenger.capabilities.buttons)


async def _notify(
    ctx: Context, meeting: Meeting, build: Callable[[Translate, str, bool], OutMessage],
    *, kind: str, dedupe_key: str,
) -> int:
    """Queue a message for every chat of the meeting's village (this one included).

    Going through the outbox also for this chat keeps one tracked copy per chat, whose RSVP
    buttons are refreshed with live counts.
    """
    from bot.db.villages import village_chats
    from bot.delivery.outbox import fan_out

    chats = await village_chats(ctx.session, meeting.village_id)
    if not chats:
        return 0

    def render(chat: Chat) -> OutMessage:
        return build(*_chat_t(ctx, chat))

    await fan_out(ctx.session, ctx.services, chats, render, kind=kind, ref_id=meeting.id,
                  dedupe_key=dedupe_key, author_id=ctx.person.id)
    return len(chats)


def _has_buttons(ctx: Context) -> bool:
    return ctx.messenger.capabilities.buttons


async def _meeting_by_number(ctx: Context, command: str, *,
                             held_ok: bool = False) -> Meeting | None:
    """The meeting whose stable number is in ``ctx.args`` (chat's village); otherwise answer
    why not (no village, usage, unknown, cancelled, already held) and return None."""
    if ctx.village is None:
        await ctx.say("error-no-village")
        return None
    number, _ = _number(ctx.args)
    if number is None:
        await ctx.say("meeting-number-usage", command=command)
        return None
    return await _usable(ctx, await mrepo.by_number(
        ctx.session, village_id=ctx.village.id or 0, number=number), number, held_ok=held_ok)


async def _usable(ctx: Context, meeting: Meeting | None, number: int, *,
                  held_ok: bool = False) -> Meeting | None:
    """The meeting if it can still be answered, moved or cancelled; else say why not."""
    if meeting is None:
        await ctx.say("meeting-not-found", n=number)
        return None
    if meeting.status == MEETING_CANCELLED:
        await ctx.say("meeting-was-cancelled", n=number,
                      when=format_when(meeting.starts_at, ctx.locale))
        return None
    if not held_ok and mrepo.is_over(meeting, ctx.now):
        await ctx.say("meeting-was-held", n=number,
                      when=format_when(meeting.starts_at, ctx.locale))
        return None
    return meeting


async def _preview(ctx: Context, village: Village, *, kind: str, payload: dict[str, object],
                   title: str, lines: list[str], ref_id: int | None = None) -> None:
    """Show what would be sent and to whom, store it as a draft, and send nothing."""
    from bot.db.villages import village_chats

    chats = await village_chats(ctx.session, village.id or 0)
    draft = await drafts.put(ctx.session, village_id=village.id, person_id=ctx.person.id or 0,
                             kind=kind, payload=payload, now=ctx.now, ref_id=ref_id)
    lines = [*lines, "", ctx.t("draft-audience", who=drafts.audience_text(ctx.t, chats)),
             ctx.t("draft-confirm-hint", n=draft.number,
                   until=drafts.expires_text(draft, ctx.services.settings.tz))]
    buttons: tuple[tuple[Button, ...], ...] = ()
    if _has_buttons(ctx):
        buttons = ((Button(ctx.t("draft-button-send"), f"draft:ok:{draft.id}"),
                    Button(ctx.t("draft-button-cancel"), f"draft:no:{draft.id}")),)
    await ctx.reply("\n".join(lines), title=title, buttons=buttons)


async def _draft_village(ctx: Context, draft: drafts.PendingDraft) -> Village | None:
    village = await ctx.session.get(Village, draft.village_id or 0)
    if village is None:
        await ctx.say("error-no-village")
    return village


async def _ask_time(ctx: Context, text: str, status: WhenStatus, guess: datetime | None,
                    candidates: tuple[datetime, ...], result: WhenResult | None = None) -> None:
    """The question for a time that must not be guessed."""
    example = EXAMPLES_VI[0]
    if status is WhenStatus.UNCLEAR and result is not None:
        seen = ctx.t("when-unclear-guess", when=format_when(guess, ctx.locale)) if guess else ""
        await _ask(ctx, "when-unclear", understood=result.understood or "-", guess=seen,
                   unused=" ".join(result.unused), example=example)
    elif status is WhenStatus.NO_TIME_OF_DAY and guess is not None:
        await _ask(ctx, "when-no-time", day=format_when(guess, ctx.locale).rsplit(" ", 2)[0],
                   example=example)
    elif status is WhenStatus.AMBIGUOUS and guess is not None:
        options = ctx.t("when-or").join(format_when(c, ctx.locale) for c in candidates)
        await _ask(ctx, "when-ambiguous", text=text, options=options or format_when(
            guess, ctx.locale), guess=format_when(guess, ctx.locale), example=example)
    elif status is WhenStatus.IN_PAST and guess is not None:
        await _ask(ctx, "when-past", when=format_when(guess, ctx.locale), example=example)
    else:
        await _ask(ctx, "when-unparseable", text=text,
                   examples="\n".join(f"• {e}" for e in EXAMPLES_VI))


async def _ask(ctx: Context, key: str, **args: object) -> None:
    """A question the official answers (a ForceReply on Telegram, so it works in groups)."""
    await ctx.reply(ctx.t(key, **args), force_reply=True)


# ---------------------------------------------------------------------------- /taohop


@router.command("taohop", "tao_hop", "tao-hop", role=Role.OFFICIAL, help_key="help-taohop",
                usage_key="taohop-usage")
async def create_meeting(ctx: Context) -> None:
    """Create a meeting from ``<when> | <where> | <topic>``, or start a step-by-step draft."""
    if ctx.village is None:
        await ctx.say("error-no-village")
        return
    args = ctx.args.strip()
    if not args:
        await _save_draft(ctx, None, None, None)
        await ctx.reply(ctx.t("taohop-ask-when", example=EXAMPLES_VI[0]), force_reply=True)
        return
    parts = [p.strip() for p in args.split("|")]
    place = parts[1][:MAX_PLACE] or None if len(parts) > 1 else None
    topic = " | ".join(parts[2:])[:MAX_TOPIC] or None if len(parts) > 2 else None
    result = parse_when(parts[0], ctx.now)
    if result.status is WhenStatus.UNPARSEABLE:
        await mrepo.delete_draft(ctx.session, chat_id=ctx.chat.id or 0,
                                 person_id=ctx.person.id or 0)
        await _ask_time(ctx, parts[0], result.status, None, ())
        return
    if result.status is not WhenStatus.OK:
        await _save_draft(ctx, None, place, topic)
        await _ask_time(ctx, parts[0], result.status, result.when, result.candidates,
                        result)
        return
    leftover = result.rest.strip(" |,.-")
    if leftover and len(parts) == 1:  # no "|": ask which words are the place, not guess
        await _ask_split(ctx, result.when, leftover[:MAX_TOPIC])  # type: ignore[arg-type]
        return
    if leftover:
        if place is None:
            place = leftover[:MAX_PLACE]
        elif topic is None:
            topic = leftover[:MAX_TOPIC]
    await _continue(ctx, result.when, place, topic)


async def _save_draft(ctx: Context, starts_at: datetime | None, place: str | None,
                      topic: str | None, meeting_id: int | None = None,
                      rest: str | None = None) -> MeetingDraft:
    assert ctx.village is not None
    return await mrepo.save_draft(
        ctx.session, chat_id=ctx.chat.id or 0, person_id=ctx.person.id or 0,
        village_id=ctx.village.id or 0, now=ctx.now, starts_at=starts_at, place=place,
        topic=topic, meeting_id=meeting_id, rest=rest)


def _splits(rest: str) -> list[tuple[str, str | None]]:
    return list(guess_splits(rest)) or [(rest, None)]


async def _ask_split(ctx: Context, starts_at: datetime, rest: str) -> None:
    """Offer the guessed place/topic splits of ``rest`` as numbered choices (and buttons)."""
    await _save_draft(ctx, starts_at, None, None, rest=rest)
    splits = _splits(rest)
    options = "\n".join(ctx.t("taohop-split-option", n=i, place=place, topic=topic or "?")
                        for i, (place, topic) in enumerate(splits, 1))
    text = ctx.t("taohop-split-ask", when=format_when(starts_at, ctx.locale), rest=rest,
                 options=options)
    if _has_buttons(ctx):
        buttons = tuple((Button(ctx.t("taohop-split-button", place=place, topic=topic or "?"),
                                f"split:{i}"),) for i, (place, topic) in enumerate(splits, 1))
        await ctx.reply(text, buttons=buttons)
    else:
        await ctx.reply(text, force_reply=True)


async def _answer_split(ctx: Context, draft: MeetingDraft, text: str) -> None:
    """A choice number, or the place typed out (the rest of the words is then the topic)."""
    splits = _splits(draft.rest or "")
    choice = text.strip().lstrip("#")
    if choice.isdigit() and 1 <= int(choice) <= len(splits):
        place, topic = splits[int(choice) - 1]
    else:
        place, topic = text[:MAX_PLACE], None
        rest = draft.rest or ""
        if fold(rest).startswith(fold(text)) and len(text.split()) < len(rest.split()):
            topic = " ".join(rest.split()[len(text.split()):])
    await _continue(ctx, draft.starts_at, place, topic)


@router.on_button("split", role=Role.OFFICIAL)
async def split_button(ctx: Context) -> None:
    """``split:<n>``: the official picked one of the guessed place/topic splits."""
    if ctx.msg.callback_id:
        await ctx.messenger.answer_button(ctx.msg.callback_id)
    draft = await mrepo.get_draft(ctx.session, chat_id=ctx.chat.id or 0,
                                  person_id=ctx.person.id or 0, now=ctx.now)
    if draft is None or draft.rest is None or draft.starts_at is None or ctx.village is None:
        await ctx.say("draft-none")
        return
    await _answer_split(ctx, draft, (ctx.msg.button or "").partition(":")[2])


async def _continue(ctx: Context, starts_at: datetime | None, place: str | None,
                    topic: str | None) -> None:
    """Ask for the next missing part, or create the meeting when nothing is missing."""
    if starts_at is None or place is None or topic is None:
        await _save_draft(ctx, starts_at, place, topic)
        when = format_when(starts_at, ctx.locale) if starts_at else None
        key = "taohop-ask-when" if starts_at is None else (
            "taohop-ask-place" if place is None else "taohop-ask-topic")
        text = ctx.t(key, example=EXAMPLES_VI[0])
        if when:
            text = ctx.t("taohop-understood", when=when) + "\n" + text
        await ctx.reply(text, force_reply=True)
        return
    await mrepo.delete_draft(ctx.session, chat_id=ctx.chat.id or 0, person_id=ctx.person.id or 0)
    assert ctx.village is not None
    shown = Meeting(village_id=ctx.village.id or 0, starts_at=starts_at, place=place,
                    topic=topic, created_at=ctx.now, updated_at=ctx.now)
    await _preview(ctx, ctx.village, kind=KIND_CREATE, payload={
        "starts_at": starts_at.isoformat(), "place": place, "topic": topic},
        title=ctx.t("meeting-preview-create", village=ctx.village.name),
        lines=meeting_fields(ctx.t, ctx.locale, shown))


async def _create(ctx: Context, draft: drafts.PendingDraft) -> None:
    """``/xacnhan`` of a new meeting: number it, plan its reminders, tell every chat."""
    village = await _draft_village(ctx, draft)
    if village is None:
        return
    now = ctx.now
    starts_at = datetime.fromisoformat(str(draft.payload["starts_at"]))
    if starts_at <= now:
        await ctx.say("when-past", when=format_when(starts_at, ctx.locale),
                      example=EXAMPLES_VI[0])
        return
    place, topic = str(draft.payload.get("place") or ""), str(draft.payload.get("topic") or "")
    meeting = Meeting(village_id=village.id or 0, starts_at=starts_at, place=place,
                      topic=topic, created_by=ctx.person.id, created_at=now, updated_at=now,
                      number=await next_number(ctx.session, village_id=village.id,
                                               kind="meeting"))
    ctx.session.add(meeting)
    await ctx.session.flush()
    reminders = await mrepo.replace_reminders(
        ctx.session, meeting=meeting, offsets=mrepo.village_offsets(village), now=now)
    number = meeting.number
    count = await _notify(
        ctx, meeting, lambda t, loc, btn: announcement(
            t, loc, meeting, village=village.name, number=number, counts=(0, 0), buttons=btn),
        kind="meeting", dedupe_key=f"meeting:{meeting.id}:created")
    await repo.audit(ctx.session, now=now, action="taohop", person_id=ctx.person.id,
                     village_id=village.id, detail=f"#{number} {starts_at.isoformat()}")
    _poke(ctx, [r.fire_at for r in reminders])
    await ctx.reply("\n".join([
        ctx.t("meeting-created", n=number, when=format_when(starts_at, ctx.locale),
              place=place), ctx.t("meeting-sent-to", count=count)]))


@router.on_message(groups=False)
async def draft_answer(ctx: Context) -> bool:
    """A reply that completes a /taohop or /doihop draft of this person in this chat."""
    text = (ctx.msg.text or "").strip()
    if not text or text.startswith("/") or ctx.person.id is None or ctx.chat.id is None:
        return False
    if not (ctx.roles or ctx.is_admin):
        return False  # only officials create drafts: no query for everyone else's messages
    draft = await mrepo.get_draft(ctx.session, chat_id=ctx.chat.id, person_id=ctx.person.id,
                                  now=ctx.now)
    if draft is None and ctx.msg.is_private:  # started in a group, answered in the DM
        draft = await mrepo.latest_draft(ctx.session, person_id=ctx.person.id, now=ctx.now)
        if draft is not None:
            draft.chat_id = ctx.chat.id
    if draft is None or not ctx.is_official_of(draft.village_id):
        return False
    if ctx.village is None or ctx.village.id != draft.village_id:
        ctx.village = await ctx.session.get(Village, draft.village_id)
    if draft.starts_at is None:
        result = parse_when(text, ctx.now)
        if result.status is not WhenStatus.OK:
            await _ask_time(ctx, text, result.status, result.when, result.candidates,
                            result)
            return True
        if draft.meeting_id is not None:
            meeting = await ctx.session.get(Meeting, draft.meeting_id)
            await mrepo.delete_draft(ctx.session, chat_id=ctx.chat.id, person_id=ctx.person.id)
            if meeting is None or meeting.status != MEETING_SCHEDULED:
                await ctx.say("rsvp-closed")
            else:
                await _preview_move(ctx, meeting, result.when)  # type: ignore[arg-type]
            return True
        await _continue(ctx, result.when, draft.place, draft.topic)
    elif draft.place is None and draft.rest:
        await _answer_split(ctx, draft, text)
    elif draft.place is None:
        await _continue(ctx, draft.starts_at, text[:MAX_PLACE], draft.topic)
    else:
        await _continue(ctx, draft.starts_at, draft.place, text[:MAX_TOPIC])
    return True


@router.stop_flow
async def stop_draft(ctx: Context) -> bool:
    """``/huy`` ends this person's step-by-step /taohop or /doihop here (or any, in a DM)."""
    if ctx.person.id is None or ctx.chat.id is None:
        return False
    draft = await mrepo.get_draft(ctx.session, chat_id=ctx.chat.id, person_id=ctx.person.id,
                                  now=ctx.now)
    if draft is None and ctx.msg.is_private:
        draft = await mrepo.latest_draft(ctx.session, person_id=ctx.person.id, now=ctx.now)
    if draft is None:
        return False
    await ctx.session.delete(draft)
    await ctx.session.flush()
    return True


# ---------------------------------------------------------------------------- cancel / move


@router.command("huyhop", "huy_hop", "huy-hop", role=Role.OFFICIAL, help_key="help-huyhop",
                usage_key="meeting-number-usage")
async def cancel_meeting(ctx: Context) -> None:
    """Preview cancelling meeting n (as it is now); ``/xacnhan`` tells every chat."""
    meeting = await _meeting_by_number(ctx, "huyhop")
    if meeting is None:
        return
    assert ctx.village is not None
    await _preview(ctx, ctx.village, kind=KIND_CANCEL, ref_id=meeting.id,
                   payload={"meeting_id": meeting.id, "version": meeting.version},
                   title=ctx.t("meeting-preview-cancel", n=meeting.number),
                   lines=meeting_fields(ctx.t, ctx.locale, meeting))


async def _draft_meeting(ctx: Context, draft: drafts.PendingDraft) -> Meeting | None:
    """The meeting a move/cancel draft is about, if unchanged since the preview."""
    meeting = await ctx.session.get(Meeting, int(draft.payload.get("meeting_id") or 0))
    if meeting is None:
        await ctx.say("draft-none")
        return None
    if await _usable(ctx, meeting, meeting.number or 0) is None:
        return None
    if meeting.version != draft.payload.get("version"):
        await ctx.say("meeting-changed-since", n=meeting.number)
        return None
    return meeting


async def _cancel(ctx: Context, draft: drafts.PendingDraft) -> None:
    village = await _draft_village(ctx, draft)
    meeting = await _draft_meeting(ctx, draft) if village is not None else None
    if village is None or meeting is None:
        return
    now = ctx.now
    meeting.status, meeting.updated_at = MEETING_CANCELLED, now
    meeting.version += 1
    await mrepo.skip_pending(ctx.session, meeting_id=meeting.id or 0)
    count = await _notify(
        ctx, meeting, lambda t, loc, _b: cancelled(t, loc, meeting, village=village.name),
        kind="meeting", dedupe_key=f"meeting:{meeting.id}:cancelled")
    await repo.audit(ctx.session, now=now, action="huyhop", person_id=ctx.person.id,
                     village_id=village.id, detail=f"#{meeting.number}")
    await ctx.reply("\n".join([
        ctx.t("meeting-cancelled-done", n=meeting.number,
              when=format_when(meeting.starts_at, ctx.locale)),
        ctx.t("meeting-sent-to", count=count)]))


@router.command("doihop", "doi_hop", "doi-hop", role=Role.OFFICIAL, help_key="help-doihop",
                usage_key="doihop-usage")
async def move_meeting(ctx: Context) -> None:
    """Preview moving meeting n; ``/xacnhan`` moves it, recomputes reminders, tells every chat."""
    if ctx.village is None:
        await ctx.say("error-no-village")
        return
    number, when_text = _number(ctx.args)
    if number is None or not when_text:
        await ctx.say("doihop-usage")
        return
    meeting = await _usable(ctx, await mrepo.by_number(
        ctx.session, village_id=ctx.village.id or 0, number=number), number)
    if meeting is None:
        return
    result = parse_when(when_text, ctx.now)
    if result.status is WhenStatus.UNPARSEABLE:
        await _ask_time(ctx, when_text, result.status, None, ())
        return
    if result.status is not WhenStatus.OK:
        await _save_draft(ctx, None, meeting.place, meeting.topic, meeting_id=meeting.id)
        await _ask_time(ctx, when_text, result.status, result.when, result.candidates,
                        result)
        return
    assert result.when is not None
    await _preview_move(ctx, meeting, result.when)


async def _preview_move(ctx: Context, meeting: Meeting, starts_at: datetime) -> None:
    assert ctx.village is not None
    lines = [ctx.t("meeting-preview-move-from", old=format_when(meeting.starts_at, ctx.locale)),
             ctx.t("meeting-preview-move-to", when=format_when(starts_at, ctx.locale)),
             *meeting_fields(ctx.t, ctx.locale, meeting)[1:]]
    await _preview(ctx, ctx.village, kind=KIND_MOVE, ref_id=meeting.id,
                   payload={"meeting_id": meeting.id, "version": meeting.version,
                            "starts_at": starts_at.isoformat()},
                   title=ctx.t("meeting-preview-move", n=meeting.number), lines=lines)


async def _move(ctx: Context, draft: drafts.PendingDraft) -> None:
    village = await _draft_village(ctx, draft)
    meeting = await _draft_meeting(ctx, draft) if village is not None else None
    if village is None or meeting is None:
        return
    now = ctx.now
    starts_at = datetime.fromisoformat(str(draft.payload["starts_at"]))
    if starts_at <= now:
        await ctx.say("when-past", when=format_when(starts_at, ctx.locale),
                      example=EXAMPLES_VI[0])
        return
    old_at = meeting.starts_at
    meeting.starts_at, meeting.version, meeting.updated_at = starts_at, meeting.version + 1, now
    reminders = await mrepo.replace_reminders(
        ctx.session, meeting=meeting, offsets=mrepo.village_offsets(village), now=now)
    number = meeting.number
    counts = (await mrepo.rsvp_counts(ctx.session, meeting_ids=[meeting.id or 0]))[meeting.id or 0]
    count = await _notify(
        ctx, meeting, lambda t, loc, btn: moved(
            t, loc, meeting, village=village.name, old=format_when(old_at, loc), number=number,
            counts=counts, buttons=btn),
        kind="meeting", dedupe_key=f"meeting:{meeting.id}:moved:{meeting.version}")
    await repo.audit(ctx.session, now=now, action="doihop", person_id=ctx.person.id,
                     village_id=village.id, detail=f"#{number} {starts_at.isoformat()}")
    _poke(ctx, [r.fire_at for r in reminders])
    await ctx.reply("\n".join([
        ctx.t("meeting-moved-done", n=number, old=format_when(old_at, ctx.locale),
              when=format_when(starts_at, ctx.locale)),
        ctx.t("meeting-sent-to", count=count)]))


# ---------------------------------------------------------------------------- /lich-hop


@router.command("lich_hop", "lich-hop", "lichhop", help_key="help-lich-hop",
                words=MEETINGS_WORDS)
async def list_meetings(ctx: Context) -> None:
    """List upcoming meetings of this chat's village, or show one in full."""
    if ctx.village is None:
        await ctx.say("error-no-village")
        return
    number, _ = _number(ctx.args)
    meetings, counts = await mrepo.listing(ctx.session, village_id=ctx.village.id or 0,
                                           now=ctx.now, cache=_listing_cache(ctx))
    link = _ics_link(ctx)
    if number is not None:
        meeting = await _usable(ctx, await mrepo.by_number(
            ctx.session, village_id=ctx.village.id or 0, number=number), number)
        if meeting is None:
            return
        yes, no = (await mrepo.rsvp_counts(ctx.session, meeting_ids=[meeting.id or 0]))[
            meeting.id or 0]
        lines = meeting_fields(ctx.t, ctx.locale, meeting)
        lines.append(ctx.t("meeting-field-rsvp", yes=yes, no=no))
        lines.append(ctx.t("meeting-rsvp-hint", n=number))
        if link:
            lines.append(ctx.t("meetings-ics", url=link))
        msg = announcement(ctx.t, ctx.locale, meeting, village=ctx.village.name, number=number,
                           counts=(yes, no), buttons=_has_buttons(ctx))
        await ctx.reply("\n".join(lines), title=ctx.t("meeting-detail-title", n=number),
                        buttons=msg.buttons)
        return
    if not meetings:
        text = ctx.t("meetings-none", village=ctx.village.name)
        await ctx.reply(text + ("\n" + ctx.t("meetings-ics", url=link) if link else ""))
        return
    items = []
    for meeting in meetings:
        yes, no = counts[meeting.id or 0]
        items.append(ctx.t("meetings-item", n=meeting.number or "?",
                           when=when_with_lunar(ctx.t, ctx.locale, meeting.starts_at),
                           place=meeting.place or "-", topic=meeting.topic or "-", yes=yes,
                           no=no))
    items.append(ctx.t("meetings-footer"))
    if link:
        items.append(ctx.t("meetings-ics", url=link))
    await ctx.reply("\n\n".join(items), title=ctx.t("meetings-title", village=ctx.village.name))


class MeetingListing:
    """The /lich-hop cache (PostgreSQL: live while other processes' changes are heard)."""

    def __init__(self, services: Services) -> None:
        self.cache = services.db.read_cache(mrepo.LISTING_TABLES, max_entries=1024)


def _listing_cache(ctx: Context) -> ReadCache:
    """The /lich-hop cache, created on first use."""
    return ctx.services.component(MeetingListing, lambda: MeetingListing(ctx.services)).cache


def _ics_link(ctx: Context) -> str | None:
    base = ctx.services.settings.public_base_url
    if not base or ctx.village is None:
        return None
    return f"{base}/v/{ctx.village.code}/lich.ics"


# ---------------------------------------------------------------------------- RSVP


async def _answer(ctx: Context, answer: str, command: str) -> None:
    meeting = await _meeting_by_number(ctx, command)
    if meeting is None:
        return
    number = meeting.number
    await mrepo.set_rsvp(ctx.session, meeting_id=meeting.id or 0, person_id=ctx.person.id or 0,
                         answer=answer, now=ctx.now)
    yes, no = (await mrepo.rsvp_counts(ctx.session, meeting_ids=[meeting.id or 0]))[
        meeting.id or 0]
    key = "rsvp-yes-done" if answer == RSVP_YES else "rsvp-no-done"
    await ctx.say(key, name=ctx.person.display_name or ctx.msg.sender.name or "-", n=number,
                  when=format_when(meeting.starts_at, ctx.locale), yes=yes, no=no)


@router.command("thamdu", "tham_du", "tham-du", help_key="help-thamdu")
async def attend(ctx: Context) -> None:
    """I will attend meeting n."""
    await _answer(ctx, RSVP_YES, "thamdu")


@router.command("vang", help_key="help-vang")
async def absent(ctx: Context) -> None:
    """I cannot attend meeting n."""
    await _answer(ctx, RSVP_NO, "vang")


@router.on_button("rsvp")
async def rsvp_button(ctx: Context) -> None:
    """``rsvp:yes:<id>`` / ``rsvp:no:<id>``: record, update the counts on the buttons."""
    parts = (ctx.msg.button or "").split(":")
    answer = parts[1] if len(parts) > 1 else ""
    raw_id = parts[2] if len(parts) > 2 else ""
    number = parse_number(raw_id)
    meeting = await ctx.session.get(Meeting, db_id(number)) if number is not None else None
    if (meeting is None or answer not in (RSVP_YES, RSVP_NO) or meeting.status !=
            MEETING_SCHEDULED or meeting.starts_at + mrepo.LIST_GRACE < ctx.now):
        await ctx.messenger.answer_button(ctx.msg.callback_id or "", ctx.t("rsvp-closed"))
        return
    await mrepo.set_rsvp(ctx.session, meeting_id=meeting.id or 0, person_id=ctx.person.id or 0,
                         answer=answer, now=ctx.now)
    yes, no = (await mrepo.rsvp_counts(ctx.session, meeting_ids=[meeting.id or 0]))[
        meeting.id or 0]
    toast = ctx.t("rsvp-toast-yes" if answer == RSVP_YES else "rsvp-toast-no", yes=yes, no=no)

    async def show() -> None:  # after the commit: the counts shown are the saved ones
        await ctx.messenger.answer_button(ctx.msg.callback_id or "", toast)
        if ctx.messenger.capabilities.edit:
            await _refresh_buttons(ctx, meeting, yes, no)

    ctx.after_commit(show)


async def _refresh_buttons(ctx: Context, meeting: Meeting, yes: int, no: int) -> None:
    """Live counts: the pressed message, plus this chat's copies of the meeting notices."""
    from bot.delivery.outbox import sent_items

    ids = {ctx.msg.message_id}
    for item in await sent_items(ctx.session, kind="meeting", ref_id=meeting.id or 0):
        if item.platform == ctx.msg.platform.value and item.chat_external_id == ctx.msg.chat.id:
            ids.update(str(i) for i in (item.message_ids or [])[-1:])
    buttons = rsvp_buttons(ctx.t, meeting.id or 0, yes, no)
    for message_id in sorted(ids):
        try:
            await ctx.messenger.edit_buttons(ctx.msg.chat.id, message_id, buttons)
        except SendError as exc:  # an old or deleted message: the toast already answered
            log.info("could not refresh RSVP buttons of %s: %s", message_id, exc)


@router.command("diemdanh", "diem_danh", "diem-danh", role=Role.OFFICIAL,
                help_key="help-diemdanh", usage_key="meeting-number-usage")
async def attendance(ctx: Context) -> None:
    """Who answered for meeting n."""
    meeting = await _meeting_by_number(ctx, "diemdanh", held_ok=True)
    if meeting is None:
        return
    number = meeting.number
    people = await mrepo.rsvp_people(ctx.session, meeting_id=meeting.id or 0)
    nobody = ctx.t("diemdanh-nobody")
    yes = [p.display_name or p.external_id for p, a in people if a == RSVP_YES]
    no = [p.display_name or p.external_id for p, a in people if a == RSVP_NO]
    lines = meeting_fields(ctx.t, ctx.locale, meeting)
    lines.append(ctx.t("diemdanh-yes", count=len(yes), names=", ".join(yes) or nobody))
    lines.append(ctx.t("diemdanh-no", count=len(no), names=", ".join(no) or nobody))
    lines += await ctx.services.commands.reach_lines(ctx.session, ctx.services, ReachQuery(
        kind="meeting", ref_id=meeting.id or 0, locale=ctx.locale))
    await ctx.reply("\n".join(lines), title=ctx.t("diemdanh-title", n=number))


router.draft(KIND_CREATE, confirm=_create)
router.draft(KIND_CANCEL, confirm=_cancel)
router.draft(KIND_MOVE, confirm=_move)
