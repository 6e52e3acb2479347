"""Construction projects: photo timelines, donation ledger, VietQR, village page and poster."""

from handlers.projects.commands import router

__all__ = ["router"]
