"""``/bieuquyet`` (preview, confirm), ``/chon``, ``/ketqua``, ``/dongbieuquyet``; deadlines."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core import drafts as confirming
from bot.core.context import Context
from bot.core.messenger import Button, OutMessage, SendError
from bot.core.router import Role, Router
from bot.core.services import Services
from bot.db import drafts, repo
from bot.db.models import Chat, Person, Village
from bot.db.sequences import next_number
from bot.db.villages import village_chats
from bot.delivery.outbox import fan_out
from bot.text.fold import fold
from bot.text.numbers import db_id, parse_number
from bot.text.timeparse import WhenStatus, format_when, parse_when
from handlers.households.models import LINKED, Household, HouseholdMember
from handlers.polls.models import CANCELLED, CLOSED, DRAFT, OPEN, Poll, Vote
from handlers.polls.parse import MAX_OPTIONS, MIN_OPTIONS, choice_index, parse_poll

router = Router("polls")

KIND = "poll"


async def _poll(session: AsyncSession, village_id: int, number: int | None) -> Poll | None:
    if number is None:
        return None
    return (await session.exec(select(Poll).where(Poll.village_id == village_id,
                                                  Poll.number == db_id(number)))).first()


async def _counts(session: AsyncSession, poll: Poll) -> list[int]:
    rows = (await session.exec(select(Vote.option, func.count()).where(
        Vote.poll_id == poll.id).group_by(col(Vote.option)))).all()
    got = dict(rows)
    return [int(got.get(i, 0)) for i in range(len(poll.options))]


def _results_text(t, poll: Poll, counts: list[int]) -> str:  # type: ignore[no-untyped-def]
    total = sum(counts)
    lines = [t("poll-results-head", n=poll.number, question=poll.question, total=total,
               unit=t("poll-unit-household" if poll.per_household else "poll-unit-person"))]
    for i, (option, count) in enumerate(zip(poll.options, counts, strict=True), start=1):
        pct = round(100 * count / total) if total else 0
        lines.append(t("poll-results-line", i=i, option=option, count=count, pct=pct))
    return "\n".join(lines)


def _vote_buttons(t, poll: Poll, counts: list[int]) -> tuple[tuple[Button, ...], ...]:  # type: ignore[no-untyped-def]
    return tuple((Button(t("poll-button", option=o, count=c), f"pv:{poll.id}:{i}"),)
                 for i, (o, c) in enumerate(zip(poll.options, counts, strict=True)))


def _poll_render(services: Services, poll: Poll, village: Village, counts: list[int]):  # type: ignore[no-untyped-def]
    def render(chat: Chat) -> OutMessage:
        locale = services.i18n.resolve(chat.locale or services.settings.default_locale)

        def t(key: str, **args: object) -> str:
            return services.i18n.t(locale, key, **args)

        messenger = services.messenger(chat.platform)
        lines = [t("poll-option", i=i, option=o) for i, o in enumerate(poll.options, start=1)]
        if poll.deadline_at is not None:
            lines.append(t("poll-deadline", when=format_when(poll.deadline_at, locale)))
        lines.append(t("poll-how-household" if poll.per_household else "poll-how-person"))
        lines.append(t("poll-how-vote", n=poll.number))
        buttons = (_vote_buttons(t, poll, counts)
                   if messenger is not None and messenger.capabilities.buttons else ())
        return OutMessage(text="\n".join(lines), buttons=buttons,
                          title=t("poll-title", n=poll.number, village=village.name,
                                  question=poll.question))

    return render


def _results_render(services: Services, poll: Poll, counts: list[int]):  # type: ignore[no-untyped-def]
    def render(chat: Chat) -> OutMessage:
        locale = services.i18n.resolve(chat.locale or services.settings.default_locale)
        return OutMessage(text=_results_text(
            lambda k, **a: services.i18n.t(locale, k, **a), poll, counts),
            title=services.i18n.t(locale, "poll-closed-title", n=poll.number))

    return render


# ---------------------------------------------------------------- create, preview, confirm


@router.command("bieuquyet", "poll", role=Role.OFFICIAL, help_key="help-bieuquyet",
                usage_key="usage-bieuquyet")
async def create(ctx: Context) -> None:
    """``/bieuquyet <câu hỏi> | <lựa chọn> | … [| hạn <khi nào>] [| moi ho 1 phieu]``."""
    village = ctx.village
    if village is None or village.id is None:
        await ctx.say("error-no-village")
        return
    word, _, rest = ctx.args.strip().partition(" ")
    if fold(word) in ("xacnhan", "huy"):
        await (_confirm if fold(word) == "xacnhan" else _cancel)(ctx, parse_number(rest))
        return
    args = parse_poll(ctx.args)
    if args is None:
        await ctx.say("usage-bieuquyet")
        return
    if not MIN_OPTIONS <= len(args.options) <= MAX_OPTIONS:
        await ctx.say("poll-option-count", count=len(args.options), min=MIN_OPTIONS,
                      max=MAX_OPTIONS)
        return
    if len({fold(o) for o in args.options}) != len(args.options):
        await ctx.say("poll-option-twice")
        return
    deadline: datetime | None = None
    if args.deadline_text is not None:
        when = parse_when(args.deadline_text, ctx.now)
        if when.status is not WhenStatus.OK or when.when is None:
            await ctx.say("poll-bad-deadline", text=args.deadline_text)
            return
        deadline = when.when
    number = await next_number(ctx.session, village_id=village.id, kind=KIND)
    poll = Poll(village_id=village.id, number=number, author_id=ctx.person.id or 0,
                question=args.question, options=args.options,
                per_household=args.per_household, anonymous=args.anonymous,
                deadline_at=deadline, created_at=ctx.now, expires_at=ctx.now + drafts.DRAFT_TTL)
    ctx.session.add(poll)
    await ctx.session.flush()
    draft = await drafts.put(ctx.session, village_id=village.id, person_id=ctx.person.id or 0,
                             kind=KIND, ref_id=poll.id, payload={}, now=ctx.now)
    chats = await village_chats(ctx.session, village.id)
    groups = sum(1 for c in chats if c.is_group)
    lines = [ctx.t("poll-option", i=i, option=o) for i, o in enumerate(poll.options, start=1)]
    lines.append(ctx.t("poll-preview-mode-household" if poll.per_household
                       else "poll-preview-mode-person"))
    if poll.anonymous:
        lines.append(ctx.t("poll-preview-anonymous"))
    lines.append(ctx.t("poll-deadline", when=format_when(deadline, ctx.locale))
                 if deadline else ctx.t("poll-no-deadline"))
    lines.append(ctx.t("poll-preview-audience", groups=groups, people=len(chats) - groups))
    lines.append(ctx.t("poll-preview-hint", draft=draft.number,
                       until=drafts.expires_text(draft, ctx.services.settings.tz)))
    buttons: tuple[tuple[Button, ...], ...] = ()
    if ctx.messenger.capabilities.buttons:
        buttons = ((Button(ctx.t("poll-button-send"), f"pl:ok:{poll.id}"),
                    Button(ctx.t("poll-button-cancel"), f"pl:no:{poll.id}")),)
    await ctx.reply("\n".join(lines), buttons=buttons,
                    title=ctx.t("poll-preview-title", n=number, question=poll.question))


async def _pending(ctx: Context, number: int | None, poll_id: int | None = None
                   ) -> drafts.PendingDraft | None:
    """The person's pending poll draft (by poll number or id, or the latest), else say so."""
    if poll_id is None and number is not None and ctx.village is not None:
        found = await _poll(ctx.session, ctx.village.id or 0, number)
        poll_id = found.id if found is not None else 0
    draft = None
    if poll_id is not None:
        draft = await drafts.by_ref(ctx.session, kind=KIND, ref_id=poll_id)
        if draft is not None:
            draft = await drafts.find(ctx.session, person_id=ctx.person.id or 0, now=ctx.now,
                                      draft_id=draft.id)
    else:
        draft = await drafts.find(ctx.session, person_id=ctx.person.id or 0, now=ctx.now,
                                  kind=KIND)
    if draft is None:
        await ctx.say("poll-no-draft")
    return draft


async def _confirm(ctx: Context, number: int | None, poll_id: int | None = None) -> None:
    """``/bieuquyet xacnhan [n]`` and the ``pl:ok`` button: the shared ``/xacnhan``."""
    draft = await _pending(ctx, number, poll_id)
    if draft is not None:
        await confirming.confirm(ctx, draft)


async def _cancel(ctx: Context, number: int | None, poll_id: int | None = None) -> None:
    """``/bieuquyet huy [n]`` and the ``pl:no`` button: the shared ``/huy``."""
    draft = await _pending(ctx, number, poll_id)
    if draft is not None:
        await confirming.drop(ctx, draft)


async def _send_poll(ctx: Context, draft: drafts.PendingDraft) -> None:
    """``/xacnhan`` of a poll preview: open it and send it to every chat of the village."""
    poll = await ctx.session.get(Poll, draft.ref_id or 0)
    if poll is None or poll.status != DRAFT:
        await ctx.say("poll-no-draft")
        return
    village = await ctx.session.get(Village, poll.village_id)
    assert village is not None
    chats = await village_chats(ctx.session, poll.village_id)
    if not chats:
        await ctx.say("poll-no-audience")
        return
    poll.status, poll.opened_at = OPEN, ctx.now
    ctx.session.add(poll)
    await fan_out(ctx.session, ctx.services, chats,
                  _poll_render(ctx.services, poll, village, [0] * len(poll.options)),
                  kind=KIND, ref_id=poll.id, dedupe_key=f"poll:{poll.id}",
                  author_id=ctx.person.id)
    await repo.audit(ctx.session, now=ctx.now, action="bieuquyet", person_id=ctx.person.id,
                     village_id=poll.village_id, detail=f"#{poll.number} {poll.question}"[:500])
    if poll.deadline_at is not None and ctx.services.scheduler is not None:
        deadline = poll.deadline_at
        scheduler = ctx.services.scheduler

        async def poke() -> None:  # after the commit: the scheduler reads the saved poll
            scheduler.poke(deadline)

        ctx.after_commit(poke)
    await ctx.say("poll-sent", n=poll.number, count=len(chats))


async def _drop_poll(ctx: Context, draft: drafts.PendingDraft) -> None:
    poll = await ctx.session.get(Poll, draft.ref_id or 0)
    if poll is not None and poll.status == DRAFT:
        poll.status = CANCELLED
        ctx.session.add(poll)
    await ctx.say("poll-cancelled", n=poll.number if poll is not None else draft.number)


router.draft(KIND, confirm=_send_poll, drop=_drop_poll)


@router.on_button("pl", role=Role.OFFICIAL)
async def preview_button(ctx: Context) -> None:
    """The preview's Send / Cancel buttons (``pl:ok:<poll id>``): ``/xacnhan`` / ``/huy``."""
    parts = (ctx.msg.button or "").split(":")
    if ctx.msg.callback_id:
        await ctx.messenger.answer_button(ctx.msg.callback_id)
    poll_id = parse_number(parts[2]) if len(parts) > 2 else None
    if poll_id is None:
        return
    await (_confirm if parts[1] == "ok" else _cancel)(ctx, None, poll_id)


# ---------------------------------------------------------------- voting


async def _vote(ctx: Context, poll: Poll, option: int) -> tuple[str, dict[str, object]]:
    """Record the vote; the reply key and its arguments."""
    if poll.status != OPEN or (poll.deadline_at is not None and ctx.now >= poll.deadline_at):
        return "poll-closed", {"n": poll.number}
    household_id = None
    if poll.per_household:
        link = (await ctx.session.exec(select(HouseholdMember).where(
            HouseholdMember.village_id == poll.village_id,
            HouseholdMember.person_id == ctx.person.id,
            HouseholdMember.status == LINKED))).first()
        if link is None:
            return "poll-need-household", {"n": poll.number}
        household_id = link.household_id
    key = f"h:{household_id}" if household_id is not None else f"p:{ctx.person.id}"
    vote = (await ctx.session.exec(select(Vote).where(Vote.poll_id == poll.id,
                                                      Vote.voter_key == key))).first()
    replaced = vote is not None
    if vote is None:
        vote = Vote(poll_id=poll.id or 0, voter_key=key, person_id=ctx.person.id or 0,
                    household_id=household_id, option=option, at=ctx.now)
    vote.option, vote.person_id, vote.at = option, ctx.person.id or 0, ctx.now
    ctx.session.add(vote)
    await ctx.session.commit()
    key_name = "poll-voted-again" if replaced else "poll-voted"
    if household_id is not None:
        key_name += "-household"
    return key_name, {"n": poll.number, "option": poll.options[option]}


@router.command("chon", "vote", help_key="help-chon", usage_key="usage-chon")
async def choose(ctx: Context) -> None:
    """``/chon <n> <lựa chọn>``: vote (a new vote replaces yours / your household's)."""
    village = ctx.village
    if village is None or village.id is None:
        await ctx.say("error-no-village")
        return
    word, _, rest = ctx.args.strip().partition(" ")
    poll = await _poll(ctx.session, village.id, parse_number(word))
    if poll is None or poll.status in (DRAFT, CANCELLED):
        await ctx.say("poll-not-found" if word else "usage-chon", n=word)
        return
    option = choice_index(rest, poll.options) if rest.strip() else None
    if option is None:
        await ctx.say("poll-bad-choice", n=poll.number, count=len(poll.options),
                      options=", ".join(f"{i}. {o}" for i, o in enumerate(poll.options, 1)))
        return
    key, args = await _vote(ctx, poll, option)
    await ctx.say(key, **args)


@router.on_button("pv")
async def vote_button(ctx: Context) -> None:
    """A vote button under the poll: record it, update this message's live counts."""
    parts = (ctx.msg.button or "").split(":")
    poll_id = parse_number(parts[1]) if len(parts) > 2 else None
    option = parse_number(parts[2]) if len(parts) > 2 else None
    poll = await ctx.session.get(Poll, db_id(poll_id)) if poll_id is not None else None
    if poll is None or option is None or option >= len(poll.options):
        if ctx.msg.callback_id:
            await ctx.messenger.answer_button(ctx.msg.callback_id)
        return
    key, args = await _vote(ctx, poll, option)
    if ctx.msg.callback_id:
        await ctx.messenger.answer_button(ctx.msg.callback_id, ctx.t(key, **args))
    if key.startswith("poll-voted"):
        counts = await _counts(ctx.session, poll)
        try:
            await ctx.messenger.edit_buttons(ctx.msg.chat.id, ctx.msg.message_id,
                                             _vote_buttons(ctx.t, poll, counts))
        except SendError:
            pass  # the count shows on the next press or with /ketqua


# ---------------------------------------------------------------- results


@router.command("ketqua", "results", help_key="help-ketqua", usage_key="usage-ketqua")
async def results(ctx: Context) -> None:
    """``/ketqua <n>``: counts; officials in a private chat also see who voted (not anonymous)."""
    village = ctx.village
    if village is None or village.id is None:
        await ctx.say("error-no-village")
        return
    poll = await _poll(ctx.session, village.id, parse_number(ctx.args))
    if poll is None or poll.status in (DRAFT, CANCELLED):
        await ctx.say("poll-not-found" if ctx.args.strip() else "usage-ketqua",
                      n=ctx.args.strip())
        return
    counts = await _counts(ctx.session, poll)
    text = _results_text(ctx.t, poll, counts)
    if poll.status == OPEN:
        text += "\n" + ctx.t("poll-still-open")
    if not poll.anonymous and ctx.msg.is_private and ctx.is_official_of(poll.village_id):
        rows = (await ctx.session.exec(select(Vote, Person).join(
            Person, col(Person.id) == Vote.person_id).where(Vote.poll_id == poll.id)
            .order_by(col(Vote.at)))).all()
        homes = {h.id: h for h in (await ctx.session.exec(select(Household).where(
            col(Household.id).in_([v.household_id for v, _ in rows if v.household_id]))))
                 .all()} if poll.per_household else {}
        for vote, person in rows:
            home = homes.get(vote.household_id)
            text += "\n" + ctx.t("poll-voter-household" if home else "poll-voter",
                                 name=person.display_name, option=poll.options[vote.option],
                                 n=home.number if home else 0,
                                 head=home.head_name if home else "")
    await ctx.reply(text)


async def _close_and_post(session: AsyncSession, services: Services, poll: Poll,
                          now: datetime) -> bool:
    """Close an open poll once (conditional UPDATE) and queue its results to every chat."""
    claimed = await session.exec(update(Poll).where(
        col(Poll.id) == poll.id, col(Poll.status) == OPEN).values(status=CLOSED,
                                                                   closed_at=now))
    if claimed.rowcount != 1:
        return False
    counts = await _counts(session, poll)
    chats = await village_chats(session, poll.village_id)
    await fan_out(session, services, chats, _results_render(services, poll, counts),
                  kind="poll-result", ref_id=poll.id, dedupe_key=f"poll-result:{poll.id}")
    return True


@router.command("dongbieuquyet", "closepoll", role=Role.OFFICIAL, help_key="help-dongbieuquyet",
                usage_key="usage-dongbieuquyet")
async def close(ctx: Context) -> None:
    """``/dongbieuquyet <n>``: close poll n now and post its results to every chat."""
    village = ctx.village
    if village is None or village.id is None:
        await ctx.say("error-no-village")
        return
    poll = await _poll(ctx.session, village.id, parse_number(ctx.args))
    if poll is None or poll.status in (DRAFT, CANCELLED):
        await ctx.say("poll-not-found" if ctx.args.strip() else "usage-dongbieuquyet",
                      n=ctx.args.strip())
        return
    if not await _close_and_post(ctx.session, ctx.services, poll, ctx.now):
        await ctx.say("poll-already-closed", n=poll.number)
        return
    await repo.audit(ctx.session, now=ctx.now, action="dongbieuquyet", person_id=ctx.person.id,
                     village_id=poll.village_id, detail=f"#{poll.number}")
    await ctx.session.commit()
    await ctx.say("poll-closed-now", n=poll.number)


async def next_deadline(services: Services) -> datetime | None:
    """The earliest deadline of an open poll (the scheduler wakes up then)."""
    async with services.db.session() as session:
        return (await session.exec(select(func.min(Poll.deadline_at)).where(
            Poll.status == OPEN))).first()


async def close_due(services: Services, now: datetime) -> int:
    """Close every open poll whose deadline passed and post its results (once each)."""
    closed = 0
    async with services.db.session() as session:
        due = (await session.exec(select(Poll).where(
            Poll.status == OPEN, col(Poll.deadline_at).is_not(None),
            col(Poll.deadline_at) <= now))).all()
        for poll in due:
            closed += await _close_and_post(session, services, poll, now)
        await session.commit()
    return closed


router.due("poll-deadlines", next_deadline, close_due)
