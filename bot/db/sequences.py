"""Stable numbers: one counter per (village, kind), given at creation and never reused.

Every thing a user refers to by number (meeting, notice, question, recurring notice, poll,
household, report) takes ``await next_number(session, village_id=..., kind="meeting")`` when it
is created and stores it in its own ``number`` column; lists, replies, reminders and buttons
show that number, and commands look the row up by (village, number), never by list position.
"""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Field, SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

NO_VILLAGE = 0  # the counter for things that belong to no village (commune-wide)


class VillageSequence(SQLModel, table=True):
    """The last number given for one kind of thing in one village."""

    __tablename__ = "village_sequence"

    village_id: int = Field(primary_key=True)
    kind: str = Field(primary_key=True, max_length=32)
    last: int = 0


async def next_number(session: AsyncSession, *, village_id: int | None, kind: str) -> int:
    """The next number of ``kind`` in the village (1, 2, 3 …), taken in the caller's transaction.

    One statement (an upsert returning the new value), so concurrent creators on PostgreSQL
    are serialised by the row lock and never get the same number; a rolled-back creation
    gives its number back only because the increment rolls back with it.
    """
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    vid = NO_VILLAGE if village_id is None else village_id
    table = VillageSequence.__table__  # type: ignore[attr-defined]
    row = insert(table).values(village_id=vid, kind=kind, last=1)
    stmt = row.on_conflict_do_update(index_elements=["village_id", "kind"],
                                     set_={"last": table.c.last + 1}).returning(table.c.last)
    return int((await session.exec(stmt)).scalar_one())


async def reserve_up_to(session: AsyncSession, *, village_id: int | None, kind: str,
                        number: int) -> None:
    """Make sure later numbers come after ``number`` (used when existing rows are numbered)."""
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    vid = NO_VILLAGE if village_id is None else village_id
    table = VillageSequence.__table__  # type: ignore[attr-defined]
    stmt = insert(table).values(village_id=vid, kind=kind, last=number)
    stmt = stmt.on_conflict_do_update(
        index_elements=["village_id", "kind"],
        set_={"last": _greatest(dialect, table.c.last, stmt.excluded.last)})
    await session.exec(stmt)


def _greatest(dialect: str, a, b):  # type: ignore[no-untyped-def]
    from sqlalchemy import func

    return func.greatest(a, b) if dialect == "postgresql" else func.max(a, b)
