"""Prometheus metrics (prometheus-client), one registry per running bot.

Counted where things happen (pipeline, outbox workers, reminder scheduler); the outbox depth,
leader status and polling liveness are read when ``/metrics`` is scraped.

prometheus-client is imported, and the metrics are made, on the first use (the first update
handled, send, reminder or scrape), not at start-up: see bench/startup.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

_METRICS = frozenset({"registry", "updates", "handler_seconds", "sends", "retries",
                      "outbox_rows", "reminder_lateness", "leader", "polling_alive"})


def content_type() -> str:
    """The exposition format's Content-Type."""
    from prometheus_client.exposition import CONTENT_TYPE_LATEST

    return str(CONTENT_TYPE_LATEST)


class Metrics:
    """The bot's metrics; ``render()`` is the text ``/metrics`` serves."""

    registry: CollectorRegistry
    updates: Counter
    handler_seconds: Histogram
    sends: Counter
    retries: Counter
    outbox_rows: Gauge
    reminder_lateness: Histogram
    leader: Gauge
    polling_alive: Gauge

    def __init__(self) -> None:
        self._before_scrape: list[Callable[[], object]] = []

    def __getattr__(self, name: str) -> Any:
        """Make every metric on the first access to any of them."""
        if name not in _METRICS or "registry" in self.__dict__:
            raise AttributeError(name)
        self._build()
        return self.__dict__[name]

    def _build(self) -> None:
        from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

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

    def before_scrape(self, refresh: Callable[[], object]) -> None:
        """Run ``refresh`` (sync) before each scrape, e.g. to set the leader gauge."""
        self._before_scrape.append(refresh)

    def render(self) -> bytes:
        """The exposition text."""
        from prometheus_client import generate_latest

        for refresh in self._before_scrape:
            refresh()
        return generate_latest(self.registry)
