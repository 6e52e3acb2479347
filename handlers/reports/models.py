"""Resident reports: the report, its photos (the problem and the result).

A report belongs to one village and has a stable ``number`` there.  ``remind_at`` is the
schedule of the stale-report reminder (None once the report is closed): the database is the
schedule, the reminder scheduler only wakes up at the earliest one.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

NEW = "new"
DOING = "doing"
DONE = "done"
REJECTED = "rejected"
OPEN = (NEW, DOING)
STATUSES = (NEW, DOING, DONE, REJECTED)

PHOTO_REPORT = "report"  # sent by the resident
PHOTO_RESULT = "result"  # sent by the official with /xong


class Report(SQLModel, table=True):
    """One problem a resident reported."""

    __tablename__ = "report"
    __table_args__ = (UniqueConstraint("village_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    village_id: int = Field(foreign_key="village.id", index=True)
    number: int
    person_id: int = Field(foreign_key="person.id", index=True)
    text: str = Field(default="", max_length=2000)
    text_key: str = Field(default="", max_length=300)  # folded text, for duplicates
    place: str = Field(default="", max_length=200)  # as typed ("đầu xóm 3")
    area: str = Field(default="", max_length=80)  # xóm-level, shown on the public page
    latitude: float | None = None
    longitude: float | None = None
    status: str = Field(default=NEW, max_length=16, index=True)
    note: str = Field(default="", max_length=2000)  # the latest official note / result / reason
    handled_by: int | None = Field(default=None, foreign_key="person.id")
    show_name: bool = False  # the reporter chose to show their name on the public page
    hidden: bool = False  # an official hid it from the public page
    source_chat_id: int | None = Field(default=None, foreign_key="chat.id")
    source_is_group: bool = False
    album_key: str | None = Field(default=None, max_length=120, index=True)
    created_at: datetime = Field(index=True)
    acted_at: datetime  # creation or the latest official action
    closed_at: datetime | None = None
    remind_at: datetime | None = Field(default=None, index=True)
    reminded_at: datetime | None = None


class ReportPhoto(SQLModel, table=True):
    """A stored photo of a report (``name`` under the media folder)."""

    __tablename__ = "report_photo"

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="report.id", index=True)
    name: str = Field(max_length=80)
    file_id: str | None = Field(default=None, max_length=255)  # Telegram, reusable there
    stage: str = Field(default=PHOTO_REPORT, max_length=8)
    created_at: datetime
