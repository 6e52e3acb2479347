"""Translations: Fluent catalogues in ``locales/<lang>/*.ftl`` (Vietnamese default, English).

Fluent was chosen over gettext because keys are stable names (``announce-sent``) rather than
English source sentences, every feature keeps its own small file (so features are added without
touching a shared catalogue), and placeholders are named and checkable by a test.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
from collections.abc import Iterable
from datetime import date, datetime
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # fluent.runtime (and Babel under it) are imported on the first message
    from fluent.runtime import FluentBundle
    from fluent.syntax.ast import Resource

log = logging.getLogger(__name__)

_PLAIN = frozenset({str, int, float, bool, type(None), date, datetime})
MEMO_SIZE = 8192  # formatted texts kept per Translator (emptied when full)
LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
SUPPORTED = ("vi", "en")


@lru_cache(maxsize=256)
def _parsed(path: Path, _mtime_ns: int, _size: int) -> Resource:
    """A parsed catalogue file; parsing costs ~0.2 s per bot, so it is done once per version."""
    from fluent.runtime import FluentResource

    return FluentResource(path.read_text(encoding="utf-8"))


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "villagebot"


_LOADED: dict[str, list[Resource]] = {}


def _catalogues(directory: Path, lang: str) -> list[Resource]:
    """The catalogues of ``directory/lang`` parsed, through a pickle in the user's cache
    folder keyed by every file's path, size and mtime (parsing both languages takes ~0.17 s
    at each start, loading the pickles ~0.03 s).  A cache file is only read when this user
    owns it and nobody else may write it; any problem with it means parsing."""
    files = sorted((directory / lang).glob("*.ftl"))
    stats = [p.stat() for p in files]
    key = hashlib.sha256(repr((
        sys.version, version("fluent.syntax"),
        [(str(p), st.st_mtime_ns, st.st_size) for p, st in zip(files, stats, strict=True)],
    )).encode()).hexdigest()[:24]
    if key in _LOADED:
        return _LOADED[key]
    cache = _cache_dir() / f"ftl-{lang}-{key}.pickle"
    try:
        st = cache.stat()
        if st.st_uid == os.getuid() and not st.st_mode & 0o022:
            with cache.open("rb") as f:
                loaded = pickle.load(f)
            if isinstance(loaded, list) and len(loaded) == len(files):
                _LOADED[key] = loaded
                return loaded
    except Exception:  # missing, unreadable or from another version: parse
        pass
    parsed = [_parsed(p, st.st_mtime_ns, st.st_size) for p, st in zip(files, stats, strict=True)]
    _LOADED[key] = parsed
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(parsed, protocol=pickle.HIGHEST_PROTOCOL))
        os.chmod(tmp, 0o600)
        os.replace(tmp, cache)
    except Exception:  # a read-only home: parse at every start
        pass
    return parsed


class Translator:
    """Format messages by key for a locale, falling back to Vietnamese."""

    def __init__(self, directory: Path = LOCALES_DIR, default: str = "vi") -> None:
        self.default = default
        self.directory = directory
        # each language's catalogues (~4 MB parsed) and Babel locale data (~2 MB) are loaded
        # on its first message, not at start-up
        self._loaded: dict[str, FluentBundle] = {}
        # (locale, key, args) → text: a bundle never changes once built, so formatting is a
        # pure function of its inputs (Fluent costs ~20 µs a message; a /lich-hop list is 10)
        self._memo: dict[tuple[object, ...], str] = {}

    def _bundle(self, lang: str) -> FluentBundle:
        bundle = self._loaded.get(lang)
        if bundle is None:
            from fluent.runtime import FluentBundle

            bundle = FluentBundle([lang], use_isolating=False)
            for resource in _catalogues(self.directory, lang):
                bundle.add_resource(resource)
            self._loaded[lang] = bundle
        return bundle

    def has(self, key: str, locale: str | None = None) -> bool:
        """True when ``key`` exists in ``locale`` (default: the default locale)."""
        return self._bundle(self.resolve(locale)).has_message(key)

    def resolve(self, locale: str | None) -> str:
        """A supported locale for ``locale`` (``en-US`` → ``en``), else the default."""
        if locale:
            short = locale.split("-")[0].split("_")[0].lower()
            if short in SUPPORTED:
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
            bundle = self._bundle(candidate)
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
    from babel.dates import format_date  # babel's data is loaded on first use

    text = format_date(value, "EEEE, dd/MM/yyyy", locale=locale)
    return text[:1].upper() + text[1:]


def format_moment(value: datetime, locale: str) -> str:
    """A local date and time, e.g. ``28/11/2026 19:30``."""
    from babel.dates import format_datetime

    return format_datetime(value, "dd/MM/yyyy HH:mm", locale=locale)
