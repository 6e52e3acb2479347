"""``GET /metrics`` (Prometheus text format).

Open on a loopback ``WEB_HOST`` (the scraper runs on the same machine); on any other address it
needs ``Authorization: Bearer <METRICS_TOKEN>`` and is not served at all (404) without a token.
"""

from __future__ import annotations

import hmac
import ipaddress

from aiohttp import web
from sqlalchemy import func
from sqlmodel import col, select

from bot.core.services import Services
from bot.delivery.models import OutboxItem
from bot.runtime.metrics import content_type


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def setup(app: web.Application, services: Services) -> None:
    """Add the route."""

    async def metrics(request: web.Request) -> web.Response:
        settings = services.settings
        token = settings.metrics_token.get_secret_value() if settings.metrics_token else None
        if token is None and not _loopback(settings.web_host):
            raise web.HTTPNotFound()
        if token is not None:
            given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
            if not hmac.compare_digest(given.encode("utf-8", "replace"), token.encode()):
                raise web.HTTPUnauthorized(headers={"WWW-Authenticate": "Bearer"})
        m = services.metrics
        async with services.db.session() as session:
            rows = (await session.exec(
                select(OutboxItem.platform, OutboxItem.status, func.count())
                .group_by(col(OutboxItem.platform), col(OutboxItem.status)))).all()
        m.outbox_rows.clear()
        for platform, status, count in rows:
            m.outbox_rows.labels(platform, status).set(count)
        scheduler = services.scheduler
        m.leader.set(1 if scheduler is not None and getattr(scheduler, "is_leader", True)
                     else 0)
        return web.Response(body=m.render(), headers={"Content-Type": content_type()})

    app.router.add_get("/metrics", metrics)

