"""Queries on the FAQ tables (village entries, residents' questions, offered choices)."""

from __future__ import annotations

from datetime import datetime
from functools import cache

from sqlalchemy import Insert, func
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.text.numbers import db_id
from handlers.faq.models import ANSWERED, OPEN, FaqChoice, Question, VillageFaq


async def village_entries(session: AsyncSession, *, village_id: int) -> list[VillageFaq]:
    """The village's live entries, oldest first."""
    return list((await session.exec(select(VillageFaq).where(
        VillageFaq.village_id == village_id, col(VillageFaq.deleted).is_(False))
        .order_by(col(VillageFaq.id)))).all())


async def entries_stamp(session: AsyncSession, *, village_id: int) -> tuple[int, str]:
    """A cheap version of the village's entries: (row count, latest update) incl. deleted."""
    count, latest = (await session.exec(select(
        func.count(), func.max(VillageFaq.updated_at)).where(
        VillageFaq.village_id == village_id))).one()
    return int(count or 0), str(latest or "")


async def village_entry(
    session: AsyncSession, *, village_id: int, entry_id: int
) -> VillageFaq | None:
    """A live entry of this village by id."""
    entry = await session.get(VillageFaq, db_id(entry_id))
    if entry is None or entry.village_id != village_id or entry.deleted:
        return None
    return entry


async def add_entry(
    session: AsyncSession, *, village_id: int, question: str, answer: str,
    keywords: tuple[str, ...] = (), locale: str, created_by: int | None, now: datetime,
) -> VillageFaq:
    """Store a new village entry."""
    entry = VillageFaq(village_id=village_id, question=question[:500], answer=answer[:4000],
                       keywords=", ".join(keywords)[:1000], locale=locale,
                       created_by=created_by, created_at=now, updated_at=now)
    session.add(entry)
    await session.flush()
    return entry


async def save_choices(
    session: AsyncSession, *, chat_id: int, person_id: int, entry_ids: list[str], now: datetime
) -> None:
    """Remember the numbered list just shown to this person in this chat (one upsert)."""
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    await session.exec(_choice_upsert(dialect), params={
        "chat_id": chat_id, "person_id": person_id, "entry_ids": list(entry_ids),
        "created_at": now})


@cache
def _choice_upsert(dialect: str) -> Insert:
    """INSERT … ON CONFLICT DO UPDATE of a chat's choices (built once per dialect)."""
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    stmt = insert(FaqChoice)
    return stmt.on_conflict_do_update(
        index_elements=["chat_id", "person_id"],
        set_={"entry_ids": stmt.excluded.entry_ids, "created_at": stmt.excluded.created_at})


async def load_choices(
    session: AsyncSession, *, chat_id: int, person_id: int, since: datetime
) -> list[str]:
    """The entry ids of the last list shown here to this person, if shown after ``since``."""
    row = await session.get(FaqChoice, (chat_id, person_id))
    if row is None or row.created_at < since:
        return []
    return [str(i) for i in row.entry_ids]


async def add_question(session: AsyncSession, question: Question) -> Question:
    """Store a question for the officials, with the next number of its village."""
    from bot.db.sequences import next_number

    question.number = await next_number(session, village_id=question.village_id,
                                        kind="question")
    session.add(question)
    await session.flush()
    return question


async def open_questions(
    session: AsyncSession, *, village_id: int | None, everywhere: bool = False, limit: int = 30
) -> list[Question]:
    """Unanswered questions of a village (or without village / ``everywhere``), oldest first."""
    stmt = select(Question).where(Question.status == OPEN)
    if not everywhere:
        stmt = stmt.where(Question.village_id == village_id if village_id is not None
                          else col(Question.village_id).is_(None))
    return list((await session.exec(stmt.order_by(col(Question.id)).limit(limit))).all())


async def questions_numbered(session: AsyncSession, *, number: int) -> list[Question]:
    """Every question carrying ``number`` (one per village), open ones first."""
    rows = (await session.exec(select(Question).where(Question.number == db_id(number)))).all()
    return sorted(rows, key=lambda q: (q.status != OPEN, q.id or 0))


async def mark_answered(
    session: AsyncSession, question: Question, *, by: int | None, answer: str, now: datetime
) -> None:
    """Record an official's answer."""
    question.status, question.answered_by = ANSWERED, by
    question.answer, question.answered_at = answer[:4000], now
