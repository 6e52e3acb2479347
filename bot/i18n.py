"""Translations: Fluent catalogues in ``locales/<lang>/*.ftl`` (Vietnamese default, English).

Fluent was chosen over gettext because keys are stable names (``announce-sent``) rather than
English source sentences, every feature keeps its own small file (so features are added without
touching a shared catalogue), and placeholders are named and checkable by a test.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from babel.dates import format_date, format_datetime
from fluent.runtime import FluentBundle, FluentResource
from fluent.syntax.ast import Resource

log = logging.getLogger(__name__)

_PLAIN = frozenset({str, int, float, bool, type(None), date, datetime})
MEMO_SIZE = 8192  # formatted texts kept per Translator (emptied when full)
LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
SUPPORTED = ("vi", "en")


@lru_cache(maxsize=256)
def _parsed(path: Path, _mtime_ns: int, _size: int) -> Resource:
    """A parsed catalogue file; parsing costs ~0.2 s per bot, so it is done once per version."""
    return FluentResource(path.read_text(encoding="utf-8"))


class Translator:
    """Format messages by key for a locale, falling back to Vietnamese."""

    def __init__(self, directory: Path = LOCALES_DIR, default: str = "vi") -> None:
        self.default = default
        self._bundles: dict[str, FluentBundle] = {}
        # (locale, key, args) → text: a bundle never changes once built, so formatting is a
        # pure function of its inputs (Fluent costs ~20 µs a message; a /lich-hop list is 10)
        self._memo: dict[tuple[object, ...], str] = {}
        for lang in SUPPORTED:
            bundle = FluentBundle([lang], use_isolating=False)
            for path in sorted((directory / lang).glob("*.ftl")):
                stat = path.stat()
                bundle.add_resource(_parsed(path, stat.st_mtime_ns, stat.st_size))
            self._bundles[lang] = bundle

    def has(self, key: str, locale: str | None = None) -> bool:
        """True when ``key`` exists in ``locale`` (default: the default locale)."""
        return self._bundles[self.resolve(locale)].has_message(key)

    def resolve(self, locale: str | None) -> str:
        """A supported locale for ``locale`` (``en-US`` → ``en``), else the default."""
        if locale:
            short = locale.split("-")[0].split("_")[0].lower()
            if short in self._bundles:
                return short
        return self.default

    def t(self, locale: str | None, key: str, **args: object) -> str:
        """The message ``key`` in ``locale`` with named ``args``; the key itself if missing."""
        if not all(type(v) in _PLAIN for v in args.values()):
            return self._format(locale, key, args)[0]  # e.g. an object: its text may change
        memo_key = (locale, key, *args.items())
        found = self._memo.get(memo_key)
        if found is not None:
            return found
        text, clean = self._format(locale, key, args)
        if clean:  # only error-free texts, so every failure is still logged each time
            if len(self._memo) >= MEMO_SIZE:
                self._memo.clear()
            self._memo[memo_key] = text
        return text

    def _format(self, locale: str | None, key: str, args: dict[str, object]) -> tuple[str, bool]:
        """(text, True when formatted without errors or fallbacks)."""
        lang = self.resolve(locale)
        for candidate in (lang, self.default):
            bundle = self._bundles[candidate]
            if bundle.has_message(key):
                message = bundle.get_message(key)
                if message.value is None:
                    break
                text, errors = bundle.format_pattern(message.value, _fluent_args(args))
                for err in errors:
                    log.warning("translation %s/%s: %s", candidate, key, err)
                return str(text), not errors and candidate == lang
        log.warning("missing translation %s/%s", lang, key)
        return key, False

    def lines(self, locale: str | None, keys: Iterable[str], **args: object) -> str:
        """Several messages joined by newlines."""
        return "\n".join(self.t(locale, k, **args) for k in keys)


def _fluent_args(args: dict[str, object]) -> dict[str, object]:
    """Pass numbers as text so Fluent does not regroup ids and codes."""
    out: dict[str, object] = {}
    for key, value in args.items():
        out[key] = value if isinstance(value, str) else "" if value is None else str(value)
    return out


def format_day(value: date, locale: str) -> str:
    """``Thứ Bảy, 28/11/2026`` / ``Saturday, 28/11/2026``."""
    text = format_date(value, "EEEE, dd/MM/yyyy", locale=locale)
    return text[:1].upper() + text[1:]


def format_moment(value: datetime, locale: str) -> str:
    """A local date and time, e.g. ``28/11/2026 19:30``."""
    return format_datetime(value, "dd/MM/yyyy HH:mm", locale=locale)
