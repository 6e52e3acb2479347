"""Help desk: diacritic-free FAQ answers, choices, questions routed to officials."""

from handlers.faq import commands, reach

router = commands.router.include(reach.router)

__all__ = ["router"]
