"""Thin async queries on the core tables (chats, people, roles, audit)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlalchemy import and_, bindparam, func, inspect
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.events import ChatRef, UserRef
from bot.db.models import (
    AuditEntry,
    Chat,
    ChatMember,
    OfficialRole,
    Person,
    SeenMessage,
    Village,
)
from bot.db.read_cache import ReadCache

_Row = TypeVar("_Row", bound=SQLModel)


async def upsert_chat(session: AsyncSession, ref: ChatRef, now: datetime) -> Chat:
    """The stored chat for ``ref``, created on first sight; keeps its title fresh.

    A new chat belongs to the bot that saw it (``ref.bot``); a known chat keeps its bot
    (``/ketnoi`` moves it to another one).
    """
    chat = (await session.exec(select(Chat).where(
        Chat.platform == ref.platform.value, Chat.external_id == ref.id))).first()
    if chat is None:
        chat = Chat(platform=ref.platform.value, external_id=ref.id, is_group=ref.is_group,
                    title=ref.title, bot=ref.bot, created_at=now)
        session.add(chat)
        await session.flush()
    else:
        if ref.title and chat.title != ref.title:
            chat.title = ref.title
        if ref.bot and chat.bot is None:
            chat.bot = ref.bot
    return chat


async def upsert_person(session: AsyncSession, ref: UserRef, now: datetime) -> Person:
    """The stored person for ``ref``, created on first sight; keeps name and username fresh."""
    person = (await session.exec(select(Person).where(
        Person.platform == ref.platform.value, Person.external_id == ref.id))).first()
    if person is None:
        person = Person(platform=ref.platform.value, external_id=ref.id,
                        display_name=ref.name, username=ref.username, created_at=now)
        session.add(person)
        await session.flush()
    else:
        if ref.name and person.display_name != ref.name:
            person.display_name = ref.name
        if ref.username and person.username != ref.username:
            person.username = ref.username
    return person


@dataclass(slots=True)
class Known:
    """A chat and sender already stored, with the sender's roles and the chat's village."""

    chat: Chat
    person: Person
    roles: list[OfficialRole]
    village: Village | None
    member: bool = True  # the pair is in chat_member (always True for private chats)


# Built once: constructing this select costs more CPU than running it (bound per call).
_KNOWN = (
    select(  # type: ignore[call-overload]  # sqlmodel types select() for up to 4 columns
        Chat, Person, OfficialRole, Village, ChatMember.person_id)
    .select_from(Chat)
    .join(Person, and_(col(Person.platform) == bindparam("sender_platform"),
                       col(Person.external_id) == bindparam("sender_id")))
    .outerjoin(OfficialRole, and_(col(OfficialRole.person_id) == Person.id,
                                  col(OfficialRole.revoked_at).is_(None)))
    .outerjoin(Village, col(Village.id) == Chat.village_id)
    .outerjoin(ChatMember, and_(col(ChatMember.chat_id) == Chat.id,
                                col(ChatMember.person_id) == Person.id))
    .where(Chat.platform == bindparam("chat_platform"), Chat.external_id == bindparam("chat_id"))
    .order_by(col(OfficialRole.id))
)


async def load_known(
    session: AsyncSession, chat: ChatRef, sender: UserRef, cache: ReadCache
) -> Known | None:
    """Chat, person, active roles and the chat's village in ONE query; None on first sight.

    The hot path of every update: one round trip instead of four, none when ``cache`` holds the
    pair.  Title and name changes are applied to the loaded rows like
    :func:`upsert_chat` and :func:`upsert_person` do.
    """
    key = (chat.platform.value, chat.id, sender.platform.value, sender.id)
    cached = cache.get(key)
    if cached is not None:
        merge = session.sync_session.merge  # no I/O with load=False
        found_chat, person, village = (merge(cached.chat, load=False),
                                       merge(cached.person, load=False),
                                       merge(cached.village, load=False)
                                       if cached.village is not None else None)
        roles = [merge(role, load=False) for role in cached.roles]
        member = cached.member
    else:
        generation = cache.generation
        rows = (await session.exec(_KNOWN, params={
            "chat_platform": chat.platform.value, "chat_id": chat.id,
            "sender_platform": sender.platform.value, "sender_id": sender.id})).all()
        if not rows:
            return None
        found_chat, person, _role, village, member_id = rows[0]
        roles = [row[2] for row in rows if row[2] is not None]
        member = member_id is not None or not found_chat.is_group
        cache.put(key, Known(detached(found_chat), detached(person),
                             [detached(r) for r in roles],
                             detached(village) if village is not None else None, member),
                  generation)
    if chat.title and found_chat.title != chat.title:
        found_chat.title = chat.title
    if sender.name and person.display_name != sender.name:
        person.display_name = sender.name
    if sender.username and person.username != sender.username:
        person.username = sender.username
    return Known(found_chat, person, roles, village, member)


async def add_member(session: AsyncSession, chat: Chat, person: Person, now: datetime) -> None:
    """Record that ``person`` writes in group ``chat`` (once; later calls change nothing)."""
    if not chat.is_group or chat.id is None or person.id is None:
        return
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    await session.exec(insert(ChatMember).values(
        chat_id=chat.id, person_id=person.id, first_seen=now).on_conflict_do_nothing())


def detached(row: _Row) -> _Row:
    """A clean detached copy of a loaded row (cacheable; what ``merge(load=False)`` needs)."""
    cls = type(row)
    copy = cls(**{attr.key: getattr(row, attr.key) for attr in inspect(cls).column_attrs})
    make_transient_to_detached(copy)
    return copy


async def mark_seen(
    session: AsyncSession, platform: str, chat_id: str, message_id: str, now: datetime
) -> bool:
    """Record an inbound message id; False if it was already handled (a redelivery)."""
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    connection = await session.connection()  # Core, not ORM bulk insert: rowcount counts
    result = await connection.execute(_SEEN[dialect == "postgresql"], {
        "platform": platform, "chat_external_id": chat_id, "message_id": message_id,
        "seen_at": now})
    return bool(result.rowcount)


# (SQLite, PostgreSQL): built once, bound per call (the hot write of every webhook update)
_SEEN = tuple(
    insert(SeenMessage).values(
        platform=bindparam("platform"), chat_external_id=bindparam("chat_external_id"),
        message_id=bindparam("message_id"), seen_at=bindparam("seen_at"))
    .on_conflict_do_nothing() for insert in (sqlite_insert, pg_insert))


async def village_by_code(session: AsyncSession, code: str) -> Village | None:
    """A village by its short code (case-insensitive)."""
    return (await session.exec(select(Village).where(
        func.lower(Village.code) == code.strip().lower()))).first()


async def active_roles(session: AsyncSession, person_id: int) -> list[OfficialRole]:
    """The person's official roles that are not revoked."""
    return list((await session.exec(select(OfficialRole).where(
        OfficialRole.person_id == person_id,
        col(OfficialRole.revoked_at).is_(None)))).all())


async def audit(
    session: AsyncSession,
    *,
    now: datetime,
    action: str,
    person_id: int | None,
    village_id: int | None = None,
    allowed: bool = True,
    detail: str = "",
) -> None:
    """Append one line to the audit log."""
    session.add(AuditEntry(at=now, person_id=person_id, village_id=village_id, action=action,
                           allowed=allowed, detail=detail[:2000]))


async def migrate_chat(session: AsyncSession, platform: str, old_id: str, new_id: str) -> None:
    """A Telegram group became a supergroup: keep its link, tags and language on the new id.

    When the new id is already stored (the bot saw the supergroup first), the new row inherits
    what it lacks and the old one is retired; otherwise the old row simply takes the new id.
    """
    old = (await session.exec(select(Chat).where(
        Chat.platform == platform, Chat.external_id == old_id))).first()
    if old is None:
        return
    existing = (await session.exec(select(Chat).where(
        Chat.platform == platform, Chat.external_id == new_id))).first()
    if existing is not None and existing.id != old.id:
        existing.village_id = existing.village_id or old.village_id
        existing.tags = existing.tags or old.tags
        existing.locale = existing.locale or old.locale
        old.active, old.inactive_reason = False, "migrated"
    else:
        old.external_id = new_id
