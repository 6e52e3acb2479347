"""Send budgets shared by every process: GCRA rate limiting on rows of ``rate_state``.

Why GCRA (the "generic cell rate algorithm", a token bucket kept as ONE number): a key's whole
state is its theoretical arrival time ``tat``; a send of ``units`` messages is allowed when
``tat <= now + tolerance`` and then moves ``tat`` to ``max(tat, now) + units * interval``.  The
rows of one send are read ``FOR UPDATE`` (in key order) and written in the same transaction:
PostgreSQL serialises the writers of a row, so two processes can never both spend the last
slot, and a refused send changes nothing.

Keys and rules (:func:`rules_for`), built from :class:`bot.delivery.ratelimit.Limits`:

- the platform as a whole (``telegram``): a burst of up to 3 (``overall // 2``), then one
  message per ``overall_window / (overall - burst + 1)`` widened by the margin and
  :data:`SEND_LAG` — at most ``overall`` sends in any ``overall_window`` as long as every send
  leaves within :data:`SEND_LAG` of its slot (Telegram: ~22.8/s sustained);
- one chat (``telegram:<chat id>``): private chats ``1 / per_chat_rate`` with a tolerance of
  ``per_chat_burst - 1`` intervals; groups the slower of that and the same burst-then-steady
  rule as the platform's for ``per_group`` in ``group_window`` (Telegram: 3 at once, then one
  per 3.5 s) — at most ``per_group`` in any ``group_window``.

:func:`acquire` takes every rule of one send in ONE transaction (platform first, then chat:
a fixed order, so no deadlocks) and is meant to run in the transaction that claims the outbox
row: if the claim rolls back, so does the spent budget.  :func:`pause` pushes a key's ``tat``
forward (``retry_after`` from the platform, for one chat or for everyone).  Times are epoch
seconds from the injected clock; processes on different machines need NTP (the margin absorbs
milliseconds).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.clock import Clock
from bot.db.scaleout_models import RateState
from bot.delivery.ratelimit import Limits

EPSILON = 0.001
# A send must leave within SEND_LAG seconds of its slot (the outbox re-queues a row whose slot
# went stale, e.g. on a busy machine); the windows are widened by as much, so the sends — not
# only the slots — stay within the limits: any window of sends lies within window + SEND_LAG
# of slots.
SEND_LAG = 0.2


@dataclass(frozen=True, slots=True)
class Rule:
    """One GCRA key: a message costs ``interval`` seconds; ``tolerance`` allows a burst."""

    key: str
    interval: float
    tolerance: float = 0.0


def rules_for(limits: Limits, platform: str, chat_id: str, *, is_group: bool) -> list[Rule]:
    """The rules one send to ``chat_id`` on ``platform`` must pass (platform rule first)."""

    def stretch(window: float) -> float:  # the margin, and the send lag relative to the window
        return 1.0 + limits.margin + SEND_LAG / window

    rules: list[Rule] = []
    if limits.overall:
        # a burst of b at one instant, then one per interval: any window holds at most
        # b - 1 + window / interval messages, so interval = window / (overall - b + 1)
        burst = min(3, max(1, limits.overall // 2))
        interval = (limits.overall_window / (limits.overall - burst + 1)
                    * stretch(limits.overall_window))
        rules.append(Rule(platform, interval, (burst - 1) * interval))
    chat_interval, tolerance = 0.0, 0.0
    if limits.per_chat_rate:
        chat_interval = stretch(1 / limits.per_chat_rate) / limits.per_chat_rate
        tolerance = (max(1, limits.per_chat_burst) - 1) * chat_interval
    if is_group and limits.per_group:
        burst = min(max(1, limits.per_chat_burst), max(1, limits.per_group // 2))
        group_interval = (limits.group_window / (limits.per_group - burst + 1)
                          * stretch(limits.group_window))
        if group_interval >= chat_interval:
            chat_interval, tolerance = group_interval, (burst - 1) * group_interval
    if chat_interval > 0:
        rules.append(Rule(f"{platform}:{chat_id}", chat_interval, tolerance))
    return rules


def _dialect(session: AsyncSession) -> str:
    return session.bind.dialect.name if session.bind else "sqlite"


async def _rows(session: AsyncSession, keys: list[str]) -> dict[str, RateState]:
    """The rows of ``keys`` (created at 0 when new), locked FOR UPDATE on PostgreSQL, in key
    order (every process locks in the same order: no deadlocks)."""
    keys = sorted(set(keys))
    insert = pg_insert if _dialect(session) == "postgresql" else sqlite_insert
    for key in keys:
        stmt = insert(RateState).values(key=key, tat=0.0).on_conflict_do_nothing()
        await session.exec(stmt)
    query = select(RateState).where(col(RateState.key).in_(keys)).order_by(
        col(RateState.key)).execution_options(populate_existing=True)
    if _dialect(session) == "postgresql":
        query = query.with_for_update()
    return {row.key: row for row in (await session.exec(query)).all()}


async def acquire(session: AsyncSession, rules: list[Rule], now: datetime,
                  units: int = 1, *, clock: Clock | None = None) -> tuple[float, str | None]:
    """Spend ``units`` under every rule and return ``(0.0, None)``, or spend nothing and
    return the seconds to wait and the key that refused (the longest wait).  Call inside the
    claiming transaction; its commit makes it count (the rows stay locked until then, so no
    other process can spend the same budget).  With ``clock``, the time is read once the rows
    are locked (waiting for another process's lock does not make the slot stale)."""
    if not rules:
        return 0.0, None
    rows = await _rows(session, [r.key for r in rules])
    t = (clock.now() if clock is not None else now).timestamp()
    wait, blocking = 0.0, None
    for rule in rules:
        need = rows[rule.key].tat - rule.tolerance - t
        if need > max(wait, EPSILON):
            wait, blocking = need, rule.key
    if blocking is not None:
        return wait, blocking
    for rule in rules:
        row = rows[rule.key]
        row.tat = max(row.tat, t) + units * rule.interval
        session.add(row)
    await session.flush()
    return 0.0, None


async def pause(session: AsyncSession, key: str, until: datetime) -> None:
    """Send nothing under ``key`` (a platform or ``platform:chat``) before ``until``."""
    row = (await _rows(session, [key]))[key]
    row.tat = max(row.tat, until.timestamp())
    session.add(row)
    await session.flush()
