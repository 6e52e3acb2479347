"""When to call :meth:`ReminderService.fire_due`: an APScheduler timer owned by the app.

One runner task does all firing, one round at a time: fire what is due, ask the database for
the next due instant, sleep until then (or until :meth:`ReminderScheduler.poke`).  The sleep is

- in production (:class:`SystemClock`): an APScheduler 3 ``AsyncIOScheduler`` ``date`` job at
  that instant, plus a 60 s ``interval`` sweep as a safety net (it also notices rows written by
  another process);
- with any other clock (tests' ``ManualClock``): ``clock.sleep`` — APScheduler only knows real
  time, and a ManualClock only moves when a test advances it, so tests never sleep for real.

APScheduler settings, and why:
- ``misfire_grace_time=None``: the default (1 s) silently DROPS a job whose run time passed while
  the loop was busy or the process was paused; here a late wake-up must still run.
- ``coalesce=True``: a backlog of missed sweep runs collapses into one run.
- Deterministic job ids (``reminders:wakeup``, ``reminders:sweep``) with
  ``replace_existing=True``: rescheduling the wake-up replaces the one job instead of piling up
  copies, and a restart never duplicates jobs.  The jobs hold no reminder data (memory job
  store, nothing pickled): the database rows are the schedule, rebuilt at every start.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.clock import Clock, SystemClock
from scheduler.reminders import FireStats, ReminderService

log = logging.getLogger(__name__)

WAKEUP_JOB = "reminders:wakeup"
SWEEP_JOB = "reminders:sweep"
SWEEP_SECONDS = 60
ERROR_BACKOFF = 5.0


class ReminderScheduler:
    """Runs :class:`ReminderService` rounds at the right instants; ``stop()`` ends it."""

    def __init__(
        self, service: ReminderService, clock: Clock, *, use_apscheduler: bool | None = None
    ) -> None:
        self.service = service
        self.clock = clock
        self.use_apscheduler = (isinstance(clock, SystemClock) if use_apscheduler is None
                                else use_apscheduler)
        self.aps: AsyncIOScheduler | None = None
        self._kick = asyncio.Event()
        self._hints: set[datetime] = set()
        self._task: asyncio.Task[None] | None = None
        self.rounds = 0
        self.last_stats = FireStats()
        self.started = asyncio.Event()  # set after the first (rebuild) round

    async def start(self) -> None:
        """Rebuild from the database: fire what fell due while down, then wait for the next."""
        if self.use_apscheduler:
            self.aps = AsyncIOScheduler(timezone=UTC, job_defaults={
                "misfire_grace_time": None, "coalesce": True, "max_instances": 1})
            self.aps.add_job(self._kick.set, IntervalTrigger(seconds=SWEEP_SECONDS),
                             id=SWEEP_JOB, replace_existing=True)
            self.aps.start()
        self._task = asyncio.create_task(self._run(), name="reminders")

    def poke(self, when: datetime | None = None) -> None:
        """A reminder was added or changed (maybe not committed yet): wake at ``when``."""
        if when is not None:
            self._hints.add(when)
        self._kick.set()

    async def stop(self) -> None:
        """Stop the runner and the APScheduler."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self.aps is not None:
            self.aps.shutdown(wait=False)
            self.aps = None

    async def _run(self) -> None:
        while True:
            self._kick.clear()
            try:
                now = self.clock.now()
                self.last_stats = await self.service.fire_due(now)
                self.rounds += 1
                self.started.set()
                self._hints = {h for h in self._hints if h > now}
                due = await self.service.next_wakeup()
            except Exception:
                log.exception("reminder round failed; retrying")
                await self._wait(None, ERROR_BACKOFF)
                continue
            wake = min([t for t in (due, *self._hints) if t is not None], default=None)
            await self._wait(wake, None)

    async def _wait(self, wake: datetime | None, seconds: float | None) -> None:
        """Sleep until ``wake`` / for ``seconds``, or until poked."""
        if self.use_apscheduler:
            assert self.aps is not None
            if seconds is not None:
                wake = datetime.now(UTC) + timedelta(seconds=seconds)
            if wake is not None:
                self.aps.add_job(self._kick.set, DateTrigger(run_date=wake, timezone=UTC),
                                 id=WAKEUP_JOB, replace_existing=True)
            await self._kick.wait()
            return
        if seconds is None and wake is not None:
            seconds = (wake - self.clock.now()).total_seconds()
        waits: list[asyncio.Task[object]] = [asyncio.create_task(self._kick.wait())]
        if seconds is not None:
            waits.append(asyncio.create_task(self.clock.sleep(seconds)))
        try:
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in waits:
                task.cancel()

