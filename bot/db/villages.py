"""Villages, their linked chats and officials: queries shared by every feature.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import AuditEntry, Chat, OfficialRole, Person, Village

if TYPE_CHECKING:
    pass

CODE_RE = re.compile(r"[a-z0-9-]{2,40}")
TAG_RE = re.compile(r"[a-z0-9-]{1,40}")
PLATFORMS = ("telegram", "zalo", "web")
COMMUNE = "xa"  # the code that means "the whole commune" in /capquyen and /thuhoiquyen
SETTING_TG_ADMINS = "telegram_admins_are_officials"



# ---------------------------------------------------------------- pure parsing


def normalize_code(text: str) -> str | None:
    """A valid village code (lower-cased) or None."""
    code = text.strip().lower()
    return code if CODE_RE.fullmatch(code) else None


def parse_tags(tokens: list[str]) -> tuple[list[str], list[str]]:
    """Split tag tokens (``#`` optional) into (valid lower-case tags, invalid tokens)."""
    good: list[str] = []
    bad: list[str] = []
    for token in tokens:
        tag = token.strip().lstrip("#").lower()
        if TAG_RE.fullmatch(tag):
            if tag not in good:
                good.append(tag)
        else:
            bad.append(token)
    return good, bad


@dataclass(frozen=True, slots=True)
class WhoSpec:
    """Who an admin named: ``username`` (without @) or an explicit ``platform`` + ``id``."""

    username: str | None = None
    platform: str | None = None
    id: str | None = None


_EXPLICIT_RE = re.compile(r"(telegram|zalo|web|tg|zl):([A-Za-z0-9_.\-]{1,64})", re.IGNORECASE)
_USERNAME_RE = re.compile(r"@([A-Za-z0-9_]{3,64})")
_PLATFORM_ALIASES = {"tg": "telegram", "zl": "zalo"}


def parse_who(token: str) -> WhoSpec | None:
    """Parse ``@username`` or ``telegram:<id>`` / ``zalo:<id>`` / ``web:<id>``; else None."""
    token = token.strip()
    if m := _USERNAME_RE.fullmatch(token):
        return WhoSpec(username=m.group(1))
    if m := _EXPLICIT_RE.fullmatch(token):
        platform = m.group(1).lower()
        return WhoSpec(platform=_PLATFORM_ALIASES.get(platform, platform), id=m.group(2))
    return None


def parse_switch(text: str) -> bool | None:
    """``bat``/``on`` → True, ``tat``/``off`` → False, anything else → None."""
    from bot.text.fold import fold

    word = fold(text.strip())
    if word in ("bat", "on", "1", "yes", "co"):
        return True
    if word in ("tat", "off", "0", "no", "khong"):
        return False
    return None


# ---------------------------------------------------------------- queries


async def all_villages(session: AsyncSession) -> list[Village]:
    """Every village, by code."""
    return list((await session.exec(select(Village).order_by(col(Village.code)))).all())


async def village_codes(session: AsyncSession) -> list[str]:
    """Every village code, sorted."""
    return [v.code for v in await all_villages(session)]


async def create_village(
    session: AsyncSession, *, code: str, name: str, now: datetime
) -> Village | None:
    """Create a village; None when the code is taken."""
    existing = (await session.exec(select(Village).where(Village.code == code))).first()
    if existing is not None:
        return None
    village = Village(code=code, name=name, created_at=now)
    session.add(village)
    await session.flush()
    return village


async def village_chats(
    session: AsyncSession,
    village_id: int,
    *,
    tags: list[str] | None = None,
    include_private: bool = True,
) -> list[Chat]:
    """Active chats linked to a village: groups, plus subscribed private chats.

    With ``tags``, only group chats carrying at least one of them.
    """
    rows = (await session.exec(select(Chat).where(
        Chat.village_id == village_id, col(Chat.active).is_(True)).order_by(col(Chat.id)))).all()
    return _filter_chats(list(rows), tags=tags, include_private=include_private)


async def commune_chats(
    session: AsyncSession, *, tags: list[str] | None = None, include_private: bool = True
) -> list[Chat]:
    """Active chats linked to any village of the commune."""
    rows = (await session.exec(select(Chat).where(
        col(Chat.village_id).is_not(None), col(Chat.active).is_(True)).order_by(col(Chat.id))
    )).all()
    return _filter_chats(list(rows), tags=tags, include_private=include_private)


def _filter_chats(
    chats: list[Chat], *, tags: list[str] | None, include_private: bool
) -> list[Chat]:
    if tags:
        wanted = set(tags)
        return [c for c in chats if c.is_group and wanted & set(c.tag_list)]
    return [c for c in chats if c.is_group or include_private]


async def village_tags(session: AsyncSession, village_id: int) -> list[str]:
    """Every tag used by the village's active group chats, sorted."""
    chats = await village_chats(session, village_id, include_private=False)
    return sorted({t for c in chats for t in c.tag_list})


async def village_officials(
    session: AsyncSession, village_id: int | None, *, include_commune: bool = True
) -> list[tuple[OfficialRole, Person]]:
    """Active roles in the village (and of the commune), village ones first."""
    where: list[ColumnElement[bool]] = [col(OfficialRole.revoked_at).is_(None)]
    if village_id is None:
        where.append(col(OfficialRole.village_id).is_(None))
    elif include_commune:
        where.append((col(OfficialRole.village_id) == village_id)
                     | col(OfficialRole.village_id).is_(None))
    else:
        where.append(col(OfficialRole.village_id) == village_id)
    rows = (await session.exec(
        select(OfficialRole, Person).join(Person, col(Person.id) == OfficialRole.person_id)
        .where(*where).order_by(col(OfficialRole.granted_at), col(OfficialRole.id)))).all()
    pairs = [(r, p) for r, p in rows]
    return sorted(pairs, key=lambda rp: rp[0].village_id is None)


async def private_chat_of(session: AsyncSession, person: Person) -> Chat | None:
    """The person's active private chat with the bot, if they ever wrote to it."""
    from bot.adapters import capabilities_of  # the platform registry (no SDK import)

    ids = [person.external_id]
    prefix = capabilities_of(person.platform).private_chat_prefix
    if prefix:  # the web chat names private chats "dm-<user>"
        ids.append(f"{prefix}{person.external_id}")
    return (await session.exec(select(Chat).where(
        Chat.platform == person.platform, col(Chat.external_id).in_(ids),
        col(Chat.is_group).is_(False), col(Chat.active).is_(True)))).first()


async def official_chats(
    session: AsyncSession, village_id: int | None, *, include_commune: bool = True
) -> list[Chat]:
    """Private chats of the village's officials (one per chat), to notify them directly."""
    chats: dict[int, Chat] = {}
    for _role, person in await village_officials(session, village_id,
                                                 include_commune=include_commune):
        chat = await private_chat_of(session, person)
        if chat is not None and chat.id is not None:
            chats.setdefault(chat.id, chat)
    return list(chats.values())


async def person_by_username(
    session: AsyncSession, *, platform: str, username: str
) -> Person | None:
    """A person seen on ``platform`` with this @username (case-insensitive)."""
    from sqlalchemy import func

    return (await session.exec(select(Person).where(
        Person.platform == platform,
        func.lower(Person.username) == username.lower()))).first()


async def person_by_id(
    session: AsyncSession, *, platform: str, external_id: str, now: datetime
) -> Person:
    """The person with this platform id, created (nameless) if never seen."""
    person = (await session.exec(select(Person).where(
        Person.platform == platform, Person.external_id == external_id))).first()
    if person is None:
        person = Person(platform=platform, external_id=external_id, created_at=now)
        session.add(person)
        await session.flush()
    return person


async def grant_role(
    session: AsyncSession,
    *,
    person_id: int,
    village_id: int | None,
    title: str,
    granted_by: int | None,
    now: datetime,
) -> tuple[OfficialRole, bool]:
    """Grant a role; an active role in the same place gets the new title. (role, created)."""
    existing = (await session.exec(select(OfficialRole).where(
        OfficialRole.person_id == person_id, OfficialRole.village_id == village_id,
        col(OfficialRole.revoked_at).is_(None)))).first()
    if existing is not None:
        existing.title = title
        return existing, False
    role = OfficialRole(person_id=person_id, village_id=village_id, title=title,
                        granted_by=granted_by, granted_at=now)
    session.add(role)
    await session.flush()
    return role, True


async def revoke_roles(
    session: AsyncSession,
    *,
    person_id: int,
    now: datetime,
    village_id: int | None = None,
    only_place: bool = False,
) -> list[OfficialRole]:
    """Revoke a person's active roles (all, or only the one in ``village_id`` if only_place)."""
    where: list[ColumnElement[bool]] = [col(OfficialRole.person_id) == person_id,
                                        col(OfficialRole.revoked_at).is_(None)]
    if only_place:
        where.append(col(OfficialRole.village_id) == village_id if village_id is not None
                     else col(OfficialRole.village_id).is_(None))
    roles = list((await session.exec(select(OfficialRole).where(*where))).all())
    for role in roles:
        role.revoked_at = now
    return roles


async def recent_audit(
    session: AsyncSession, *, limit: int = 10
) -> list[tuple[AuditEntry, Person | None, Village | None]]:
    """The latest audit entries, newest first, with the person and village when known."""
    rows = (await session.exec(
        select(AuditEntry, Person, Village)
        .join(Person, col(Person.id) == AuditEntry.person_id, isouter=True)
        .join(Village, col(Village.id) == AuditEntry.village_id, isouter=True)
        .order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc()).limit(limit))).all()
    return [(a, p, v) for a, p, v in rows]


# ---------------------------------------------------------------- role hook


def telegram_admins_are_officials(village: Village | None) -> bool:
    """The village setting that lets Telegram group admins act as officials there."""
    return bool(village is not None and (village.settings or {}).get(SETTING_TG_ADMINS))
