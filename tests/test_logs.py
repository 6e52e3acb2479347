"""Quiet, useful logs: no library chatter, local time with zone, JSON on request."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator

import pytest

from bot.runtime.logs import configure


@pytest.fixture
def root_handlers() -> Iterator[None]:
    root = logging.getLogger()
    saved, level = list(root.handlers), root.level
    levels = {n: logging.getLogger(n).level for n in ("apscheduler", "alembic.runtime.plugins")}
    yield
    for h in list(root.handlers):
        root.removeHandler(h)
    for h in saved:
        root.addHandler(h)
    root.setLevel(level)
    for name, lvl in levels.items():
        logging.getLogger(name).setLevel(lvl)


def _emit() -> None:
    logging.getLogger("apscheduler.scheduler").info('Added job "Event.set" to job store')
    logging.getLogger("alembic.runtime.plugins").info("setup plugin alembic.autogenerate.types")
    logging.getLogger("alembic.runtime.migration").info("Context impl SQLiteImpl.")
    logging.getLogger("alembic.runtime.migration").info("Running upgrade 0007 -> 0008, x")
    logging.getLogger("bot.app").info("villagebot 0.1.0 started: listening on http://x")


def test_console_format_is_quiet_and_local(root_handlers, capsys) -> None:
    configure("INFO", "console")
    _emit()
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2, lines
    assert "Running upgrade" in lines[0] and "started: listening" in lines[1]
    assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+07 INFO bot\.app: ", lines[1])


def test_json_format_one_object_per_line(root_handlers, capsys) -> None:
    configure("INFO", "json")
    _emit()
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("bot.x").exception("failed")
    rows = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert [r["logger"] for r in rows] == ["alembic.runtime.migration", "bot.app", "bot.x"]
    assert rows[-1]["level"] == "ERROR" and "ValueError: boom" in rows[-1]["exc"]


def test_debug_shows_everything(root_handlers, capsys) -> None:
    configure("DEBUG", "console")
    _emit()
    assert len(capsys.readouterr().err.splitlines()) == 5
