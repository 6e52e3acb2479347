"""Resident reports (phản ánh): a problem reported with photos, followed up by the officials."""

from handlers.reports import page
from handlers.reports.commands import router as _commands

router = _commands.include(page.section_router)

__all__ = ["router"]
