"""Capture every log record of every logger, and the exceptions of asyncio tasks.

The bot's own ``bot`` logger is not enough: an exception escaping a background task is
reported by asyncio ("Task exception was never retrieved", through the loop's exception
handler), and SDK loops log under ``telegram``/``zalo_bot``.  :class:`LogCapture` sits on the
root logger and on the running loop's exception handler, and ``finish()`` collects the
garbage first so that never-retrieved task exceptions are reported before the assertions.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest


class LogCapture(logging.Handler):
    """Every record at ``level`` or above, from any logger, plus asyncio's task errors."""

    def __init__(self, level: int = logging.INFO) -> None:
        super().__init__(level)
        self.records: list[logging.LogRecord] = []
        self.loop_errors: list[dict[str, Any]] = []

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the record."""
        self.records.append(record)

    def at_least(self, level: int) -> list[str]:
        """Messages (with the exception, if any) of records at ``level`` or above."""
        return [f"{r.name}: {r.getMessage()}" + (f" :: {r.exc_info[1]!r}" if r.exc_info else "")
                for r in self.records if r.levelno >= level]

    def matching(self, text: str) -> list[logging.LogRecord]:
        """Records whose message contains ``text``."""
        return [r for r in self.records if text in r.getMessage()]

    def problems(self) -> list[str]:
        """ERROR/CRITICAL records and task exceptions seen so far."""
        gc.collect()
        return self.at_least(logging.ERROR) + [
            f"loop: {c.get('message')} :: {c.get('exception')!r}" for c in self.loop_errors]


@pytest.fixture
async def all_logs() -> AsyncIterator[LogCapture]:
    """A :class:`LogCapture` on the root logger and the running loop for one test."""
    capture = LogCapture()
    root = logging.getLogger()
    old_level = root.level
    root.setLevel(logging.INFO)
    root.addHandler(capture)
    loop = asyncio.get_running_loop()
    old_handler = loop.get_exception_handler()

    def on_error(_loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        capture.loop_errors.append(context)

    loop.set_exception_handler(on_error)
    try:
        yield capture
    finally:
        loop.set_exception_handler(old_handler)
        root.removeHandler(capture)
        root.setLevel(old_level)
