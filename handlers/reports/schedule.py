"""The stale-report reminder: a report nobody acted on for N days (``/caidat phananh N``)
reminds the village's officials once a day until someone acts.

Each open report keeps its next reminder instant in ``report.remind_at`` (the database is the
schedule).  :func:`fire_due` is a due job of the reminder scheduler (``router.due``; only the
leader runs it, rebuilt from the database at every start): each round claims the due rows with a
conditional UPDATE (``remind_at`` unchanged, still open), moves them one day on, and sends ONE
digest per village to the officials' private chats through the outbox.  Reminders never ring
at night: an instant between 21:00 and 07:00 in Vietnam moves to 07:00.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta

from bot.clock import VN_TZ, to_local
from bot.core.messenger import OutMessage
from bot.core.services import Services
from bot.db.models import Chat, Village
from bot.db.villages import official_chats
from bot.delivery.outbox import fan_out
from handlers.reports import queries as rq
from handlers.reports import render
from handlers.reports.models import Report

log = logging.getLogger(__name__)

QUIET_FROM = time(21, 0)
QUIET_UNTIL = time(7, 0)
AGAIN_AFTER = timedelta(days=1)
BATCH = 200


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def daytime(instant: datetime) -> datetime:
    """``instant``, or 07:00 Vietnam time after it when it falls in the night."""
    local = to_local(instant)
    if QUIET_UNTIL <= local.time() < QUIET_FROM:
        return instant
    day = local.date() if local.time() < QUIET_UNTIL else local.date() + timedelta(days=1)
    return datetime.combine(day, QUIET_UNTIL, tzinfo=VN_TZ).astimezone(UTC)


def next_reminder(report: Report, days: int) -> datetime:
    """When an open report next reminds: ``days`` after the last action, a day after the last
    reminder, never at night."""
    due = _aware(report.acted_at) + timedelta(days=days)
    if report.reminded_at is not None and _aware(report.reminded_at) >= _aware(report.acted_at):
        due = max(due, _aware(report.reminded_at) + AGAIN_AFTER)
    return daytime(due)


def poke(services: Services, when: datetime | None) -> None:
    """Tell the scheduler a reminder instant changed (harmless before the commit)."""
    if services.scheduler is not None:
        services.scheduler.poke(when)


async def next_due(services: Services) -> datetime | None:
    """The earliest reminder instant of any open report."""
    async with services.db.session() as session:
        due = await rq.next_remind_at(session)
    return _aware(due) if due is not None else None


def _digest(
    services: Services, village: Village, reports: list[Report], now: datetime
) -> Callable[[Chat], OutMessage]:
    days = rq.stale_days(village)
    return lambda chat: render.stale_digest(services, chat, village=village, reports=reports,
                                            now=now, days=days)


async def fire_due(services: Services, now: datetime) -> int:
    """Claim the due reminders and queue one digest per village; return messages queued."""
    queued = 0
    async with services.db.session() as session:
        rows = await rq.due_reminders(session, now=now, limit=BATCH)
        by_village: dict[int, list[Report]] = {}
        for report in rows:
            following = daytime(now + AGAIN_AFTER)
            if await rq.claim_reminder(session, report=report, now=now, following=following):
                by_village.setdefault(report.village_id, []).append(report)
        for village_id, reports in by_village.items():
            village = await session.get(Village, village_id)
            chats = await official_chats(session, village_id)
            if village is None or not chats:
                continue
            await fan_out(session, services, chats, _digest(services, village, reports, now),
                          kind="phananh-stale", ref_id=village_id,
                          dedupe_key=f"phananh-stale:{village_id}:{now.isoformat()}")
            queued += len(chats)
    if queued:
        log.info("stale-report reminders queued: %s", queued)
    return queued
