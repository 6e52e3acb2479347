"""Meetings: /lich-hop (stub until the meetings feature lands)."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.router import Router

router = Router("meetings")


@router.command("lich_hop", "lich-hop", "lichhop", help_key="help-lich-hop",
                words=("lịch họp",))
async def list_meetings(ctx: Context) -> None:
    """List upcoming meetings of this chat's village."""
    if ctx.village is None:
        await ctx.say("error-no-village")
        return
    await ctx.say("meetings-none", village=ctx.village.name)
