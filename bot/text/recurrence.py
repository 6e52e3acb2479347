"""Recurring-notice rules from Vietnamese phrases: `mỗi Chủ nhật 6:30`, `ngày 1 hàng tháng 8h`.

A rule is stored as RFC 5545 text that `dateutil.rrule.rrulestr` reads back, with DTSTART as a
*floating* local time meant in Asia/Ho_Chi_Minh, e.g.
"DTSTART:20261122T063000\\nRRULE:FREQ=WEEKLY;BYDAY=SU".  DTSTART is the first occurrence
after the `now` the rule was parsed at.

Decisions:
- A recurrence needs a marker: `hàng/hằng/mỗi ngày|tuần|tháng`, `mỗi/các/hàng <thứ>`,
  `mỗi sáng/tối`.  Without one (`thứ 2 19h`) it is a one-off: UNPARSEABLE here.
- Clock times are taken as written unless sáng/chiều/tối says otherwise: `mỗi Chủ nhật 6:30` is
  06:30 (unlike `parse_when`, a bare 1–6 is not ambiguous here).
- `ngày 31 hàng tháng` uses BYMONTHDAY=31, so months without a 31st are skipped (Jan 31 → Mar 31);
  `ngày cuối tháng` is BYMONTHDAY=-1 (last day of every month).
- Lunar days (Vietnamese calendar, `bot.text.lunar`): `mùng 1 và rằm hàng tháng`,
  `ngày 15 âm lịch hàng tháng`, `rằm tháng Bảy hằng năm`, `Trung thu hằng năm`.  rrule only
  knows the solar calendar, so these are stored as our own text
  "LUNAR:FREQ=MONTHLY;BYMONTHDAY=1,15;AT=0800" (or FREQ=YEARLY;BYMONTH=7) and
  `next_occurrence` computes them.  Leap months: a monthly lunar notice fires in the leap
  month too (offerings on mùng 1 and rằm are made every lunar month, leap ones included); a
  yearly one fires only in the regular month (Rằm tháng Bảy is not repeated in a leap 7th
  month).  A day the month does not have (30 of a 29-day month) is skipped that month.
  Other lunar wordings (`âm lịch` without such a rule) are UNPARSEABLE.
- `hằng ngày trừ Chủ nhật` is a weekly rule on the other six days.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import Enum
from zoneinfo import ZoneInfo

from dateutil.rrule import DAILY, MONTHLY, WEEKLY, rrule, rrulestr, weekday

from bot.text import lunar as lunarcal
from bot.text.lunar_vocab import NAMED_DAYS
from bot.text.numbers_vocab import spoken_to_digits
from bot.text.timelex import (
    Scan,
    hour_readings,
    loose_eq,
    take_clock,
    take_qualifiers,
    take_weekdays,
)
from bot.text.timeparse import MAX_INPUT_CHARS, VN_TZ

__all__ = [
    "Freq",
    "RecurrenceInfo",
    "RecurrenceResult",
    "RecurrenceStatus",
    "describe_recurrence",
    "next_occurrence",
    "parse_recurrence",
]

_UTC = ZoneInfo("UTC")


class RecurrenceStatus(Enum):
    """Outcome of `parse_recurrence`."""

    OK = "ok"
    NO_TIME_OF_DAY = "no_time_of_day"
    UNPARSEABLE = "unparseable"


class Freq(Enum):
    """How often a notice repeats."""

    DAILY = "DAILY"
    WEEKLY = "WEEKLY"
    MONTHLY = "MONTHLY"
    YEARLY = "YEARLY"  # lunar rules only


@dataclass(frozen=True)
class RecurrenceInfo:
    """Structured description for the locale layer to render.

    `weekdays`: 0 = Monday … 6 = Sunday (WEEKLY); `monthdays`: 1…31, -1 = last day (MONTHLY);
    `hour`/`minute` are local Asia/Ho_Chi_Minh time, None when no time was given.
    """

    freq: Freq
    weekdays: tuple[int, ...] = ()
    monthdays: tuple[int, ...] = ()
    hour: int | None = None
    minute: int | None = None
    lunar: bool = False  # monthdays (and month) are on the lunar calendar
    month: int | None = None  # YEARLY: the lunar month


@dataclass(frozen=True)
class RecurrenceResult:
    """Parsed recurrence: `rrule` (storable text) only for OK; `info` for OK and NO_TIME_OF_DAY."""

    status: RecurrenceStatus
    rrule: str | None = None
    rest: str = ""
    info: RecurrenceInfo | None = None


_EVERY = r"(?P<every>hang|moi)"
_EVERY_FORMS = ("hàng", "hằng", "mỗi")
_DAILY = re.compile(r"(?<!\w)" + _EVERY + r"\s*ngay(?!\w)")
_DAILY_PART = re.compile(r"(?<!\w)" + _EVERY + r"\s+(?=(?:sang|trua|chieu|toi|dem)(?!\w))")
_WEEKLY = re.compile(r"(?<!\w)" + _EVERY + r"\s*tuan(?!\w)")
_MONTHLY = re.compile(r"(?<!\w)" + _EVERY + r"\s*thang(?!\w)")
_EVERY_BEFORE_WD = re.compile(r"(?<!\w)(?:vao\s+)?(?P<w>moi|cac|hang)\s*$")
_EXCEPT_BEFORE_WD = re.compile(r"(?<!\w)(?P<w>tru)\s*(?:ngay\s+)?$")
_MONTHDAYS = re.compile(
    r"(?<!\w)(?:ngay|mung|mong)\s*(?P<d>\d{1,2})"
    r"(?P<more>(?:\s*(?:,|va|&|-|/)\s*(?:(?:ngay|mung|mong)\s*)?\d{1,2}(?![\w:/.]))*)"
    r"(?![\w:/.])(?!\s*(?:gio|g|h|tieng|phut|p|thang\s*\d)(?!\w))"
)
_LAST_DAY_EVERY = re.compile(
    r"(?<!\w)(?:ngay\s*)?cuoi\s*(?:cung\s*)?(?:cua\s*)?" + _EVERY + r"\s*thang(?!\w)"
)
_LAST_DAY = re.compile(r"(?<!\w)(?:ngay\s*)?cuoi\s*(?:cung\s*)?(?:cua\s*)?thang(?!\w)")
_LUNAR = re.compile(r"(?<!\w)(?:am\s*lich|a\.?l|ram)(?!\w)")
_RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_YEARLY = re.compile(r"(?<!\w)" + _EVERY + r"\s*nam(?!\w)")
_LUNAR_DAY_ITEM = r"(?:(?:ngay|mung|mong)\s*)?(?:\d{1,2}|ram)"
_LUNAR_DAYS = re.compile(
    r"(?<!\w)" + _LUNAR_DAY_ITEM + r"(?:\s*(?:,|va|&)\s*" + _LUNAR_DAY_ITEM + r")*(?![\w:/.])"
    r"(?!\s*(?:gio|g|h|tieng|phut|p)(?!\w))"
)
_LUNAR_DM = re.compile(
    r"(?<!\w)(?:(?:ngay|mung|mong)\s*)?(?P<d>\d{1,2}|ram)\s*(?:thang\s*|/\s*)"
    r"(?P<m>\d{1,2}|gieng|chap)(?![\d/])"
)
_AL = re.compile(r"(?<!\w)(?:am\s*lich|am|a\.?l)(?!\w)")
LUNAR_PREFIX = "LUNAR:"


def _parse_lunar(text: str, now: datetime) -> RecurrenceResult | None:
    """A lunar rule (see the module docstring), or None when the phrase is not one."""
    scan = Scan(spoken_to_digits(text))
    monthly = _take_marker(scan, _MONTHLY)
    yearly = not monthly and _take_marker(scan, _YEARLY)
    if not (monthly or yearly):
        return None
    month: int | None = None
    days: list[int] = []
    if yearly:
        for pattern, is_lunar, d, mo in NAMED_DAYS:
            m = scan.search(pattern)
            if is_lunar and m is not None:
                scan.take(m.start(), m.end())
                days, month = [d], mo
                break
        if month is None and (m := scan.search(_LUNAR_DM)) is not None:
            scan.take(m.start(), m.end())
            word = {"gieng": 1, "chap": 12}.get(m.group("m"))
            month = word or int(m.group("m"))
            days = [15 if m.group("d") == "ram" else int(m.group("d"))]
    else:
        m = scan.search(_LUNAR_DAYS)
        if m is not None and ("ram" in m.group() or _AL.search(scan.folded)):
            scan.take(m.start(), m.end())
            days = sorted({15 if w == "ram" else int(w)
                           for w in re.findall(r"\d{1,2}|ram", m.group())})
    if not days:
        return None
    if (al := scan.search(_AL)) is not None:
        scan.take(al.start(), al.end())
    if (month is not None and not 1 <= month <= 12) or not all(1 <= d <= 30 for d in days):
        return RecurrenceResult(RecurrenceStatus.UNPARSEABLE, rest=scan.rest())
    clock = take_clock(scan)
    quals = take_qualifiers(scan)
    scan.absorb_connectors()
    rest = scan.rest()
    freq = Freq.YEARLY if yearly else Freq.MONTHLY
    if scan.invalid:
        return RecurrenceResult(RecurrenceStatus.UNPARSEABLE, rest=rest)
    if clock is None:
        info = RecurrenceInfo(freq, (), tuple(days), lunar=True, month=month)
        return RecurrenceResult(RecurrenceStatus.NO_TIME_OF_DAY, rest=rest, info=info)
    shift, hour, minute = hour_readings(clock, quals[0].qual if quals else None)[0]
    if shift:
        return RecurrenceResult(RecurrenceStatus.UNPARSEABLE, rest=rest)
    parts = [f"FREQ={freq.value}"] + ([f"BYMONTH={month}"] if month else []) + [
        "BYMONTHDAY=" + ",".join(map(str, days)), f"AT={hour:02d}{minute:02d}"]
    info = RecurrenceInfo(freq, (), tuple(days), hour, minute, lunar=True, month=month)
    return RecurrenceResult(RecurrenceStatus.OK, LUNAR_PREFIX + ";".join(parts), rest, info)


def _lunar_parts(rule: str) -> tuple[Freq, int | None, tuple[int, ...], time]:
    parts = dict(item.split("=", 1) for item in rule[len(LUNAR_PREFIX):].split(";") if "=" in item)
    freq = Freq(parts["FREQ"])
    month = int(parts["BYMONTH"]) if "BYMONTH" in parts else None
    days = tuple(int(d) for d in parts["BYMONTHDAY"].split(","))
    at = parts["AT"]
    return freq, month, days, time(int(at[:2]), int(at[2:]))


def _next_lunar(rule: str, after: datetime) -> datetime | None:
    freq, month, days, at = _lunar_parts(rule)
    local_after = _to_local_naive(after)
    day = local_after.date()
    if freq is Freq.YEARLY and month is not None:
        first = lunarcal.to_lunar(day).year
        for year in range(first - 1, first + 3):
            hits = sorted(datetime.combine(solar, at) for d in days
                          if (solar := lunarcal.to_solar(d, month, year)) is not None)
            for candidate in hits:
                if candidate > local_after:
                    return candidate.replace(tzinfo=VN_TZ).astimezone(_UTC)
        return None
    for _ in range(62):  # every lunar month has each of days 1-29 within 62 days
        if lunarcal.to_lunar(day).day in days:
            candidate = datetime.combine(day, at)
            if candidate > local_after:
                return candidate.replace(tzinfo=VN_TZ).astimezone(_UTC)
        day += timedelta(days=1)
    return None


def _every_ok(scan: Scan, m: re.Match[str]) -> bool:
    return loose_eq(scan.original(*m.span("every")), *_EVERY_FORMS)


def _take_marker(scan: Scan, pattern: re.Pattern[str]) -> bool:
    m = scan.search(pattern, lambda m: _every_ok(scan, m))
    if m is None:
        return False
    scan.take(m.start(), m.end())
    return True


def _take_monthdays(scan: Scan) -> list[int]:
    last = scan.search(_LAST_DAY)
    if last is not None:
        scan.take(last.start(), last.end())
        return [-1]
    m = scan.search(_MONTHDAYS)
    if m is None:
        return []
    scan.take(m.start(), m.end())
    days = [int(d) for d in re.findall(r"\d{1,2}", m.group("d") + " " + m.group("more"))]
    if not all(1 <= d <= 31 for d in days):
        scan.invalid = True
    return sorted(set(days))


def _to_local_naive(dt: datetime) -> datetime:
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError("expected an aware datetime")
    return dt.astimezone(VN_TZ).replace(tzinfo=None)


def _build(freq: Freq, weekdays: list[int], monthdays: list[int], at: time, now: datetime) -> str:
    """RRULE text whose DTSTART is the first occurrence after `now` (naive local)."""
    by_weekday = tuple(weekday(d) for d in sorted(weekdays)) if freq is Freq.WEEKLY else None
    by_monthday = tuple(sorted(monthdays)) if freq is Freq.MONTHLY else None
    code = DAILY if freq is Freq.DAILY else WEEKLY if freq is Freq.WEEKLY else MONTHLY
    search = rrule(
        code,  # type: ignore[arg-type]  # the stubs type DAILY/WEEKLY/MONTHLY as plain int
        dtstart=datetime.combine(now.date(), at),
        byweekday=by_weekday,
        bymonthday=by_monthday,
    )
    first = search.after(now)
    return str(rrule(code,  # type: ignore[arg-type]  # as above
                     dtstart=first, byweekday=by_weekday, bymonthday=by_monthday))


def parse_recurrence(text: str, now: datetime) -> RecurrenceResult:
    """Parse a Vietnamese recurring-time phrase; DTSTART is the first occurrence after `now`."""
    now_local = _to_local_naive(now).replace(second=0, microsecond=0)
    if not text or not text.strip() or len(text) > MAX_INPUT_CHARS:
        return RecurrenceResult(
            RecurrenceStatus.UNPARSEABLE, rest=(text or "").strip()[:MAX_INPUT_CHARS]
        )
    lunar = _parse_lunar(text, now_local)
    if lunar is not None:
        return lunar
    scan = Scan(text)
    if _LUNAR.search(scan.folded):
        return RecurrenceResult(RecurrenceStatus.UNPARSEABLE, rest=" ".join(scan.orig.split()))
    if _take_marker(scan, _LAST_DAY_EVERY):  # "ngày cuối mỗi tháng"
        monthly, monthdays = True, [-1]
    else:
        monthly = _take_marker(scan, _MONTHLY)
        monthdays = _take_monthdays(scan) if monthly else []
    weekly = _take_marker(scan, _WEEKLY)
    daily = _take_marker(scan, _DAILY) or _take_marker(scan, _DAILY_PART)
    before = scan.work
    wd = take_weekdays(scan, multi=True)
    weekdays = list(wd.weekdays) if wd is not None else []
    if wd is not None:
        prefix = before[: wd.start]
        if (every := _EVERY_BEFORE_WD.search(prefix)) is not None and loose_eq(
            scan.original(*every.span("w")), *_EVERY_FORMS, "các"
        ):
            weekly = True
            scan.take(every.start(), every.end())
        elif daily and (exc := _EXCEPT_BEFORE_WD.search(prefix)) is not None:
            weekdays = [d for d in range(7) if d not in weekdays]
            scan.take(exc.start(), exc.end())
    clock = take_clock(scan)
    quals = take_qualifiers(scan)
    scan.absorb_connectors()
    rest = scan.rest()

    freq = _frequency(daily, weekly, monthly, weekdays, monthdays)
    if scan.invalid or freq is None or (wd is not None and wd.week_offset is not None):
        return RecurrenceResult(RecurrenceStatus.UNPARSEABLE, rest=rest)
    if clock is None:
        info = RecurrenceInfo(freq, tuple(sorted(weekdays)), tuple(monthdays))
        return RecurrenceResult(RecurrenceStatus.NO_TIME_OF_DAY, rest=rest, info=info)
    qual = quals[0].qual if quals else None
    shift, hour, minute = hour_readings(clock, qual)[0]  # as written: no 03:00/15:00 question
    if shift:
        if freq is Freq.MONTHLY:
            return RecurrenceResult(RecurrenceStatus.UNPARSEABLE, rest=rest)
        weekdays = [(d + 1) % 7 for d in weekdays]  # "12 giờ đêm thứ 7" = Sunday 00:00
    rule = _build(freq, weekdays, monthdays, time(hour, minute), now_local)
    info = RecurrenceInfo(freq, tuple(sorted(weekdays)), tuple(monthdays), hour, minute)
    return RecurrenceResult(RecurrenceStatus.OK, rule, rest, info)


def _frequency(
    daily: bool, weekly: bool, monthly: bool, weekdays: list[int], monthdays: list[int]
) -> Freq | None:
    if monthly:
        return Freq.MONTHLY if monthdays and not weekdays and not weekly else None
    if weekdays:
        if not (daily or weekly):
            return None  # "thứ 2 19h" alone is a one-off meeting
        return Freq.DAILY if len(weekdays) == 7 else Freq.WEEKLY
    if weekly:
        return None  # "hàng tuần" without a weekday
    return Freq.DAILY if daily else None


def next_occurrence(rule: str, after: datetime) -> datetime | None:
    """First occurrence strictly after aware `after`, as aware UTC; None once the rule ends.

    The rule's floating DTSTART/occurrences are wall-clock times in Asia/Ho_Chi_Minh: they are
    iterated as naive local times and only then given the zone, so a (hypothetical) DST change
    would keep notices at the same wall-clock hour.
    """
    if rule.startswith(LUNAR_PREFIX):
        return _next_lunar(rule, after)
    parsed = rrulestr(rule, forceset=True)
    local_after = _to_local_naive(after)
    for candidate in parsed.xafter(local_after, count=3):
        aware = candidate.replace(tzinfo=VN_TZ)
        # a local time that does not exist (DST gap; none in Vietnam today) maps past `after`
        if aware.astimezone(_UTC) > after.astimezone(_UTC):
            return aware.astimezone(_UTC)
    return None


_RRULE_LINE = re.compile(r"^RRULE:(?P<body>.+)$", re.MULTILINE)
# only floating local DTSTARTs (what parse_recurrence writes); "…Z" or TZID= are rejected
_DTSTART_LINE = re.compile(r"^DTSTART:(?P<v>\d{8}T\d{6})$", re.MULTILINE)


def describe_recurrence(rule: str) -> RecurrenceInfo:
    """Structured description of a rule made by `parse_recurrence`; ValueError if it is not one."""
    if rule.startswith(LUNAR_PREFIX):
        try:
            freq, month, days, at = _lunar_parts(rule)
        except (KeyError, ValueError, IndexError) as exc:
            raise ValueError(f"bad lunar rule {rule!r}") from exc
        return RecurrenceInfo(freq, (), days, at.hour, at.minute, lunar=True, month=month)
    rrulestr(rule)  # validates the syntax
    body, start = _RRULE_LINE.search(rule), _DTSTART_LINE.search(rule)
    if body is None or start is None:
        raise ValueError("rule needs DTSTART and RRULE lines")
    parts = dict(item.split("=", 1) for item in body.group("body").split(";") if "=" in item)
    try:
        freq = Freq(parts.get("FREQ", ""))
        if freq is Freq.YEARLY:
            raise ValueError("yearly rules are lunar rules only")
    except ValueError as exc:
        raise ValueError(f"unsupported frequency in {rule!r}") from exc
    days = tuple(sorted(_RRULE_DAYS.index(d) for d in parts.get("BYDAY", "").split(",") if d))
    monthdays = tuple(sorted(int(d) for d in parts.get("BYMONTHDAY", "").split(",") if d))
    dtstart = datetime.strptime(start.group("v"), "%Y%m%dT%H%M%S")
    return RecurrenceInfo(freq, days, monthdays, dtstart.hour, dtstart.minute)
