"""Diacritic-insensitive folding of Vietnamese (and English) text for matching."""

from __future__ import annotations

import unicodedata

# đ/Đ are base letters, not "d + combining mark", so NFD leaves them alone.  The Icelandic
# eth (ð/Ð) is included because legacy Vietnamese keyboards and fonts often produce it for Đ.
_LETTER_MAP = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})


def fold(text: str) -> str:
    """Fold text for matching: no diacritics, đ→d, casefolded, only letters/digits/single spaces.

    >>> fold("  Chữ KÝ số – Đăng ký! ")
    'chu ky so dang ky'
    """
    lowered = unicodedata.normalize("NFC", text).casefold()
    decomposed = unicodedata.normalize("NFD", lowered)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    kept = "".join(ch if ch.isalnum() else " " for ch in stripped.translate(_LETTER_MAP))
    return " ".join(kept.split())
