"""Meetings: natural-Vietnamese times, ``/lich-hop``, RSVP, reminders, recurring notices, ICS."""

from bot.core.router import Router
from handlers.meetings import commands, extra, page

router = Router("meetings").include(commands.router, extra.router, page.router)

__all__ = ["router"]
