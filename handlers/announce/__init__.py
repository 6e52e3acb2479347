"""Notices (``/thongbao``): preview, fan-out to every chat, acknowledgements, reports."""

from handlers.announce import commands, page

router = commands.router.include(page.router)

__all__ = ["router"]
