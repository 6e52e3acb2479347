"""Vietnamese time-phrase lexer shared by `bot.text.timeparse` and `bot.text.recurrence`.

Everything here works on a *folded* copy of the text (diacritics removed, đ→d, lower case) that
has exactly the same length as the NFC original, so a span found in the folded text cuts the
same words out of the original (used to compute the leftover "rest" text).

Words whose folded form collides with a common unrelated word are checked against the original
spelling: they must be written with the right diacritics *or with none at all*.  So `tối`/`toi`
(evening) match but `tôi` ("I") does not; `đêm`/`dem` but not `đem` ("bring"); `mốt` but not
`một` ("one"); `tới` ("coming") only with its diacritics.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

__all__ = [
    "ClockTime",
    "Qual",
    "QualRef",
    "Scan",
    "WeekdayRef",
    "fold",
    "hour_readings",
    "loose_eq",
    "take_clock",
    "take_qualifiers",
    "take_weekdays",
]


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if unicodedata.category(c) != "Mn")
    # đ is a base letter, not d + mark; ð is what legacy keyboards/fonts often produce for Đ
    base = base.replace("đ", "d").replace("Đ", "d").replace("ð", "d").replace("Ð", "d").lower()
    return base if len(base) == 1 else "#"


def fold(text: str) -> str:
    """Lower-case `text` and strip Vietnamese diacritics, keeping its length unchanged."""
    return "".join(_fold_char(ch) for ch in text)


def loose_eq(original: str, *accented: str) -> bool:
    """True if `original` is one of the `accented` spellings or carries no diacritics at all."""
    low = " ".join(original.lower().split())
    return low in accented or low == fold(low)


class Scan:
    """A text being taken apart: matched spans are blanked out so later patterns skip them."""

    def __init__(self, text: str) -> None:
        self.orig = unicodedata.normalize("NFC", text)
        self.folded = fold(self.orig)
        self._work = list(self.folded)
        self.taken = [False] * len(self.orig)
        self.invalid = False

    @property
    def work(self) -> str:
        """The folded text with already-taken spans replaced by spaces."""
        return "".join(self._work)

    def take(self, start: int, end: int) -> None:
        """Mark `[start, end)` as consumed."""
        for i in range(start, end):
            self._work[i] = " "
            self.taken[i] = True

    def original(self, start: int, end: int) -> str:
        """The original (accented) text of a span."""
        return self.orig[start:end]

    def search(
        self,
        pattern: re.Pattern[str],
        accept: Callable[[re.Match[str]], bool] | None = None,
        pos: int = 0,
    ) -> re.Match[str] | None:
        """First match of `pattern` in the untaken text that `accept` agrees with."""
        work = self.work
        while pos <= len(work):
            m = pattern.search(work, pos)
            if m is None or accept is None or accept(m):
                return m
            pos = m.start() + 1
        return None

    def absorb_connectors(self) -> None:
        """Take connector words (`lúc`, `vào`, …) and lone punctuation next to taken spans."""
        changed = True
        while changed:
            changed = False
            for m in re.finditer(r"\S+", self.work):
                word = m.group().strip(".,;:!?")
                if word and not (
                    word in _CONNECTORS
                    and loose_eq(self.orig[m.start() : m.end()].strip(".,;:!?"), _CONNECTORS[word])
                ):
                    continue
                if self._touches_taken(m.start(), m.end()):
                    self.take(m.start(), m.end())
                    changed = True
                    break
        # two-word connectors such as "vao luc" are handled by taking one word per pass

    def _touches_taken(self, start: int, end: int) -> bool:
        i = start - 1
        while i >= 0 and self.orig[i].isspace() and not self.taken[i]:
            i -= 1
        if i >= 0 and self.taken[i]:
            return True
        j = end
        while j < len(self.orig) and self.orig[j].isspace() and not self.taken[j]:
            j += 1
        return j < len(self.orig) and self.taken[j]

    def rest(self) -> str:
        """The original text with all taken spans removed, whitespace collapsed."""
        kept = "".join(" " if t else ch for ch, t in zip(self.orig, self.taken, strict=True))
        kept = re.sub(r"\(\s*\)|\[\s*\]", " ", kept)
        return " ".join(kept.split()).strip(" ,;:-–—.@")

    def any_taken(self) -> bool:
        """True if anything has been consumed."""
        return any(self.taken)


_CONNECTORS = {
    "luc": "lúc",
    "vao": "vào",
    "hoi": "hồi",
    "khoang": "khoảng",
    "tam": "tầm",
    "ngay": "ngày",
    "buoi": "buổi",
    "-": "-",
    "–": "–",
    "—": "—",
    "@": "@",
}


# ---------------------------------------------------------------------------------------------
# clock times
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClockTime:
    """An hour and minute as written, before sáng/chiều/tối are applied."""

    hour: int
    minute: int
    explicit24: bool  # "03:00", "15h": the writer already used the 24-hour clock
    ampm: str | None  # "am" / "pm" if written
    start: int
    end: int


_NOT_AFTER_NUM = r"(?<![\d/:.])"
_HM = re.compile(
    _NOT_AFTER_NUM
    + r"(?P<h>\d{1,2})\s*(?P<sep>:|h|g|gio)\s*(?P<m>\d{1,2})(?:\s*(?:phut|ph|p)(?!\w))?"
    r"(?:\s*(?P<ap>am|pm)(?!\w))?(?![\w:/])"
)
_H = re.compile(
    _NOT_AFTER_NUM + r"(?P<h>\d{1,2})\s*(?:h|g|gio)"
    r"(?:\s*(?P<ruoi>ruoi)|\s*kem\s*(?P<kem>\d{1,2})(?:\s*(?:phut|ph|p)(?!\w))?)?"
    r"(?:\s*(?P<ap>am|pm)(?!\w))?(?![\w:/])(?!\s*(?:nua|truoc|dong\s*ho)(?!\w))"
)
_HALF = re.compile(_NOT_AFTER_NUM + r"(?P<h>\d{1,2})\s+(?P<ruoi>ruoi)(?!\w)")
_AP = re.compile(_NOT_AFTER_NUM + r"(?P<h>\d{1,2})\s*(?P<ap>am|pm)(?!\w)")
_LUC = re.compile(r"(?<!\w)luc\s+(?P<h>\d{1,2})(?![\w/:.\-])(?!\s*(?:thang|ngay)(?!\w))")


def take_clock(scan: Scan) -> ClockTime | None:
    """Find and consume the first clock time (`19h30`, `19:30`, `7 giờ rưỡi`, `7 rưỡi`, `8pm`)."""
    for pattern in (_HM, _H, _HALF, _AP, _LUC):
        m = scan.search(pattern)
        if m is None:
            continue
        scan.take(m.start(), m.end())
        groups = m.groupdict()
        h_text = groups["h"]
        hour, minute = int(h_text), int(groups.get("m") or 0)
        if groups.get("ruoi"):
            minute = 30
        if groups.get("kem"):
            hour, minute = hour - 1, 60 - int(groups["kem"])
        ampm = groups.get("ap")
        if ampm:
            if not 1 <= hour <= 12:
                scan.invalid = True
                return None
            hour = hour % 12 + (12 if ampm == "pm" else 0)
        if not (0 <= hour <= 23 and 0 <= minute <= 59):
            scan.invalid = True
            return None
        explicit24 = hour >= 13 or (len(h_text) == 2 and h_text[0] == "0")
        return ClockTime(hour, minute, explicit24, ampm, m.start(), m.end())
    return None


# ---------------------------------------------------------------------------------------------
# parts of the day: sáng / trưa / chiều / tối / đêm
# ---------------------------------------------------------------------------------------------


class Qual(Enum):
    """Part of the day a clock time is qualified with."""

    SANG = "sang"  # morning
    TRUA = "trua"  # around noon
    CHIEU = "chieu"  # afternoon
    TOI = "toi"  # evening
    DEM = "dem"  # night (đêm, khuya)


_QUAL_FORMS: dict[str, tuple[Qual, tuple[str, ...]]] = {
    "sang": (Qual.SANG, ("sáng",)),
    "trua": (Qual.TRUA, ("trưa",)),
    "chieu": (Qual.CHIEU, ("chiều",)),
    "toi": (Qual.TOI, ("tối",)),
    "dem": (Qual.DEM, ("đêm",)),
    "khuya": (Qual.DEM, ("khuya",)),
}
_QUAL = re.compile(r"(?<!\w)(?:buoi\s+)?(?P<q>sang|trua|chieu|toi|dem|khuya)(?!\w)")
_QUAL_DAY = re.compile(r"\s+(?P<d>hom\s*nay|nay|ngay\s*mai|mai)(?!\w)")
# "dời sang thứ 7", "sang tuần": `sang` is the verb "move to", not the morning
_SANG_VERB = re.compile(r"(?:doi|chuyen|lui|hoan|dich|day)\s+$")
_SANG_NEXT = re.compile(r"\s*(?:tuan|thang|nam)(?!\w)")
# compounds that are not a part of the day: sáng kiến, ánh sáng, chiều cao, tối đa, tối ưu …
_COMPOUND_AFTER = {
    "sang": re.compile(r"\s+(?:kien|tao|suot|lap|loang)(?!\w)"),
    "chieu": re.compile(r"\s+(?:dai|rong|cao|sau|ngang|huong|theo|long|chuong)(?!\w)"),
    "toi": re.compile(r"\s+(?:uu|thieu|da|cao|tan|mat|thuong|om)(?!\w)"),
}
_COMPOUND_BEFORE = {
    "sang": re.compile(r"(?<!\w)(?:anh|tuoi|chieu|toa|phat|sang|khai)\s+$"),
    "toi": re.compile(r"(?<!\w)(?:toi|bong|u)\s+$"),
}


@dataclass(frozen=True)
class QualRef:
    """A part-of-day word, optionally tied to today (`tối nay`) or tomorrow (`sáng mai`)."""

    qual: Qual
    day_offset: int | None
    start: int
    end: int


def take_qualifiers(scan: Scan) -> list[QualRef]:
    """Find and consume every part-of-day word."""
    found: list[QualRef] = []

    def accept(m: re.Match[str]) -> bool:
        word = m.group("q")
        if not loose_eq(scan.original(*m.span("q")), *_QUAL_FORMS[word][1]):
            return False
        before = scan.folded[: m.start("q")]
        after, prior = _COMPOUND_AFTER.get(word), _COMPOUND_BEFORE.get(word)
        if (after is not None and after.match(scan.folded, m.end())) or (
            prior is not None and prior.search(before)
        ):
            return False
        return not (
            word == "sang" and (_SANG_VERB.search(before) or _SANG_NEXT.match(scan.work, m.end()))
        )

    while (m := scan.search(_QUAL, accept)) is not None:
        qual = _QUAL_FORMS[m.group("q")][0]
        end, offset = m.end(), None
        d = _QUAL_DAY.match(scan.work, end)
        if d is not None:
            day_word = d.group("d").replace(" ", "")
            if day_word in ("homnay", "nay"):
                offset, end = 0, d.end()
            elif loose_eq(scan.original(d.end() - 3, d.end()), "mai"):
                offset, end = 1, d.end()
        scan.take(m.start(), end)
        found.append(QualRef(qual, offset, m.start(), end))
    return found


def hour_readings(clock: ClockTime, qual: Qual | None) -> list[tuple[int, int, int]]:
    """Possible (day_shift, hour, minute) readings of a clock time; two means ambiguous.

    Rules: sáng keeps 0–12; trưa adds 12 to 1–5 (`1 giờ trưa` = 13:00); chiều adds 12 to 1–11;
    tối/đêm add 12 to 5–11 and read 12, 0 and 1–4 as that hour *after* midnight (day_shift 1:
    `12 giờ đêm thứ Bảy` = Sunday 00:00).  Hours ≥ 13, a leading zero (`03:00`) or am/pm are
    never changed.  A bare 1–6 with no part of day is ambiguous (03:00 or 15:00); bare 0 and
    7–12 are taken as written.
    """
    h, m = clock.hour, clock.minute
    if clock.ampm is not None or h >= 13 or (clock.explicit24 and qual is None):
        return [(0, h, m)]
    if qual is None:
        return [(0, h, m), (0, h + 12, m)] if 1 <= h <= 6 else [(0, h, m)]
    if qual is Qual.SANG:
        return [(0, h, m)]
    if qual is Qual.TRUA:
        return [(0, h + 12 if 1 <= h <= 5 else h, m)]
    if qual is Qual.CHIEU:
        return [(0, h + 12 if 1 <= h <= 11 else h, m)]
    # tối / đêm
    if 5 <= h <= 11:
        return [(0, h + 12, m)]
    return [(1, h % 12, m)]


# ---------------------------------------------------------------------------------------------
# weekdays: thứ 2…thứ 7, thứ hai…thứ bảy, T2…T7, CN, chủ nhật
# ---------------------------------------------------------------------------------------------

_WD_WORDS = {"hai": 0, "ba": 1, "tu": 2, "nam": 3, "sau": 4, "bay": 5}
_WD_CORE = (
    r"(?:thu\s*(?P<n>[2-7])|thu\s+(?P<w>hai|ba|tu|nam|sau|bay)|th\s*(?P<th>[2-7])"
    r"|t(?P<t>[2-7])|(?P<cn>chu\s*nhat|chua\s*nhat|cn))(?![\w/])"
)
_WD = re.compile(r"(?<!\w)" + _WD_CORE)
_WEEK_WORD = r"(?P<k>sau\s*nua|sau|toi|ke\s*tiep|ke|nay|truoc)"
_WEEK_AFTER = re.compile(r"\s*(?:,\s*)?(?:cua\s+)?tuan\s*" + _WEEK_WORD + r"(?!\w)")
_WEEK_BEFORE = re.compile(r"(?<!\w)tuan\s*" + _WEEK_WORD + r"\s*(?:,\s*)?(?:vao\s+)?$")
_UPCOMING = re.compile(r"\s+(?P<u>nay|toi)(?!\w)")
_WEEK_OFFSETS = {"sau": 1, "toi": 1, "ke": 1, "ketiep": 1, "saunua": 2, "nay": 0, "truoc": -1}
# continuation of a list: "thứ 2, 4, 6", "thứ 2-4-6", "T2 và T5", "thứ hai, thứ tư", "T2 đến T6"
_WD_MORE = re.compile(
    r"\s*(?P<sep>,|va|&|-|–|/|\+|den|toi)?\s*"
    r"(?:(?:thu|th|t)\s*(?P<n>[2-7])(?![\w:/.])"
    r"|(?P<bare>[2-7])(?![\w:/.])(?!\s*(?:h|g|gio|phut|p|tieng|am|pm)(?!\w))"
    r"|thu\s+(?P<w>hai|ba|tu|nam|sau|bay)(?!\w)"
    r"|(?P<cn>chu\s*nhat|chua\s*nhat|cn)(?!\w))"
)


def _expand(items: list[tuple[int, str | None]]) -> list[int]:
    """Weekday list with ranges expanded.

    `đến`/`tới` always make a range.  A dash makes a range only in the two-item office-hours
    forms starting on Monday (`T2-T6`, `thứ 2 - thứ 7`, `T2-CN`); otherwise a dash separates a
    list (`thứ 2-4-6`, `thứ 3-5`).
    """
    dash_range = (
        len(items) == 2 and items[1][1] in ("-", "–") and items[0][0] == 0 and items[1][0] >= 4
    )
    days = [items[0][0]]
    for day, sep in items[1:]:
        if sep in ("den", "toi") or dash_range:
            current = days[-1]
            while current != day:
                current = (current + 1) % 7
                if current not in days:
                    days.append(current)
        elif day not in days:
            days.append(day)
    return days


@dataclass(frozen=True)
class WeekdayRef:
    """Weekdays (0 = Monday … 6 = Sunday) and an optional week (0 this, 1 next, -1 last)."""

    weekdays: tuple[int, ...]
    week_offset: int | None
    start: int
    end: int


def _weekday_of(groups: dict[str, str | None]) -> int:
    digit = groups.get("n") or groups.get("bare") or groups.get("th") or groups.get("t")
    if digit:
        return int(digit) - 2
    if groups.get("w"):
        return _WD_WORDS[groups["w"] or ""]
    return 6


def take_weekdays(scan: Scan, multi: bool = False) -> WeekdayRef | None:
    """Find and consume a weekday (or, with `multi`, a list of them) plus `tuần sau`/`tuần này`."""
    m = scan.search(_WD)
    if m is None:
        return None
    items: list[tuple[int, str | None]] = [(_weekday_of(m.groupdict()), None)]
    start, end = m.start(), m.end()
    work = scan.work
    while multi:
        more = _WD_MORE.match(work, end)
        if more is None or (more.group("bare") and not more.group("sep")):
            break  # "thứ 2 7 giờ": a bare digit needs a separator to count as a weekday
        items.append((_weekday_of(more.groupdict()), more.group("sep")))
        end = more.end()
    days = _expand(items)
    week: int | None = None
    after = _WEEK_AFTER.match(work, end)
    before = _WEEK_BEFORE.search(work[:start])
    if after is not None:
        week, end = _WEEK_OFFSETS[after.group("k").replace(" ", "")], after.end()
    elif before is not None:
        week, start = _WEEK_OFFSETS[before.group("k").replace(" ", "")], before.start()
    else:
        up = _UPCOMING.match(work, end)
        # "thứ 7 này" / "thứ 7 tới" = the coming one; unaccented "toi" is read as tối (evening)
        if up is not None and (
            up.group("u") == "nay" or scan.original(*up.span("u")).lower() == "tới"
        ):
            end = up.end()
    scan.take(start, end)
    return WeekdayRef(tuple(days), week, start, end)
