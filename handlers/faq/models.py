"""FAQ tables: a village's own help-desk entries, residents' questions, and offered choices.

``VillageFaq`` rows are added to the shipped knowledge base when a village's index is built
(a near-identical question replaces the default entry).  ``Question`` is a question the
matcher could not answer, waiting for an official's ``/traloi``.  ``FaqChoice`` remembers the
numbered list last shown to one person in one chat, so ``/hoi 2`` works from any process.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

OPEN = "open"
ANSWERED = "answered"


class VillageFaq(SQLModel, table=True):
    """One question/answer pair written by a village's officials."""

    __tablename__ = "village_faq"

    id: int | None = Field(default=None, primary_key=True)
    village_id: int = Field(foreign_key="village.id", index=True)
    question: str = Field(max_length=500)
    answer: str = Field(max_length=4000)
    keywords: str = Field(default="", max_length=1000)  # comma-separated
    locale: str = Field(default="vi", max_length=8)
    created_by: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime
    updated_at: datetime
    deleted: bool = False

    @property
    def keyword_list(self) -> list[str]:
        """Keywords as a list."""
        return [k.strip() for k in self.keywords.split(",") if k.strip()]


class Question(SQLModel, table=True):
    """A resident's question nobody answered yet (or that an official answered)."""

    __tablename__ = "faq_question"
    __table_args__ = (Index("ux_faq_question_village_number", "village_id", "number",
                            unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    village_id: int | None = Field(default=None, foreign_key="village.id", index=True)
    number: int | None = None  # stable per-village number (kind "question")
    person_id: int = Field(foreign_key="person.id")
    chat_platform: str = Field(max_length=16)
    chat_external_id: str = Field(max_length=64)
    chat_is_group: bool = False
    text: str = Field(max_length=2000)
    locale: str = Field(default="vi", max_length=8)
    status: str = Field(default=OPEN, max_length=16, index=True)
    answered_by: int | None = Field(default=None, foreign_key="person.id")
    answer: str | None = Field(default=None, max_length=4000)
    created_at: datetime
    answered_at: datetime | None = None


class FaqChoice(SQLModel, table=True):
    """The numbered choices last shown to a person in a chat (entry ids, best first)."""

    __tablename__ = "faq_choice"

    chat_id: int = Field(foreign_key="chat.id", primary_key=True)
    person_id: int = Field(foreign_key="person.id", primary_key=True)
    entry_ids: list[Any] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime
