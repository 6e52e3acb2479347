"""What a feature gives the public village page: a :class:`PageSection` per part, built from a
:class:`PageRequest` (see ``Router.page_section``), and the small HTML helpers they share.

The page itself (``bot.web.village_page``) knows no feature: it lays out whatever sections the
installed features return, in feature order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.clock import to_local
from bot.core.services import Services
from bot.db.models import Village

Translate = Callable[..., str]


@dataclass(frozen=True, slots=True)
class PageRequest:
    """One rendering of one village's page, in one language."""

    services: Services
    session: AsyncSession
    village: Village
    now: datetime
    locale: str
    t: Translate

    @property
    def base_url(self) -> str | None:
        """PUBLIC_BASE_URL (absolute links are built from settings only, never the request)."""
        return self.services.settings.public_base_url

    def absolute(self, path: str) -> str | None:
        """``path`` as an absolute URL, or None when PUBLIC_BASE_URL is unset."""
        return f"{self.base_url}{path}" if self.base_url else None


@dataclass(frozen=True, slots=True)
class PageSection:
    """A part of the page: a complete ``<section>`` fragment whose author escaped every value.

    ``image`` is a site path (``/media/...``) fit for a link-preview card; ``summary`` a short
    plain-text line for the page's description.
    """

    key: str
    html: str
    image: str | None = None
    summary: str | None = None


def text_html(value: str) -> str:
    """Escaped text with line breaks kept."""
    return escape(value).replace("\n", "<br>")


def day(value: datetime) -> str:
    """``dd/mm/yyyy`` in Vietnam's time."""
    return to_local(value).strftime("%d/%m/%Y")


def weekday(value: datetime, locale: str) -> str:
    """The weekday's name in ``locale`` (``Thứ Bảy``, ``Saturday``), in Vietnam's time."""
    from babel.dates import format_date  # babel's data loads on first use, not at start-up
    name = format_date(to_local(value).date(), "EEEE", locale=locale)
    return name[:1].upper() + name[1:]


def moment(value: datetime, locale: str | None = None) -> str:
    """``HH:MM dd/mm/yyyy`` in Vietnam's time, after the weekday when ``locale`` is given."""
    text = to_local(value).strftime("%H:%M %d/%m/%Y")
    return f"{weekday(value, locale)}, {text}" if locale else text


def attrs(**values: Any) -> str:
    """`` name="value"`` pairs, escaped; None values left out."""
    return "".join(f' {k.rstrip("_").replace("_", "-")}="{escape(str(v))}"'
                   for k, v in values.items() if v is not None)
