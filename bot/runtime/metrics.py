"""Prometheus metrics (prometheus-client), one registry per running bot.

Counted where things happen (pipeline, outbox workers, reminder scheduler); the outbox depth,
leader status and polling liveness are read when ``/metrics`` is scraped.
"""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

CONTENT_TYPE = CONTENT_TYPE_LATEST


class Metrics:
    """The bot's metrics; ``render()`` is the text ``/metrics`` serves."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.updates = Counter("villagebot_updates", "Updates handled, by platform and outcome",
                               ["platform", "outcome"], registry=r)
        self.handler_seconds = Histogram(
            "villagebot_handler_seconds", "Time to handle one update (routing, database, reply)",
            ["platform"], registry=r,
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10))
        self.sends = Counter("villagebot_sends", "Outbox sends, by platform and result "
                             "(ok, retry_after = 429, transient, quota, permanent …)",
                             ["platform", "result"], registry=r)
        self.retries = Counter("villagebot_send_retries", "Outbox rows put back for a retry",
                               ["platform"], registry=r)
        self.outbox_rows = Gauge("villagebot_outbox_rows", "Outbox rows by platform and status",
                                 ["platform", "status"], registry=r)
        self.reminder_lateness = Histogram(
            "villagebot_reminder_lateness_seconds", "How late a reminder fired after its time",
            registry=r, buckets=(0.01, 0.05, 0.1, 0.5, 1, 5, 30, 60, 300, 3600))
        self.leader = Gauge("villagebot_scheduler_leader",
                            "1 while this process runs the reminder scheduler", registry=r)
        self.polling_alive = Gauge("villagebot_polling_alive",
                                   "1 while a platform's polling loop runs", ["platform"],
                                   registry=r)
        self._before_scrape: list[Callable[[], object]] = []

    def before_scrape(self, refresh: Callable[[], object]) -> None:
        """Run ``refresh`` (sync) before each scrape, e.g. to set the leader gauge."""
        self._before_scrape.append(refresh)

    def render(self) -> bytes:
        """The exposition text."""
        for refresh in self._before_scrape:
            refresh()
        return generate_latest(self.registry)
