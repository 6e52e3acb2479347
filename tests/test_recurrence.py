"""Recurring-notice rules: Vietnamese phrases → RRULE text → next occurrences."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from dateutil.rrule import rrulestr
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.text.recurrence import (
    Freq,
    RecurrenceInfo,
    RecurrenceStatus,
    describe_recurrence,
    next_occurrence,
    parse_recurrence,
)
from bot.text.timeparse import VN_TZ

OK = RecurrenceStatus.OK
NO_TIME = RecurrenceStatus.NO_TIME_OF_DAY
UNPARSEABLE = RecurrenceStatus.UNPARSEABLE

NOW = datetime(2026, 11, 21, 20, 30, tzinfo=VN_TZ)  # Saturday evening

CASES: list[tuple[str, RecurrenceStatus, str | None]] = [
    ("mỗi Chủ nhật 6:30", OK, "DTSTART:20261122T063000\nRRULE:FREQ=WEEKLY;BYDAY=SU"),
    ("6h30 sáng Chủ nhật hàng tuần", OK, "DTSTART:20261122T063000\nRRULE:FREQ=WEEKLY;BYDAY=SU"),
    ("hàng tuần thứ 2 19h", OK, "DTSTART:20261123T190000\nRRULE:FREQ=WEEKLY;BYDAY=MO"),
    ("ngày 1 hàng tháng 8h", OK, "DTSTART:20261201T080000\nRRULE:FREQ=MONTHLY;BYMONTHDAY=1"),
    ("mùng 1 hàng tháng lúc 8:00", OK, "DTSTART:20261201T080000\nRRULE:FREQ=MONTHLY;BYMONTHDAY=1"),
    ("hằng ngày 7h", OK, "DTSTART:20261122T070000\nRRULE:FREQ=DAILY"),
    ("mỗi ngày 17h", OK, "DTSTART:20261122T170000\nRRULE:FREQ=DAILY"),
    ("mỗi ngày 21h", OK, "DTSTART:20261121T210000\nRRULE:FREQ=DAILY"),  # still ahead today
    (
        "thứ 2, thứ 4, thứ 6 hàng tuần 5h30",
        OK,
        "DTSTART:20261123T053000\nRRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR",
    ),
    ("thứ 2, 4, 6 hàng tuần 19h", OK, "DTSTART:20261123T190000\nRRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR"),
    (
        "T2-T6 hàng tuần 7h sáng",
        OK,
        "DTSTART:20261123T070000\nRRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
    ),
    ("các thứ 7 19h30", OK, "DTSTART:20261128T193000\nRRULE:FREQ=WEEKLY;BYDAY=SA"),
    (
        "hằng ngày trừ chủ nhật 6h",
        OK,
        "DTSTART:20261123T060000\nRRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA",
    ),
    ("mỗi tối 8 giờ", OK, "DTSTART:20261122T200000\nRRULE:FREQ=DAILY"),
    ("ngày 31 hàng tháng 9h", OK, "DTSTART:20261231T090000\nRRULE:FREQ=MONTHLY;BYMONTHDAY=31"),
    ("ngày cuối mỗi tháng 17h", OK, "DTSTART:20261130T170000\nRRULE:FREQ=MONTHLY;BYMONTHDAY=-1"),
    (
        "ngày 15 và 30 hàng tháng 8h",
        OK,
        "DTSTART:20261130T080000\nRRULE:FREQ=MONTHLY;BYMONTHDAY=15,30",
    ),
    ("12 giờ đêm thứ 7 hàng tuần", OK, "DTSTART:20261122T000000\nRRULE:FREQ=WEEKLY;BYDAY=SU"),
    # no diacritics
    ("moi chu nhat 6h30", OK, "DTSTART:20261122T063000\nRRULE:FREQ=WEEKLY;BYDAY=SU"),
    ("hang tuan thu 2 19h", OK, "DTSTART:20261123T190000\nRRULE:FREQ=WEEKLY;BYDAY=MO"),
    ("ngay 1 hang thang 8h", OK, "DTSTART:20261201T080000\nRRULE:FREQ=MONTHLY;BYMONTHDAY=1"),
    ("mung 1 hang thang luc 8:00", OK, "DTSTART:20261201T080000\nRRULE:FREQ=MONTHLY;BYMONTHDAY=1"),
    ("hang ngay 7h", OK, "DTSTART:20261122T070000\nRRULE:FREQ=DAILY"),
    ("MỖI CHỦ NHẬT 6H30", OK, "DTSTART:20261122T063000\nRRULE:FREQ=WEEKLY;BYDAY=SU"),
    # no time of day
    ("mỗi chủ nhật", NO_TIME, None),
    ("ngày 1 hàng tháng", NO_TIME, None),
    ("hằng ngày", NO_TIME, None),
    # not a recurrence we can store
    ("thứ 2 19h", UNPARSEABLE, None),  # a one-off meeting
    ("hàng tuần 19h", UNPARSEABLE, None),  # which day?
    ("hàng tháng 8h", UNPARSEABLE, None),  # which day?
    ("rằm hàng tháng 19h", OK, "LUNAR:FREQ=MONTHLY;BYMONTHDAY=15;AT=1900"),  # lunar
    ("mùng 1 hàng tháng âm lịch 8h", OK, "LUNAR:FREQ=MONTHLY;BYMONTHDAY=1;AT=0800"),
    ("ngày 32 hàng tháng 8h", UNPARSEABLE, None),
    ("mỗi thứ 2 tuần sau 19h", UNPARSEABLE, None),
    ("", UNPARSEABLE, None),
    ("abc", UNPARSEABLE, None),
]


@pytest.mark.parametrize(("text", "status", "rule"), CASES)
def test_parse_recurrence_table(text: str, status: RecurrenceStatus, rule: str | None) -> None:
    result = parse_recurrence(text, NOW.astimezone(UTC))
    assert (result.status, result.rrule) == (status, rule)


def test_rule_text_reads_back_unchanged() -> None:
    for text, status, rule in CASES:
        if status is OK:
            assert rule is not None
            if rule.startswith("LUNAR:"):  # our own lunar rules: read back by describe
                assert describe_recurrence(rule).lunar, text
                continue
            assert str(rrulestr(rule)) == rule, text


def test_info_matches_describe() -> None:
    result = parse_recurrence("thứ 2, thứ 4, thứ 6 hàng tuần 5h30", NOW)
    expected = RecurrenceInfo(Freq.WEEKLY, (0, 2, 4), (), 5, 30)
    assert result.info == expected
    assert result.rrule is not None and describe_recurrence(result.rrule) == expected


def test_no_time_still_describes_the_pattern() -> None:
    result = parse_recurrence("mỗi chủ nhật", NOW)
    assert result.info == RecurrenceInfo(Freq.WEEKLY, (6,), (), None, None)


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        ("mỗi Chủ nhật 6:30 dọn vệ sinh đường làng", "dọn vệ sinh đường làng"),
        ("Hằng ngày lúc 6 giờ sáng phát thanh", "phát thanh"),
        ("các thứ 7 19h30 sinh hoạt chi đoàn", "sinh hoạt chi đoàn"),
        ("Thu tiền điện ngày 5 hàng tháng 8h", "Thu tiền điện"),
    ],
)
def test_rest_is_the_notice_text(text: str, rest: str) -> None:
    assert parse_recurrence(text, NOW).rest == rest


def vn(*args: int) -> datetime:
    """Vietnam local time → aware UTC."""
    return datetime(*args, tzinfo=VN_TZ).astimezone(UTC)


MONTHLY_31 = "DTSTART:20260131T080000\nRRULE:FREQ=MONTHLY;BYMONTHDAY=31"
MONTHLY_30 = "DTSTART:20260130T080000\nRRULE:FREQ=MONTHLY;BYMONTHDAY=30"
MONTHLY_1 = "DTSTART:20261201T080000\nRRULE:FREQ=MONTHLY;BYMONTHDAY=1"
MONTHLY_LAST = "DTSTART:20261130T170000\nRRULE:FREQ=MONTHLY;BYMONTHDAY=-1"
WEEKLY_SU = "DTSTART:20261122T063000\nRRULE:FREQ=WEEKLY;BYDAY=SU"
DAILY_7 = "DTSTART:20261122T070000\nRRULE:FREQ=DAILY"


@pytest.mark.parametrize(
    ("rule", "after", "expected"),
    [
        (MONTHLY_31, vn(2026, 1, 31, 8, 0), vn(2026, 3, 31, 8, 0)),  # no 31 Feb
        (MONTHLY_31, vn(2026, 3, 31, 8, 0), vn(2026, 5, 31, 8, 0)),  # no 31 Apr
        (MONTHLY_31, vn(2026, 7, 31, 9, 0), vn(2026, 8, 31, 8, 0)),  # Jul and Aug both 31
        (MONTHLY_30, vn(2026, 1, 30, 8, 0), vn(2026, 3, 30, 8, 0)),  # Feb skipped
        (MONTHLY_1, vn(2026, 12, 1, 8, 0), vn(2027, 1, 1, 8, 0)),  # over the year end
        (MONTHLY_1, vn(2027, 1, 1, 8, 0), vn(2027, 2, 1, 8, 0)),
        (MONTHLY_LAST, vn(2027, 1, 31, 17, 0), vn(2027, 2, 28, 17, 0)),
        (MONTHLY_LAST, vn(2028, 1, 31, 17, 0), vn(2028, 2, 29, 17, 0)),  # leap year
        (WEEKLY_SU, vn(2026, 12, 27, 7, 0), vn(2027, 1, 3, 6, 30)),
        (WEEKLY_SU, vn(2026, 11, 22, 6, 30), vn(2026, 11, 29, 6, 30)),  # strictly after
        (WEEKLY_SU, vn(2026, 11, 22, 6, 29), vn(2026, 11, 22, 6, 30)),
        (WEEKLY_SU, vn(2026, 1, 1, 0, 0), vn(2026, 11, 22, 6, 30)),  # before DTSTART
        (DAILY_7, vn(2026, 12, 31, 7, 0), vn(2027, 1, 1, 7, 0)),
        (DAILY_7, vn(2031, 6, 15, 12, 0), vn(2031, 6, 16, 7, 0)),  # years after a restart
    ],
)
def test_next_occurrence(rule: str, after: datetime, expected: datetime) -> None:
    assert next_occurrence(rule, after) == expected


def test_next_occurrence_is_utc() -> None:
    nxt = next_occurrence(WEEKLY_SU, vn(2026, 11, 21, 20, 30))
    assert nxt == datetime(2026, 11, 21, 23, 30, tzinfo=UTC)
    assert nxt is not None and nxt.utcoffset() == timedelta(0)


def test_next_occurrence_of_a_parsed_rule() -> None:
    result = parse_recurrence("ngày 31 hàng tháng 9h", NOW)
    assert result.rrule is not None
    first = next_occurrence(result.rrule, NOW)
    assert first == vn(2026, 12, 31, 9, 0)
    assert next_occurrence(result.rrule, first) == vn(2027, 1, 31, 9, 0)
    assert next_occurrence(result.rrule, vn(2027, 1, 31, 9, 0)) == vn(2027, 3, 31, 9, 0)


def test_finished_rule_has_no_next_occurrence() -> None:
    rule = "DTSTART:20260101T080000\nRRULE:FREQ=DAILY;COUNT=2"
    assert next_occurrence(rule, vn(2026, 1, 5, 0, 0)) is None


def test_naive_datetimes_are_rejected() -> None:
    with pytest.raises(ValueError):
        next_occurrence(DAILY_7, datetime(2026, 11, 21, 20, 30))
    with pytest.raises(ValueError):
        parse_recurrence("hằng ngày 7h", datetime(2026, 11, 21, 20, 30))


def test_describe_hand_written_and_invalid_rules() -> None:
    assert describe_recurrence(MONTHLY_LAST) == RecurrenceInfo(Freq.MONTHLY, (), (-1,), 17, 0)
    assert describe_recurrence(DAILY_7) == RecurrenceInfo(Freq.DAILY, (), (), 7, 0)
    with pytest.raises(ValueError):
        describe_recurrence("RRULE:FREQ=SOMETIMES")
    with pytest.raises(ValueError):
        describe_recurrence("DTSTART:20260101T080000\nRRULE:FREQ=YEARLY")
    with pytest.raises(ValueError):
        describe_recurrence("DTSTART:20260101T010000Z\nRRULE:FREQ=DAILY")


_VOCAB_TEXT = (
    "hàng hằng mỗi các trừ ngày tuần tháng thứ 2 4 6 7 CN chủ nhật , và - đến tới cuối mùng 1 "
    "31 6h30 19h 5:30 sáng tối đêm 12 giờ lúc rằm tuần sau"
)
_VOCAB = _VOCAB_TEXT.split()
_NOW = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(UTC)
)


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=60), now=_NOW)
def test_never_raises_on_arbitrary_text(text: str, now: datetime) -> None:
    assert isinstance(parse_recurrence(text, now).status, RecurrenceStatus)


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.sampled_from(_VOCAB), max_size=8), now=_NOW)
def test_parsed_rules_are_usable(words: list[str], now: datetime) -> None:
    result = parse_recurrence(" ".join(words), now)
    if result.status is OK:
        assert result.rrule is not None
        first = next_occurrence(result.rrule, now)
        assert first is not None and first > now
        assert describe_recurrence(result.rrule) == result.info


def _fires(rule: str, start: datetime, n: int) -> list[str]:
    out, at = [], start
    for _ in range(n):
        nxt = next_occurrence(rule, at)
        assert nxt is not None
        out.append(nxt.astimezone(VN_TZ).strftime("%Y-%m-%d %H:%M"))
        at = nxt
    return out


def test_lunar_monthly_fires_in_the_leap_month_too() -> None:
    # 2025 has a leap 6th month in Vietnam: rằm of the 6th = 09/07, rằm of the leap 6th = 08/08
    start = datetime(2025, 7, 1, tzinfo=VN_TZ)
    result = parse_recurrence("mùng 1 và rằm hàng tháng 6h", start)
    assert result.status is RecurrenceStatus.OK and result.rrule is not None
    assert _fires(result.rrule, start, 4) == [
        "2025-07-09 06:00", "2025-07-25 06:00", "2025-08-08 06:00", "2025-08-23 06:00"]


def test_lunar_yearly_skips_the_leap_month() -> None:
    start = datetime(2025, 7, 1, tzinfo=VN_TZ)
    result = parse_recurrence("rằm tháng 6 hằng năm 8h", start)
    assert result.rrule is not None
    assert _fires(result.rrule, start, 2) == ["2025-07-09 08:00", "2026-07-28 08:00"]


def test_ram_thang_bay_and_trung_thu_every_year() -> None:
    start = datetime(2026, 12, 2, tzinfo=VN_TZ)
    bay = parse_recurrence("rằm tháng Bảy hằng năm 19h", start)
    thu = parse_recurrence("trung thu hằng năm lúc 19h", start)
    assert bay.rrule is not None and thu.rrule is not None
    assert _fires(bay.rrule, start, 1) == ["2027-08-16 19:00"]
    assert _fires(thu.rrule, start, 1) == ["2027-09-15 19:00"]
    info = describe_recurrence(thu.rrule)
    assert (info.lunar, info.month, info.monthdays, info.hour) == (True, 8, (15,), 19)
