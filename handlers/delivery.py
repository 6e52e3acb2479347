"""Starts the outbox delivery worker (``services.extras["outbox"]``) when the bot starts."""

from __future__ import annotations

from bot.core.router import Router
from bot.core.services import Services
from bot.outbox import Outbox

router = Router("delivery")


@router.on_start
async def start_outbox(services: Services) -> None:
    """Create the worker, resume interrupted sends and start one task per platform."""
    outbox = Outbox(services)
    services.extras["outbox"] = outbox
    await outbox.start()
