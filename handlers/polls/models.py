"""Polls (biểu quyết) and their votes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

DRAFT, OPEN, CLOSED, CANCELLED = "draft", "open", "closed", "cancelled"


class Poll(SQLModel, table=True):
    """One poll; a draft until its author confirms; ``number`` is its stable number."""

    __table_args__ = (UniqueConstraint("village_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    village_id: int = Field(foreign_key="village.id")
    number: int
    author_id: int = Field(foreign_key="person.id")
    question: str = Field(max_length=500)
    options: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    per_household: bool = False
    anonymous: bool = False
    status: str = Field(default=DRAFT, max_length=16, index=True)
    deadline_at: datetime | None = Field(default=None, index=True)
    created_at: datetime
    expires_at: datetime  # of the draft
    opened_at: datetime | None = None
    closed_at: datetime | None = None


class Vote(SQLModel, table=True):
    """One ballot: per person, or per household (a member's new vote replaces it)."""

    __table_args__ = (UniqueConstraint("poll_id", "voter_key"),)

    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(foreign_key="poll.id", index=True)
    voter_key: str = Field(max_length=40)  # "p:<person id>" or "h:<household id>"
    person_id: int = Field(foreign_key="person.id")
    household_id: int | None = Field(default=None, foreign_key="household.id")
    option: int
    at: datetime
