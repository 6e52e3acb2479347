"""Meetings: natural-Vietnamese times, ``/lich-hop``, RSVP, reminders, recurring notices, ICS."""

from bot.core.router import Router
from handlers.meetings import commands, extra

router = Router("meetings").include(commands.router, extra.router)

__all__ = ["router"]
