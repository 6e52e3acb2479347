"""Fixtures: the harness factory (a real bot per platform on fake servers) and a ManualClock."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from bot.clock import ManualClock
from tests.harness import START, Harness, migrated_template, prepare_workdir

PLATFORMS = ["telegram", "zalo", "web"]


@pytest.fixture(scope="session")
def db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, made once per session."""
    return migrated_template(tmp_path_factory.mktemp("template"))


@pytest.fixture
def clock() -> ManualClock:
    """Time that only moves when the test says so (Saturday 21/11/2026 20:30 ICT)."""
    return ManualClock(START)


@pytest.fixture
async def harness_factory(
    tmp_path: Path, db_template: Path, clock: ManualClock
) -> AsyncIterator[Callable[..., Awaitable[Harness]]]:
    """Start a running bot on a platform: ``h = await harness_factory("telegram")``."""
    made: list[Harness] = []

    async def make(platform: str, **settings: object) -> Harness:
        workdir = tmp_path / f"{platform}-{len(made)}"
        prepare_workdir(workdir, db_template)
        harness = Harness(platform=platform, workdir=workdir, clock=clock,
                          settings_overrides=dict(settings))
        made.append(harness)
        return await harness.start()

    yield make
    for harness in made:
        await harness.close()


@pytest.fixture(params=PLATFORMS)
def platform(request: pytest.FixtureRequest) -> str:
    """Each of the three platforms."""
    return request.param
