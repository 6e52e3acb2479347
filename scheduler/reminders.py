"""Firing meeting reminders and recurring notices from the database (the source of truth).

``fire_due(now)`` does all the work and is what both the APScheduler wake-up job and the tests
call.  Each batch runs in ONE transaction; inside it every reminder is claimed by a conditional
``UPDATE … SET status='sent' WHERE id=… AND status='pending' AND meeting_version = <the
meeting's current version, scheduled>`` and only a claimed row (rowcount 1) is handed to the
outbox, in the same transaction.  So a reminder is never sent twice — not by a second run, not
by a second process — and a moved or cancelled meeting never gets an old reminder.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.messenger import OutMessage
from bot.core.services import Services
from bot.db.models import Chat, Village
from bot.text.recurrence import next_occurrence
from handlers.meetings import render as meeting_render
from handlers.meetings.models import (
    MEETING_SCHEDULED,
    REMINDER_PENDING,
    REMINDER_SENT,
    REMINDER_SKIPPED,
    Meeting,
    RecurringNotice,
    Reminder,
)

log = logging.getLogger(__name__)

LATE_AFTER = timedelta(minutes=2)  # fired later than this after fire_at: marked late
RECURRING_MAX_LATE = timedelta(hours=6)  # an older missed occurrence is skipped, not sent
BATCH = 200

Render = Callable[[Chat], OutMessage]
Deliver = Callable[..., Awaitable[Any]]
"""``fan_out(session, services, chats, render, *, kind, ref_id, dedupe_key)``."""


@dataclass
class FireStats:
    """What one ``fire_due`` call did."""

    sent: int = 0
    late: int = 0
    skipped: int = 0
    recurring: int = 0
    jobs: int = 0  # rows fired by features' due jobs (poll deadlines …)


async def _outbox_fan_out(session: AsyncSession, services: Services, chats: list[Chat],
                          render: Render, **kwargs: Any) -> Any:
    from bot.delivery.outbox import fan_out  # the outbox feature (issue 3)

    return await fan_out(session, services, chats, render, **kwargs)


class ReminderService:
    """Claims due reminder rows and queues their messages through the outbox."""

    def __init__(self, services: Services, *, deliver: Deliver | None = None) -> None:
        self.services = services
        self.deliver = deliver or _outbox_fan_out

    # ------------------------------------------------------------------ queries
    async def next_wakeup(self) -> datetime | None:
        """The earliest pending reminder or recurring occurrence."""
        async with self.services.db.session() as session:
            first = (await session.exec(select(func.min(Reminder.fire_at)).where(
                Reminder.status == REMINDER_PENDING))).first()
            recur = (await session.exec(select(func.min(RecurringNotice.next_fire_at)).where(
                col(RecurringNotice.active).is_(True)))).first()
        times = [_aware(t) for t in (first, recur) if t is not None]
        for job in self._jobs():
            due = await job.next_due(self.services)
            if due is not None:
                times.append(_aware(due))
        return min(times) if times else None

    def _jobs(self) -> list[Any]:
        commands = getattr(self.services, "commands", None)  # unset for a bare service
        return list(commands.due_jobs) if commands is not None else []

    # ------------------------------------------------------------------ firing
    async def fire_due(self, now: datetime) -> FireStats:
        """Send every reminder and recurring notice due at ``now`` (at most once each)."""
        stats = FireStats()
        while await self._reminder_batch(now, stats):
            pass
        while await self._recurring_batch(now, stats):
            pass
        for job in self._jobs():
            try:
                stats.jobs += await job.fire(self.services, now)
            except Exception:
                log.exception("due job %s failed; it runs again next round", job.name)
        if stats.sent or stats.skipped or stats.recurring or stats.jobs:
            log.info("reminders fired: %s", stats)
        return stats

    async def _reminder_batch(self, now: datetime, stats: FireStats) -> bool:
        """Claim up to BATCH due reminders in one transaction and queue their messages."""
        async with self.services.db.session() as session:
            rows = (await session.exec(
                select(Reminder, Meeting)
                .join(Meeting, col(Meeting.id) == col(Reminder.meeting_id))
                .where(Reminder.status == REMINDER_PENDING, Reminder.fire_at <= now)
                .order_by(col(Reminder.fire_at), col(Reminder.id)).limit(BATCH))).all()
            if not rows:
                return False
            latest = {meeting.id: reminder.id for reminder, meeting in rows}  # by fire_at
            drop, on_time, late = [], [], []
            for reminder, meeting in rows:
                current = (meeting.status == MEETING_SCHEDULED
                           and reminder.meeting_version == meeting.version)
                # moved/cancelled, the meeting started while we were down, or a later
                # reminder of the same meeting is also due (after a downtime): drop it
                if (not current or latest[meeting.id] != reminder.id
                        or _aware(meeting.starts_at) <= now):
                    drop.append(reminder.id)
                elif now - _aware(reminder.fire_at) > LATE_AFTER:
                    late.append(reminder.id)
                else:
                    on_time.append(reminder.id)
            if drop:
                await session.exec(update(Reminder).where(
                    col(Reminder.id).in_(drop), col(Reminder.status) == REMINDER_PENDING,
                ).values(status=REMINDER_SKIPPED))
                stats.skipped += len(drop)
            claimed = await self._claim(session, on_time, now, late=False)
            claimed |= await self._claim(session, late, now, late=True)
            fired = [(r, m) for r, m in rows if r.id in claimed]
            villages = await _villages_and_chats(session, {m.village_id for _, m in fired})
            for reminder, meeting in fired:
                is_late = reminder.id in late
                self.services.metrics.reminder_lateness.observe(
                    max(0.0, (now - _aware(reminder.fire_at)).total_seconds()))
                village, chats = villages.get(meeting.village_id, (None, []))
                render = self._reminder_render(meeting, village, now, is_late)
                await self.deliver(session, self.services, chats, render, kind="reminder",
                                   ref_id=meeting.id, dedupe_key=f"reminder:{reminder.id}")
                stats.sent += 1
                stats.late += int(is_late)
        return len(rows) == BATCH

    @staticmethod
    async def _claim(session: AsyncSession, ids: list[int | None], now: datetime, *,
                     late: bool) -> set[int]:
        """Flip pending → sent where the meeting still has the reminder's version."""
        if not ids:
            return set()
        version_now = select(Meeting.version).where(
            col(Meeting.id) == col(Reminder.meeting_id),
            col(Meeting.status) == MEETING_SCHEDULED).scalar_subquery()
        result = await session.exec(update(Reminder).where(
            and_(col(Reminder.id).in_(ids), col(Reminder.status) == REMINDER_PENDING,
                 col(Reminder.meeting_version) == version_now),
        ).values(status=REMINDER_SENT, sent_at=now, late=late).returning(col(Reminder.id)))
        return {row[0] for row in result.all()}

    def _reminder_render(
        self, meeting: Meeting, village: Village | None, now: datetime, late: bool
    ) -> Render:
        services = self.services

        def render(chat: Chat) -> OutMessage:
            locale = services.i18n.resolve(chat.locale or services.settings.default_locale)
            messenger = services.messenger(chat.platform)
            buttons = bool(messenger and messenger.capabilities.buttons)

            def t(key: str, **args: object) -> str:
                return services.i18n.t(locale, key, **args)

            return meeting_render.reminder(
                t, locale, meeting, village=village.name if village else "",
                left=_aware(meeting.starts_at) - now, late=late, number=meeting.number,
                buttons=buttons,
                counts=(0, 0))

        return render

    async def _recurring_batch(self, now: datetime, stats: FireStats) -> bool:
        async with self.services.db.session() as session:
            rows = (await session.exec(select(RecurringNotice).where(
                col(RecurringNotice.active).is_(True), col(RecurringNotice.next_fire_at) <= now,
            ).order_by(col(RecurringNotice.next_fire_at)).limit(BATCH))).all()
            if not rows:
                return False
            for notice in rows:
                await self._fire_recurring(session, notice, now, stats)
        return len(rows) == BATCH

    async def _fire_recurring(
        self, session: AsyncSession, notice: RecurringNotice, now: datetime, stats: FireStats
    ) -> None:
        occurrence = _aware(notice.next_fire_at)  # type: ignore[arg-type]
        following = next_occurrence(notice.rrule, max(occurrence, now))
        claimed = await session.exec(update(RecurringNotice).where(
            col(RecurringNotice.id) == notice.id, col(RecurringNotice.active).is_(True),
            col(RecurringNotice.next_fire_at) == occurrence,
        ).values(next_fire_at=following, last_fired_at=occurrence))
        if claimed.rowcount != 1:
            return
        if now - occurrence > RECURRING_MAX_LATE:
            stats.skipped += 1
            return
        late = now - occurrence > LATE_AFTER
        village, chats = await _village_and_chats(session, notice.village_id)
        services, text = self.services, notice.text

        def render(chat: Chat) -> OutMessage:
            locale = services.i18n.resolve(chat.locale or services.settings.default_locale)
            return meeting_render.recurring(
                lambda key, **a: services.i18n.t(locale, key, **a), text,
                village=village.name if village else "", late=late)

        await self.deliver(session, services, chats, render, kind="recurring",
                           ref_id=notice.id,
                           dedupe_key=f"recurring:{notice.id}:{occurrence.isoformat()}")
        stats.recurring += 1


async def _village_and_chats(session: AsyncSession, village_id: int) -> tuple[Village | None,
                                                                                 list[Chat]]:
    from bot.db.villages import village_chats

    village = await session.get(Village, village_id)
    return village, await village_chats(session, village_id)


async def _villages_and_chats(
    session: AsyncSession, village_ids: set[int]
) -> dict[int, tuple[Village | None, list[Chat]]]:
    """Villages and their active linked chats (what ``village_chats`` returns), in 2 queries."""
    if not village_ids:
        return {}
    villages = {v.id: v for v in (await session.exec(select(Village).where(
        col(Village.id).in_(village_ids)))).all()}
    chats: dict[int, list[Chat]] = {vid: [] for vid in village_ids}
    for chat in (await session.exec(select(Chat).where(
            col(Chat.village_id).in_(village_ids), col(Chat.active).is_(True))
            .order_by(col(Chat.id)))).all():
        chats[chat.village_id or 0].append(chat)
    return {vid: (villages.get(vid), chats[vid]) for vid in village_ids}


def _aware(value: datetime) -> datetime:
    """Rows read through raw selects may come back naive from SQLite: they are UTC."""
    from datetime import UTC

    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
