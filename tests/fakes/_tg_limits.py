"""Telegram-like flood limits for FakeTelegram (per chat, per group, overall)."""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass


@dataclass(frozen=True)
class TelegramLimits:
    """Flood-limit settings; set a field to ``None`` to disable that limit.

    Defaults follow the Bots FAQ: ~1 message/s per chat (short bursts tolerated), 20 messages
    per minute per group, ~30 messages/s overall.
    """

    per_chat_per_second: float | None = 1.0
    per_chat_burst: int = 3
    per_group: int | None = 20
    group_window: float = 60.0
    overall_per_second: int | None = 30
    overall_window: float = 1.0


@dataclass(frozen=True)
class LimitVerdict:
    """Outcome of a flood check: ``retry_after`` seconds and which limit was hit."""

    retry_after: int
    reason: str


def is_group_chat(chat_id: object) -> bool:
    """Groups, supergroups and channels have negative ids (or are ``@username`` strings)."""
    text = str(chat_id)
    return text.startswith("-") or text.startswith("@")


class FloodControl:
    """Token bucket per chat plus sliding windows per group and overall."""

    def __init__(self, limits: TelegramLimits) -> None:
        self.limits = limits
        self._buckets: dict[str, tuple[float, float]] = {}
        self._groups: dict[str, deque[float]] = {}
        self._overall: deque[float] = deque()

    def check(self, chat_id: object, now: float, units: int = 1) -> LimitVerdict | None:
        """Return a verdict if sending ``units`` messages now would flood; else record them."""
        lim = self.limits
        key = str(chat_id)
        verdicts: list[LimitVerdict] = []

        tokens = 0.0
        rate = lim.per_chat_per_second
        if rate:
            tokens, last = self._buckets.get(key, (float(lim.per_chat_burst), now))
            tokens = min(float(lim.per_chat_burst), tokens + (now - last) * rate)
            if tokens < units:
                verdicts.append(LimitVerdict(_ceil((units - tokens) / rate), "chat"))

        group = self._groups.setdefault(key, deque()) if is_group_chat(chat_id) else None
        if group is not None and lim.per_group:
            wait = _window_wait(group, now, lim.group_window, lim.per_group, units)
            if wait is not None:
                verdicts.append(LimitVerdict(wait, "group"))

        if lim.overall_per_second:
            wait = _window_wait(
                self._overall, now, lim.overall_window, lim.overall_per_second, units
            )
            if wait is not None:
                verdicts.append(LimitVerdict(wait, "overall"))

        if verdicts:
            return max(verdicts, key=lambda v: v.retry_after)
        if rate:
            self._buckets[key] = (tokens - units, now)
        if group is not None and lim.per_group:
            group.extend([now] * units)
        if lim.overall_per_second:
            self._overall.extend([now] * units)
        return None


def _window_wait(
    window: deque[float], now: float, span: float, cap: int, units: int
) -> int | None:
    """Seconds until ``units`` more events fit in the sliding window, or None if they fit."""
    while window and window[0] <= now - span:
        window.popleft()
    excess = len(window) + units - cap
    if excess <= 0:
        return None
    if not window:
        return _ceil(span)
    oldest = window[min(excess, len(window)) - 1]
    return _ceil(oldest + span - now)


def _ceil(seconds: float) -> int:
    return max(1, math.ceil(seconds - 1e-9))
