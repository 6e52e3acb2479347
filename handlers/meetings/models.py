"""Meeting tables: meetings, RSVPs, reminder rows, recurring notices and /taohop drafts.

The reminder rows are the source of truth for reminders: the scheduler only wakes up at their
``fire_at``; a row is flipped ``pending`` → ``sent`` by a conditional UPDATE in the same
transaction that queues the messages, so a reminder can never be sent twice.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

MEETING_SCHEDULED = "scheduled"
MEETING_CANCELLED = "cancelled"
REMINDER_PENDING = "pending"
REMINDER_SENT = "sent"
REMINDER_SKIPPED = "skipped"
RSVP_YES = "yes"
RSVP_NO = "no"


class Meeting(SQLModel, table=True):
    """A village meeting; ``version`` grows each time it is moved or cancelled."""

    __table_args__ = (Index("ux_meeting_village_number", "village_id", "number", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    village_id: int = Field(foreign_key="village.id", index=True)
    number: int | None = None  # stable per-village number (bot.db.sequences, kind "meeting")
    starts_at: datetime = Field(index=True)
    place: str = Field(default="", max_length=255)
    topic: str = Field(default="", max_length=1000)
    status: str = Field(default=MEETING_SCHEDULED, max_length=16)
    created_by: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime
    updated_at: datetime
    version: int = 1


class Rsvp(SQLModel, table=True):
    """One person's answer (yes/no) to one meeting."""

    __table_args__ = (UniqueConstraint("meeting_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    person_id: int = Field(foreign_key="person.id")
    answer: str = Field(max_length=8)
    answered_at: datetime


class Reminder(SQLModel, table=True):
    """One reminder of one meeting version, due at ``fire_at``."""

    __table_args__ = (Index("ix_reminder_status_fire_at", "status", "fire_at"),)

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    fire_at: datetime
    offset_seconds: int
    status: str = Field(default=REMINDER_PENDING, max_length=16)
    sent_at: datetime | None = None
    late: bool = False
    meeting_version: int = 1


class RecurringNotice(SQLModel, table=True):
    """A notice repeated by an RFC 5545 rule (``/nhacdinhky``)."""

    __table_args__ = (Index("ux_recurringnotice_village_number", "village_id", "number",
                            unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    village_id: int = Field(foreign_key="village.id", index=True)
    number: int | None = None  # stable per-village number (kind "recurring")
    rrule: str = Field(max_length=500)
    text: str = Field(max_length=2000)
    created_by: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime
    active: bool = True
    next_fire_at: datetime | None = Field(default=None, index=True)
    last_fired_at: datetime | None = None


class MeetingDraft(SQLModel, table=True):
    """A /taohop being filled step by step, one per chat and person."""

    __table_args__ = (UniqueConstraint("chat_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(foreign_key="chat.id")
    person_id: int = Field(foreign_key="person.id")
    village_id: int = Field(foreign_key="village.id")
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id")  # set for /doihop
    starts_at: datetime | None = None
    place: str | None = Field(default=None, max_length=255)
    topic: str | None = Field(default=None, max_length=1000)
    rest: str | None = Field(default=None, max_length=1000)  # words to split: place / topic
    updated_at: datetime
