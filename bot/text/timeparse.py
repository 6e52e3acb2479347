"""Vietnamese natural-language meeting times: `19h30 thứ Bảy`, `tối mai 8 giờ`, `20/11 lúc 19:30`.

Pipeline: a small Vietnamese lexer (`bot.text.timelex`) takes the phrase apart (clock time,
sáng/chiều/tối, weekday + week, explicit date, relative day, "N tiếng nữa") → explicit calendar
dates are validated and resolved by dateparser → the rules below are applied in
Asia/Ho_Chi_Minh local time.  Phrases the lexer does not recognise at all (e.g. English
"tomorrow 8pm", "ngày 5 tháng 12 năm 2026" variants) go to dateparser whole.

Rules (all decided here, not by dateparser, because dateparser gets them wrong — see the report):
- A weekday means its next occurrence at or after `now`: `thứ Bảy 19:30` on a Saturday at 10:00
  is today, at 20:30 it is next Saturday.  Without a clock time, today's weekday is today.
- `tuần này` / `tuần sau` (`tuần tới`, `tuần kế`) / `tuần sau nữa` / `tuần trước` pick the
  weekday in this / next / the one after / last Monday–Sunday week; a past result is IN_PAST.
- An explicit day/month without a year that lies up to ~6 months (183 days) in the past is
  IN_PAST (never silently moved to next year); further back it means next year.
- `ngày 5` (day without month) is the next 5th; the same day already past is IN_PAST.
- A clock time with no date is the next occurrence (today, or tomorrow if already past).
- A bare hour 1–6 without sáng/trưa/chiều/tối/đêm is AMBIGUOUS (03:00 vs 15:00) unless only one
  reading is still in the future; the afternoon reading is the best guess.  Bare 0 and 7–12 are
  taken as written (`chủ nhật 7h` = 07:00), as is a leading zero (`03:00`).
- `12 giờ đêm`/`tối 12 giờ` is 00:00 at the end of that day (the next calendar day); `1 giờ đêm`
  likewise 01:00 the next day.  See `bot.text.timelex.hour_readings` for all part-of-day rules.
- `tuần sau` without a weekday, `cuối tuần`, `tháng sau` → asked (UNCLEAR / UNPARSEABLE).
- Two date words that disagree (`thứ 5 28/11` when 28/11 is a Saturday) → AMBIGUOUS.
- The rule: every word that could carry a date or time is understood or asked.  Words left over
  that could (a month word, a holiday, `âm lịch`, a number not after thôn/số/nhà…, a second
  weekday) make the phrase UNCLEAR: `unused` lists them, `understood` what was used.  A bare
  `3:15` / `3 giờ` without any date is AMBIGUOUS even when only one reading is still ahead.
- Spoken numbers next to a time word are read first (`bốn giờ rưỡi`, `tháng tư`, `mồng chín`;
  `bot.text.numbers_vocab`).  Dialect `bữa nay` / `bữa mai` / `bữa mốt`.
- Named days: Tết Dương lịch, Giáng sinh/Noel, 30/4, 2/9 (Quốc khánh), 8/3, 20/11 (solar);
  Tết Nguyên Đán / `mùng N Tết`, Rằm tháng Giêng, Rằm tháng Bảy (Vu Lan), Trung thu, ông Công
  ông Táo (lunar) — a named day means its next occurrence.  Lunar dates (`15/8 âm lịch`,
  `mùng 10 tháng 3 âm`, `ngày 23 tháng Chạp`, `rằm tháng 6 nhuận`, `ngày rằm`) go through
  `bot.text.lunar` (Vietnamese calendar, UTC+7) with the same past-date rule as solar dates;
  `tháng Giêng` / `tháng Chạp` always name lunar months.  Bare `Tết` is asked (which day?).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from enum import Enum
from functools import lru_cache
from zoneinfo import ZoneInfo

from bot.clock import VN_TZ
from bot.text import lunar as lunarcal
from bot.text.lunar_vocab import LUNAR_MONTH_WORDS, NAMED_DAYS, TET_DAY
from bot.text.numbers_vocab import spoken_to_digits
from bot.text.timelex import (
    ClockTime,
    QualRef,
    Scan,
    WeekdayRef,
    fold,
    hour_readings,
    loose_eq,
    take_clock,
    take_qualifiers,
    take_weekdays,
)

__all__ = [
    "EXAMPLES_VI",
    "VN_TZ",
    "WhenResult",
    "WhenStatus",
    "format_when",
    "parse_offsets",
    "parse_when",
]


# For the help text.  Only weekday/relative forms, so they parse as OK on any day of the year.
EXAMPLES_VI: tuple[str, ...] = (
    "19h30 thứ Bảy",
    "tối mai 8 giờ",
    "7h sáng Chủ nhật tuần sau",
    "2 giờ chiều thứ Sáu",
    "thứ Hai tuần sau lúc 14:00",
)

MAX_INPUT_CHARS = 1000
PAST_WINDOW = timedelta(days=183)


class WhenStatus(Enum):
    """Outcome of `parse_when`."""

    OK = "ok"
    NO_TIME_OF_DAY = "no_time_of_day"
    AMBIGUOUS = "ambiguous"
    IN_PAST = "in_past"
    UNPARSEABLE = "unparseable"
    UNCLEAR = "unclear"  # understood in part: words that could carry a date or time are left


@dataclass(frozen=True)
class WhenResult:
    """Parsed meeting time.

    `when` is aware UTC: the answer for OK, the best guess for AMBIGUOUS / IN_PAST, local
    midnight of the date for NO_TIME_OF_DAY, None for UNPARSEABLE.  `candidates` (chronological,
    aware UTC) only for AMBIGUOUS.  `rest` is the input minus the time phrase (e.g. the topic).
    UNCLEAR: `unused` are the words that could carry a date or time but were not understood,
    `understood` the words that were, `when` the reading without the unused words (or None).
    `lunar` is True when the date was given on the lunar calendar (show both dates).
    """

    status: WhenStatus
    when: datetime | None = None
    candidates: tuple[datetime, ...] = field(default=())
    rest: str = ""
    unused: tuple[str, ...] = ()
    understood: str = ""
    lunar: bool = False


# ---------------------------------------------------------------------------------------------
# anchors: what a phrase says about the date
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Explicit:
    day: int
    month: int
    year: int | None
    dp_date: date  # dateparser's reading (validates the date, rolls past dates to next year)


@dataclass(frozen=True)
class _DayOfMonth:
    day: int


@dataclass(frozen=True)
class _Relative:
    days: int


@dataclass(frozen=True)
class _Weekday:
    weekday: int
    week: int | None


@dataclass(frozen=True)
class _TimeOnly:
    pass


@dataclass(frozen=True)
class _Lunar:
    solar: date  # the lunar date's solar day, already resolved against today


_Anchor = _Explicit | _DayOfMonth | _Relative | _Weekday | _TimeOnly | _Lunar
_Reading = tuple[int, int, int]  # (day_shift, hour, minute)

_DMY = re.compile(
    r"(?<![\d/.\-:])(?:(?:ngay|mung|mong)\s*)?(?P<d>\d{1,2})[/\-.](?P<m>\d{1,2})"
    r"(?:[/\-.](?P<y>\d{4}|\d{2}))?(?![\d:/]|[.\-]\d)"
)
_DTM = re.compile(
    r"(?<![\w/])(?:(?:ngay|mung|mong)\s*)?(?P<d>\d{1,2})\s+thang\s*(?P<m>\d{1,2})"
    r"(?:\s*,?\s*(?:nam\s*)?(?P<y>\d{4}))?(?![\d/])"
)
_DOM = re.compile(
    r"(?<!\w)(?:ngay|mung|mong)\s*(?P<d>\d{1,2})"
    r"(?![\d/:.\-]|\s*(?:thang|gio|g|h|tieng|phut|p)(?!\w))"
)
_REL = re.compile(
    r"(?<!\w)(?P<r>hom\s*nay|ngay\s*mai|ngay\s*kia|ngay\s*mot|hom\s*qua|bua\s*nay|bua\s*mai"
    r"|bua\s*mot|bua\s*kia|hnay|mai|mot)(?!\w)"
)
_REL_DAYS = {
    "homnay": 0,
    "ngaymai": 1,
    "mai": 1,
    "ngaykia": 2,
    "ngaymot": 2,
    "mot": 2,
    "homqua": -1,
    "buanay": 0,  # dialect: bữa nay, bữa mai, bữa mốt
    "buamai": 1,
    "buamot": 2,
    "buakia": 2,
    "hnay": 0,
}
# "chị Mai", "gặp Mai": a name, not "tomorrow"
_NAME_BEFORE = re.compile(
    r"(?<!\w)(?:chi|anh|co|ba|em|ong|bac|chu|di|cau|ban|cu|thay|be|nha|voi|gap)\s+$"
)
_DURATION = re.compile(
    r"(?<!\w)(?:(?P<sau>sau)\s*)?(?P<n>\d{1,3})\s*(?P<u>tieng|gio|g|h|phut|ph|p|ngay|tuan)"
    r"(?:\s*dong\s*ho)?(?:\s*(?P<nua>nua))?(?!\w)"
)
_DURATION_UNITS = {
    "tieng": timedelta(hours=1),
    "gio": timedelta(hours=1),
    "g": timedelta(hours=1),
    "h": timedelta(hours=1),
    "phut": timedelta(minutes=1),
    "ph": timedelta(minutes=1),
    "p": timedelta(minutes=1),
    "ngay": timedelta(days=1),
    "tuan": timedelta(weeks=1),
}
# date words we do not resolve: with no usable anchor they make the phrase UNPARSEABLE
_VAGUE = re.compile(
    r"(?<!\w)(?:cuoi\s*tuan|dau\s*tuan|giua\s*tuan|tuan\s*(?:sau|toi|nay|truoc|ke)"
    r"|(?:cuoi|dau|giua)\s*thang|thang\s*(?:sau|toi|nay|truoc)|nam\s*(?:sau|toi|nay)"
    r"|sang\s*(?:tuan|thang|nam)|ram|tet|am\s*lich|a\.?l)(?!\w)"
)
_LUNAR = re.compile(r"(?<!\w)(?:am\s*lich|a\.?l|ram)(?!\w)")
# lunar dates: "15/8 âm lịch", "mùng 10 tháng 3 âm", "ngày 23 tháng Chạp", "rằm tháng 6 nhuận"
_LUNAR_DM = re.compile(
    r"(?<![\w/])(?:(?:ngay|mung|mong)\s*)?(?P<d>\d{1,2}|ram)\s*(?:thang\s*|/\s*)"
    r"(?P<m>\d{1,2}|gieng|chap)(?![\d/])(?:\s*(?P<leap>nhuan))?"
    r"(?:\s*(?P<al1>am\s*lich|am))?(?:\s*,?\s*(?:nam\s*)?(?P<y>\d{4}))?"
    r"(?:\s*(?P<al>am\s*lich|am|a\s*\.?\s*l)\.?)?(?!\w)"
)
# a lunar day of the coming lunar month: "ngày rằm", "mùng 1 âm lịch"
_LUNAR_DAY = re.compile(
    r"(?<!\w)(?:ngay\s*)?(?:(?:mung|mong|ngay)\s*(?P<d>\d{1,2})\s*(?P<al>am\s*lich|am)"
    r"|(?P<ram>ram))(?!\w)"
)
# words that could carry a date or time: left unused, the phrase is asked back (UNCLEAR)
_DATEISH = re.compile(
    r"(?<!\w)(?:(?P<w>thang|tet|ram|gio|phut|ruoi|nhuan)|am\s*lich|duong\s*lich|trung\s*thu"
    r"|giang\s*sinh|noel|quoc\s*khanh|nguyen\s*dan|(?:mung|mong|kem)\s*\d+|thu\s*[2-7]"
    r"|chu\s*nhat|hom\s*(?:nay|qua|kia)|ngay\s*(?:mai|kia)|tuan\s*(?:sau|toi|nay|truoc|ke)"
    r"|(?P<mot>mot)|(?<![\w:/.])(?P<num>\d+(?:[:/.h]\d+)*))(?!\w)"
)
_DATEISH_ACCENTS = {
    "thang": ("tháng",), "tet": ("tết",), "ram": ("rằm",), "gio": ("giờ",),
    "phut": ("phút",), "ruoi": ("rưỡi",), "nhuan": ("nhuận",),
}
# a number after one of these is an address, not a date: thôn 3, nhà số 5, phòng 2
_PLACE_BEFORE = re.compile(
    r"(?<!\w)(?:thon|xom|so|phong|to|doi|khu|ap|lo|nha|duong|km|tang|hem|ngo|ngach|kiet|quan"
    r"|phuong|lau|ban|xe|cau|khoi|sn|p|q|cong|cua|ban|lop|nhom|chi|hoi|ca)\s*\.?\s*$"
)
# English date words (matched on the original text, so accented Vietnamese never triggers it)
_EN_HINT = re.compile(
    r"(?<!\w)(?:today|tonight|tomorrow|yesterday|monday|tuesday|wednesday|thursday|friday"
    r"|saturday|sunday|next|week|morning|afternoon|evening|noon|midnight|january|february"
    r"|march|april|june|july|august|september|october|november|december)(?!\w)"
)


def _dateparser(text: str, base: datetime) -> tuple[datetime | None, str | None, tuple[str, ...]]:
    """Run dateparser in Vietnamese (+ English); returns naive local datetime, period, parts."""
    settings = {
        "TIMEZONE": "Asia/Ho_Chi_Minh",
        "RETURN_AS_TIMEZONE_AWARE": True,
        "PREFER_DATES_FROM": "future",
        "DATE_ORDER": "DMY",
        "RELATIVE_BASE": base,
        "RETURN_TIME_AS_PERIOD": True,
    }
    from dateparser.date import DateDataParser  # the last resort: imported on first use

    try:
        data = DateDataParser(languages=["vi", "en"], settings=settings).get_date_data(text)
    except Exception:  # third-party parser fed raw user text: any failure means "no date"
        return None, None, ()
    if data.date_obj is None:
        return None, None, ()
    local = data.date_obj.astimezone(VN_TZ).replace(tzinfo=None)
    return local, data.period, tuple(data.parts)


def _valid_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _day_month_ok(m: re.Match[str]) -> bool:
    return 1 <= int(m.group("d")) <= 31 and 1 <= int(m.group("m")) <= 12


def _take_explicit(scan: Scan, base: datetime) -> _Explicit | _DayOfMonth | None:
    for pattern in (_DMY, _DTM):
        m = scan.search(pattern, _day_month_ok)
        if m is None:
            continue
        scan.take(m.start(), m.end())
        d, mo = int(m.group("d")), int(m.group("m"))
        y = int(m.group("y")) if m.group("y") else None
        if y is not None and y < 100:
            y += 2000
        if y is not None and not base.year - 1 <= y <= base.year + 10:
            scan.invalid = True  # 28/11/2062 is a typo, not a meeting
            return None
        query = f"{d}/{mo}" + (f"/{y}" if y is not None else "")
        parsed, _, _ = _dateparser(query, base)
        if parsed is None or (parsed.day, parsed.month) != (d, mo):
            scan.invalid = True  # 31/11, 29/2/2027 …
            return None
        return _Explicit(d, mo, y, parsed.date())
    m = scan.search(_DOM, lambda m: 1 <= int(m.group("d")) <= 31)
    if m is None:
        return None
    scan.take(m.start(), m.end())
    return _DayOfMonth(int(m.group("d")))


_LUNAR_HINT = re.compile(
    r"(?<!\w)(?:tet|ram|trung|giang|noel|no\s*en|quoc|giai|thong|phu|nha|vu|nguyen|tao|am"
    r"|a\.?l|gieng|chap|nhuan)(?!\w)")


def _take_lunar(scan: Scan, today: date) -> _Lunar | _Explicit | None:
    """Named days (Trung thu, Giáng sinh, 2/9 …) and lunar dates, resolved to a solar day."""
    if not _LUNAR_HINT.search(scan.folded):
        return None  # the hot path: most phrases name no holiday and no lunar date
    found: tuple[int, int, bool, bool, int | None] | None = None  # day, month, lunar, leap, year
    named = False  # a holiday means its next occurrence (no "just passed" question)
    for pattern, is_lunar, d, mo in NAMED_DAYS:
        m = scan.search(pattern)
        if m is not None:
            scan.take(m.start(), m.end())
            found = (d, mo, is_lunar, False, None)
            named = True
            break
    if found is None and (m := scan.search(TET_DAY)) is not None:
        scan.take(m.start(), m.end())
        found = (int(m.group("d")), 1, True, False, None)
        named = True
    if found is None:
        m = scan.search(_LUNAR_DM, lambda m: bool(
            m.group("al") or m.group("al1") or m.group("leap") or m.group("d") == "ram"
            or m.group("m") in LUNAR_MONTH_WORDS))
        if m is not None:
            scan.take(m.start(), m.end())
            d_text, m_text = m.group("d"), m.group("m")
            day = 15 if d_text == "ram" else int(d_text)
            month = LUNAR_MONTH_WORDS.get(m_text) or int(m_text)
            year = int(m.group("y")) if m.group("y") else None
            found = (day, month, True, bool(m.group("leap")), year)
    if found is None:
        m = scan.search(_LUNAR_DAY, lambda m: m.group("ram") is None or loose_eq(
            scan.original(*m.span("ram")), "rằm"))
        if m is None:
            return None
        scan.take(m.start(), m.end())
        day = 15 if m.group("ram") else int(m.group("d"))
        solar = lunarcal.next_lunar(day, None, today)
        if solar is None:
            scan.invalid = True
            return None
        return _Lunar(solar)
    day, month, is_lunar, leap, year = found
    if not is_lunar:
        this = date(today.year, month, day)
        year = today.year if this >= today else today.year + 1
        return _Explicit(day, month, year, this.replace(year=year))
    if not (1 <= month <= 12 and 1 <= day <= 30):
        scan.invalid = True
        return None
    solar = (lunarcal.to_solar(day, month, year, leap) if year is not None
             else lunarcal.next_lunar(day, month, today, leap, None if named else PAST_WINDOW))
    if solar is None:
        scan.invalid = True  # 30 of a 29-day month, a leap month this year does not have
        return None
    return _Lunar(solar)


def _unused_date_words(rest: str) -> tuple[str, ...]:
    """Words of `rest` that could carry a date or time (see `_DATEISH`)."""
    if not rest:
        return ()
    folded = fold(rest)
    found: list[str] = []
    for m in _DATEISH.finditer(folded):
        word = m.group("w")
        if word is not None and not loose_eq(rest[m.start():m.end()], *_DATEISH_ACCENTS[word]):
            continue
        if m.group("num") is not None and _PLACE_BEFORE.search(folded[: m.start()]):
            continue
        if m.group("mot") is not None and rest[m.start():m.end()].lower() not in ("mot", "mốt"):
            continue  # "một" (one) is no date word; bare "mot" may be "mốt" (day after tomorrow)
        found.append(rest[m.start():m.end()])
    return tuple(found)


def _unclear(scan: Scan, rest: str, unused: tuple[str, ...], now: datetime) -> WhenResult:
    """UNCLEAR: what was understood, the unused words, and the reading without them."""
    understood = " ".join(
        "".join(ch if t else " " for ch, t in zip(scan.orig, scan.taken, strict=True)).split())
    guess = _parse(understood, now, strict=False) if understood else None
    when = guess.when if guess is not None and guess.status is not WhenStatus.UNPARSEABLE \
        else None
    return WhenResult(WhenStatus.UNCLEAR, when, (), rest, unused, understood)


def _take_relative(scan: Scan) -> int | None:
    def accept(m: re.Match[str]) -> bool:
        word = m.group("r").replace(" ", "")
        original = scan.original(m.start(), m.end())
        if word == "mot":
            return original.lower() == "mốt"
        if word in ("ngaymot", "buamot"):
            return loose_eq(original.split()[-1], "mốt")
        if word == "mai":
            if not loose_eq(original, "mai") or _NAME_BEFORE.search(scan.folded[: m.start()]):
                return False
            lead = scan.orig[: m.start()].strip()
            titled = original[0].isupper() and original[1:].islower()
            return not (titled and lead and scan.orig != scan.orig.upper())
        return True

    m = scan.search(_REL, accept)
    if m is None:
        return None
    scan.take(m.start(), m.end())
    return _REL_DAYS[m.group("r").replace(" ", "")]


def _take_duration(scan: Scan) -> timedelta | None:
    def accept(m: re.Match[str]) -> bool:
        if m.group("sau") and not loose_eq(scan.original(*m.span("sau")), "sau"):
            return False
        if m.group("nua"):
            return True
        # "sau 8 giờ" could be "after 8 o'clock": only unambiguous units without "nữa"
        return bool(m.group("sau")) and m.group("u") in ("tieng", "phut", "ngay", "tuan")

    m = scan.search(_DURATION, accept)
    if m is None:
        return None
    scan.take(m.start(), m.end())
    return int(m.group("n")) * _DURATION_UNITS[m.group("u")]


# ---------------------------------------------------------------------------------------------
# resolution
# ---------------------------------------------------------------------------------------------


def _at(day: date, reading: _Reading | None) -> datetime:
    if reading is None:
        return datetime.combine(day, time())
    shift, hour, minute = reading
    return datetime.combine(day, time(hour, minute)) + timedelta(days=shift)


def _anchor_day(anchor: _Anchor, today: date) -> tuple[date, int]:
    """The anchor's first possible date, and by how many days it rolls once past (0 = never)."""
    if isinstance(anchor, _Explicit):
        if anchor.year is not None:
            return date(anchor.year, anchor.month, anchor.day), 0
        this_year = _valid_date(today.year, anchor.month, anchor.day)
        if this_year is not None and (this_year >= today or today - this_year <= PAST_WINDOW):
            return this_year, 0
        return anchor.dp_date, 0
    if isinstance(anchor, _DayOfMonth):
        year, month = today.year, today.month
        for _ in range(13):
            day = _valid_date(year, month, anchor.day)
            if day is not None and day >= today:
                return day, 0
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return today, 0  # unreachable: every day 1..31 occurs within 13 months
    if isinstance(anchor, _Relative):
        return today + timedelta(days=anchor.days), 0
    if isinstance(anchor, _Lunar):
        return anchor.solar, 0
    if isinstance(anchor, _Weekday):
        if anchor.week is not None:
            monday = today - timedelta(days=today.weekday()) + timedelta(weeks=anchor.week)
            return monday + timedelta(days=anchor.weekday), 0
        return today + timedelta(days=(anchor.weekday - today.weekday()) % 7), 7
    return today, 1


def _place(anchor: _Anchor, readings: list[_Reading], now: datetime) -> list[datetime]:
    """Naive local datetimes for each clock reading, rolled forward together if all are past."""
    day, roll = _anchor_day(anchor, now.date())
    dts = [_at(day, r) for r in readings]
    if roll and all(dt < now for dt in dts):
        dts = [dt + timedelta(days=roll) for dt in dts]
    return dts


def _to_utc(local: datetime) -> datetime:
    return local.replace(tzinfo=VN_TZ).astimezone(ZoneInfo("UTC"))


def _result(
    status: WhenStatus,
    when: datetime | None,
    rest: str,
    candidates: tuple[datetime, ...] = (),
) -> WhenResult:
    return WhenResult(
        status,
        _to_utc(when) if when is not None else None,
        tuple(_to_utc(c) for c in candidates),
        rest,
    )


def _anchor_list(
    explicit: _Explicit | _DayOfMonth | _Lunar | None,
    weekday: WeekdayRef | None,
    rel_days: list[int],
) -> list[_Anchor]:
    """Date anchors in order of preference (explicit date first)."""
    anchors: list[_Anchor] = []
    if explicit is not None:
        anchors.append(explicit)
    anchors.extend(_Relative(d) for d in dict.fromkeys(rel_days))
    if weekday is not None:
        anchors.append(_Weekday(weekday.weekdays[0], weekday.week_offset))
    return anchors


def _conflicting(anchors: list[_Anchor], today: date) -> bool:
    """True if the date words disagree (`thứ 5 28/11` when 28/11 is a Saturday)."""
    first = _anchor_day(anchors[0], today)[0]
    for anchor in anchors[1:]:
        if isinstance(anchor, _Weekday) and anchor.week is None:
            if first.weekday() != anchor.weekday:
                return True
        elif _anchor_day(anchor, today)[0] != first:
            return True
    return False


def _nearest_qual(quals: list[QualRef], clock: ClockTime | None) -> QualRef | None:
    if not quals:
        return None
    if clock is None:
        return quals[0]
    return min(quals, key=lambda q: min(abs(q.start - clock.end), abs(clock.start - q.end)))


def _fallback(scan: Scan, now: datetime) -> WhenResult:
    """Hand the whole phrase to dateparser (English, unusual Vietnamese forms)."""
    text = " ".join(scan.orig.split())
    if not any(ch.isalpha() for ch in text):
        return WhenResult(WhenStatus.UNPARSEABLE, rest=text)
    parsed, period, parts = _dateparser(text, now)
    if parsed is None or period not in ("time", "day", "part_of_day"):
        return WhenResult(WhenStatus.UNPARSEABLE, rest=text)
    # dateparser reports period "day" when the given time equals RELATIVE_BASE; "parts" is right
    has_time = period == "time" or (period == "day" and "time" in parts)
    if not has_time:
        day = datetime.combine(parsed.date(), time())
        status = WhenStatus.IN_PAST if day.date() < now.date() else WhenStatus.NO_TIME_OF_DAY
        return _result(status, day, "")
    parsed = parsed.replace(second=0, microsecond=0)
    return _result(WhenStatus.IN_PAST if parsed < now else WhenStatus.OK, parsed, "")


def _check_now(now: datetime) -> datetime:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime")
    return now.astimezone(VN_TZ).replace(tzinfo=None)


def parse_when(text: str, now: datetime) -> WhenResult:
    """Parse a Vietnamese (or simple English) meeting time relative to aware `now`.

    Every word that could carry a date or time is either understood or the result is
    UNCLEAR (asked back); nothing is filled in with today.
    """
    return _parse(text, _check_now(now), strict=True)


def _parse(text: str, now_local: datetime, strict: bool) -> WhenResult:
    flags: dict[str, bool] = {}
    result = _parse_scan(text, now_local, strict, flags)
    if flags.get("lunar") and result.when is not None:
        return replace(result, lunar=True)
    return result


def _parse_scan(text: str, now_local: datetime, strict: bool,
                flags: dict[str, bool]) -> WhenResult:
    if not text or not text.strip() or len(text) > MAX_INPUT_CHARS:
        return WhenResult(WhenStatus.UNPARSEABLE, rest=(text or "").strip()[:MAX_INPUT_CHARS])
    scan = Scan(spoken_to_digits(text))
    weekday = take_weekdays(scan)
    lunar = _take_lunar(scan, now_local.date())
    duration = _take_duration(scan)
    explicit = lunar if lunar is not None else _take_explicit(scan, now_local)
    clock = take_clock(scan)
    quals = take_qualifiers(scan)
    rel = _take_relative(scan)
    if scan.invalid:
        return WhenResult(WhenStatus.UNPARSEABLE, rest=" ".join(scan.orig.split()))
    if not scan.any_taken():
        return _fallback(scan, now_local)
    scan.absorb_connectors()
    rest = scan.rest()
    folded_rest = fold(rest)
    unused = _unused_date_words(rest) if strict else ()
    if unused:
        return _unclear(scan, rest, unused, now_local)

    rel_days = [q.day_offset for q in quals if q.day_offset is not None]
    if rel is not None:
        rel_days.append(rel)
    if duration is not None and duration < timedelta(days=1):
        if clock is not None or explicit is not None or weekday is not None or rel_days:
            return WhenResult(WhenStatus.UNPARSEABLE, rest=rest)
        return _result(
            WhenStatus.OK, (now_local + duration).replace(second=0, microsecond=0), rest
        )
    if duration is not None:
        rel_days.append(duration.days)

    anchors = _anchor_list(explicit, weekday, rel_days)
    if isinstance(explicit, _Explicit | _DayOfMonth) and _LUNAR.search(folded_rest):
        return WhenResult(WhenStatus.UNPARSEABLE, rest=rest)
    flags["lunar"] = isinstance(explicit, _Lunar)
    if not anchors:
        if clock is None or _VAGUE.search(folded_rest):
            return WhenResult(WhenStatus.UNPARSEABLE, rest=rest)
        if _EN_HINT.search(rest.lower()):
            return _fallback(scan, now_local)
        anchors = [_TimeOnly()]

    if clock is None:
        days = [_anchor_day(a, now_local.date())[0] for a in anchors]
        dates = [datetime.combine(d, time()) for d in days]
        if _conflicting(anchors, now_local.date()):
            return _result(WhenStatus.AMBIGUOUS, dates[0], rest, tuple(sorted(set(dates))))
        past = days[0] < now_local.date()
        return _result(WhenStatus.IN_PAST if past else WhenStatus.NO_TIME_OF_DAY, dates[0], rest)

    qual = _nearest_qual(quals, clock)
    readings = hour_readings(clock, qual.qual if qual is not None else None)
    if _conflicting(anchors, now_local.date()):
        options = [_place(a, readings[-1:], now_local)[0] for a in anchors]
        return _result(WhenStatus.AMBIGUOUS, options[0], rest, tuple(sorted(set(options))))
    placed = _place(anchors[0], readings, now_local)
    best = placed[-1]  # the last reading is the afternoon one when ambiguous
    if isinstance(anchors[0], _TimeOnly) and len(readings) > 1:
        # a bare "3:15": morning or afternoon, and which day?  Always asked.
        options = sorted(_place(anchors[0], [r], now_local)[0] for r in readings)
        return _result(WhenStatus.AMBIGUOUS, best, rest, tuple(options))
    future = sorted({dt for dt in placed if dt >= now_local})
    if not future:
        return _result(WhenStatus.IN_PAST, best, rest)
    if len(future) == 1:
        return _result(WhenStatus.OK, future[0], rest)
    return _result(WhenStatus.AMBIGUOUS, best, rest, tuple(future))


# ---------------------------------------------------------------------------------------------
# formatting and reminder offsets
# ---------------------------------------------------------------------------------------------

# CLDR (Babel 2.18) has no "date at time" joiner for vi, so the two patterns are spelled out.
_WHEN_PATTERNS = {
    "vi": "EEEE, dd/MM/yyyy 'lúc' HH:mm",
    "en": "EEEE, dd/MM/yyyy 'at' HH:mm",
}


def format_when(dt: datetime, locale: str) -> str:
    """Format an aware datetime in Asia/Ho_Chi_Minh: "Thứ Bảy, 28/11/2026 lúc 19:30"."""
    lang = "en" if locale.lower().startswith("en") else "vi"
    return _format_when(dt.astimezone(VN_TZ), lang)


@lru_cache(maxsize=4096)
def _format_when(local: datetime, lang: str) -> str:
    """Babel's formatting (~0.1 ms) of one local instant; pure, so remembered."""
    from babel.dates import format_datetime  # babel's data loads on first use, not at start-up

    return format_datetime(local, _WHEN_PATTERNS[lang], tzinfo=VN_TZ, locale=lang)


_OFFSET_ITEM = re.compile(
    r"(?<![\d.])(?P<n>\d{1,5}(?:\.\d{1,3})?)\s*"
    r"(?P<u>phut|ph|p|mins?|minutes?|m|tieng|gio|g|h|hrs?|hours?|ngay|d|days?|tuan|w|weeks?)(?!\w)"
)
_OFFSET_GLUE = re.compile(r"(?:[\s,;+/&]|va|and|truoc|before)*")
_OFFSET_UNITS = {
    "minute": timedelta(minutes=1),
    "hour": timedelta(hours=1),
    "day": timedelta(days=1),
    "week": timedelta(weeks=1),
}
MAX_OFFSET = timedelta(days=30)


def _offset_unit(unit: str) -> timedelta:
    if unit in ("phut", "ph", "p", "m") or unit.startswith("min"):
        return _OFFSET_UNITS["minute"]
    if unit in ("tieng", "gio", "g", "h") or unit.startswith(("hr", "hour")):
        return _OFFSET_UNITS["hour"]
    if unit in ("ngay", "d") or unit.startswith("day"):
        return _OFFSET_UNITS["day"]
    return _OFFSET_UNITS["week"]


def parse_offsets(text: str) -> list[timedelta] | None:
    """Reminder offsets (`24h,2h,15p`, `1 ngày, 1 giờ`, `1d,2h,15m`), longest first, or None."""
    if not text or len(text) > MAX_INPUT_CHARS:
        return None
    folded = fold(" ".join(text.split()))
    offsets: set[timedelta] = set()
    pos = 0
    for m in _OFFSET_ITEM.finditer(folded):
        if _OFFSET_GLUE.fullmatch(folded, pos, m.start()) is None:
            return None
        amount = float(m.group("n")) * _offset_unit(m.group("u"))
        if amount <= timedelta(0) or amount > MAX_OFFSET:
            return None
        offsets.add(timedelta(seconds=round(amount.total_seconds())))
        pos = m.end()
    if not offsets or _OFFSET_GLUE.fullmatch(folded, pos) is None:
        return None
    return sorted(offsets, reverse=True)
