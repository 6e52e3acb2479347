"""Split long text cleanly for platforms with a per-message length limit."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, as Telegram and Zalo count it."""
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int, measure: Callable[[str], int] = utf16_len) -> list[str]:
    """Split ``text`` into chunks of at most ``limit`` units.

    Breaks at paragraph boundaries first, then at line ends, then between words, and only cuts
    inside a word when a single word is longer than the limit.  Text is NFC-normalised first so
    Vietnamese letters count once.
    """
    text = unicodedata.normalize("NFC", text).strip()
    if measure(text) <= limit:
        return [text] if text else []
    chunks: list[str] = []
    current = ""
    for piece in _pieces(text, limit, measure):
        candidate = piece if not current else current + piece
        if measure(candidate.rstrip()) <= limit:
            current = candidate
            continue
        if current.strip():
            chunks.append(current.strip())
        current = piece
    if current.strip():
        chunks.append(current.strip())
    return chunks


def _pieces(text: str, limit: int, measure: Callable[[str], int]) -> list[str]:
    """Yield units no longer than ``limit``, each keeping its trailing separator."""
    out: list[str] = []
    for para in _keep_sep(text, "\n\n"):
        if measure(para.rstrip()) <= limit:
            out.append(para)
            continue
        for line in _keep_sep(para, "\n"):
            if measure(line.rstrip()) <= limit:
                out.append(line)
                continue
            for word in _keep_sep(line, " "):
                while measure(word.rstrip()) > limit:
                    cut = _cut_index(word, limit, measure)
                    out.append(word[:cut])
                    word = word[cut:]
                out.append(word)
    return out


def _keep_sep(text: str, sep: str) -> list[str]:
    """Split on ``sep`` keeping the separator at the end of each part."""
    parts = text.split(sep)
    return [p + sep for p in parts[:-1]] + [parts[-1]]


def _cut_index(word: str, limit: int, measure: Callable[[str], int]) -> int:
    """Largest prefix length of ``word`` that fits in ``limit``."""
    lo, hi = 1, len(word)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if measure(word[:mid]) <= limit:
            lo = mid
        else:
            hi = mid - 1
    return lo
