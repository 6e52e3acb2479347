"""Households (hộ): the village's list, import, links to people, who a notice did not reach."""

from handlers.households.commands import router

__all__ = ["router"]
