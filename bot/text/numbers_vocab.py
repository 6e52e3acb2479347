"""Vietnamese spoken numbers, shared by times, amounts, percentages and counts.

`read_number(words, i)` reads number words starting at `words[i]`: một…mười, mươi/mười,
mốt/tư/lăm/nhăm after a ten, linh/lẻ, trăm, chục, nghìn/ngàn, triệu, tỷ/tỉ, a spoken tail
after a scale (`một triệu hai` = 1,200,000) and `rưỡi` (half of the last unit:
`một triệu rưỡi` = 1,500,000, `trăm rưỡi` = 150 flagged `market_half`, because market speech
uses it for 150 nghìn as well as 150 đồng).  Digits may start a number (`2 triệu rưỡi`).

Words whose folded form is also an everyday word are only numbers when written with the
number's diacritics or with none at all: `năm` (not `nam` "south" when accented otherwise),
`tư`, `sáu` (not `sau` "after" when accented), `tám` (not `tầm` "around"), `trăm` (not `trạm`),
`lẻ` (not `lễ`), `mốt` only after a ten (`hai mươi mốt`) or another digit (`hai mốt`).

`spoken_to_digits(text)` rewrites number words that sit next to a time or date word
(`bốn giờ rưỡi` → `4 giờ rưỡi`, `tháng tư` → `tháng 4`, `mồng chín` → `mồng 9`) so the time
lexer only ever sees digits; number words elsewhere (`chú Tư`, `anh Ba`) are left alone.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["SpokenNumber", "fold_word", "read_number", "spoken_to_digits", "tokens"]


@lru_cache(maxsize=8192)
def fold_word(word: str) -> str:
    """A word folded: lower case, no diacritics, đ→d."""
    low = unicodedata.normalize("NFC", word).lower()
    base = "".join(c for c in unicodedata.normalize("NFD", low) if unicodedata.category(c) != "Mn")
    return base.replace("đ", "d").replace("ð", "d")


# folded form -> (value, accepted accented spellings; a spelling without any diacritic is
# accepted too)
_DIGITS: dict[str, tuple[int, tuple[str, ...]]] = {
    "mot": (1, ("một",)),
    "hai": (2, ("hai",)),
    "ba": (3, ("ba",)),
    "bon": (4, ("bốn",)),
    "tu": (4, ("tư",)),
    "nam": (5, ("năm",)),
    "sau": (6, ("sáu",)),
    "bay": (7, ("bảy", "bẩy")),
    "tam": (8, ("tám",)),
    "chin": (9, ("chín",)),
}
# ones that only follow a ten: hai mươi mốt, ba mươi lăm, mười lăm, hai mươi tư
_AFTER_TEN: dict[str, tuple[int, tuple[str, ...]]] = {
    "mot": (1, ("mốt", "một")),
    "lam": (5, ("lăm",)),
    "nham": (5, ("nhăm",)),
    "tu": (4, ("tư",)),
}
_SCALES: dict[str, tuple[int, tuple[str, ...]]] = {
    "nghin": (1000, ("nghìn",)),
    "ngan": (1000, ("ngàn",)),
    "trieu": (10**6, ("triệu",)),
    "ty": (10**9, ("tỷ",)),
    "ti": (10**9, ("tỉ",)),
}
_WORDS = {
    "muoi": ("mười", "mươi"),
    "tram": ("trăm",),
    "chuc": ("chục",),
    "linh": ("linh",),
    "le": ("lẻ",),
    "ruoi": ("rưỡi",),
}


def _is(word: str, folded: str, spellings: tuple[str, ...]) -> bool:
    low = unicodedata.normalize("NFC", word).lower()
    return low in spellings or low == folded


def _digit(word: str) -> int | None:
    f = fold_word(word)
    entry = _DIGITS.get(f)
    if entry is None or not _is(word, f, entry[1]):
        return None
    if f == "tu" and unicodedata.normalize("NFC", word).lower() != "tư":
        return None  # bare "tu" is too often another word
    return entry[0]


def _after_ten(word: str) -> int | None:
    f = fold_word(word)
    entry = _AFTER_TEN.get(f)
    if entry is not None and _is(word, f, entry[1]):
        return entry[0]
    return _digit(word)


def _word(word: str, name: str) -> bool:
    f = fold_word(word)
    return f == name and _is(word, f, _WORDS[name])


def _scale(word: str) -> int | None:
    f = fold_word(word)
    entry = _SCALES.get(f)
    if entry is None or not _is(word, f, entry[1]):
        return None
    return entry[0]


@dataclass(frozen=True)
class SpokenNumber:
    """A number read from words: its value, the index after it, and how it was said."""

    value: int
    end: int
    words: int  # how many number words (0 = digits only)
    half: bool = False  # ended in rưỡi
    market_half: bool = False  # "trăm rưỡi" / "chục rưỡi" with no leading digit: ask


def _under_hundred(words: list[str], i: int) -> tuple[int, int] | None:
    """10–99 or 1–9 at words[i] -> (value, next index)."""
    n = len(words)
    if i < n and _word(words[i], "muoi") and unicodedata.normalize(
            "NFC", words[i]).lower() != "mươi":
        value, i = 10, i + 1
        if i < n:
            one = _after_ten(words[i])
            if one is not None and words[i].lower() != "mốt":
                return value + one, i + 1
        return value, i
    if i >= n:
        return None
    d = _digit(words[i])
    if d is None:
        return None
    if i + 1 < n and _word(words[i + 1], "muoi") and words[i + 1].lower() != "mười" and d >= 2:
        value, i = d * 10, i + 2
        if i < n:
            one = _after_ten(words[i])
            if one is not None:
                return value + one, i + 1
        return value, i
    if d >= 2 and i + 1 < n and fold_word(words[i + 1]) in ("mot", "lam", "nham", "tu"):
        one = _after_ten(words[i + 1])
        if one is not None and (fold_word(words[i + 1]) != "mot" or words[i + 1].lower() == "mốt"):
            return d * 10 + one, i + 2  # colloquial "hai mốt", "ba lăm"
    return d, i + 1


def _under_thousand(words: list[str], i: int) -> tuple[int, int, bool] | None:
    """1–999 at words[i] -> (value, next index, started with a bare 'trăm'/'chục')."""
    n = len(words)
    bare = False
    if i < n and _digits(words[i]) and len(words[i]) <= 3:
        head, j = int(words[i]), i + 1
    else:
        got = _under_hundred(words, i)
        if got is None:
            if i < n and (_word(words[i], "tram") or _word(words[i], "chuc")):
                head, j, bare = 1, i, True
            else:
                return None
        else:
            head, j = got
    if j < n and _word(words[j], "chuc"):
        return head * 10, j + 1, bare
    if j < n and _word(words[j], "tram") and head <= 9:
        value, j = head * 100, j + 1
        if j + 1 < n and (_word(words[j], "linh") or _word(words[j], "le")):
            d = _digit(words[j + 1])
            if d is not None:
                return value + d, j + 2, bare
        if j < n and not _digits(words[j]):
            tail = _under_hundred(words, j)
            if tail is not None and tail[0] >= 10:
                return value + tail[0], tail[1], bare
        return value, j, bare
    return head, j, bare


def read_number(words: list[str], i: int = 0) -> SpokenNumber | None:
    """Read a spoken number at words[i] (see the module docstring), or None."""
    n = len(words)
    first = _under_thousand(words, i)
    if first is None:
        return None
    chunk, j, bare = first
    counted = 0 if _digits(words[i]) else j - i
    total = 0
    last_unit = 100 if (j > i and _word(words[j - 1], "tram")) else (
        10 if j > i and _word(words[j - 1], "chuc") else 1)
    while True:
        scale = _scale(words[j]) if j < n else None
        if scale is None:
            break
        total += chunk * scale
        counted += 1
        j += 1
        last_unit = scale
        nxt = _under_thousand(words, j) if j < n and not _digits(words[j]) else None
        next_scale = _scale(words[nxt[1]]) if nxt is not None and nxt[1] < n else None
        if nxt is not None and next_scale is not None and next_scale < scale:
            chunk, counted, j = nxt[0], counted + nxt[1] - j, nxt[1]
            continue
        tail_ok = nxt is not None and nxt[0] <= 9 and scale >= 1000 and (
            nxt[1] >= n or (_scale(words[nxt[1]]) is None and not _word(words[nxt[1]], "ruoi")))
        if nxt is not None and tail_ok:
            # spoken tail: "một triệu hai" = 1,200,000
            return SpokenNumber(total + nxt[0] * scale // 10, nxt[1], counted + nxt[1] - j)
        if nxt is not None and nxt[0] >= 10:
            return SpokenNumber(total + nxt[0], nxt[1], counted + nxt[1] - j)
        chunk = 0
        break
    total += chunk
    half = False
    if j < n and _word(words[j], "ruoi") and last_unit > 1:
        total += last_unit // 2
        j, counted, half = j + 1, counted + 1, True
    return SpokenNumber(total, j, counted, half=half, market_half=bare and half and total < 1000)


_TOKEN = re.compile(r"\S+")


def _digits(word: str) -> bool:
    """ASCII digits only ("²" and other Unicode digits are not numbers here)."""
    return word.isascii() and word.isdigit()


def tokens(text: str) -> list[tuple[str, int, int]]:
    """Words of `text` without surrounding punctuation, with their spans."""
    out = []
    for m in _TOKEN.finditer(text):
        word = m.group()
        lead = len(word) - len(word.lstrip(".,;:!?()\"'"))
        core = word.strip(".,;:!?()\"'")
        if core:
            start = m.start() + lead
            out.append((core, start, start + len(core)))
    return out


# time context: a number word right before one of these is a time/date number
_UNIT_AFTER = frozenset({"gio", "g", "h", "tieng", "phut", "ph", "p", "ruoi", "kem", "ngay",
                         "tuan", "thang", "giay"})
# ... or right after one of these
_UNIT_BEFORE = frozenset({"thang", "ngay", "mung", "mong", "luc", "kem", "gio", "h", "g"})
_MONTH_WORDS = {"gieng": ("giêng", 1), "chap": ("chạp", 12)}


_NUMBER_FOLDS = sorted({*_DIGITS, *_AFTER_TEN, *_SCALES, *_WORDS}, key=len, reverse=True)


@lru_cache(maxsize=1)
def _number_word_pattern() -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(?:" + "|".join(_NUMBER_FOLDS) + r")(?!\w)")


class _AnyNumberWord:
    """Cheap test: does a text hold a word that folds to a number word?"""

    @staticmethod
    def search(text: str) -> bool:
        return _number_word_pattern().search(_fold_text(text)) is not None


_ANY_NUMBER_WORD = _AnyNumberWord()


def _fold_text(text: str) -> str:
    return " ".join(fold_word(w) for w in text.split())


def spoken_to_digits(text: str) -> str:
    """Rewrite number words next to a time/date word as digits (see the module docstring)."""
    if not _ANY_NUMBER_WORD.search(text):
        return text  # the hot path: digits only
    words = tokens(text)
    if not words:
        return text
    plain = [w for w, _, _ in words]
    out: list[str] = []
    pos = 0
    i = 0
    while i < len(plain):
        prev = fold_word(plain[i - 1]) if i else ""
        if prev in ("thu", "th") or _digits(plain[i]):
            i += 1
            continue
        if prev in ("ngay", "bua") and plain[i].lower() == "mot":
            i += 1  # "ngay mot" is read as "ngày mốt" (the day after tomorrow)
            continue
        if prev == "thang" and plain[i].lower() == "tu":
            plain[i] = "tư"  # "thang tu": April, typed without diacritics
        got = read_number(plain, i)
        if got is None or got.words == 0 or got.value > 10**6:
            i += 1
            continue
        after = fold_word(plain[got.end]) if got.end < len(plain) else ""
        if (after in _UNIT_AFTER or prev in _UNIT_BEFORE) and not got.half:
            start, end = words[i][1], words[got.end - 1][2]
            out.append(text[pos:start])
            out.append(str(got.value))
            pos = end
        i = got.end
    out.append(text[pos:])
    return "".join(out)
