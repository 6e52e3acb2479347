"""Undo a Telex keyboard left on in a folded word: "tieengs" → "tieng", "vieejt" → "viet".

Telex types marks as letters: aa/ee/oo (â/ê/ô), aw/ow/uw (ă/ơ/ư), dd (đ) and a tone key
s/f/r/x/j after the vowel.  A folded Vietnamese syllable never contains f/j/w/z, a doubled
a/e/o/d, nor ends in s/r/x, so these are markers.  `untelex` returns the candidate readings;
the caller keeps one only if it is a word it knows (so English words are left alone).
"""

from __future__ import annotations

import re
from functools import lru_cache

_TONE = "sfrxj"
_DOUBLE = re.compile(r"aa|ee|oo|dd|aw|ow|uw|w")
_SIGNAL = re.compile(r"[fjwz]|aa|ee|oo|dd|[sfrx]$|[aeiouy][sfrxj][cmnptgh]*$")


def _undouble(word: str) -> str:
    return _DOUBLE.sub(lambda m: m.group()[0] if m.group() != "w" else "u", word)


@lru_cache(maxsize=4096)
def untelex(word: str) -> tuple[str, ...]:
    """Possible plain (folded) words behind a Telex-typed folded word; () if none."""
    if len(word) < 2 or not word.isalpha() or not _SIGNAL.search(word):
        return ()
    out: list[str] = []
    for i, ch in enumerate(word):
        if i and ch in _TONE:
            out.append(_undouble(word[:i] + word[i + 1:]))
    out.append(_undouble(word))
    return tuple(dict.fromkeys(w for w in out if w and w != word))
