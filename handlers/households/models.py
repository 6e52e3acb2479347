"""Households (hộ) of a village and the people linked to them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

PENDING = "pending"  # a resident asked with /hocuatoi; an official has not confirmed yet
LINKED = "linked"


class Household(SQLModel, table=True):
    """One household: its xóm, head, optional phone; ``number`` is its stable number."""

    __table_args__ = (UniqueConstraint("village_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    village_id: int = Field(foreign_key="village.id")
    number: int
    hamlet: str = Field(max_length=80)  # xóm
    head_name: str = Field(max_length=160)
    phone: str | None = Field(default=None, max_length=32)
    removed: bool = False
    created_at: datetime
    updated_at: datetime


class HouseholdMember(SQLModel, table=True):
    """A person's link (or request) to a household; at most one per person per village."""

    __tablename__ = "household_member"
    __table_args__ = (UniqueConstraint("village_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    village_id: int = Field(foreign_key="village.id")
    household_id: int = Field(foreign_key="household.id", index=True)
    person_id: int = Field(foreign_key="person.id")
    status: str = Field(default=PENDING, max_length=16)
    requested_at: datetime
    linked_at: datetime | None = None
    linked_by: int | None = Field(default=None, foreign_key="person.id")


class HouseholdImport(SQLModel, table=True):
    """A checked household file waiting for the official's ``/xacnhan`` (expires)."""

    __tablename__ = "household_import"

    id: int | None = Field(default=None, primary_key=True)
    village_id: int = Field(foreign_key="village.id")
    author_id: int = Field(foreign_key="person.id")
    rows: list[Any] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: str = Field(default="draft", max_length=16)
    created_at: datetime
    expires_at: datetime
