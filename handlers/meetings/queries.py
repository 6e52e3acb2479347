"""Queries on the meeting tables (keyword-only, explicit session)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import Person, Village
from bot.db.read_cache import ReadCache
from bot.db.repo import detached
from bot.text.numbers import db_id
from handlers.meetings.models import (
    MEETING_SCHEDULED,
    REMINDER_PENDING,
    REMINDER_SKIPPED,
    RSVP_NO,
    RSVP_YES,
    Meeting,
    MeetingDraft,
    RecurringNotice,
    Reminder,
    Rsvp,
)

LIST_DAYS = 30
LIST_GRACE = timedelta(hours=2)  # a meeting under way stays in the list (and keeps its number)
DRAFT_TTL = timedelta(minutes=10)  # a step-by-step /taohop ends after 10 minutes of silence
DEFAULT_OFFSETS = (timedelta(days=1), timedelta(hours=1))


# Built once (a select costs more CPU to construct than to run on PostgreSQL); bound per call.
_UPCOMING = (select(Meeting).where(
    Meeting.village_id == bindparam("village_id"), Meeting.status == MEETING_SCHEDULED,
    Meeting.starts_at >= bindparam("since")).order_by(col(Meeting.starts_at), col(Meeting.id)))
_UPCOMING_UNTIL = (select(Meeting).where(
    Meeting.village_id == bindparam("village_id"), Meeting.status == MEETING_SCHEDULED,
    Meeting.starts_at >= bindparam("since"), Meeting.starts_at <= bindparam("until"))
    .order_by(col(Meeting.starts_at), col(Meeting.id)))
_COUNTS = (select(Rsvp.meeting_id, Rsvp.answer, func.count())
           .where(col(Rsvp.meeting_id).in_(bindparam("ids", expanding=True)))
           .group_by(col(Rsvp.meeting_id), col(Rsvp.answer)))


async def upcoming(
    session: AsyncSession, *, village_id: int, now: datetime, days: int | None = LIST_DAYS
) -> list[Meeting]:
    """Scheduled meetings from 2 hours ago to ``days`` ahead (None: any time ahead), by start
    time (the numbering)."""
    params: dict[str, object] = {"village_id": village_id, "since": now - LIST_GRACE}
    if days is not None:
        params["until"] = now + timedelta(days=days)
    query = _UPCOMING if days is None else _UPCOMING_UNTIL
    return list((await session.exec(query, params=params)).all())


LISTING_TABLES = frozenset({"meeting", "rsvp"})


async def listing(
    session: AsyncSession, *, village_id: int, now: datetime, cache: ReadCache
) -> tuple[list[Meeting], dict[int, tuple[int, int]]]:
    """The ``/lich-hop`` list and its RSVP counts, for reading only (copies when cached).

    The cache keeps every scheduled meeting from 2 hours before the time it was read onwards,
    a superset of the window at any later ``now``, which is cut here.
    """
    found = cache.get(village_id)
    if found is None or now < found[0]:
        generation = cache.generation
        meetings = await upcoming(session, village_id=village_id, now=now, days=None)
        counts = await rsvp_counts(session, meeting_ids=[m.id or 0 for m in meetings])
        found = (now, meetings, counts)
        cache.put(village_id, (now, [detached(m) for m in meetings], counts), generation)
    _read_at, meetings, counts = found
    last = now + timedelta(days=LIST_DAYS)
    return [m for m in meetings if now - LIST_GRACE <= m.starts_at <= last], counts


async def by_number(session: AsyncSession, *, village_id: int, number: int) -> Meeting | None:
    """Meeting ``number`` (its stable per-village number) in any state."""
    return (await session.exec(select(Meeting).where(
        Meeting.village_id == village_id, Meeting.number == db_id(number)))).first()


def is_over(meeting: Meeting, now: datetime) -> bool:
    """True once a meeting has been held (2 hours after its start)."""
    starts = meeting.starts_at if meeting.starts_at.tzinfo else meeting.starts_at.replace(
        tzinfo=now.tzinfo)
    return starts + LIST_GRACE < now


async def rsvp_counts(
    session: AsyncSession, *, meeting_ids: list[int]
) -> dict[int, tuple[int, int]]:
    """(yes, no) answer counts per meeting id."""
    counts = {mid: (0, 0) for mid in meeting_ids}
    if not meeting_ids:
        return counts
    rows = (await session.exec(_COUNTS, params={"ids": list(meeting_ids)})).all()
    for mid, answer, n in rows:
        yes, no = counts[mid]
        if answer == RSVP_YES:
            counts[mid] = (n, no)
        elif answer == RSVP_NO:
            counts[mid] = (yes, n)
    return counts


async def set_rsvp(
    session: AsyncSession, *, meeting_id: int, person_id: int, answer: str, now: datetime
) -> None:
    """Record or change a person's answer."""
    row = (await session.exec(select(Rsvp).where(
        Rsvp.meeting_id == meeting_id, Rsvp.person_id == person_id))).first()
    if row is None:
        session.add(Rsvp(meeting_id=meeting_id, person_id=person_id, answer=answer,
                         answered_at=now))
    else:
        row.answer, row.answered_at = answer, now
    await session.flush()


async def rsvp_people(session: AsyncSession, *, meeting_id: int) -> list[tuple[Person, str]]:
    """Who answered, with their answer, in answer order."""
    rows = (await session.exec(select(Person, Rsvp.answer).join(
        Rsvp, col(Rsvp.person_id) == col(Person.id)).where(Rsvp.meeting_id == meeting_id)
        .order_by(col(Rsvp.answered_at)))).all()
    return [(p, a) for p, a in rows]


def village_offsets(village: Village) -> list[timedelta]:
    """The village's reminder offsets (``settings["reminder_offsets"]`` in seconds)."""
    raw = (village.settings or {}).get("reminder_offsets")
    if not raw:
        return list(DEFAULT_OFFSETS)
    return sorted((timedelta(seconds=int(s)) for s in raw), reverse=True)


async def replace_reminders(
    session: AsyncSession, *, meeting: Meeting, offsets: list[timedelta], now: datetime
) -> list[Reminder]:
    """Skip the meeting's pending reminders and add new ones for its current version/time.

    Offsets whose time has already passed get no reminder (nothing is sent "1 day before"
    a meeting created 3 hours ahead).
    """
    await skip_pending(session, meeting_id=meeting.id or 0)
    rows: list[Reminder] = []
    if meeting.status != MEETING_SCHEDULED:
        return rows
    for offset in offsets:
        fire_at = meeting.starts_at - offset
        if fire_at <= now:
            continue
        rows.append(Reminder(meeting_id=meeting.id or 0, fire_at=fire_at,
                             offset_seconds=int(offset.total_seconds()),
                             meeting_version=meeting.version))
    session.add_all(rows)
    await session.flush()
    return rows


async def skip_pending(session: AsyncSession, *, meeting_id: int) -> None:
    """Mark every pending reminder of a meeting as skipped (it was moved or cancelled)."""
    await session.exec(update(Reminder).where(
        col(Reminder.meeting_id) == meeting_id, col(Reminder.status) == REMINDER_PENDING,
    ).values(status=REMINDER_SKIPPED))


async def future_meetings(
    session: AsyncSession, *, village_id: int, now: datetime
) -> list[Meeting]:
    """Scheduled meetings of a village that have not started."""
    return list((await session.exec(select(Meeting).where(
        Meeting.village_id == village_id, Meeting.status == MEETING_SCHEDULED,
        Meeting.starts_at > now))).all())


async def feed_meetings(
    session: AsyncSession, *, village_id: int, since: datetime
) -> list[Meeting]:
    """Meetings (scheduled and cancelled) for the ICS feed, starting after ``since``."""
    return list((await session.exec(select(Meeting).where(
        Meeting.village_id == village_id, Meeting.starts_at >= since,
    ).order_by(col(Meeting.starts_at), col(Meeting.id)))).all())


async def get_draft(
    session: AsyncSession, *, chat_id: int, person_id: int, now: datetime
) -> MeetingDraft | None:
    """The person's unfinished /taohop in this chat (younger than an hour)."""
    draft = (await session.exec(select(MeetingDraft).where(
        MeetingDraft.chat_id == chat_id, MeetingDraft.person_id == person_id))).first()
    if draft is not None and draft.updated_at < now - DRAFT_TTL:
        await session.delete(draft)
        await session.flush()
        return None
    return draft


async def latest_draft(
    session: AsyncSession, *, person_id: int, now: datetime
) -> MeetingDraft | None:
    """The person's most recent unfinished /taohop in any chat (younger than the TTL)."""
    draft = (await session.exec(select(MeetingDraft).where(
        MeetingDraft.person_id == person_id, MeetingDraft.updated_at >= now - DRAFT_TTL,
    ).order_by(col(MeetingDraft.updated_at).desc()))).first()
    return draft


async def save_draft(
    session: AsyncSession, *, chat_id: int, person_id: int, village_id: int, now: datetime,
    starts_at: datetime | None, place: str | None, topic: str | None,
    meeting_id: int | None = None, rest: str | None = None,
) -> MeetingDraft:
    """Create or overwrite the person's draft in this chat."""
    draft = (await session.exec(select(MeetingDraft).where(
        MeetingDraft.chat_id == chat_id, MeetingDraft.person_id == person_id))).first()
    if draft is None:
        draft = MeetingDraft(chat_id=chat_id, person_id=person_id, village_id=village_id,
                             updated_at=now)
        session.add(draft)
    draft.village_id, draft.updated_at, draft.meeting_id = village_id, now, meeting_id
    draft.starts_at, draft.place, draft.topic, draft.rest = starts_at, place, topic, rest
    await session.flush()
    return draft


async def delete_draft(session: AsyncSession, *, chat_id: int, person_id: int) -> None:
    """Forget the person's draft in this chat."""
    draft = (await session.exec(select(MeetingDraft).where(
        MeetingDraft.chat_id == chat_id, MeetingDraft.person_id == person_id))).first()
    if draft is not None:
        await session.delete(draft)
        await session.flush()


async def recurring_list(session: AsyncSession, *, village_id: int) -> list[RecurringNotice]:
    """Active recurring notices of a village, by number."""
    return list((await session.exec(select(RecurringNotice).where(
        RecurringNotice.village_id == village_id, col(RecurringNotice.active).is_(True),
    ).order_by(col(RecurringNotice.number), col(RecurringNotice.id)))).all())


async def recurring_by_number(
    session: AsyncSession, *, village_id: int, number: int
) -> RecurringNotice | None:
    """Recurring notice ``number`` of a village (active or deleted)."""
    return (await session.exec(select(RecurringNotice).where(
        RecurringNotice.village_id == village_id,
        RecurringNotice.number == db_id(number)))).first()
