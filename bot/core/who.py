"""``<who>`` arguments: a reply to the person's message, ``@username`` or ``telegram:<id>``."""

from __future__ import annotations

from bot.core.context import Context
from bot.db import repo
from bot.db import villages as vl
from bot.db.models import Person


async def resolve_who(ctx: Context, tokens: list[str]) -> tuple[Person | None, list[str]]:
    """The person named by the first token or by the replied-to message, and the rest.

    Answers the user itself (and returns None) when the person cannot be found.
    """
    spec = vl.parse_who(tokens[0]) if tokens else None
    if spec is not None:
        rest = tokens[1:]
        if spec.username is not None:
            person = await vl.person_by_username(ctx.session, platform=ctx.msg.platform.value,
                                                 username=spec.username)
            if person is None:
                await ctx.say("who-unknown-username", username=spec.username,
                              platform=ctx.msg.platform.value)
            return person, rest
        assert spec.platform is not None and spec.id is not None
        person = await vl.person_by_id(ctx.session, platform=spec.platform,
                                       external_id=spec.id, now=ctx.now)
        return person, rest
    reply = ctx.msg.reply_to
    if reply is not None and reply.sender is not None and not reply.sender.is_bot:
        return await repo.upsert_person(ctx.session, reply.sender, ctx.now), tokens
    return None, tokens
