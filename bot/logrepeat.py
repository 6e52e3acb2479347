"""Bounded log volume: the same message repeated is summarised, not written thousands of times.

:class:`RepeatSummary` is a handler filter.  Records are keyed by logger, level and message
template (``record.msg`` before its arguments are merged, so "skipped update 1", "skipped
update 2" … are one key).  The first record of a key in an interval passes; the rest of that
interval are counted and dropped; the next record after the interval passes with
"(repeated N more times in the last S s)" added, and a new interval starts.  So a key costs at
most one line per interval however fast it repeats.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable

INTERVAL = 60.0
MAX_KEYS = 10_000  # distinct templates remembered (the oldest are forgotten beyond this)


class RepeatSummary(logging.Filter):
    """Let the first of a repeated record through, then one summary per ``interval``."""

    def __init__(self, interval: float = INTERVAL,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.interval = interval
        self.clock = clock
        self._seen: dict[tuple[str, int, str], list[float]] = {}  # key -> [start, dropped]
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        """True for the records to write (possibly with a repeat count appended)."""
        key = (record.name, record.levelno, str(record.msg))
        now = self.clock()
        with self._lock:
            state = self._seen.get(key)
            if state is not None and now - state[0] < self.interval:
                state[1] += 1
                return False
            dropped = int(state[1]) if state is not None else 0
            if state is None and len(self._seen) >= MAX_KEYS:
                self._seen.pop(next(iter(self._seen)))
            self._seen[key] = [now, 0]
        if dropped:
            record.msg = (f"{record.getMessage()} (repeated {dropped} more times in the last "
                          f"{now - state[0]:.0f} s)")  # type: ignore[index]
            record.args = None
        return True


def install(handlers: Iterable[logging.Handler] | None = None,
            interval: float = INTERVAL) -> None:
    """Put a :class:`RepeatSummary` on ``handlers`` (default: the root logger's handlers)."""
    for handler in (logging.getLogger().handlers if handlers is None else handlers):
        if not any(isinstance(f, RepeatSummary) for f in handler.filters):
            handler.addFilter(RepeatSummary(interval))
