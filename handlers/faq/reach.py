"""Residents' questions reach officials only in a private chat with the bot, which a platform
lets the bot open only after the official wrote to it: an official without one who runs a
command in a group while the village has questions waiting is asked, once, to open it."""

from __future__ import annotations

from sqlmodel import select

from bot.core.context import Context
from bot.core.router import Router
from bot.db import repo
from bot.db import villages as vl
from bot.db.models import AuditEntry
from handlers.faq.models import OPEN, Question

router = Router("faq-reach")

ACTION = "faq-mo-tin-rieng"  # audit line: the official was asked to open a private chat


class _Told(set[int]):
    """Person ids already told or already reachable (this process; the audit log remembers)."""


@router.after_command
async def ask_official_to_open_private_chat(ctx: Context) -> None:
    """After an official's command in a group: once, ask them to write to the bot privately."""
    if not ctx.msg.chat.is_group or not ctx.roles or ctx.person.id is None:
        return
    told = ctx.services.component(_Told, _Told)
    if ctx.person.id in told or ctx.village is None:
        return
    if await vl.private_chat_of(ctx.session, ctx.person) is not None:
        told.add(ctx.person.id)
        return
    waiting = (await ctx.session.exec(select(Question.id).where(
        Question.village_id == ctx.village.id, Question.status == OPEN))).all()
    if not waiting:
        return
    told.add(ctx.person.id)
    if (await ctx.session.exec(select(AuditEntry.id).where(
            AuditEntry.action == ACTION, AuditEntry.person_id == ctx.person.id))).first():
        return
    await repo.audit(ctx.session, now=ctx.now, action=ACTION, person_id=ctx.person.id,
                     village_id=ctx.village.id)
    await ctx.session.commit()  # remembered before it is said: told once, even after a crash
    username = ctx.services.username_of(ctx.msg.platform, ctx.msg.chat.bot)
    await ctx.say("faq-open-private-chat", name=ctx.person.display_name or "",
                  count=len(waiting), bot=f"@{username}" if username else "bot")
