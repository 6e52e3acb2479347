"""Household queries: the list, links, imports and whom a notice or a meeting reached."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import Chat, ChatMember, Person
from bot.db.sequences import next_number
from bot.delivery.models import SENT, OutboxItem
from bot.text.fold import fold
from bot.text.numbers import db_id
from handlers.announce.models import Notice, NoticeAck
from handlers.households.models import LINKED, PENDING, Household, HouseholdMember
from handlers.meetings.models import Meeting, Rsvp

KIND = "household"


async def households(session: AsyncSession, village_id: int) -> list[Household]:
    """The village's households (not removed), by xóm then number."""
    rows = (await session.exec(select(Household).where(
        Household.village_id == village_id, col(Household.removed).is_(False)))).all()
    return sorted(rows, key=lambda h: (fold(h.hamlet), h.number))


async def by_number(session: AsyncSession, village_id: int, number: int) -> Household | None:
    """Household ``number`` of the village (removed ones too: the caller says so)."""
    return (await session.exec(select(Household).where(
        Household.village_id == village_id, Household.number == db_id(number)))).first()


async def add(session: AsyncSession, *, village_id: int, hamlet: str, head: str,
              phone: str | None, now: datetime) -> Household:
    """A new household with the next stable number."""
    number = await next_number(session, village_id=village_id, kind=KIND)
    household = Household(village_id=village_id, number=number, hamlet=hamlet, head_name=head,
                          phone=phone, created_at=now, updated_at=now)
    session.add(household)
    await session.flush()
    return household


async def members(session: AsyncSession, household_ids: list[int], *, status: str = LINKED
                  ) -> dict[int, list[Person]]:
    """Linked (or pending) people per household."""
    if not household_ids:
        return {}
    rows = (await session.exec(select(HouseholdMember, Person).join(
        Person, col(Person.id) == HouseholdMember.person_id).where(
        col(HouseholdMember.household_id).in_(household_ids),
        HouseholdMember.status == status).order_by(col(HouseholdMember.id)))).all()
    out: dict[int, list[Person]] = {}
    for link, person in rows:
        out.setdefault(link.household_id, []).append(person)
    return out


async def link_of(session: AsyncSession, village_id: int, person_id: int
                  ) -> HouseholdMember | None:
    """The person's link or request in the village."""
    return (await session.exec(select(HouseholdMember).where(
        HouseholdMember.village_id == village_id,
        HouseholdMember.person_id == person_id))).first()


async def pending_for(session: AsyncSession, household_id: int) -> list[HouseholdMember]:
    """Requests waiting for an official's confirmation."""
    return list((await session.exec(select(HouseholdMember).where(
        HouseholdMember.household_id == household_id,
        HouseholdMember.status == PENDING).order_by(col(HouseholdMember.id)))).all())


def _private_key(chat: Chat) -> tuple[str, str]:
    """The person key (platform, external id) of a private chat (web ids are ``dm-<user>``)."""
    from bot.adapters import capabilities_of  # the platform registry (no SDK import)

    ext = chat.external_id
    prefix = capabilities_of(chat.platform).private_chat_prefix
    if prefix and ext.startswith(prefix):
        ext = ext[len(prefix):]
    return chat.platform, ext


@dataclass(frozen=True, slots=True)
class Reach:
    """Per household: did a member's chat receive it, did a member read (or answer) it."""

    total: int
    reached: set[int]
    read: set[int]


MEETING_KINDS = ("meeting", "reminder")  # the meeting's announcement, moves, reminders


async def _sent_chats(session: AsyncSession, *where: Any) -> list[Chat]:
    """The chats that outbox rows matching ``where`` were delivered to (each once)."""
    rows = (await session.exec(select(Chat).join(
        OutboxItem, col(OutboxItem.chat_id) == Chat.id).where(
        OutboxItem.status == SENT, *where))).all()
    return list({chat.id: chat for chat in rows}.values())


async def reach(session: AsyncSession, village_id: int, chats: list[Chat],
                readers: set[int]) -> Reach:
    """Which households something delivered to ``chats`` reached — a member's private chat,
    or a group a member writes in (``chat_member``), received it — and which of them read it
    (a member is among ``readers``)."""
    homes = await households(session, village_id)
    ids = [h.id for h in homes if h.id is not None]
    linked = await members(session, ids)
    person_home = {p.id: hid for hid, people in linked.items() for p in people}
    key_home = {(p.platform, p.external_id): hid for hid, people in linked.items()
                for p in people}
    reached: set[int] = set()
    groups = [c.id for c in chats if c.is_group and c.id is not None]
    for chat in chats:
        if not chat.is_group and _private_key(chat) in key_home:
            reached.add(key_home[_private_key(chat)])
    if groups and person_home:
        rows = (await session.exec(select(ChatMember.person_id).where(
            col(ChatMember.chat_id).in_(groups),
            col(ChatMember.person_id).in_(list(person_home))))).all()
        reached.update(person_home[pid] for pid in rows)
    read = {person_home[pid] for pid in readers if pid in person_home}
    return Reach(total=len(homes), reached=reached, read=read)


async def notice_reach(session: AsyncSession, village_id: int, notice: Notice) -> Reach:
    """Households notice reached (its batch's delivered chats) and read (acknowledged)."""
    chats = (await _sent_chats(session, OutboxItem.batch_id == notice.batch_id)
             if notice.batch_id is not None else [])
    acks = (await session.exec(select(NoticeAck.person_id).where(
        NoticeAck.notice_id == notice.id))).all()
    return await reach(session, village_id, chats, set(acks))


async def meeting_reach(session: AsyncSession, meeting: Meeting) -> Reach:
    """Households a meeting's messages reached and that answered it (/thamdu or /vang)."""
    chats = await _sent_chats(session, col(OutboxItem.kind).in_(MEETING_KINDS),
                              OutboxItem.ref_id == meeting.id)
    answered = (await session.exec(select(Rsvp.person_id).where(
        Rsvp.meeting_id == meeting.id))).all()
    return await reach(session, meeting.village_id, chats, set(answered))


async def meeting_of_village(session: AsyncSession, village_id: int, number: int
                             ) -> Meeting | None:
    """The village's meeting shown to users as ``number``."""
    return (await session.exec(select(Meeting).where(
        Meeting.village_id == village_id, Meeting.number == db_id(number)))).first()


async def notice_of_village(session: AsyncSession, village_id: int, number: int
                            ) -> Notice | None:
    """The village's sent notice shown to users as ``number``."""
    return (await session.exec(select(Notice).where(  # the stable per-village number
        Notice.village_id == village_id, Notice.number == db_id(number)))).first()


async def latest_sent_notice(session: AsyncSession, village_id: int) -> Notice | None:
    """The village's most recent sent notice."""
    return (await session.exec(select(Notice).where(
        Notice.village_id == village_id, col(Notice.sent_at).is_not(None)).order_by(
        col(Notice.sent_at).desc()))).first()
