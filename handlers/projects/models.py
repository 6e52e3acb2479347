"""Construction projects: photo progress updates, their media, the donation ledger, followers.

Amounts are whole đồng in 64-bit integers (a correction is a new negative entry that may point
at the entry it reverses; nothing is ever erased).  Platform ids are strings.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, UniqueConstraint
from sqlmodel import Field, SQLModel


class Project(SQLModel, table=True):
    """A village construction project (e.g. ``nvh`` = Nhà văn hóa) and its donation account."""

    __table_args__ = (UniqueConstraint("village_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    village_id: int = Field(foreign_key="village.id", index=True)
    code: str = Field(max_length=20)  # lower-case short tag, unique per village
    name: str = Field(max_length=200)
    budget_target: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    bank_bin: str | None = Field(default=None, max_length=6)
    bank_account: str | None = Field(default=None, max_length=19)
    account_holder: str | None = Field(default=None, max_length=120)
    account_set_by: int | None = Field(default=None, foreign_key="person.id")
    account_set_at: datetime | None = None
    progress: int = 0  # percent, 0..100, from the latest update that gave one
    created_by: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime


class ProgressUpdate(SQLModel, table=True):
    """One progress update: text, optional percent, one or more photos/videos."""

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    author_id: int | None = Field(default=None, foreign_key="person.id")
    text: str = Field(default="", max_length=2000)
    percent: int | None = None
    created_at: datetime = Field(index=True)
    album_key: str | None = Field(default=None, max_length=120, index=True)
    source_platform: str | None = Field(default=None, max_length=16)
    source_chat: str | None = Field(default=None, max_length=64)
    posted: bool = False  # fanned out to the village's chats and followers


class UpdateMedia(SQLModel, table=True):
    """A photo or video of an update, stored by the bot (``name`` under the media folder)."""

    id: int | None = Field(default=None, primary_key=True)
    update_id: int = Field(foreign_key="progressupdate.id", index=True)
    name: str | None = Field(default=None, max_length=80)  # None: video too big to keep
    kind: str = Field(default="photo", max_length=8)  # "photo" | "video"
    file_id: str | None = Field(default=None, max_length=255)  # Telegram, reusable there
    caption: str = Field(default="", max_length=1000)
    created_at: datetime


class Donation(SQLModel, table=True):
    """One ledger line; negative amounts are corrections (``reverses_id`` names the entry)."""

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    amount: int = Field(sa_column=Column(BigInteger, nullable=False))
    donor_name: str = Field(default="", max_length=200)
    anonymous: bool = False
    donor_platform: str | None = Field(default=None, max_length=16)
    donor_external_id: str | None = Field(default=None, max_length=64)
    reverses_id: int | None = Field(default=None, foreign_key="donation.id")
    note: str = Field(default="", max_length=500)
    recorded_by: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = Field(index=True)


class Follower(SQLModel, table=True):
    """A private chat that receives every update of a project (inactive = declined)."""

    __table_args__ = (UniqueConstraint("project_id", "platform", "chat_external_id"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    platform: str = Field(max_length=16)
    chat_external_id: str = Field(max_length=64)
    person_id: int | None = Field(default=None, foreign_key="person.id")
    active: bool = True
    created_at: datetime
