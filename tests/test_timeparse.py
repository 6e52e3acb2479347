"""Vietnamese meeting-time parser: table-driven cases on fixed clocks, plus properties."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.text.timeparse import (
    EXAMPLES_VI,
    VN_TZ,
    WhenStatus,
    format_when,
    parse_offsets,
    parse_when,
)

OK = WhenStatus.OK
NO_TIME = WhenStatus.NO_TIME_OF_DAY
AMBIGUOUS = WhenStatus.AMBIGUOUS
IN_PAST = WhenStatus.IN_PAST
UNPARSEABLE = WhenStatus.UNPARSEABLE
UNCLEAR = WhenStatus.UNCLEAR

# the clocks, in Vietnam local time
SAT_EVE = datetime(2026, 11, 21, 20, 30, tzinfo=VN_TZ)  # Saturday evening
SAT_AM = datetime(2026, 11, 21, 10, 0, tzinfo=VN_TZ)  # Saturday morning
MON_AM = datetime(2026, 11, 23, 8, 0, tzinfo=VN_TZ)  # Monday morning
YEAR_END = datetime(2026, 12, 30, 10, 0, tzinfo=VN_TZ)  # Wednesday before New Year


def local(dt: datetime | None) -> str | None:
    """Render an aware datetime as Vietnam local "YYYY-MM-DD HH:MM"."""
    return None if dt is None else dt.astimezone(VN_TZ).strftime("%Y-%m-%d %H:%M")


CASES: list[tuple[str, datetime, WhenStatus, str | None]] = [
    # --- the phrases from the brief, Saturday 21/11 20:30 ---
    ("19h30 thứ Bảy", SAT_EVE, OK, "2026-11-28 19:30"),
    ("tối mai 8 giờ", SAT_EVE, OK, "2026-11-22 20:00"),
    ("20/11 lúc 19:30", SAT_EVE, IN_PAST, "2026-11-20 19:30"),
    ("7h sáng Chủ nhật tuần sau", SAT_EVE, OK, "2026-11-29 07:00"),
    ("thứ 7 tuần này 14h", SAT_EVE, IN_PAST, "2026-11-21 14:00"),
    ("chiều nay 3 giờ", SAT_EVE, IN_PAST, "2026-11-21 15:00"),
    ("ngày 5/12 lúc 8:30", SAT_EVE, OK, "2026-12-05 08:30"),
    ("2 giờ chiều thứ Sáu", SAT_EVE, OK, "2026-11-27 14:00"),
    ("T7 19:30", SAT_EVE, OK, "2026-11-28 19:30"),
    ("19g30 thứ 7", SAT_EVE, OK, "2026-11-28 19:30"),
    ("8 giờ tối nay", SAT_EVE, IN_PAST, "2026-11-21 20:00"),
    ("9h sáng mai", SAT_EVE, OK, "2026-11-22 09:00"),
    ("thứ Hai tuần sau lúc 14:00", SAT_EVE, OK, "2026-11-23 14:00"),
    ("15:00 ngày 25/12", SAT_EVE, OK, "2026-12-25 15:00"),
    ("CN 9h", SAT_EVE, OK, "2026-11-22 09:00"),
    ("chủ nhật 7h", SAT_EVE, OK, "2026-11-22 07:00"),
    ("ngày kia 8h", SAT_EVE, OK, "2026-11-23 08:00"),
    ("mai 19h", SAT_EVE, OK, "2026-11-22 19:00"),
    ("tối thứ 6 lúc 7 giờ", SAT_EVE, OK, "2026-11-27 19:00"),
    ("20 giờ ngày 28/11", SAT_EVE, OK, "2026-11-28 20:00"),
    ("sáng 30/11 7h30", SAT_EVE, OK, "2026-11-30 07:30"),
    ("28/11/2026 19:30", SAT_EVE, OK, "2026-11-28 19:30"),
    ("19:30 28-11", SAT_EVE, OK, "2026-11-28 19:30"),
    ("28.11.2026 19:30", SAT_EVE, OK, "2026-11-28 19:30"),
    ("19h 28/11/26", SAT_EVE, OK, "2026-11-28 19:00"),
    ("ngày 5 tháng 12 năm 2026 lúc 8:30", SAT_EVE, OK, "2026-12-05 08:30"),
    ("mùng 1 tháng 12 lúc 8h", SAT_EVE, OK, "2026-12-01 08:00"),
    # --- no diacritics, mixed case, abbreviations ---
    ("19h30 thu bay", SAT_EVE, OK, "2026-11-28 19:30"),
    ("toi mai 8 gio", SAT_EVE, OK, "2026-11-22 20:00"),
    ("chu nhat tuan sau 7h sang", SAT_EVE, OK, "2026-11-29 07:00"),
    ("thu 7 tuan nay 14h", SAT_EVE, IN_PAST, "2026-11-21 14:00"),
    ("chieu nay 3 gio", SAT_EVE, IN_PAST, "2026-11-21 15:00"),
    ("TỐI MAI 8 GIỜ", SAT_EVE, OK, "2026-11-22 20:00"),
    ("tHứ BảY 19H30", SAT_EVE, OK, "2026-11-28 19:30"),
    ("T2 19h30", SAT_EVE, OK, "2026-11-23 19:30"),
    ("t3 19h30", SAT_EVE, OK, "2026-11-24 19:30"),
    ("T4 19h30", SAT_EVE, OK, "2026-11-25 19:30"),
    ("T5 19h30", SAT_EVE, OK, "2026-11-26 19:30"),
    ("T6 19h30", SAT_EVE, OK, "2026-11-27 19:30"),
    ("9h sáng CN", SAT_EVE, OK, "2026-11-22 09:00"),
    # --- parts of the day ---
    ("12h trưa", SAT_EVE, OK, "2026-11-22 12:00"),
    ("1 giờ trưa", SAT_EVE, OK, "2026-11-22 13:00"),
    ("7 giờ rưỡi tối mai", SAT_EVE, OK, "2026-11-22 19:30"),
    ("8 giờ kém 15 sáng thứ 2", SAT_EVE, OK, "2026-11-23 07:45"),
    ("12 giờ đêm thứ bảy", SAT_EVE, OK, "2026-11-22 00:00"),
    ("1 giờ đêm nay", SAT_EVE, OK, "2026-11-22 01:00"),
    ("03:00 thứ 7", SAT_EVE, OK, "2026-11-28 03:00"),
    ("0h thứ 7", SAT_EVE, OK, "2026-11-28 00:00"),
    ("thứ 7 tối 7h", SAT_EVE, OK, "2026-11-28 19:00"),
    ("thu 7 toi 7h", SAT_EVE, OK, "2026-11-28 19:00"),
    ("tôi họp 3 giờ thứ 7", SAT_EVE, AMBIGUOUS, "2026-11-28 15:00"),  # tôi = "I"
    ("chiếu phim 7 giờ thứ 7", SAT_EVE, OK, "2026-11-28 07:00"),  # chiếu ≠ chiều
    # --- relative words, durations ---
    ("ngày mốt 9h", SAT_EVE, OK, "2026-11-23 09:00"),
    ("hôm qua 19h", SAT_EVE, IN_PAST, "2026-11-20 19:00"),
    ("30 phút nữa", SAT_EVE, OK, "2026-11-21 21:00"),
    ("2 tiếng nữa", SAT_EVE, OK, "2026-11-21 22:30"),
    ("sau 3 ngày nữa 9h", SAT_EVE, OK, "2026-11-24 09:00"),
    ("thứ 5 tuần trước 19h", SAT_EVE, IN_PAST, "2026-11-12 19:00"),
    ("19h30 thứ 7 tới", SAT_EVE, OK, "2026-11-28 19:30"),
    ("19h30", SAT_EVE, OK, "2026-11-22 19:30"),
    ("tomorrow 8pm", SAT_EVE, OK, "2026-11-22 20:00"),
    # --- explicit dates and the past ---
    ("20/6 9h", SAT_EVE, IN_PAST, "2026-06-20 09:00"),  # 154 days ago: a mistake, not 2027
    ("20/5 9h", SAT_EVE, OK, "2027-05-20 09:00"),  # 185 days ago: next year
    ("5/1 9h", SAT_EVE, OK, "2027-01-05 09:00"),
    ("ngày 20 9h", SAT_EVE, OK, "2026-12-20 09:00"),
    ("ngày 21 lúc 21h", SAT_EVE, OK, "2026-11-21 21:00"),
    ("ngày 21 19h", SAT_EVE, IN_PAST, "2026-11-21 19:00"),
    ("19h thứ 7 ngày 28/11", SAT_EVE, OK, "2026-11-28 19:00"),
    ("thứ 5 28/11 19h", SAT_EVE, AMBIGUOUS, "2026-11-28 19:00"),  # 28/11 is a Saturday
    # --- no time of day, unparseable ---
    ("thứ Bảy", SAT_EVE, NO_TIME, "2026-11-21 00:00"),
    ("ngày mai", SAT_EVE, NO_TIME, "2026-11-22 00:00"),
    ("tối nay", SAT_EVE, NO_TIME, "2026-11-21 00:00"),
    ("19.30 thứ 7", SAT_EVE, UNCLEAR, "2026-11-21 00:00"),  # "19.30" unused: asked
    ("", SAT_EVE, UNPARSEABLE, None),
    ("   ", SAT_EVE, UNPARSEABLE, None),
    ("asdkjh qwe", SAT_EVE, UNPARSEABLE, None),
    ("họp chi bộ", SAT_EVE, UNPARSEABLE, None),
    ("31/11 19h", SAT_EVE, UNPARSEABLE, None),
    ("25h thứ 7", SAT_EVE, UNPARSEABLE, None),
    ("19:75 thứ 7", SAT_EVE, UNPARSEABLE, None),
    ("tuần sau 19h", SAT_EVE, UNCLEAR, "2026-11-22 19:00"),  # "tuần sau" unused: asked
    ("cuối tuần 19h", SAT_EVE, UNPARSEABLE, None),
    ("ngày 15/8 âm lịch 19h", SAT_EVE, IN_PAST, "2026-09-25 19:00"),  # Trung thu 2026
    ("12", SAT_EVE, UNPARSEABLE, None),
    # --- Saturday morning: today's Saturday is still ahead ---
    ("19h30 thứ Bảy", SAT_AM, OK, "2026-11-21 19:30"),
    ("T7 19:30", SAT_AM, OK, "2026-11-21 19:30"),
    ("thứ 7 tuần này 14h", SAT_AM, OK, "2026-11-21 14:00"),
    ("chiều nay 3 giờ", SAT_AM, OK, "2026-11-21 15:00"),
    ("thứ Bảy 3 giờ", SAT_AM, OK, "2026-11-21 15:00"),  # 03:00 today has passed
    ("3 giờ", SAT_AM, AMBIGUOUS, "2026-11-21 15:00"),  # bare hour 1–6 without a day: asked
    ("hom nay 20:00", SAT_AM, OK, "2026-11-21 20:00"),
    ("19h thứ 7 ngày 28/11", SAT_AM, OK, "2026-11-28 19:00"),
    # --- Monday morning ---
    ("thứ Hai tuần sau lúc 14:00", MON_AM, OK, "2026-11-30 14:00"),
    ("7h sáng Chủ nhật tuần sau", MON_AM, OK, "2026-12-06 07:00"),
    ("thứ 7 tuần này 14h", MON_AM, OK, "2026-11-28 14:00"),
    ("thứ Hai 14:00", MON_AM, OK, "2026-11-23 14:00"),  # today; dateparser says 30/11
    ("thứ Hai 7:00", MON_AM, OK, "2026-11-30 07:00"),  # today's 07:00 has passed
    ("thứ Bảy 3 giờ", MON_AM, AMBIGUOUS, "2026-11-28 15:00"),
    ("thứ Bảy", MON_AM, NO_TIME, "2026-11-28 00:00"),
    ("tuần sau thứ 2 lúc 8h", MON_AM, OK, "2026-11-30 08:00"),
    ("20 giờ", MON_AM, OK, "2026-11-23 20:00"),  # 20:00, not "in 20 hours"
    ("Tối nay 8 giờ họp online", MON_AM, OK, "2026-11-23 20:00"),
    # --- across the year end ---
    ("5/1 9h", YEAR_END, OK, "2027-01-05 09:00"),
    ("ngày 2 lúc 8h", YEAR_END, OK, "2027-01-02 08:00"),
    ("thứ 2 tuần sau 8h", YEAR_END, OK, "2027-01-04 08:00"),
    ("mai 19h", YEAR_END, OK, "2026-12-31 19:00"),
    ("ngày kia 7h", YEAR_END, OK, "2027-01-01 07:00"),
    ("1/1/2027 8h", YEAR_END, OK, "2027-01-01 08:00"),
    ("25/12 19h", YEAR_END, IN_PAST, "2026-12-25 19:00"),
]


@pytest.mark.parametrize(("text", "now", "status", "expected"), CASES)
def test_parse_when_table(
    text: str, now: datetime, status: WhenStatus, expected: str | None
) -> None:
    result = parse_when(text, now.astimezone(UTC))
    assert (result.status, local(result.when)) == (status, expected)


def test_table_is_big_enough() -> None:
    assert len(CASES) >= 40


def test_when_is_aware_utc() -> None:
    result = parse_when("19h30 thứ Bảy", SAT_EVE.astimezone(UTC))
    assert result.when == datetime(2026, 11, 28, 12, 30, tzinfo=UTC)
    assert result.when is not None and result.when.utcoffset() == timedelta(0)


def test_bare_hour_gives_both_candidates() -> None:
    result = parse_when("thứ Bảy 3 giờ", MON_AM)
    assert result.status is AMBIGUOUS
    assert [local(c) for c in result.candidates] == ["2026-11-28 03:00", "2026-11-28 15:00"]
    assert local(result.when) == "2026-11-28 15:00"


def test_bare_hour_rolls_both_readings_to_next_week_once_both_passed() -> None:
    result = parse_when("thứ Bảy 3 giờ", SAT_EVE)
    assert [local(c) for c in result.candidates] == ["2026-11-28 03:00", "2026-11-28 15:00"]


def test_disagreeing_date_words_give_both_dates() -> None:
    result = parse_when("thứ 5 28/11 19h", SAT_EVE)
    assert result.status is AMBIGUOUS
    assert [local(c) for c in result.candidates] == ["2026-11-26 19:00", "2026-11-28 19:00"]


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        ("Họp chi bộ 19h30 thứ Bảy tại nhà văn hoá", "Họp chi bộ tại nhà văn hoá"),
        (
            "Họp tổ dân phố lúc 19h thứ 7, mang theo sổ hộ khẩu",
            "Họp tổ dân phố mang theo sổ hộ khẩu",
        ),
        ("Nhắc họp lúc 9:00 ngày mai", "Nhắc họp"),
        ("Tối nay 8 giờ họp online", "họp online"),
        ("chị Mai 19h thứ 7", "chị Mai"),
        ("19h30 thứ 7: họp bàn làm đường", "họp bàn làm đường"),
        ("vào lúc 19h30 ngày thứ 7", ""),
        ("hop chi bo 19h30 thu 7", "hop chi bo"),
    ],
)
def test_rest_is_the_text_without_the_time_phrase(text: str, rest: str) -> None:
    assert parse_when(text, SAT_AM).rest == rest


def test_name_mai_is_not_tomorrow() -> None:
    result = parse_when("gặp chị Mai 19h thứ 7", SAT_EVE)
    assert (result.status, local(result.when), result.rest) == (
        OK,
        "2026-11-28 19:00",
        "gặp chị Mai",
    )


def test_move_verb_sang_is_not_morning() -> None:
    # "dời sang" = "move to": the 3 giờ stays ambiguous instead of becoming 03:00
    assert parse_when("dời sang thứ 7 3 giờ", MON_AM).status is AMBIGUOUS


@pytest.mark.parametrize(
    "text",
    [
        "Họp bàn sáng kiến 3 giờ thứ 7",
        "ánh sáng 3 giờ thứ 7",
        "chiều cao 3 giờ thứ 7",
        "tối đa 3 giờ thứ 7",
        "tôi họp 3 giờ thứ 7",
    ],
)
def test_words_that_only_look_like_parts_of_the_day(text: str) -> None:
    # none of these is sáng/chiều/tối, so the bare 3 giờ stays a question
    assert parse_when(text, MON_AM).status is AMBIGUOUS


def test_far_away_year_is_a_typo() -> None:
    assert parse_when("28/11/2062 19h", MON_AM).status is UNPARSEABLE


def test_naive_now_is_rejected() -> None:
    with pytest.raises(ValueError):
        parse_when("19h thứ 7", datetime(2026, 11, 21, 20, 30))


def test_format_when() -> None:
    dt = datetime(2026, 11, 28, 12, 30, tzinfo=UTC)
    assert format_when(dt, "vi") == "Thứ Bảy, 28/11/2026 lúc 19:30"
    assert format_when(dt, "en") == "Saturday, 28/11/2026 at 19:30"


def test_format_round_trip_with_parse() -> None:
    result = parse_when("tối mai 8 giờ", SAT_EVE)
    assert result.when is not None
    assert format_when(result.when, "vi") == "Chủ Nhật, 22/11/2026 lúc 20:00"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24h,2h,15p", [timedelta(hours=24), timedelta(hours=2), timedelta(minutes=15)]),
        ("1 ngày, 1 giờ", [timedelta(days=1), timedelta(hours=1)]),
        ("30 phút", [timedelta(minutes=30)]),
        ("1d,2h,15m", [timedelta(days=1), timedelta(hours=2), timedelta(minutes=15)]),
        ("15p, 2 tiếng, 1 ngày", [timedelta(days=1), timedelta(hours=2), timedelta(minutes=15)]),
        ("2h, 2 tiếng, 120 phút", [timedelta(hours=2)]),
        ("2h và 30p", [timedelta(hours=2), timedelta(minutes=30)]),
        ("1.5h", [timedelta(minutes=90)]),
        ("30 ngày", [timedelta(days=30)]),
        ("1 tuần", [timedelta(days=7)]),
        ("0h", None),
        ("31 ngày", None),
        ("24h, 0p", None),
        ("", None),
        ("abc", None),
        ("2h 15", None),
        ("2h, mai", None),
        ("99999999999999999999h", None),
    ],
)
def test_parse_offsets(text: str, expected: list[timedelta] | None) -> None:
    assert parse_offsets(text) == expected


_VOCAB_TEXT = (
    "thứ 7 tối mai 19h 30 ngày / : - . sáng chiều CN T2 tuần sau này nữa sau 3 giờ tiếng "
    "phút mùng tháng năm 2026 lúc hôm nay kia mốt đêm 12 trưa rưỡi kém am pm 28/11 0 99"
)
_VOCAB = _VOCAB_TEXT.split()
_NOW = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(UTC)
)


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=60), now=_NOW)
def test_never_raises_on_arbitrary_text(text: str, now: datetime) -> None:
    result = parse_when(text, now)
    assert isinstance(result.status, WhenStatus)
    assert parse_offsets(text) is None or all(o > timedelta(0) for o in parse_offsets(text) or [])


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.sampled_from(_VOCAB), max_size=8), now=_NOW)
def test_time_like_word_salad_keeps_the_contract(words: list[str], now: datetime) -> None:
    result = parse_when(" ".join(words), now)
    if result.status is OK:
        assert result.when is not None and result.when >= now - timedelta(minutes=1)
    if result.status is AMBIGUOUS:
        assert len(result.candidates) >= 2
    if result.status is UNPARSEABLE:
        assert result.when is None


@settings(max_examples=100, deadline=None)
@given(now=_NOW)
def test_help_examples_parse_on_any_day(now: datetime) -> None:
    for example in EXAMPLES_VI:
        assert parse_when(example, now).status is OK, example


WED = datetime(2026, 12, 2, 10, 0, tzinfo=VN_TZ)


@pytest.mark.parametrize(("text", "expected"), [
    ("ngày mồng 9 tháng tư lúc 8h", "2027-04-09 08:00"),  # the month words are not ignored
    ("trung thu lúc 19h", "2027-09-15 19:00"),  # 15/8 lunar
    ("bốn giờ rưỡi chiều mai", "2026-12-03 16:30"),
    ("sáng thứ hai 8 rưỡi", "2026-12-07 08:30"),
    ("7h kém 10 sáng mai", "2026-12-03 06:50"),
    ("rằm tháng Giêng 19h", "2027-02-20 19:00"),
    ("bữa mai 8h", "2026-12-03 08:00"),
])
def test_words_are_understood(text: str, expected: str) -> None:
    result = parse_when(text, WED)
    assert (result.status, local(result.when)) == (OK, expected)


@pytest.mark.parametrize(("text", "status", "unused"), [
    ("8h tháng 5", UNCLEAR, ("tháng", "5")),
    ("Tết 8h", UNCLEAR, ("Tết",)),
    ("3:15", AMBIGUOUS, ()),
    ("chủ nhật 4/12 8h", AMBIGUOUS, ()),  # 4/12/2026 is a Friday
])
def test_unused_or_contradicting_words_are_asked(
        text: str, status: WhenStatus, unused: tuple[str, ...]) -> None:
    result = parse_when(text, WED)
    assert (result.status, result.unused) == (status, unused)


def test_unclear_reports_what_was_understood() -> None:
    result = parse_when("8h tháng 5", WED)
    assert result.understood == "8h" and local(result.when) == "2026-12-03 08:00"
    assert parse_when("rằm tháng Giêng 19h", WED).lunar
