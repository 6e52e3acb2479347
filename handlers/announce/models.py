"""Notices (/announce): drafts waiting for confirmation, sent notices and read acknowledgements."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

DRAFT = "draft"
SENT = "sent"
CANCELLED = "cancelled"


class Notice(SQLModel, table=True):
    """One notice; a draft until its author confirms (drafts live in the DB, not in memory)."""

    __table_args__ = (Index("ux_notice_village_number", "village_id", "number", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    village_id: int | None = Field(default=None, foreign_key="village.id", index=True)
    number: int | None = None  # stable per-village number, given when sent (kind "notice")
    author_id: int = Field(foreign_key="person.id")
    author_title: str = Field(default="", max_length=120)
    author_name: str = Field(default="", max_length=255)
    text: str
    tags: str = Field(default="", max_length=500)
    commune: bool = False
    pin: bool = False
    media: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    status: str = Field(default=DRAFT, max_length=16, index=True)
    origin_platform: str = Field(max_length=16)
    origin_chat: str = Field(max_length=64)
    locale: str = Field(default="vi", max_length=8)
    batch_id: int | None = None
    created_at: datetime
    expires_at: datetime
    sent_at: datetime | None = Field(default=None, index=True)


class NoticeAck(SQLModel, table=True):
    """One person's "read" on a notice (one per person)."""

    __tablename__ = "notice_ack"
    __table_args__ = (UniqueConstraint("notice_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    notice_id: int = Field(foreign_key="notice.id", index=True)
    person_id: int = Field(foreign_key="person.id")
    platform: str = Field(max_length=16)
    at: datetime
