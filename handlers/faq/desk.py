"""The FAQ indexes of each village: shipped defaults plus the village's own entries, cached.

The cache is a ``services.component(FaqDesk)`` and is keyed by village; each lookup first asks the
database for a cheap version stamp (row count and latest update of the village's entries), so
an edit made in another process is seen at the next question.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.services import Services
from handlers.faq import queries as faq_repo
from handlers.faq.match import (
    SUPPORTED_LOCALES,
    FaqEntry,
    FaqIndex,
    FaqMatch,
    load_default_entries,
    match_with_fallback,
    primary_locale,
)
from handlers.faq.models import VillageFaq

VILLAGE_PREFIX = "village-"


def village_entry_id(row_id: int) -> str:
    """The FaqEntry id of a village row."""
    return f"{VILLAGE_PREFIX}{row_id}"


def to_entry(row: VillageFaq) -> FaqEntry:
    """A village row as a matcher entry."""
    return FaqEntry(id=village_entry_id(row.id or 0), question=row.question, answer=row.answer,
                    keywords=tuple(row.keyword_list), source="village",
                    village_id=str(row.village_id))


@cache
def default_indexes() -> Mapping[str, FaqIndex]:
    """The shipped knowledge base indexed per locale (built once per process)."""
    return {loc: FaqIndex.build(load_default_entries(loc), loc) for loc in SUPPORTED_LOCALES}


class FaqDesk:
    """Builds and caches the per-village indexes."""

    def __init__(self) -> None:
        self._cache: dict[int, tuple[tuple[int, str], dict[str, FaqIndex]]] = {}

    def invalidate(self, village_id: int | None = None) -> None:
        """Forget one village's indexes (or all)."""
        if village_id is None:
            self._cache.clear()
        else:
            self._cache.pop(village_id, None)

    async def indexes(
        self, session: AsyncSession, village_id: int | None
    ) -> Mapping[str, FaqIndex]:
        """The indexes to search for a village (defaults only without a village)."""
        if village_id is None:
            return default_indexes()
        stamp = await faq_repo.entries_stamp(session, village_id=village_id)
        if stamp[0] == 0:
            return default_indexes()
        cached = self._cache.get(village_id)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        rows = await faq_repo.village_entries(session, village_id=village_id)
        built: dict[str, FaqIndex] = {}
        for loc in SUPPORTED_LOCALES:
            own = [to_entry(r) for r in rows if primary_locale(r.locale) == loc]
            built[loc] = (FaqIndex.build([*load_default_entries(loc), *own], loc) if own
                          else default_indexes()[loc])
        self._cache[village_id] = (stamp, built)
        return built

    async def match(
        self, session: AsyncSession, village_id: int | None, query: str, locale: str
    ) -> FaqMatch:
        """Match a question for a village in the chat's locale (other locales as fallback)."""
        return match_with_fallback(await self.indexes(session, village_id), query, locale)

    async def entry(
        self, session: AsyncSession, village_id: int | None, entry_id: str, locale: str
    ) -> FaqEntry | None:
        """An entry by id, preferring the chat's locale."""
        indexes = await self.indexes(session, village_id)
        home = primary_locale(locale)
        for loc in (home, *(x for x in indexes if x != home)):
            found = indexes[loc].get(entry_id)
            if found is not None:
                return found
        return None

    def replaced_defaults(self, indexes: Mapping[str, FaqIndex], locale: str) -> set[str]:
        """Default entry ids that a village entry replaces in a locale's index."""
        loc = primary_locale(locale)
        present = {e.id for e in indexes[loc].entries}
        return {e.id for e in default_indexes()[loc].entries if e.id not in present}


def desk_of(services: Services) -> FaqDesk:
    """This bot's desk (created on first use)."""
    return services.component(FaqDesk, FaqDesk)
