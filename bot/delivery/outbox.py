"""Reliable delivery: every message to another chat is written here first, then sent by a
worker per bot under the platform's flood limits (each bot has its own budget).

Writing: :func:`fan_out` (many chats, one batch, optional delivery report) and :func:`enqueue`
(one chat by platform id) add rows in the caller's transaction; the worker is woken after the
commit (and polls anyway).

Several bots per platform: a row's ``sender`` is the scope of its chat's bot
(:meth:`Services.scope_of`: the platform's name for its first bot, ``platform:<bot id>`` for
the others); pauses, shared rate budgets and workers are per sender.

Sending (:class:`Outbox`): one task per bot claims the oldest due row whose chat may
receive now (``FOR UPDATE SKIP LOCKED`` on PostgreSQL), marks it ``sending`` and commits, calls
the messenger, then marks it ``sent`` (with the platform message ids) or schedules a retry and
commits again.  After a crash the rows left in ``sending`` are sent again, so at most the one
message in flight per worker can be repeated.  Faults: ``retry_after`` pauses the chat (or the
whole platform when we had not sent to that chat lately); 5xx/timeouts back off exponentially
with jitter; a migrated group moves to its new id; a kicked bot or missing chat marks the chat
inactive; a bad request fails the row; Zalo's quota error pauses that bot until the next
month and tells the officials once on their chats with other bots.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, func, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.clock import VN_TZ
from bot.core.messenger import (
    Button,
    Media,
    Messenger,
    OutMessage,
    SendError,
    SendErrorKind,
    SentRef,
)
from bot.core.router import CommandTable, ReachQuery
from bot.db import repo
from bot.db.models import Chat
from bot.delivery import sharedrate
from bot.delivery.claimer import Claimer, dead_claims_clause
from bot.delivery.models import (
    FAILED,
    PENDING,
    SENDING,
    SENT,
    OutboxBatch,
    OutboxItem,
    PlatformPause,
)
from bot.delivery.ratelimit import NO_LIMITS, Limits, RateLimiter
from bot.text.split import split_text

if TYPE_CHECKING:
    from bot.core.services import Services

log = logging.getLogger(__name__)

REPORT_KIND = "report"
DEDUPE_CHUNK = 500  # rows per multi-row INSERT: × 15 columns, under PostgreSQL's 32,767 binds
PAUSE_KIND = "platform-paused"


# ---------------------------------------------------------------- (de)serialising messages


def serialize(message: OutMessage) -> dict[str, Any]:
    """An OutMessage as JSON-able data (media and buttons included)."""
    data = asdict(message)
    data["media"] = [dict(m) for m in data["media"]]
    data["buttons"] = [[dict(b) for b in row] for row in data["buttons"]]
    return data


def deserialize(data: dict[str, Any]) -> OutMessage:
    """The OutMessage stored by :func:`serialize`."""
    return OutMessage(
        text=data.get("text") or "", title=data.get("title"),
        media=tuple(Media(**m) for m in data.get("media") or ()),
        buttons=tuple(tuple(Button(**b) for b in row) for row in data.get("buttons") or ()),
        reply_to=data.get("reply_to"), silent=bool(data.get("silent")))


def message_units(message: OutMessage, max_text: int) -> int:
    """How many platform messages one OutMessage becomes (for the rate limiter)."""
    text = f"{message.title}\n{message.text}" if message.title else message.text
    chunks = len(split_text(text, max_text)) if text else 0
    if message.media:
        return max(1, len(message.media) + max(0, chunks - 1))
    return max(1, chunks)


# ---------------------------------------------------------------- writing rows


def _insert(session: AsyncSession):  # type: ignore[no-untyped-def]
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    return pg_insert if dialect == "postgresql" else sqlite_insert


def _wake_after_commit(session: AsyncSession, services: Services) -> None:
    """Wake the worker now (harmless before commit) and again right after the commit."""
    outbox = services.outbox
    if outbox is None:
        return
    outbox.wake()
    event.listen(session.sync_session, "after_commit", lambda _s: outbox.wake(), once=True)


def _row(
    *, batch_id: int | None, kind: str, ref_id: int | None, chat_id: int | None, platform: str,
    sender: str, external_id: str, message: OutMessage, pin: bool, dedupe_key: str | None,
    now: datetime, not_before: datetime | None,
) -> dict[str, Any]:
    return {
        "batch_id": batch_id, "kind": kind, "ref_id": ref_id, "chat_id": chat_id,
        "platform": platform, "sender": sender, "chat_external_id": external_id,
        "payload": serialize(message),
        "pin": pin, "dedupe_key": dedupe_key, "status": PENDING, "attempts": 0,
        "next_attempt_at": max(now, not_before) if not_before else now, "message_ids": [],
        "created_at": now,
    }


async def fan_out(
    session: AsyncSession,
    services: Services,
    chats: Sequence[Chat],
    render: Callable[[Chat], OutMessage],
    *,
    kind: str,
    ref_id: int | None = None,
    dedupe_key: str | None = None,
    report_to: tuple[str, str, str] | None = None,
    author_id: int | None = None,
    pin: bool = False,
    not_before: datetime | None = None,
) -> int:
    """Queue ``render(chat)`` for every chat in the caller's transaction; return the batch id.

    With ``dedupe_key`` a chat that already has a row with that key is skipped (a reminder is
    never queued twice).  ``report_to`` = (platform, chat id, locale) gets a delivery report
    when every row is sent or failed.  ``pin`` pins the message where the platform allows;
    ``not_before`` delays sending.
    """
    now = services.clock.now()
    batch = OutboxBatch(kind=kind, ref_id=ref_id, author_id=author_id, created_at=now,
                        report_platform=report_to[0] if report_to else None,
                        report_chat=report_to[1] if report_to else None,
                        report_locale=report_to[2] if report_to else None)
    session.add(batch)
    await session.flush()
    insert = _insert(session)
    total = 0
    seen: set[int | None] = set()
    values: list[dict[str, Any]] = []
    for chat in chats:
        if chat.id in seen and chat.id is not None:
            continue
        seen.add(chat.id)
        values.append(_row(batch_id=batch.id, kind=kind, ref_id=ref_id, chat_id=chat.id,
                           platform=chat.platform,
                           sender=services.scope_of(chat.platform, chat.bot),
                           external_id=chat.external_id,
                           message=render(chat), pin=pin, dedupe_key=dedupe_key, now=now,
                           not_before=not_before))
    if dedupe_key is None:
        if values:
            await session.exec(insert(OutboxItem), params=values)
        total = len(values)
    else:  # one statement per 500 chats (bound-parameter limits); rows already there skipped
        for start in range(0, len(values), DEDUPE_CHUNK):
            result = await session.exec(
                insert(OutboxItem).values(values[start:start + DEDUPE_CHUNK])
                .on_conflict_do_nothing().returning(col(OutboxItem.id)))
            total += len(result.all())
    batch.total = total
    if total == 0:
        batch.done_at = now
    _wake_after_commit(session, services)
    return batch.id or 0


async def enqueue(
    session: AsyncSession,
    services: Services,
    platform: str,
    chat_external_id: str,
    message: OutMessage,
    *,
    kind: str,
    ref_id: int | None = None,
    chat_id: int | None = None,
    dedupe_key: str | None = None,
    not_before: datetime | None = None,
) -> bool:
    """Queue one message to one chat by its platform id; False when deduplicated away."""
    if chat_id is None:
        chat = (await session.exec(select(Chat).where(
            Chat.platform == platform, Chat.external_id == chat_external_id))).first()
        chat_id = chat.id if chat is not None else None
    else:
        chat = await session.get(Chat, chat_id)
    insert = _insert(session)
    stmt = insert(OutboxItem).values(**_row(
        batch_id=None, kind=kind, ref_id=ref_id, chat_id=chat_id, platform=platform,
        sender=services.scope_of(platform, chat.bot if chat is not None else None),
        external_id=chat_external_id, message=message, pin=False, dedupe_key=dedupe_key,
        now=services.clock.now(), not_before=not_before))
    if dedupe_key is not None:
        stmt = stmt.on_conflict_do_nothing()
    result = await session.exec(stmt)
    _wake_after_commit(session, services)
    return bool(result.rowcount)


# ---------------------------------------------------------------- queries


async def batch_counts(session: AsyncSession, batch_id: int) -> dict[str, int]:
    """Rows of a batch by status."""
    rows = (await session.exec(select(OutboxItem.status, func.count()).where(
        OutboxItem.batch_id == batch_id).group_by(OutboxItem.status))).all()
    return {status: int(n) for status, n in rows}


async def sent_items(session: AsyncSession, *, kind: str, ref_id: int) -> list[OutboxItem]:
    """Sent rows of one kind/ref (e.g. where notice n went, with its message ids)."""
    return list((await session.exec(select(OutboxItem).where(
        OutboxItem.kind == kind, OutboxItem.ref_id == ref_id, OutboxItem.status == SENT))).all())


async def find_sent(
    session: AsyncSession, *, platform: str, chat_external_id: str, message_id: str,
    kind: str | None = None,
) -> OutboxItem | None:
    """The sent row that became platform message ``message_id`` in that chat."""
    stmt = select(OutboxItem).where(
        OutboxItem.platform == platform, OutboxItem.chat_external_id == chat_external_id,
        OutboxItem.status == SENT)
    if kind is not None:
        stmt = stmt.where(OutboxItem.kind == kind)
    exact = (await session.exec(stmt.where(OutboxItem.message_id == message_id))).first()
    if exact is not None:
        return exact
    recent = (await session.exec(stmt.order_by(col(OutboxItem.id).desc()).limit(200))).all()
    return next((r for r in recent if message_id in (r.message_ids or [])), None)


async def platform_paused_until(
    session: AsyncSession, platform: str, now: datetime
) -> datetime | None:
    """When a paused bot (``platform`` = its sender scope) resumes, or None if not paused."""
    pause = await session.get(PlatformPause, platform)
    if pause is None or pause.paused_until <= now:
        return None
    return pause.paused_until


def next_month_start(now: datetime) -> datetime:
    """The first instant of next month in Vietnam time (Zalo quotas are monthly), as UTC."""
    local = now.astimezone(VN_TZ)
    year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
    return datetime(year, month, 1, tzinfo=VN_TZ).astimezone(now.tzinfo)


# ---------------------------------------------------------------- the worker


class Outbox:
    """The delivery worker: one task per running bot; ``wake()`` after new rows."""

    def __init__(
        self,
        services: Services,
        *,
        poll_interval: float = 1.0,
        limits: dict[str, Limits] | None = None,
        lease_seconds: float = 120.0,
        max_attempts: int = 12,
        backoff_base: float = 2.0,
        backoff_cap: float = 600.0,
        send_timeout: float = 60.0,
        rng: random.Random | None = None,
    ) -> None:
        self.services = services
        self.poll_interval = poll_interval
        # overrides of the messengers' flood_limits, by sender scope or by platform
        self.limits = dict(limits or {})
        self.lease = timedelta(seconds=lease_seconds)
        self.max_attempts = max_attempts
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.send_timeout = send_timeout
        self.rng = rng or random.Random()
        self.workers: dict[str, PlatformWorker] = {}
        self._tasks: list[asyncio.Task[None]] = []
        # PostgreSQL: claims carry this process's session token, so that another process
        # takes a dead one's rows back at once instead of after the lease (claimer.py)
        self.claimer = None if services.db.is_sqlite else Claimer(services.db)
        self.dead_check_interval = 2.0

    async def start(self) -> None:
        """Recover rows left ``sending`` by a crash and start one worker per bot."""
        for bot in self.services.running_bots():
            worker = PlatformWorker(self, bot.platform.value, bot.messenger, scope=bot.scope)
            self.workers[bot.scope] = worker
            await worker.recover(on_start=True)
            self._tasks.append(asyncio.create_task(worker.run(), name=f"outbox-{bot.scope}"))

    def wake(self) -> None:
        """New rows may be due: stop waiting (safe to call any time, even before commit)."""
        for worker in self.workers.values():
            worker.wakeup.set()

    async def stop(self, grace: float = 5.0) -> None:
        """Finish the send in flight (up to ``grace`` seconds), then stop every worker."""
        for worker in self.workers.values():
            worker.stopping = True
            worker.wakeup.set()
        if self._tasks:
            _done, pending = await asyncio.wait(self._tasks, timeout=grace)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        self._tasks.clear()
        if self.claimer is not None:
            await self.claimer.close()

    async def quiet(self, timeout: float = 10.0) -> None:
        """Wait (real time) until every worker sleeps on the clock (tests with a manual
        clock then advance it)."""
        async with asyncio.timeout(timeout):
            while True:
                if all(w.quiet for w in self.workers.values()):
                    await asyncio.sleep(0.005)
                    if all(w.quiet for w in self.workers.values()):
                        return
                await asyncio.sleep(0.005)

    async def idle(self, timeout: float = 10.0) -> None:
        """Wait (real time) until no row is pending or sending on a running platform that is
        not paused or waiting for a retry — for tests and benchmarks."""
        async with asyncio.timeout(timeout):
            while True:
                async with self.services.db.session() as session:
                    now = self.services.clock.now()
                    busy = 0
                    for scope in self.workers:
                        if await platform_paused_until(session, scope, now):
                            continue
                        busy += (await session.exec(select(func.count()).select_from(
                            OutboxItem).where(
                            OutboxItem.sender == scope,
                            col(OutboxItem.status).in_((PENDING, SENDING)),
                            col(OutboxItem.next_attempt_at) <= now))).one()
                if not busy and not any(w.active for w in self.workers.values()):
                    return
                await asyncio.sleep(0.01)


class PlatformWorker:
    """Drains one bot's rows (``sender == scope``) in order under its limits."""

    def __init__(self, outbox: Outbox, platform: str, messenger: Messenger, *,
                 scope: str | None = None) -> None:
        self.outbox = outbox
        self.services = outbox.services
        self.platform = platform
        self.scope = scope or platform  # the bot's sender scope (RunningBot.scope)
        self.messenger = messenger
        self.clock = self.services.clock
        limits = (outbox.limits.get(self.scope) or outbox.limits.get(platform)
                  or messenger.capabilities.flood_limits)
        self.limiter = RateLimiter(limits or NO_LIMITS, self.clock)
        # PostgreSQL: several processes drain the outbox, so the platform's budgets live in
        # the database (bot/sharedrate.py), spent in the claiming transaction.  The in-memory
        # limiter still runs (it only ever sees a subset of the sends, so it is never looser).
        self.shared = not self.services.db.is_sqlite
        self.wakeup = asyncio.Event()
        self.stopping = False
        self.failures = 0  # consecutive transient failures (drives the back-off)
        self.active = False  # inside a step (claiming, sending or recording)
        self.waiting = False  # sleeping until the clock moves or a wake-up
        self.sends = 0
        self.stale_slots = 0  # claims given back because the send would have left too late
        self._pause_checked: datetime | None = None
        self._touched: set[int] = set()  # batches with rows settled since the last check
        self._settle_checked: datetime | None = None
        self._paused_until: datetime | None = None
        self._dead_checked: datetime | None = None
        self._ahead: tuple[OutboxItem, int] | None = None  # claimed, waiting for the window

    # -------------------------------------------------------------- loop
    async def run(self) -> None:
        """Send until stopped; never raises."""
        while not self.stopping:
            self.wakeup.clear()
            self.active = True
            try:
                delay = await self.step()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("outbox %s: unexpected error; retrying in %.0fs", self.scope,
                              self.outbox.poll_interval)
                delay = self.outbox.poll_interval
            finally:
                self.active = False
            if delay > 0 and not self.stopping:
                await self._wait(min(delay, self.outbox.poll_interval))

    async def _wait(self, seconds: float) -> None:
        """Wait ``seconds`` of clock time, or less when woken."""
        if self.wakeup.is_set():
            return
        self.waiting = True
        waker = asyncio.ensure_future(self.wakeup.wait())
        sleeper = asyncio.ensure_future(self.clock.sleep(seconds))
        try:
            await asyncio.wait({waker, sleeper}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            self.waiting = False
            for task in (waker, sleeper):
                task.cancel()

    @property
    def quiet(self) -> bool:
        """True when nothing happens until the clock moves or rows arrive."""
        return self.waiting and not self.active and not self.wakeup.is_set()

    async def step(self) -> float:
        """Send at most one row; return how long to wait before the next step (0 = at once)."""
        await self._settle_touched()
        if self._ahead is None:
            # One process (SQLite): the next row is claimed while the overall window is
            # still closed, so the send leaves the moment it opens instead of after a claim
            # and its commit.  The row waits in ``sending`` unsent: after a crash it is sent
            # once, so still at most the one message in flight can be repeated.
            ahead = not self.shared
            if not ahead:
                wait = self.limiter.overall_wait()
                if wait > 0:
                    return wait
            claimed = await self._claim(overall=not ahead)
            if claimed is None:
                await self._settle_touched(force=True)
                return 0.0
            if isinstance(claimed, float):
                return claimed
            self._ahead = claimed
        item, units = self._ahead
        wait = self.limiter.overall_wait(units)
        if wait > 0:
            return wait
        self._ahead = None
        await self._send(item, units)
        return 0.0

    # -------------------------------------------------------------- claiming
    def _is_group(self, item: OutboxItem) -> bool:
        prefixes = self.messenger.capabilities.group_chat_prefixes
        return bool(prefixes) and item.chat_external_id.startswith(prefixes)

    async def _claim(self, *, overall: bool = True) -> tuple[OutboxItem, int] | float | None:
        """Mark the next sendable row ``sending`` (committed); else seconds to wait.
        ``overall=False``: the overall window is not asked (the caller waits for it)."""
        db = self.services.db
        claimer = self.outbox.claimer
        token = await claimer.current() if claimer is not None else None
        now = self.clock.now()
        async with db.session() as session:
            resume = await self._paused(session, now)
            if resume is not None:
                return (resume - now).total_seconds()
            if claimer is not None and (self._dead_checked is None or (
                    now - self._dead_checked).total_seconds() >= self.outbox.dead_check_interval):
                self._dead_checked = now
                await self._reclaim_dead(session, now)
            stmt = select(OutboxItem).where(
                OutboxItem.sender == self.scope, OutboxItem.status == PENDING,
                col(OutboxItem.next_attempt_at) <= now,
            ).order_by(col(OutboxItem.id)).limit(16)
            if not db.is_sqlite:
                stmt = stmt.with_for_update(skip_locked=True)
            rows = (await session.exec(stmt)).all()
            if not rows and self._touched:
                return None  # settle the finished batches first, then wait
            if not rows:
                return await self._idle_wait(session, now)
            seen: set[str] = set()
            best_wait = self.outbox.poll_interval
            for item in rows:
                if item.chat_external_id in seen:
                    continue  # keep each chat's messages in order
                seen.add(item.chat_external_id)
                units = message_units(deserialize(item.payload),
                                      self.messenger.capabilities.max_text)
                wait = self.limiter.chat_wait(item.chat_external_id,
                                              is_group=self._is_group(item), units=units,
                                              overall=overall)
                if wait == 0 and self.shared:
                    wait, key = await sharedrate.acquire(session, self._rules(item), now, units,
                                                         clock=self.clock)
                    if key == self.scope:
                        return max(wait, 0.01)  # the whole bot's budget is spent
                if wait > 0:
                    best_wait = min(best_wait, wait)
                    continue
                item.status = SENDING
                item.claimed_at = self.clock.now() if self.shared else now  # the budget's slot
                item.claimed_by = token
                item.attempts += 1
                session.add(item)
                return item, units
            return max(best_wait, 0.01)

    def _rules(self, item: OutboxItem) -> list[sharedrate.Rule]:
        """The shared budgets one send to ``item``'s chat spends."""
        return sharedrate.rules_for(self.limiter.limits, self.scope, item.chat_external_id,
                                    is_group=self._is_group(item))

    async def _share_pause(self, key: str, seconds: float) -> None:
        """Make a pause ordered by the platform hold in every process."""
        if not self.shared:
            return
        async with self.services.db.session() as session:
            await sharedrate.pause(session, key,
                                   self.clock.now() + timedelta(seconds=seconds))

    async def _settle_touched(self, *, force: bool = False) -> None:
        """Close finished batches (and queue their reports) about once a second while busy,
        at once when idle: counting a batch's open rows after every send would cost more
        than the send."""
        if not self._touched:
            return
        now = self.clock.now()
        if not force and self._settle_checked is not None and (
                now - self._settle_checked).total_seconds() < 1.0:
            return
        self._settle_checked = now
        touched, self._touched = self._touched, set()
        for batch_id in sorted(touched):
            await self._settle(batch_id)

    async def _paused(self, session: AsyncSession, now: datetime) -> datetime | None:
        """The platform pause, read from the DB at most once a second (other processes)."""
        if self._pause_checked is None or (now - self._pause_checked).total_seconds() >= 1 or (
                self._paused_until is not None):
            self._paused_until = await platform_paused_until(session, self.scope, now)
            self._pause_checked = now
        return self._paused_until

    async def _idle_wait(self, session: AsyncSession, now: datetime) -> float:
        """Nothing due: recover stale claims and say when the next retry is due."""
        await self.recover(session=session)
        nxt = (await session.exec(select(func.min(OutboxItem.next_attempt_at)).where(
            OutboxItem.sender == self.scope, OutboxItem.status == PENDING))).one()
        if nxt is None:
            return self.outbox.poll_interval
        if nxt.tzinfo is None:
            nxt = nxt.replace(tzinfo=now.tzinfo)
        return max(0.01, (nxt - now).total_seconds())

    async def _reclaim_dead(self, session: AsyncSession, now: datetime) -> int:
        """Put back to pending the rows claimed by a process whose database session is gone."""
        result = await session.exec(update(OutboxItem).where(
            col(OutboxItem.sender) == self.scope, col(OutboxItem.status) == SENDING,
            dead_claims_clause()).values(status=PENDING, next_attempt_at=now, claimed_by=None))
        count = max(0, result.rowcount or 0)
        if count:
            log.warning("outbox %s: %d message(s) claimed by a process that died will be sent "
                        "again", self.scope, count)
        return count

    async def recover(self, *, on_start: bool = False, session: AsyncSession | None = None
                      ) -> int:
        """Put rows stuck in ``sending`` back to ``pending``: all of them at start on SQLite
        (one process), else those whose claim is older than the lease (a dead process)."""
        now = self.clock.now()
        stmt = update(OutboxItem).where(
            col(OutboxItem.sender) == self.scope, col(OutboxItem.status) == SENDING)
        if not (on_start and self.services.db.is_sqlite):
            stmt = stmt.where(col(OutboxItem.claimed_at) < now - self.outbox.lease)
        stmt = stmt.values(status=PENDING, next_attempt_at=now)
        if session is not None:
            result = await session.exec(stmt)
        else:
            async with self.services.db.session() as own:
                result = await own.exec(stmt)
        count = max(0, result.rowcount or 0)
        if count:
            log.warning("outbox %s: %d message(s) interrupted mid-send will be sent again",
                        self.scope, count)
        return count

    # -------------------------------------------------------------- sending
    async def _send(self, item: OutboxItem, units: int) -> None:
        if self.shared and item.claimed_at is not None and (
                self.clock.now() - item.claimed_at).total_seconds() > sharedrate.SEND_LAG:
            await self._release(item)  # the slot went stale: the send could bunch with others
            return
        message = deserialize(item.payload)
        chat = item.chat_external_id
        try:
            try:
                async with asyncio.timeout(self.outbox.send_timeout):
                    sent = await self.messenger.send(chat, message)
            finally:
                # counted when the platform has answered: the platform counted it on arrival,
                # earlier, so our windows can only be later than its own (never a burst seen
                # as spread out, whatever the network's jitter)
                self.limiter.record(chat, is_group=self._is_group(item), units=units)
        except SendError as exc:
            await self._failed(item, exc)
            return
        except TimeoutError:
            await self._failed(item, SendError(SendErrorKind.TRANSIENT, "send timed out"))
            return
        except Exception as exc:  # an adapter bug must not kill the worker
            await self._failed(item, SendError(SendErrorKind.TRANSIENT, repr(exc)))
            return
        self.failures = 0
        self.sends += 1
        self.services.metrics.sends.labels(self.platform, "ok").inc()
        await self._succeeded(item, sent)

    async def _release(self, item: OutboxItem) -> None:
        """Give a claim back unsent (no attempt counted); it is claimed again at once."""
        self.stale_slots += 1
        async with self.services.db.session() as session:
            await session.exec(update(OutboxItem).where(
                col(OutboxItem.id) == item.id).values(
                status=PENDING, attempts=item.attempts - 1, next_attempt_at=self.clock.now()))

    async def _succeeded(self, item: OutboxItem, sent: SentRef) -> None:
        now = self.clock.now()
        async with self.services.db.session() as session:
            await session.exec(update(OutboxItem).where(
                col(OutboxItem.id) == item.id).values(
                status=SENT, sent_at=now, message_ids=list(sent.message_ids),
                message_id=sent.first, error=None, error_detail=None))
        if item.pin and sent.first and self.messenger.capabilities.pin:
            pinned = await self._pin(item.chat_external_id, sent.first)
            async with self.services.db.session() as session:
                await session.exec(update(OutboxItem).where(
                    col(OutboxItem.id) == item.id).values(pinned=pinned))
        if item.batch_id is not None:
            self._touched.add(item.batch_id)

    async def _pin(self, chat: str, message_id: str) -> bool:
        try:
            return await self.messenger.pin(chat, message_id)
        except Exception as exc:
            log.info("outbox %s: could not pin in %s: %s", self.scope, chat, exc)
            return False

    async def _failed(self, item: OutboxItem, exc: SendError) -> None:
        kind = exc.kind
        self.services.metrics.sends.labels(self.platform, kind.value).inc()
        handler = {
            SendErrorKind.RETRY_AFTER: self._on_retry_after,
            SendErrorKind.TRANSIENT: self._on_transient,
            SendErrorKind.MIGRATED: self._on_migrated,
            SendErrorKind.QUOTA: self._on_quota,
        }.get(kind, self._on_permanent)
        await handler(item, exc)

    async def _reschedule(self, item: OutboxItem, at: datetime, *, count: bool) -> None:
        async with self.services.db.session() as session:
            row = await session.get(OutboxItem, item.id)
            if row is None:
                return
            row.status, row.next_attempt_at = PENDING, at
            self.services.metrics.retries.labels(self.platform).inc()
            if not count:
                row.attempts = max(0, row.attempts - 1)

    async def _on_retry_after(self, item: OutboxItem, exc: SendError) -> None:
        seconds = max(1.0, float(exc.retry_after or 1.0))
        chat = item.chat_external_id
        scope = "chat"
        if self._sent_to_before(chat):
            self.limiter.pause_chat(chat, seconds)
            await self._share_pause(f"{self.scope}:{chat}", seconds)
        else:
            scope = "platform"
            self.limiter.pause_all(seconds)
            await self._share_pause(self.scope, seconds)
        log.warning("outbox %s: rate limited sending to %s; pausing the %s for %.0fs",
                    self.scope, chat, scope, seconds)
        await self._reschedule(item, self.clock.now() + timedelta(seconds=seconds),
                               count=False)

    def _sent_to_before(self, chat: str) -> bool:
        """True when the chat had earlier sends in our windows besides the failed one."""
        bucket = self.limiter.buckets.get(chat)
        if bucket is not None and bucket.tokens < bucket.burst - 1:
            return True
        window = self.limiter.groups.get(chat)
        return window is not None and len(window.events) > 1

    async def _on_transient(self, item: OutboxItem, exc: SendError) -> None:
        self.failures += 1
        delay = min(self.outbox.backoff_cap, self.outbox.backoff_base * 2 ** (self.failures - 1))
        delay *= 0.5 + self.outbox.rng.random() / 2
        if item.attempts >= self.outbox.max_attempts:
            log.error("outbox %s: giving up on message %s to %s after %d attempts: %s",
                      self.scope, item.id, item.chat_external_id, item.attempts, exc.detail)
            await self._fail_rows(item, "transient", exc.detail)
            return
        log.warning("outbox %s: temporary error sending to %s (%s); retrying in %.1fs",
                    self.scope, item.chat_external_id, exc.detail[:200], delay)
        self.limiter.pause_all(delay)
        await self._reschedule(item, self.clock.now() + timedelta(seconds=delay), count=True)

    async def _on_migrated(self, item: OutboxItem, exc: SendError) -> None:
        new_id = exc.new_chat_id
        if not new_id or new_id == item.chat_external_id:
            await self._on_permanent(item, SendError(SendErrorKind.BAD_REQUEST, exc.detail))
            return
        old_id = item.chat_external_id
        async with self.services.db.session() as session:
            await repo.migrate_chat(session, self.platform, old_id, new_id)
            await session.exec(update(OutboxItem).where(
                col(OutboxItem.platform) == self.platform,
                col(OutboxItem.chat_external_id) == old_id,
                col(OutboxItem.status).in_((PENDING, SENDING)),
            ).values(chat_external_id=new_id))
            row = await session.get(OutboxItem, item.id)
            if row is not None:
                row.status, row.next_attempt_at = PENDING, self.clock.now()
                row.attempts = max(0, row.attempts - 1)
        log.warning("outbox %s: group %s became supergroup %s; sending there", self.scope,
                    old_id, new_id)

    async def _on_permanent(self, item: OutboxItem, exc: SendError) -> None:
        code = exc.kind.value
        if exc.kind in (SendErrorKind.FORBIDDEN, SendErrorKind.NOT_FOUND):
            log.warning("outbox %s: chat %s is gone (%s: %s); marking it inactive",
                        self.scope, item.chat_external_id, code, exc.detail[:200])
            async with self.services.db.session() as session:
                chat = await _chat_of(session, item)
                if chat is not None:
                    chat.active, chat.inactive_reason = False, code
            await self._fail_rows(item, code, exc.detail, whole_chat=True)
            return
        log.warning("outbox %s: message %s to %s refused (%s: %s); not retrying",
                    self.scope, item.id, item.chat_external_id, code, exc.detail[:200])
        await self._fail_rows(item, code, exc.detail)

    async def _fail_rows(self, item: OutboxItem, code: str, detail: str, *,
                         whole_chat: bool = False) -> None:
        batches: set[int] = set()
        async with self.services.db.session() as session:
            rows = [await session.get(OutboxItem, item.id)]
            if whole_chat:
                rows += list((await session.exec(select(OutboxItem).where(
                    OutboxItem.platform == self.platform,
                    OutboxItem.chat_external_id == item.chat_external_id,
                    col(OutboxItem.status).in_((PENDING,))))).all())
            for row in rows:
                if row is None:
                    continue
                row.status, row.error, row.error_detail = FAILED, code, detail[:500]
                if row.batch_id is not None:
                    batches.add(row.batch_id)
        for batch_id in sorted(batches):
            await self._settle(batch_id)

    async def _on_quota(self, item: OutboxItem, exc: SendError) -> None:
        now = self.clock.now()
        until = next_month_start(now)
        log.error("outbox %s: quota exhausted (%s); pausing %s until %s",
                  self.scope, exc.detail[:200], self.scope, until.isoformat())
        self._paused_until, self._pause_checked = until, now
        async with self.services.db.session() as session:
            pause = await session.get(PlatformPause, self.scope)
            if pause is None:
                session.add(PlatformPause(platform=self.scope, paused_at=now,
                                          paused_until=until, reason="quota"))
            else:
                pause.paused_at, pause.paused_until, pause.reason = now, until, "quota"
            row = await session.get(OutboxItem, item.id)
            if row is not None:
                row.status, row.next_attempt_at = PENDING, now
                row.attempts = max(0, row.attempts - 1)
        async with self.services.db.session() as session:
            await notify_paused(session, self.services, self.scope, now, until)
            batch_ids = (await session.exec(select(OutboxItem.batch_id).where(
                OutboxItem.sender == self.scope, OutboxItem.status == PENDING,
                col(OutboxItem.batch_id).is_not(None)).distinct())).all()
        for batch_id in batch_ids:
            if batch_id is not None:
                await self._settle(batch_id)

    # -------------------------------------------------------------- reports
    @staticmethod
    async def _paused_platforms(session: AsyncSession, now: datetime) -> set[str]:
        return {p.platform for p in (await session.exec(select(PlatformPause).where(
            col(PlatformPause.paused_until) > now))).all()}

    async def _open_in_batch(self, session: AsyncSession, batch_id: int, now: datetime,
                             paused: set[str] | None = None) -> int:
        """Rows of the batch that can still move (pending or sending, bot not paused)."""
        if paused is None:
            paused = await self._paused_platforms(session, now)
        return int((await session.exec(select(func.count()).select_from(OutboxItem).where(
            OutboxItem.batch_id == batch_id, col(OutboxItem.status).in_((PENDING, SENDING)),
            col(OutboxItem.sender).not_in(paused or {""})))).one())

    async def _settle(self, batch_id: int) -> None:
        """When no row of the batch can still move, close it and queue the author's report."""
        now = self.clock.now()
        async with self.services.db.session() as session:
            paused = await self._paused_platforms(session, now)
            if await self._open_in_batch(session, batch_id, now, paused):
                return
            rows = (await session.exec(select(OutboxItem).where(
                OutboxItem.batch_id == batch_id))).all()
            closed = await session.exec(update(OutboxBatch).where(
                col(OutboxBatch.id) == batch_id, col(OutboxBatch.done_at).is_(None),
            ).values(done_at=now))
            if not closed.rowcount:
                return
            batch = await session.get(OutboxBatch, batch_id)
            if batch is None or not batch.report_platform or not batch.report_chat:
                return
            text = await render_report(session, self.services, list(rows), paused,
                                       batch.report_locale)
            extra = await self._reach_lines(session, batch)
            if extra:
                text = "\n".join([text, *extra])
            await enqueue(session, self.services, batch.report_platform, batch.report_chat,
                          OutMessage(text=text), kind=REPORT_KIND, ref_id=batch_id,
                          dedupe_key=f"report:{batch_id}")


    async def _reach_lines(self, session: AsyncSession, batch: OutboxBatch) -> list[str]:
        """The features' lines about whom the batch reached (households …), for the report.

        A failing hook costs its line, never the report (nor a batch left open for ever).
        """
        commands: CommandTable | None = getattr(self.services, "commands", None)  # no pipeline
        if commands is None or batch.ref_id is None:
            return []
        query = ReachQuery(kind=batch.kind, ref_id=batch.ref_id, batch_id=batch.id,
                           locale=batch.report_locale or self.services.settings.default_locale)
        # PostgreSQL aborts the whole transaction on a failed statement: a savepoint keeps
        # the batch's closing; SQLite goes on after a failed SELECT (and its driver's
        # savepoints are not to be trusted)
        postgres = session.bind is not None and session.bind.dialect.name == "postgresql"
        try:
            if postgres:
                async with session.begin_nested():
                    return await commands.reach_lines(session, self.services, query)
            return await commands.reach_lines(session, self.services, query)
        except Exception:
            log.exception("outbox: reach lines of batch %s failed", batch.id)
            return []


async def _chat_of(session: AsyncSession, item: OutboxItem) -> Chat | None:
    if item.chat_id is not None:
        return await session.get(Chat, item.chat_id)
    return (await session.exec(select(Chat).where(
        Chat.platform == item.platform, Chat.external_id == item.chat_external_id))).first()


async def render_report(
    session: AsyncSession, services: Services, rows: list[OutboxItem], paused: set[str],
    locale: str | None,
) -> str:
    """The author's delivery report: sent/total, failures with reasons, waiting, pins."""
    i18n = services.i18n
    sent = [r for r in rows if r.status == SENT]
    failed = [r for r in rows if r.status == FAILED]
    waiting = [r for r in rows if r.status in (PENDING, SENDING) and r.sender in paused]
    names: dict[int, str] = {}
    for r in failed + waiting + [r for r in sent if r.pinned is False]:
        if r.chat_id is not None and r.chat_id not in names:
            chat = await session.get(Chat, r.chat_id)
            names[r.chat_id] = (chat.title if chat and chat.title else r.chat_external_id)

    def name(r: OutboxItem) -> str:
        return names.get(r.chat_id or -1, r.chat_external_id)

    lines = [i18n.t(locale, "outbox-report", sent=len(sent), total=len(rows))]
    if failed:
        reasons = ", ".join(
            f"{name(r)} ({i18n.t(locale, 'outbox-reason-' + (r.error or 'transient'))})"
            for r in failed)
        lines.append(i18n.t(locale, "outbox-report-failed", list=reasons))
    if waiting:
        lines.append(i18n.t(locale, "outbox-report-waiting", count=len(waiting),
                            platform=i18n.t(locale, "outbox-platform-" + waiting[0].platform)))
    not_pinned = [r for r in sent if r.pinned is False]
    if not_pinned:
        lines.append(i18n.t(locale, "outbox-report-not-pinned",
                            list=", ".join(name(r) for r in not_pinned)))
    return "\n".join(lines)


async def notify_paused(
    session: AsyncSession, services: Services, platform: str, now: datetime, until: datetime
) -> int:
    """Tell the officials of villages with waiting rows on the paused bot (``platform`` = its
    sender scope) — once per pause, on their chats with other bots — that it stopped sending.
    Where the platform runs several bots the warning names the paused one.  Returns the number
    queued."""
    from bot.db.villages import official_chats

    scope = platform
    village_ids = (await session.exec(select(Chat.village_id).join(
        OutboxItem, col(OutboxItem.chat_id) == col(Chat.id)).where(
        OutboxItem.sender == scope, OutboxItem.status == PENDING).distinct())).all()
    targets: dict[int, Chat] = {}

    def elsewhere(chat: Chat) -> bool:
        return services.scope_of(chat.platform, chat.bot) != scope

    for village_id in village_ids:
        for chat in await official_chats(session, village_id):
            if elsewhere(chat) and chat.id is not None:
                targets.setdefault(chat.id, chat)
    authors = (await session.exec(select(OutboxBatch).join(
        OutboxItem, col(OutboxItem.batch_id) == col(OutboxBatch.id)).where(
        OutboxItem.sender == scope, OutboxItem.status == PENDING,
        col(OutboxBatch.report_chat).is_not(None)).distinct())).all()
    for batch in authors:
        if batch.report_platform:
            reporter = (await session.exec(select(Chat).where(
                Chat.platform == batch.report_platform,
                Chat.external_id == batch.report_chat))).first()
            if reporter is not None and reporter.id is not None and elsewhere(reporter):
                targets.setdefault(reporter.id, reporter)
    if not targets:
        log.warning("outbox %s: paused, and no official can be told through another bot",
                    scope)
        return 0
    i18n = services.i18n
    local_until = until.astimezone(services.settings.tz)
    bot = services.bot_of(scope)
    base = bot.platform.value if bot is not None else scope.partition(":")[0]
    named = bot is not None and sum(
        1 for b in services.running_bots() if b.platform is bot.platform) > 1

    def render(chat: Chat) -> OutMessage:
        loc = chat.locale or services.settings.default_locale
        name = i18n.t(loc, "outbox-platform-" + base)
        if named and bot is not None:
            return OutMessage(text=i18n.t(loc, "outbox-paused-quota-bot", platform=name,
                                          bot=bot.name, until=local_until.strftime("%d/%m/%Y")))
        return OutMessage(text=i18n.t(loc, "outbox-paused-quota", platform=name,
                                      until=local_until.strftime("%d/%m/%Y")))

    await fan_out(session, services, list(targets.values()), render, kind=PAUSE_KIND,
                  dedupe_key=f"pause:{scope}:{now.astimezone(VN_TZ):%Y-%m}")
    return len(targets)


async def resume_platform(session: AsyncSession, services: Services, platform: str) -> bool:
    """Lift a bot's pause (``platform`` = its sender scope: ``zalo`` for the first Zalo bot,
    ``zalo:<bot id>`` for the others), e.g. after its quota was raised; True if one was."""
    pause = await session.get(PlatformPause, platform)
    if pause is None:
        return False
    await session.delete(pause)
    _wake_after_commit(session, services)
    return True


async def rebind_chat(
    session: AsyncSession, services: Services, chat: Chat, bot: str | None
) -> bool:
    """Give ``chat`` to another bot of its platform (``/ketnoi`` through that bot); the rows
    still waiting for it move to that bot too.  True when it changed."""
    if bot is None or chat.bot == bot:
        return False
    chat.bot = bot
    if chat.id is not None:
        await session.exec(update(OutboxItem).where(
            col(OutboxItem.chat_id) == chat.id, col(OutboxItem.status) == PENDING,
        ).values(sender=services.scope_of(chat.platform, bot)))
        _wake_after_commit(session, services)
    return True
