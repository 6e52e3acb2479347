"""Tests for bot.text.money: Vietnamese amount parsing and formatting."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.text.money import (
    MAX_AMOUNT,
    format_vnd,
    looks_suspicious,
    parse_amount,
    parse_signed_amount,
    split_amount_and_rest,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2.000.000", 2_000_000),
        ("2,000,000", 2_000_000),
        ("2000000", 2_000_000),
        ("2tr", 2_000_000),
        ("2 tr", 2_000_000),
        ("2TR", 2_000_000),
        ("2 triệu", 2_000_000),
        ("2 trieu", 2_000_000),
        ("2 TRIỆU", 2_000_000),
        ("1,5tr", 1_500_000),
        ("1.5tr", 1_500_000),
        ("1tr5", 1_500_000),
        ("2tr500", 2_500_000),
        ("1tr25", 1_250_000),
        ("1 triệu 2", 1_200_000),
        ("2 triệu rưỡi", 2_500_000),
        ("500k", 500_000),
        ("500K", 500_000),
        ("500 k", 500_000),
        ("1k5", 1_500),
        ("500 nghìn", 500_000),
        ("500 ngàn", 500_000),
        ("500 nghin", 500_000),
        ("500.000đ", 500_000),
        ("500.000 đ", 500_000),
        ("500.000 VND", 500_000),
        ("500.000 VNĐ", 500_000),
        ("500000vnđ", 500_000),
        ("500.000d", 500_000),
        ("500.000 ₫", 500_000),
        ("2.000.000 đồng", 2_000_000),
        ("2 triệu đồng", 2_000_000),
        ("1 tỷ", 1_000_000_000),
        ("1 tỉ", 1_000_000_000),
        ("1,2 tỷ", 1_200_000_000),
        ("1 ty", 1_000_000_000),
        ("50 ngàn đồng", 50_000),
        ("1.500", 1_500),
        ("1,500", 1_500),
        ("1.500k", 1_500_000),
        ("1,2345tr", 1_234_500),
        ("1.234,5k", 1_234_500),
        ("1 tỷ 200 triệu", 1_200_000_000),
        ("2 triệu 500 nghìn", 2_500_000),
        ("2tr500k", 2_500_000),
        ("  2tr  ", 2_000_000),
        ("2.000.000.", 2_000_000),
        ("0", 0),
    ],
)
def test_parse_amount_accepts_common_forms(text: str, expected: int) -> None:
    assert parse_amount(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "abc",
        "2tr3tr",
        "500k 2tr",  # ascending units are not one amount
        "0.5đ",  # not whole đồng
        "1,5",  # 1.5 đồng
        "1,23456k",  # 1234.56 đồng
        "1.000.5",
        "20.00.000",
        "1,5tr5",
        "500kg",
        "2tr abc",
        "2 000 000",
        "-500k",  # signed only through parse_signed_amount
        "1" * 5000,  # absurdly long: None, not an int() error
        "9" * 16,  # above MAX_AMOUNT
    ],
)
def test_parse_amount_rejects_garbage(text: str) -> None:
    assert parse_amount(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-500k", -500_000),
        ("- 2tr", -2_000_000),
        ("−3 triệu", -3_000_000),  # U+2212 minus sign
        ("+1tr", 1_000_000),
        ("1tr", 1_000_000),
        ("--2tr", None),
        ("-abc", None),
        ("-", None),
    ],
)
def test_parse_signed_amount(text: str, expected: int | None) -> None:
    assert parse_signed_amount(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2tr Nguyễn Văn A", (2_000_000, "Nguyễn Văn A")),
        ("2 triệu đồng Nguyễn Văn A", (2_000_000, "Nguyễn Văn A")),
        ("500.000đ Hảo tâm", (500_000, "Hảo tâm")),
        ("500k Kim", (500_000, "Kim")),  # 'k' is the unit, 'Kim' stays a name
        ("500 Kim", (500, "Kim")),  # 'K' of Kim is not taken as the unit
        ("2 Trần Văn B", (2, "Trần Văn B")),  # 'Tr' of Trần is not 'tr' (triệu)
        ("1tr5 Tý", (1_500_000, "Tý")),
        ("2tr, Nguyễn Thị C", (2_000_000, "Nguyễn Thị C")),
        ("2tr - Lan", (2_000_000, "Lan")),
        ("2tr Đồng Văn A", (2_000_000, "Đồng Văn A")),  # capitalised Đồng before a name
        ("500.000 Đồng", (500_000, "")),
        ("1 triệu 2 Lê Văn D", (1_200_000, "Lê Văn D")),
        ("2tr", (2_000_000, "")),
        ("Kim 500k", (None, "Kim 500k")),
        ("500kg gạo", (None, "500kg gạo")),
        ("2 000 000 Kim", (None, "2 000 000 Kim")),
        ("", (None, "")),
    ],
)
def test_split_amount_and_rest(text: str, expected: tuple[int | None, str]) -> None:
    assert split_amount_and_rest(text) == expected


def test_split_keeps_multiline_rest() -> None:
    assert split_amount_and_rest("500k\nNguyễn Văn A") == (500_000, "Nguyễn Văn A")


@pytest.mark.parametrize(
    ("amount", "suspicious"),
    [(2, True), (999, True), (-5, True), (1_000, False), (2_000_000, False)],
)
def test_looks_suspicious(amount: int, suspicious: bool) -> None:
    assert looks_suspicious(amount) is suspicious


@pytest.mark.parametrize(
    ("amount", "locale", "expected"),
    [
        (2_000_000, "vi", "2.000.000\u00a0₫"),
        (2_000_000, "en", "2,000,000\u00a0₫"),
        (1_500, "vi", "1.500\u00a0₫"),
        (999, "vi", "999\u00a0₫"),
        (-500_000, "vi", "-500.000\u00a0₫"),
        (10**12, "en", "1,000,000,000,000\u00a0₫"),
    ],
)
def test_format_vnd(amount: int, locale: str, expected: str) -> None:
    assert format_vnd(amount, locale) == expected


def test_format_vnd_defaults_to_vietnamese() -> None:
    assert format_vnd(2_000_000) == "2.000.000\u00a0₫"


@settings(max_examples=400)
@given(amount=st.integers(min_value=1, max_value=10**12), locale=st.sampled_from(["vi", "en"]))
def test_format_parse_round_trip(amount: int, locale: str) -> None:
    assert parse_amount(format_vnd(amount, locale)) == amount
    assert parse_signed_amount(format_vnd(-amount, locale)) == -amount


@settings(max_examples=300)
@given(amount=st.integers(min_value=0, max_value=MAX_AMOUNT))
def test_plain_and_grouped_digits_round_trip(amount: int) -> None:
    assert parse_amount(str(amount)) == amount
    assert parse_amount(f"{amount:,}".replace(",", ".")) == amount


_AMOUNTISH = st.text(
    alphabet=st.sampled_from(list("0123456789.,-−+ ktrđd₫iệuỷỉyngàìnhvĐKTRabcộòă\n\u00a0")),
    max_size=30,
)


@settings(max_examples=500)
@given(text=st.one_of(st.text(max_size=40), _AMOUNTISH))
def test_parsers_never_raise(text: str) -> None:
    value = parse_amount(text)
    assert value is None or 0 <= value <= MAX_AMOUNT
    signed = parse_signed_amount(text)
    assert signed is None or abs(signed) <= MAX_AMOUNT
    amount, rest = split_amount_and_rest(text)
    assert amount is None or 0 <= amount <= MAX_AMOUNT
    assert isinstance(rest, str)


@pytest.mark.parametrize(("text", "expected"), [
    ("ba trăm nghìn", 300_000),
    ("ba triệu rưỡi", 3_500_000),
    ("hai mươi nghìn", 20_000),
    ("một triệu rưỡi", 1_500_000),
    ("2 triệu rưỡi", 2_500_000),
    ("hai trăm năm mươi nghìn đồng", 250_000),
    ("một triệu hai", 1_200_000),
    ("năm mươi k", 50_000),
    ("ba tram nghin", 300_000),
    ("trăm rưỡi", None),  # 150 nghìn or 150 đồng: asked
])
def test_spoken_amounts(text: str, expected: int | None) -> None:
    assert parse_amount(text) == expected


def test_spoken_amount_then_name() -> None:
    assert split_amount_and_rest("năm trăm nghìn Nguyễn Văn A") == (500_000, "Nguyễn Văn A")
    assert split_amount_and_rest("hai triệu Năm") == (2_000_000, "Năm")


def test_spoken_percent_in_updates() -> None:
    from handlers.projects.parse import parse_update, split_percent
    assert split_percent("bốn mươi phần trăm Đổ bê tông móng") == (40, "Đổ bê tông móng")
    update = parse_update("nvh năm mươi phan tram xong mái")
    assert update is not None and (update.percent, update.text) == (50, "xong mái")
