"""Queries on the report tables, and the village's report settings."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import Village
from handlers.reports.models import OPEN, PHOTO_REPORT, Report, ReportPhoto

DEFAULT_STALE_DAYS = 3
DEFAULT_DAILY_LIMIT = 5
SETTING_STALE_DAYS = "report_stale_days"
SETTING_DAILY_LIMIT = "report_daily_limit"
DUPLICATE_WINDOW = timedelta(hours=1)


def stale_days(village: Village | None) -> int:
    """After how many untouched days an open report reminds the officials."""
    value = (village.settings or {}).get(SETTING_STALE_DAYS) if village else None
    return int(value) if isinstance(value, int) and value > 0 else DEFAULT_STALE_DAYS


def daily_limit(village: Village | None) -> int:
    """How many reports one person may send per day in the village."""
    value = (village.settings or {}).get(SETTING_DAILY_LIMIT) if village else None
    return int(value) if isinstance(value, int) and value > 0 else DEFAULT_DAILY_LIMIT


async def by_number(session: AsyncSession, *, village_id: int, number: int) -> Report | None:
    """The village's report number ``number``."""
    return (await session.exec(select(Report).where(
        Report.village_id == village_id, Report.number == number))).first()


async def by_album(session: AsyncSession, *, album_key: str) -> Report | None:
    """The report an album's first part created."""
    return (await session.exec(select(Report).where(Report.album_key == album_key))).first()


async def recent_duplicate(
    session: AsyncSession, *, village_id: int, person_id: int, key: str, now: datetime
) -> Report | None:
    """The same person's report with the same text within the last hour."""
    if not key:
        return None
    return (await session.exec(select(Report).where(
        Report.village_id == village_id, Report.person_id == person_id, Report.text_key == key,
        col(Report.created_at) >= now - DUPLICATE_WINDOW).order_by(
        col(Report.id).desc()))).first()


async def count_since(session: AsyncSession, *, person_id: int, since: datetime) -> int:
    """How many reports a person sent since ``since`` (any village)."""
    return int((await session.exec(select(func.count()).select_from(Report).where(
        Report.person_id == person_id, col(Report.created_at) >= since))).one())


async def latest_of(session: AsyncSession, *, person_id: int) -> Report | None:
    """A person's latest report."""
    return (await session.exec(select(Report).where(Report.person_id == person_id).order_by(
        col(Report.id).desc()))).first()


async def open_reports(session: AsyncSession, *, village_id: int) -> list[Report]:
    """The village's open reports, oldest first."""
    return list((await session.exec(select(Report).where(
        Report.village_id == village_id, col(Report.status).in_(OPEN)).order_by(
        col(Report.created_at), col(Report.id)))).all())


async def reports_of(session: AsyncSession, *, person_id: int, limit: int = 15) -> list[Report]:
    """A person's reports, newest first."""
    return list((await session.exec(select(Report).where(Report.person_id == person_id).order_by(
        col(Report.id).desc()).limit(limit))).all())


async def public_rows(session: AsyncSession, *, village_id: int, limit: int) -> list[Report]:
    """The village's reports not hidden by an official, newest first."""
    return list((await session.exec(select(Report).where(
        Report.village_id == village_id, col(Report.hidden).is_(False)).order_by(
        col(Report.id).desc()).limit(limit))).all())


async def photos_of(
    session: AsyncSession, *, report_ids: list[int], stage: str | None = PHOTO_REPORT
) -> dict[int, list[ReportPhoto]]:
    """Photos of each report in arrival order (``stage`` None: every stage)."""
    if not report_ids:
        return {}
    stmt = select(ReportPhoto).where(col(ReportPhoto.report_id).in_(report_ids))
    if stage is not None:
        stmt = stmt.where(ReportPhoto.stage == stage)
    out: dict[int, list[ReportPhoto]] = defaultdict(list)
    for photo in (await session.exec(stmt.order_by(col(ReportPhoto.id)))).all():
        out[photo.report_id].append(photo)
    return out


async def next_remind_at(session: AsyncSession) -> datetime | None:
    """The earliest stale-report reminder due."""
    return (await session.exec(select(func.min(Report.remind_at)).where(
        col(Report.remind_at).is_not(None)))).first()


async def due_reminders(session: AsyncSession, *, now: datetime, limit: int) -> list[Report]:
    """Open reports whose reminder is due, by village then number."""
    return list((await session.exec(select(Report).where(
        col(Report.remind_at).is_not(None), col(Report.remind_at) <= now,
        col(Report.status).in_(OPEN)).order_by(
        col(Report.village_id), col(Report.number)).limit(limit))).all())


async def claim_reminder(
    session: AsyncSession, *, report: Report, now: datetime, following: datetime
) -> bool:
    """Move one due reminder to ``following`` unless another round or process already did."""
    result = await session.exec(update(Report).where(
        col(Report.id) == report.id, col(Report.remind_at) == report.remind_at,
        col(Report.status).in_(OPEN)).values(remind_at=following, reminded_at=now))
    return result.rowcount == 1


async def reschedule_open(
    session: AsyncSession, *, village_id: int, remind_at: Callable[[Report], datetime]
) -> list[Report]:
    """Recompute the reminder of every open report (``remind_at(report)``) after a setting."""
    rows = await open_reports(session, village_id=village_id)
    for report in rows:
        report.remind_at = remind_at(report)
        session.add(report)
    return rows
