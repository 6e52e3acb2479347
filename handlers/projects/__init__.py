"""Construction projects: photo timelines, donation ledger, VietQR, village page and poster."""

from handlers.projects import commands, page

router = commands.router.include(page.router)

__all__ = ["router"]
