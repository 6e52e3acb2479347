"""Copy every table from one database to another (``villagebot copy-data``).

Used to move a commune from its SQLite file to PostgreSQL: both schemas are first brought to
the newest Alembic revision (the same migrations the bot runs at start), then every table of
``SQLModel.metadata`` is copied in dependency order (parents before children), in primary-key
order, in batches, inside ONE transaction on the target: a failure leaves the target as it was.
PostgreSQL sequences are then moved past the copied ids so new rows do not collide.
A target that already holds data is refused unless ``force`` (which empties it first).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Integer, Table, delete, func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import SQLModel

from bot.db.engine import Database

BATCH = 1000


class CopyError(Exception):
    """The copy cannot go ahead; ``code`` names why (a message key suffix), ``table`` where."""

    def __init__(self, code: str, table: str = "", detail: str = "") -> None:
        super().__init__(f"{code}: {table} {detail}".strip())
        self.code = code
        self.table = table
        self.detail = detail


@dataclass
class CopyResult:
    """Rows copied per table, in copy order."""

    rows: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """Rows copied in all."""
        return sum(self.rows.values())


def normalise_url(url: str) -> str:
    """Accept the short spellings the settings accept (``postgresql://``, ``sqlite:///``)."""
    if url.startswith("postgresql://"):
        return "postgresql+asyncpg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite:///"):
        return "sqlite+aiosqlite:///" + url.removeprefix("sqlite:///")
    if not url.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
        raise CopyError("bad-url", detail=url.split("://", 1)[0])
    return url


def tables() -> list[Table]:
    """Every table of the app in dependency order (parents first)."""
    from bot.db import all_models  # noqa: F401  (complete metadata)

    return list(SQLModel.metadata.sorted_tables)


async def non_empty(conn: AsyncConnection, all_tables: list[Table]) -> list[str]:
    """Names of tables that hold at least one row."""
    full = []
    for table in all_tables:
        if (await conn.execute(select(func.count()).select_from(table))).scalar_one():
            full.append(table.name)
    return full


async def reset_sequences(conn: AsyncConnection, all_tables: list[Table]) -> None:
    """PostgreSQL: set each serial/identity sequence to continue after the largest id."""
    for table in all_tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, Integer):
            continue
        column = pk[0].name
        seq: str | None = (await conn.execute(text("select pg_get_serial_sequence(:t, :c)"),
                                  {"t": f'"{table.name}"', "c": column})).scalar_one()
        if seq is None:
            continue
        top = (await conn.execute(select(func.max(pk[0])))).scalar_one()
        await conn.execute(text("select setval(:s, :v, :called)"),
                           {"s": seq, "v": top or 1, "called": top is not None})


async def copy_data(source_url: str, target_url: str, *, force: bool = False,
                    batch: int = BATCH) -> CopyResult:
    """Upgrade both schemas and copy every row from ``source_url`` to ``target_url``."""
    source_url, target_url = normalise_url(source_url), normalise_url(target_url)
    if source_url == target_url:
        raise CopyError("same-database")
    src, dst = Database(source_url), Database(target_url)
    try:
        await src.upgrade()
        await dst.upgrade()
        all_tables = tables()
        result = CopyResult()
        async with src.engine.connect() as read, dst.engine.begin() as write:
            full = await non_empty(write, all_tables)
            if full and not force:
                raise CopyError("target-not-empty", ", ".join(full))
            for table in reversed(all_tables):
                await write.execute(delete(table))
            for table in all_tables:
                result.rows[table.name] = await _copy_table(read, write, table, batch)
            if dst.engine.dialect.name == "postgresql":
                await reset_sequences(write, all_tables)
        return result
    finally:
        await src.close()
        await dst.close()


async def _copy_table(read: AsyncConnection, write: AsyncConnection, table: Table,
                      batch: int) -> int:
    query = select(table).order_by(*table.primary_key.columns)
    stream = await read.stream(query.execution_options(yield_per=batch))
    copied = 0
    async for chunk in stream.mappings().partitions(batch):
        rows = [dict(r) for r in chunk]
        try:
            await write.execute(table.insert(), rows)
        except Exception as exc:
            raise CopyError("row-rejected", table.name, str(exc).splitlines()[0][:300]) from exc
        copied += len(rows)
    return copied
