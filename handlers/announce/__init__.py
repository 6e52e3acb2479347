"""Notices (``/thongbao``): preview, fan-out to every chat, acknowledgements, reports."""

from handlers.announce.commands import router

__all__ = ["router"]
