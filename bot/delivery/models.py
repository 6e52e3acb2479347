"""Outbox tables: every message to another chat is a row here before any network call.

A :class:`OutboxBatch` groups the rows of one fan-out (one notice to many chats) so the author
gets one delivery report; :class:`OutboxItem` is one message to one chat; :class:`PlatformPause`
records that a whole platform is stopped (Zalo's monthly quota) across restarts and processes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

PENDING = "pending"
SENDING = "sending"
SENT = "sent"
FAILED = "failed"


class OutboxBatch(SQLModel, table=True):
    """One fan-out; ``report_*`` says where the delivery report goes when every row settled."""

    __tablename__ = "outbox_batch"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32)
    ref_id: int | None = None
    author_id: int | None = Field(default=None, foreign_key="person.id")
    report_platform: str | None = Field(default=None, max_length=16)
    report_chat: str | None = Field(default=None, max_length=64)
    report_locale: str | None = Field(default=None, max_length=8)
    total: int = 0
    created_at: datetime
    done_at: datetime | None = None


class OutboxItem(SQLModel, table=True):
    """One message to one chat; ``status`` moves pending → sending → sent | failed."""

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("dedupe_key", "chat_id"),
        Index("ix_outbox_claim", "platform", "status", "id"),
        Index("ix_outbox_sender_claim", "sender", "status", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    batch_id: int | None = Field(default=None, foreign_key="outbox_batch.id", index=True)
    kind: str = Field(max_length=32)
    ref_id: int | None = Field(default=None, index=True)
    chat_id: int | None = Field(default=None, foreign_key="chat.id")
    platform: str = Field(max_length=16)
    # the bot that sends it: the platform's name for its first bot, "platform:<bot id>" else
    sender: str = Field(default="", max_length=80)
    chat_external_id: str = Field(max_length=64)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    pin: bool = False
    dedupe_key: str | None = Field(default=None, max_length=120)
    status: str = Field(default=PENDING, max_length=16)
    attempts: int = 0
    next_attempt_at: datetime
    claimed_at: datetime | None = None
    claimed_by: str | None = Field(default=None, max_length=64)  # claimer's PG session
    sent_at: datetime | None = None
    message_id: str | None = Field(default=None, max_length=64)
    message_ids: list[Any] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    pinned: bool | None = None
    error: str | None = Field(default=None, max_length=32)
    error_detail: str | None = Field(default=None, max_length=500)
    created_at: datetime


class PlatformPause(SQLModel, table=True):
    """A bot whose sending is stopped until ``paused_until`` (e.g. its Zalo quota is gone).

    ``platform`` is the bot's outbox sender: the platform's name for its first bot, else
    ``platform:<bot id>``.
    """

    __tablename__ = "platform_pause"

    platform: str = Field(primary_key=True, max_length=80)
    paused_at: datetime
    paused_until: datetime
    reason: str = Field(default="", max_length=64)
