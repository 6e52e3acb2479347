"""The public village page ``/v/<mã thôn>`` and its poster belong to the villages feature; the
other features add their parts to it with ``@router.page_section``."""

from __future__ import annotations

from aiohttp import web

from bot.core.router import Router
from bot.core.services import Services
from bot.web.village_page import setup_routes

router = Router("villages-page")


@router.web
def page_routes(app: web.Application, services: Services) -> None:
    """``/v/<mã thôn>``, ``/v/<mã thôn>/poster.png`` and the page's script."""
    setup_routes(app, services)
