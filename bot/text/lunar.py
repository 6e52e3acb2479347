"""The Vietnamese lunar calendar (UTC+7) through `lunar-vn`, and how lunar days are shown.

`lunar-vn` implements Hồ Ngọc Đức's algorithm for the Vietnamese calendar (new moons computed
for UTC+7), which differs from the Chinese calendar (`lunardate`, `lunarcalendar`) on some
days, e.g. Tết 2007 (17/02 in Vietnam) and Tết 2030 (02/02 in Vietnam, 03/02 in China).

Leap months: a date written without "nhuận" means the regular month (Rằm tháng Bảy is the
15th of the regular 7th month even in a year with a leap 7th month); "tháng 6 nhuận" names the
leap month and only exists in years that have one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from lunar_vn import LunarDate, lunar_to_solar, solar_to_lunar

from bot.text import lunar_vocab as vocab

__all__ = ["Lunar", "format_lunar", "next_lunar", "to_lunar", "to_solar"]

_TZ_HOURS = 7.0


@dataclass(frozen=True)
class Lunar:
    """A lunar date: day, month, lunar year, leap month."""

    day: int
    month: int
    year: int
    leap: bool = False


@lru_cache(maxsize=4096)
def to_lunar(day: date) -> Lunar:
    """The Vietnamese lunar date of a solar date."""
    got = solar_to_lunar(day, _TZ_HOURS)
    return Lunar(got.day, got.month, got.year, bool(got.leap))


@lru_cache(maxsize=4096)
def to_solar(day: int, month: int, year: int, leap: bool = False) -> date | None:
    """The solar date of a lunar date, or None when that lunar date does not exist."""
    try:
        solar = lunar_to_solar(LunarDate(day, month, year, leap), _TZ_HOURS)
    except (ValueError, OverflowError):
        return None
    if to_lunar(solar) != Lunar(day, month, year, leap):
        return None  # 30th of a 29-day month, a leap month the year does not have
    return solar


def next_lunar(day: int, month: int | None, today: date, leap: bool = False,
               past_window: timedelta | None = None) -> date | None:
    """The lunar date's solar day on or after today (within `past_window` back: that one).

    With `month` None it is the next lunar month (leap months included) having that day.
    """
    lunar_today = to_lunar(today)
    if month is None:
        if not 1 <= day <= 30:
            return None
        probe = today + timedelta(days=max(0, day - lunar_today.day - 1))
        for _ in range(70):
            if to_lunar(probe).day == day:
                return probe
            probe += timedelta(days=1)
        return None
    for year in (lunar_today.year - 1, lunar_today.year, lunar_today.year + 1,
                 lunar_today.year + 2, lunar_today.year + 3):
        solar = to_solar(day, month, year, leap)
        if solar is None:
            continue
        if solar >= today or (past_window is not None and year >= lunar_today.year
                              and today - solar <= past_window):
            return solar
    return None


@lru_cache(maxsize=4096)
def format_lunar(day: date, locale: str = "vi") -> str:
    """ "Rằm tháng Giêng", "mùng 10 tháng 3 âm lịch", "15/8 âm lịch (nhuận)" for a solar date."""
    lunar = to_lunar(day)
    if locale.lower().startswith("en"):
        leap = " leap" if lunar.leap else ""
        return f"{lunar.day}/{lunar.month}{leap} {vocab.EN_LUNAR}"
    month = vocab.MONTH_NAMES.get(lunar.month, f"{vocab.MONTH_WORD} {lunar.month}")
    if lunar.leap:
        month = f"{month} {vocab.LEAP_WORD}"
    named = lunar.month in vocab.MONTH_NAMES
    if lunar.day == 15:
        text = f"{vocab.FULL_MOON} {month}"
    elif lunar.day <= 10:
        text = f"{vocab.NEW_MOON_DAY} {lunar.day} {month}"
    else:
        text = f"{lunar.day} {month}"
    return text if named else f"{text} {vocab.LUNAR_SUFFIX}"
