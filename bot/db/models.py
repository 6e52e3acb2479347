"""Core tables: villages, chats, people, official roles, the audit log and seen messages.

Platform ids are stored as strings keyed by (platform, external id).  Every datetime is aware
UTC (sqlmodel's UTCDateTime rejects naive values).  Feature tables live in their own modules
in their feature packages (``handlers/<feature>/models.py``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel


class Village(SQLModel, table=True):
    """A thôn / tổ dân phố served by this deployment."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(index=True, unique=True, max_length=40)
    name: str = Field(max_length=200)
    settings: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime


class Chat(SQLModel, table=True):
    """A group or private chat on one platform, optionally linked to a village."""

    __table_args__ = (UniqueConstraint("platform", "external_id"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    external_id: str = Field(max_length=64)
    is_group: bool = False
    title: str | None = Field(default=None, max_length=255)
    village_id: int | None = Field(default=None, foreign_key="village.id", index=True)
    tags: str = Field(default="", max_length=500)  # comma-separated, e.g. "dang-vien,huu-tri"
    locale: str | None = Field(default=None, max_length=8)
    active: bool = True  # false once the platform says the bot is gone
    inactive_reason: str | None = Field(default=None, max_length=255)
    # the platform id of the bot that is in this chat (several Zalo bots: each has its groups);
    # None = the platform's first bot
    bot: str | None = Field(default=None, max_length=64)
    created_at: datetime

    @property
    def tag_list(self) -> list[str]:
        """Tags as a list."""
        return [t for t in self.tags.split(",") if t]


class Person(SQLModel, table=True):
    """Someone the bot has seen on one platform."""

    __table_args__ = (UniqueConstraint("platform", "external_id"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    external_id: str = Field(max_length=64)
    display_name: str = Field(default="", max_length=255)
    username: str | None = Field(default=None, max_length=64, index=True)
    locale: str | None = Field(default=None, max_length=8)
    created_at: datetime


class OfficialRole(SQLModel, table=True):
    """An official's role in a village, or in the whole commune when ``village_id`` is None."""

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    village_id: int | None = Field(default=None, foreign_key="village.id", index=True)
    title: str = Field(max_length=120)
    phone: str | None = Field(default=None, max_length=32)
    granted_by: int | None = Field(default=None, foreign_key="person.id")
    granted_at: datetime
    revoked_at: datetime | None = None


class AuditEntry(SQLModel, table=True):
    """Everything an official or admin does, and every refused attempt."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id")
    village_id: int | None = Field(default=None, foreign_key="village.id")
    action: str = Field(max_length=64)
    allowed: bool = True
    detail: str = Field(default="", max_length=2000)


class SeenMessage(SQLModel, table=True):
    """Inbound message ids already handled, to drop redeliveries (Zalo) exactly once."""

    platform: str = Field(primary_key=True, max_length=16)
    chat_external_id: str = Field(primary_key=True, max_length=64)
    message_id: str = Field(primary_key=True, max_length=64)
    seen_at: datetime = Field(index=True)


class ChatMember(SQLModel, table=True):
    """A person seen writing in a group chat (who a group's messages reach, for households)."""

    __tablename__ = "chat_member"

    chat_id: int = Field(foreign_key="chat.id", primary_key=True)
    person_id: int = Field(foreign_key="person.id", primary_key=True, index=True)
    first_seen: datetime
