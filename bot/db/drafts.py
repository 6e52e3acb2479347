"""Previews waiting for ``/xacnhan``: one mechanism for everything residents receive.

A feature that would send something to the village (a notice, a meeting created, moved or
cancelled, a recurring notice) stores a :class:`PendingDraft` with what it understood, shows
the preview, and sends nothing.  ``/xacnhan [n]`` (or the preview's button) runs the confirm
function the feature registered for the draft's ``kind`` with ``Router.draft`` — with a
context of the person confirming, so roles are checked as they are *at that moment*
(:mod:`bot.core.drafts`) — and ``/huy [n]`` drops it.
A draft expires after :data:`DRAFT_TTL`; the preview says until when.

Each draft takes a stable per-village number (kind ``"draft"``), which the preview shows and
``/xacnhan <n>`` accepts; without a number the person's latest pending draft is meant.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.sequences import next_number
from bot.text.numbers import db_id

DRAFT_TTL = timedelta(hours=1)
PENDING = "pending"
CONFIRMED = "confirmed"
DROPPED = "dropped"
EXPIRED = "expired"
ASKING = "asking"  # a step-by-step question waiting for its author's answer (ref_id = chat)
FLOW_TTL = timedelta(minutes=10)  # silence that ends a step-by-step question



class PendingDraft(SQLModel, table=True):
    """One preview waiting for its author's confirmation."""

    __tablename__ = "pending_draft"

    id: int | None = Field(default=None, primary_key=True)
    village_id: int | None = Field(default=None, index=True)
    number: int
    person_id: int = Field(index=True)
    kind: str = Field(max_length=32)
    ref_id: int | None = None  # the feature's own row (e.g. the notice), if any
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    status: str = Field(default=PENDING, max_length=16)
    created_at: datetime
    expires_at: datetime


async def put(
    session: AsyncSession, *, village_id: int | None, person_id: int, kind: str,
    payload: dict[str, Any], now: datetime, ref_id: int | None = None,
) -> PendingDraft:
    """Store a new pending draft (numbered in the village) and return it."""
    draft = PendingDraft(
        village_id=village_id, person_id=person_id, kind=kind, ref_id=ref_id, payload=payload,
        number=await next_number(session, village_id=village_id, kind="draft"),
        created_at=now, expires_at=now + DRAFT_TTL)
    session.add(draft)
    await session.flush()
    return draft


async def find(
    session: AsyncSession, *, person_id: int, now: datetime, number: int | None = None,
    village_id: int | None = None, draft_id: int | None = None, kind: str | None = None,
) -> PendingDraft | None:
    """The person's pending draft: by id, by (village, number), or the latest one (of
    ``kind`` when given)."""
    stmt = select(PendingDraft).where(PendingDraft.person_id == person_id,
                                      PendingDraft.status == PENDING)
    if kind is not None:
        stmt = stmt.where(PendingDraft.kind == kind)
    if draft_id is not None:
        stmt = stmt.where(PendingDraft.id == db_id(draft_id))
    elif number is not None:
        stmt = stmt.where(PendingDraft.number == db_id(number),
                          PendingDraft.village_id == village_id)
    draft = (await session.exec(stmt.order_by(col(PendingDraft.id).desc()))).first()
    if draft is not None and _aware(draft.expires_at) <= now:
        draft.status = EXPIRED
        await session.flush()
        return None
    return draft


async def by_ref(session: AsyncSession, *, kind: str, ref_id: int) -> PendingDraft | None:
    """The pending draft made for a feature's row (e.g. a notice's preview buttons)."""
    return (await session.exec(select(PendingDraft).where(
        PendingDraft.kind == kind, PendingDraft.ref_id == db_id(ref_id),
        PendingDraft.status == PENDING))).first()


def expires_text(draft: PendingDraft, tz: Any) -> str:
    """``HH:MM`` local time the draft expires at."""
    return _aware(draft.expires_at).astimezone(tz).strftime("%H:%M")


def _aware(value: datetime) -> datetime:
    from datetime import UTC

    return value if value.tzinfo else value.replace(tzinfo=UTC)


async def ask(
    session: AsyncSession, *, chat_id: int, person_id: int, village_id: int | None, kind: str,
    payload: dict[str, Any], now: datetime,
) -> PendingDraft:
    """Start or move on a step-by-step question of one person in one chat (one at a time)."""
    flow = await asking(session, chat_id=chat_id, person_id=person_id, now=now)
    if flow is None:
        flow = PendingDraft(village_id=village_id, person_id=person_id, kind=kind, number=0,
                            ref_id=chat_id, status=ASKING, created_at=now, expires_at=now)
        session.add(flow)
    flow.kind, flow.payload, flow.expires_at = kind, dict(payload), now + FLOW_TTL
    await session.flush()
    return flow


async def asking(
    session: AsyncSession, *, chat_id: int | None, person_id: int, now: datetime,
) -> PendingDraft | None:
    """The person's open question in this chat (``chat_id`` None: in any chat), if not stale."""
    stmt = select(PendingDraft).where(PendingDraft.person_id == person_id,
                                      PendingDraft.status == ASKING)
    if chat_id is not None:
        stmt = stmt.where(PendingDraft.ref_id == chat_id)
    flow = (await session.exec(stmt.order_by(col(PendingDraft.id).desc()))).first()
    if flow is not None and _aware(flow.expires_at) <= now:
        flow.status = EXPIRED
        await session.flush()
        return None
    return flow


async def end_question(session: AsyncSession, flow: PendingDraft) -> None:
    """The question is answered (or dropped)."""
    flow.status = DROPPED
    await session.flush()


def audience_text(t: Callable[..., str], chats: list[Any]) -> str:
    """"2 nhóm Telegram, 1 nhóm Zalo, 14 người đăng ký" for the chats a draft would reach."""
    groups: dict[str, int] = {}
    people = 0
    for chat in chats:
        if chat.is_group:
            groups[chat.platform] = groups.get(chat.platform, 0) + 1
        else:
            people += 1
    parts = [t(f"draft-audience-{platform}", n=n) for platform, n in sorted(groups.items())]
    if people:
        parts.append(t("draft-audience-people", n=people))
    return ", ".join(parts) or t("draft-audience-nobody")
