"""Queries on the project tables (projects, updates, media, ledger, followers)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import OfficialRole, Person
from handlers.projects.models import Donation, Follower, ProgressUpdate, Project, UpdateMedia


@dataclass(slots=True)
class UpdateView:
    """An update with its media, for timelines."""

    update: ProgressUpdate
    media: list[UpdateMedia] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class LedgerLine:
    """A ledger entry with its 1-based number in the project's ledger."""

    number: int
    donation: Donation
    reverses_number: int | None = None


async def project_by_code(
    session: AsyncSession, *, village_id: int, code: str
) -> Project | None:
    """The village's project with this code."""
    return (await session.exec(select(Project).where(
        Project.village_id == village_id, Project.code == code.lower()))).first()


async def projects_with_code(session: AsyncSession, *, code: str) -> list[Project]:
    """Every village's project with this code (for followers living elsewhere)."""
    return list((await session.exec(select(Project).where(
        Project.code == code.lower()).order_by(col(Project.id)))).all())


async def projects_of(session: AsyncSession, *, village_id: int) -> list[Project]:
    """The village's projects, oldest first."""
    return list((await session.exec(select(Project).where(
        Project.village_id == village_id).order_by(col(Project.id)))).all())


async def last_update_times(
    session: AsyncSession, *, project_ids: list[int]
) -> dict[int, datetime]:
    """Time of each project's latest update."""
    if not project_ids:
        return {}
    rows = (await session.exec(select(
        ProgressUpdate.project_id, func.max(ProgressUpdate.created_at)).where(
        col(ProgressUpdate.project_id).in_(project_ids)).group_by(
        col(ProgressUpdate.project_id)))).all()
    return {pid: at for pid, at in rows}


async def update_by_album(session: AsyncSession, *, album_key: str) -> ProgressUpdate | None:
    """The update an album's earlier part created."""
    return (await session.exec(select(ProgressUpdate).where(
        ProgressUpdate.album_key == album_key))).first()


async def media_of(session: AsyncSession, *, update_id: int) -> list[UpdateMedia]:
    """An update's media in the order they arrived."""
    return list((await session.exec(select(UpdateMedia).where(
        UpdateMedia.update_id == update_id).order_by(col(UpdateMedia.id)))).all())


async def timeline(
    session: AsyncSession, *, project_id: int, limit: int = 20
) -> list[UpdateView]:
    """The latest updates with their media, newest first."""
    updates = list((await session.exec(select(ProgressUpdate).where(
        ProgressUpdate.project_id == project_id).order_by(
        col(ProgressUpdate.created_at).desc(), col(ProgressUpdate.id).desc()).limit(
        limit))).all())
    if not updates:
        return []
    by_update: dict[int, list[UpdateMedia]] = defaultdict(list)
    rows = (await session.exec(select(UpdateMedia).where(
        col(UpdateMedia.update_id).in_([u.id for u in updates])).order_by(
        col(UpdateMedia.id)))).all()
    for item in rows:
        by_update[item.update_id].append(item)
    return [UpdateView(u, by_update.get(u.id or 0, [])) for u in updates]


async def ledger(session: AsyncSession, *, project_id: int) -> list[LedgerLine]:
    """Every entry of the project's ledger, numbered in the order recorded."""
    rows = list((await session.exec(select(Donation).where(
        Donation.project_id == project_id).order_by(
        col(Donation.created_at), col(Donation.id)))).all())
    numbers = {d.id: i for i, d in enumerate(rows, start=1)}
    return [LedgerLine(i, d, numbers.get(d.reverses_id) if d.reverses_id else None)
            for i, d in enumerate(rows, start=1)]


async def ledger_total(session: AsyncSession, *, project_id: int) -> int:
    """Sum of the ledger in đồng (corrections included)."""
    total = (await session.exec(select(func.coalesce(func.sum(Donation.amount), 0)).where(
        Donation.project_id == project_id))).one()
    return int(total)


async def totals_of(session: AsyncSession, *, project_ids: list[int]) -> dict[int, int]:
    """Ledger totals of several projects."""
    if not project_ids:
        return {}
    rows = (await session.exec(select(Donation.project_id, func.sum(Donation.amount)).where(
        col(Donation.project_id).in_(project_ids)).group_by(col(Donation.project_id)))).all()
    return {pid: int(total or 0) for pid, total in rows}


async def reversed_amount(session: AsyncSession, *, donation_id: int) -> int:
    """How much of an entry later corrections already took back (a positive number)."""
    total = (await session.exec(select(func.coalesce(func.sum(Donation.amount), 0)).where(
        Donation.reverses_id == donation_id))).one()
    return -int(total)


async def follower(
    session: AsyncSession, *, project_id: int, platform: str, chat_external_id: str
) -> Follower | None:
    """The follow row of a private chat (active or declined)."""
    return (await session.exec(select(Follower).where(
        Follower.project_id == project_id, Follower.platform == platform,
        Follower.chat_external_id == chat_external_id))).first()


async def set_follow(
    session: AsyncSession, *, project_id: int, platform: str, chat_external_id: str,
    person_id: int | None, active: bool, now: datetime, keep_decline: bool = False,
) -> Follower:
    """Follow or unfollow; with ``keep_decline`` an earlier /botheodoi is respected."""
    row = await follower(session, project_id=project_id, platform=platform,
                         chat_external_id=chat_external_id)
    if row is None:
        row = Follower(project_id=project_id, platform=platform,
                       chat_external_id=chat_external_id, person_id=person_id, active=active,
                       created_at=now)
        session.add(row)
    elif not (keep_decline and not row.active):
        row.active = active
        row.person_id = row.person_id or person_id
    await session.flush()
    return row


async def active_followers(session: AsyncSession, *, project_id: int) -> list[Follower]:
    """Private chats following a project."""
    return list((await session.exec(select(Follower).where(
        Follower.project_id == project_id, col(Follower.active).is_(True)))).all())


async def account_trusted(
    session: AsyncSession, *, project: Project, admins: frozenset[tuple[str, str]]
) -> bool:
    """True when the account was set by someone who still is an official of the village."""
    if not (project.bank_bin and project.bank_account and project.account_set_by):
        return False
    person = await session.get(Person, project.account_set_by)
    if person is None:
        return False
    if (person.platform, person.external_id) in admins:
        return True
    role = (await session.exec(select(OfficialRole).where(
        OfficialRole.person_id == person.id, col(OfficialRole.revoked_at).is_(None),
        (col(OfficialRole.village_id) == project.village_id)
        | col(OfficialRole.village_id).is_(None)))).first()
    return role is not None
