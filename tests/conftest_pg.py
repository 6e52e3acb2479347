"""PostgreSQL fixtures; import them into a test module (``from tests.conftest_pg import …``).

``pg_url`` is a fresh, empty database per test (dropped afterwards); ``pg_harness_factory``
is ``harness_factory`` with ``database_url`` set to such a database for every harness it
starts (one database per harness, so two harnesses never share state by accident).
Both skip the test with a clear reason when ``VILLAGEBOT_TEST_POSTGRES_URL`` is unset.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from tests.harness import Harness
from tests.pg import PG_URL, SKIP_REASON, create_database, drop_database


@pytest.fixture
async def pg_url() -> AsyncIterator[str]:
    """An empty PostgreSQL database for one test (SQLAlchemy asyncpg URL)."""
    if not PG_URL:
        pytest.skip(SKIP_REASON)
    url = await create_database()
    try:
        yield url
    finally:
        await drop_database(url)


@pytest.fixture
async def pg_harness_factory(
    harness_factory: Callable[..., Awaitable[Harness]],
) -> AsyncIterator[Callable[..., Awaitable[Harness]]]:
    """``h = await pg_harness_factory("telegram")``: the shared harness on a fresh PG database."""
    if not PG_URL:
        pytest.skip(SKIP_REASON)
    urls: list[str] = []
    made: list[Harness] = []

    async def make(platform: str, **settings: object) -> Harness:
        if "database_url" not in settings:
            settings["database_url"] = await create_database()
            urls.append(str(settings["database_url"]))
        if platform == "web":  # the web chat runs on its own database: the PostgreSQL one here
            settings.setdefault("web_chat_database_url", settings["database_url"])
        harness = await harness_factory(platform, **settings)
        made.append(harness)
        return harness

    try:
        yield make
    finally:
        # harness_factory's teardown runs after this one: stop the bots first so the
        # databases are dropped only once nothing uses them.
        for harness in made:
            await harness.stop()
        for url in urls:
            await drop_database(url)
