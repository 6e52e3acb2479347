"""Send scheduling under platform flood limits, driven by the injected clock.

One :class:`RateLimiter` per platform answers "how long must I wait before sending ``units``
messages to this chat?" from three rules (Telegram's published ones): an overall sliding
window (≈30 messages/s), a per-group sliding window (20 messages/min) and a per-chat token
bucket (≈1 message/s, short bursts tolerated).  It also holds pauses ordered by the platform
(``retry_after``), for one chat or for everything.  Unlike PTB's AIORateLimiter it never
sleeps itself: the outbox worker asks, then picks another chat or waits with ``clock.sleep``.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from bot.clock import Clock

EPSILON = 0.001  # waits shorter than this are rounded to 0 (clocks tick in microseconds)


def _round(wait: float) -> float:
    return 0.0 if wait < EPSILON else wait


@dataclass(frozen=True, slots=True)
class Limits:
    """Flood limits of one platform; ``None`` disables a rule.

    ``margin`` (seconds) widens every window so latency jitter between our clock and the
    platform's never turns an exactly-at-the-limit schedule into a 429.
    """

    overall: int | None = None
    overall_window: float = 1.0
    per_chat_rate: float | None = None
    per_chat_burst: int = 1
    per_group: int | None = None
    group_window: float = 60.0
    margin: float = 0.01


TELEGRAM_LIMITS = Limits(overall=30, overall_window=1.0, per_chat_rate=1.0, per_chat_burst=3,
                         per_group=20, group_window=60.0)
ZALO_LIMITS = Limits(overall=5, overall_window=1.0, per_chat_rate=1.0, per_chat_burst=3)
NO_LIMITS = Limits()


class SlidingWindow:
    """At most ``cap`` events in any window of ``span`` seconds."""

    def __init__(self, cap: int, span: float) -> None:
        self.cap = cap
        self.span = span
        self.events: deque[float] = deque()

    def _trim(self, now: float) -> None:
        while self.events and self.events[0] <= now - self.span:
            self.events.popleft()

    def wait(self, now: float, units: int = 1) -> float:
        """Seconds until ``units`` more events fit (0 when they fit now)."""
        self._trim(now)
        units = min(units, self.cap)
        excess = len(self.events) + units - self.cap
        if excess <= 0:
            return 0.0
        return max(0.0, self.events[excess - 1] + self.span - now)

    def add(self, now: float, units: int = 1) -> None:
        """Record ``units`` events at ``now``."""
        self._trim(now)
        self.events.extend([now] * units)

    @property
    def last(self) -> float | None:
        """Time of the latest event."""
        return self.events[-1] if self.events else None


class TokenBucket:
    """``rate`` tokens per second up to ``burst``; spending may go negative (a debt)."""

    def __init__(self, rate: float, burst: int, now: float) -> None:
        self.rate = rate
        self.burst = float(burst)
        self.tokens = float(burst)
        self.stamp = now

    def _refill(self, now: float) -> None:
        self.tokens = min(self.burst, self.tokens + max(0.0, now - self.stamp) * self.rate)
        self.stamp = max(self.stamp, now)

    def wait(self, now: float, units: int = 1) -> float:
        """Seconds until ``units`` tokens are there (a request bigger than the burst waits for
        a full bucket)."""
        self._refill(now)
        need = min(float(units), self.burst)
        return 0.0 if self.tokens >= need else (need - self.tokens) / self.rate

    def take(self, now: float, units: int = 1) -> None:
        """Spend ``units`` tokens."""
        self._refill(now)
        self.tokens -= units


class RateLimiter:
    """Per-platform scheduler: overall window, per-group window, per-chat bucket, pauses."""

    def __init__(self, limits: Limits, clock: Clock, *, max_chats: int = 20_000) -> None:
        self.limits = limits
        self.clock = clock
        self.max_chats = max_chats
        m = limits.margin
        self.overall = (SlidingWindow(limits.overall, limits.overall_window + m)
                        if limits.overall else None)
        self.groups: dict[str, SlidingWindow] = {}
        self.buckets: dict[str, TokenBucket] = {}
        self.last_sent: dict[str, float] = {}
        self.paused_until = 0.0
        self.chat_paused: dict[str, float] = {}

    def _now(self) -> float:
        return self.clock.now().timestamp()

    def overall_wait(self, units: int = 1) -> float:
        """Seconds before anything may be sent (global pause and overall window)."""
        now = self._now()
        wait = max(0.0, self.paused_until - now)
        if self.overall is not None:
            wait = max(wait, self.overall.wait(now, units))
        return _round(wait)

    def chat_wait(self, chat_id: str, *, is_group: bool, units: int = 1,
                  overall: bool = True) -> float:
        """Seconds before ``units`` messages may go to ``chat_id`` (all rules; the chat's
        own only with ``overall=False``)."""
        now = self._now()
        wait = self.overall_wait(units) if overall else 0.0
        wait = max(wait, self.chat_paused.get(chat_id, 0.0) - now)
        lim = self.limits
        if lim.per_chat_rate and chat_id in self.buckets:
            wait = max(wait, self.buckets[chat_id].wait(now, units))
        if is_group and lim.per_group and chat_id in self.groups:
            wait = max(wait, self.groups[chat_id].wait(now, units))
        return _round(wait)

    def record(self, chat_id: str, *, is_group: bool, units: int = 1) -> None:
        """Count ``units`` messages sent to ``chat_id`` now."""
        now = self._now()
        lim = self.limits
        if self.overall is not None:
            self.overall.add(now, units)
        if lim.per_chat_rate:
            bucket = self.buckets.get(chat_id)
            if bucket is None:
                bucket = self.buckets[chat_id] = TokenBucket(
                    lim.per_chat_rate / (1 + lim.margin), lim.per_chat_burst, now)
            bucket.take(now, units)
        if is_group and lim.per_group:
            window = self.groups.get(chat_id)
            if window is None:
                window = self.groups[chat_id] = SlidingWindow(lim.per_group,
                                                              lim.group_window + lim.margin)
            window.add(now, units)
        self.last_sent[chat_id] = now
        if len(self.last_sent) > self.max_chats:
            self._forget(now)

    def sent_recently(self, chat_id: str, within: float | None = None) -> bool:
        """True when we sent to ``chat_id`` in the last ``within`` seconds (default: the
        longest window), i.e. a 429 there can be the chat's own limit."""
        last = self.last_sent.get(chat_id)
        if last is None:
            return False
        span = within if within is not None else max(self.limits.group_window, 1.0)
        return self._now() - last < span

    def pause_chat(self, chat_id: str, seconds: float) -> None:
        """Send nothing to ``chat_id`` for ``seconds``."""
        self.chat_paused[chat_id] = max(self.chat_paused.get(chat_id, 0.0),
                                        self._now() + seconds)

    def pause_all(self, seconds: float) -> None:
        """Send nothing at all for ``seconds``."""
        self.paused_until = max(self.paused_until, self._now() + seconds)

    def _forget(self, now: float) -> None:
        """Drop state of chats idle for longer than every window (bounded memory)."""
        horizon = now - max(self.limits.group_window, 60.0) - 1.0
        for chat_id in [c for c, t in self.last_sent.items() if t < horizon]:
            self.last_sent.pop(chat_id, None)
            self.groups.pop(chat_id, None)
            self.buckets.pop(chat_id, None)
            self.chat_paused.pop(chat_id, None)
