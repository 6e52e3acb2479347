"""Resident reports (phản ánh): a problem reported with photos, followed up by the officials."""

from handlers.reports.commands import router

__all__ = ["router"]
