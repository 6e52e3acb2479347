"""Shared send-rate state for several bot processes (PostgreSQL scale-out).

One row per rate key (``telegram`` for the platform as a whole, ``telegram:-100123`` for one
chat): ``tat`` is the GCRA "theoretical arrival time" in epoch seconds — the instant the key's
budget is fully free again.  Rows are updated atomically (``UPDATE … WHERE tat <= … RETURNING``)
in the transaction that claims an outbox row, so every process sees the same budget.
"""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class RateState(SQLModel, table=True):
    """The GCRA state of one rate key."""

    __tablename__ = "rate_state"

    key: str = Field(primary_key=True, max_length=120)
    tat: float = 0.0
