"""Help desk: diacritic-free FAQ answers, choices, questions routed to officials."""

from handlers.faq.commands import router

__all__ = ["router"]
