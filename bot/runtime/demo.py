"""Seed the simulator's demo village, official, chats and project (from ``bot/data/demo.toml``).

Only ever on the simulator's own database (``WEB_CHAT_DATABASE_URL``)."""

from __future__ import annotations

from sqlmodel import select

from bot.adapters.webchat import load_demo
from bot.core.events import ChatRef, Platform, UserRef
from bot.core.services import Services
from bot.db import repo
from bot.db.models import OfficialRole, Village
from handlers.projects.models import Project


async def seed_demo(services: Services) -> None:
    """Create the demo village and link the simulator's groups; idempotent."""
    demo = load_demo()
    now = services.clock.now()
    async with services.db.session() as session:
        village = await repo.village_by_code(session, demo["village"]["code"])
        if village is None:
            village = Village(code=demo["village"]["code"], name=demo["village"]["name"],
                              created_at=now)
            session.add(village)
            await session.flush()
        for group in demo["web"]["groups"]:
            chat = await repo.upsert_chat(
                session, ChatRef(Platform.WEB, group["id"], True, group["title"]), now)
            if chat.village_id is None:
                chat.village_id, chat.tags = village.id, group.get("tags", "")
        official_id = None
        for user in demo["web"]["users"]:
            if "title" not in user:
                continue
            person = await repo.upsert_person(
                session, UserRef(Platform.WEB, user["id"], user["name"], user["id"]), now)
            official_id = official_id or person.id
            exists = (await session.exec(select(OfficialRole).where(
                OfficialRole.person_id == person.id, OfficialRole.village_id == village.id))
            ).first()
            if exists is None:
                session.add(OfficialRole(person_id=person.id or 0, village_id=village.id,
                                         title=user["title"], granted_at=now))
        for item in demo.get("projects", []):
            project = (await session.exec(select(Project).where(
                Project.village_id == village.id, Project.code == item["code"]))).first()
            if project is None:
                session.add(Project(village_id=village.id or 0, code=item["code"],
                                    name=item["name"], budget_target=item.get("budget"),
                                    created_by=official_id, created_at=now))
