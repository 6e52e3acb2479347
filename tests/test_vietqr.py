"""Tests for handlers.projects.vietqr: payload layout, CRC (independent implementation), banks."""

from __future__ import annotations

import binascii
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handlers.projects.vietqr import (
    MAX_AMOUNT,
    MEMO_MAX_LEN,
    VietQRError,
    VietQRErrorCode,
    build_vietqr_payload,
    crc16_ccitt_false,
    find_bank,
    load_banks,
    normalize_account,
    normalize_memo,
)

# Payloads published by other, independent VietQR libraries (README examples).
PUBLISHED = [
    # github.com/subiz/vietqr: 120.000 đ to VietinBank 0011001932418, memo "ủng hộ lũ lụt"
    "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA"
    "530370454061200005802VN62170813ung ho lu lut6304C15C",
    # github.com/xuannghia/vietnam-qr-pay: 1.000 đ to ACB 257678859, memo "Chuyen tien"
    "00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA"
    "5303704540410005802VN62150811Chuyen tien6304BBB8",
    # pub.dev vietqr_generator: Techcombank 0386577672 (uses "11" with an amount)
    "00020101021138540010A00000072701240006970407011003865776720208QRIBFTTA"
    "5303704540710000005802VN62160812henry an cut6304A322",
]


def stdlib_crc(text: str) -> str:
    """CRC-16/CCITT-FALSE by the stdlib (table-driven C code), as the 4 hex digits of tag 63."""
    return f"{binascii.crc_hqx(text.encode('ascii'), 0xFFFF):04X}"


def read_tlv(data: str) -> dict[str, str]:
    """Tiny EMVCo TLV reader: ID (2) + decimal length (2) + value; rejects overruns and repeats."""
    fields: dict[str, str] = {}
    pos = 0
    while pos < len(data):
        tag, length = data[pos : pos + 2], int(data[pos + 2 : pos + 4])
        value = data[pos + 4 : pos + 4 + length]
        assert len(value) == length, f"tag {tag} overruns the payload"
        assert tag not in fields, f"tag {tag} repeated"
        fields[tag] = value
        pos += 4 + length
    return fields


def check_crc(payload: str) -> None:
    assert payload[-8:-4] == "6304"
    assert payload[-4:] == stdlib_crc(payload[:-4])


def test_crc_check_value() -> None:
    assert crc16_ccitt_false(b"123456789") == 0x29B1
    assert binascii.crc_hqx(b"123456789", 0xFFFF) == 0x29B1  # the oracle itself


@given(st.binary(max_size=300))
def test_crc_matches_stdlib(data: bytes) -> None:
    assert crc16_ccitt_false(data) == binascii.crc_hqx(data, 0xFFFF)


@pytest.mark.parametrize("payload", PUBLISHED)
def test_published_payloads_have_valid_crc(payload: str) -> None:
    check_crc(payload)
    assert f"{crc16_ccitt_false(payload[:-4].encode()):04X}" == payload[-4:]


@pytest.mark.parametrize(
    ("bank_bin", "account", "amount", "published"),
    [
        ("970415", "0011001932418", 120_000, PUBLISHED[0]),
        ("970416", "257678859", 1_000, PUBLISHED[1]),
    ],
)
def test_layout_matches_published_payloads(
    bank_bin: str, account: str, amount: int, published: str
) -> None:
    # Our memo is uppercased, theirs is not, so compare everything before tag 62.
    payload = build_vietqr_payload(bank_bin, account, amount)
    assert payload[:-8] == published[: published.index("5802VN") + 6]
    check_crc(payload)


def test_dynamic_payload_fields() -> None:
    payload = build_vietqr_payload("970436", "1234567890", 2_000_000, "Ủng hộ NVH thôn Đông")
    check_crc(payload)
    top = read_tlv(payload)
    assert list(top) == ["00", "01", "38", "53", "54", "58", "62", "63"]
    assert top["00"] == "01"
    assert top["01"] == "12"
    assert top["53"] == "704"
    assert top["54"] == "2000000"
    assert top["58"] == "VN"
    assert top["63"] == stdlib_crc(payload[:-4])
    consumer = read_tlv(top["38"])
    assert list(consumer) == ["00", "01", "02"]
    assert consumer["00"] == "A000000727"
    assert consumer["02"] == "QRIBFTTA"
    assert read_tlv(consumer["01"]) == {"00": "970436", "01": "1234567890"}
    assert read_tlv(top["62"]) == {"08": "UNG HO NVH THON DONG"}


def test_static_payload_has_no_amount_and_no_memo() -> None:
    payload = build_vietqr_payload("970405", "1500205123456")
    check_crc(payload)
    top = read_tlv(payload)
    assert top["01"] == "11"
    assert "54" not in top
    assert "62" not in top


def test_memo_with_nothing_printable_is_omitted() -> None:
    top = read_tlv(build_vietqr_payload("970405", "123", 50_000, "!!! ???"))
    assert "62" not in top


@given(
    amount=st.one_of(st.none(), st.integers(min_value=1, max_value=MAX_AMOUNT)),
    account=st.text(alphabet="0123456789ABCxyz", min_size=1, max_size=19),
    memo=st.one_of(st.none(), st.text(max_size=60)),
)
def test_any_valid_input_gives_parseable_payload(
    amount: int | None, account: str, memo: str | None
) -> None:
    payload = build_vietqr_payload("970422", account, amount, memo)
    check_crc(payload)
    top = read_tlv(payload)
    assert read_tlv(read_tlv(top["38"])["01"]) == {"00": "970422", "01": account}
    assert top.get("54") == (str(amount) if amount is not None else None)
    if "62" in top:
        memo_value = read_tlv(top["62"])["08"]
        assert 1 <= len(memo_value) <= MEMO_MAX_LEN
        assert set(memo_value) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ")


@pytest.mark.parametrize(
    ("memo", "expected"),
    [
        ("ủng hộ nvh", "UNG HO NVH"),
        ("Đường làng thôn Đông", "DUONG LANG THON DONG"),
        ("  a--b__c  ", "A B C"),
        ("Ủng hộ Nhà văn hoá thôn Đông đợt 2", "UNG HO NHA VAN HOA THON"),  # word boundary
        ("X" * 40, "X" * 25),  # one overlong word: hard cut
        ("!!!", ""),
    ],
)
def test_normalize_memo(memo: str, expected: str) -> None:
    assert normalize_memo(memo) == expected


def test_normalize_account() -> None:
    assert normalize_account("0011 0019-32418") == "0011001932418"
    assert build_vietqr_payload("970415", "0011 0019.32418", 120_000) == build_vietqr_payload(
        "970415", "0011001932418", 120_000
    )


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"bank_bin": "97043", "account": "1"}, VietQRErrorCode.BAD_BIN),
        ({"bank_bin": "97043a", "account": "1"}, VietQRErrorCode.BAD_BIN),
        ({"bank_bin": "", "account": "1"}, VietQRErrorCode.BAD_BIN),
        ({"bank_bin": "970436", "account": ""}, VietQRErrorCode.BAD_ACCOUNT),
        ({"bank_bin": "970436", "account": "1" * 20}, VietQRErrorCode.BAD_ACCOUNT),
        ({"bank_bin": "970436", "account": "12/34"}, VietQRErrorCode.BAD_ACCOUNT),
        ({"bank_bin": "970436", "account": "số 12"}, VietQRErrorCode.BAD_ACCOUNT),
        ({"bank_bin": "970436", "account": "1", "amount": 0}, VietQRErrorCode.BAD_AMOUNT),
        ({"bank_bin": "970436", "account": "1", "amount": -5}, VietQRErrorCode.BAD_AMOUNT),
        (
            {"bank_bin": "970436", "account": "1", "amount": MAX_AMOUNT + 1},
            VietQRErrorCode.BAD_AMOUNT,
        ),
        ({"bank_bin": "970436", "account": "1", "amount": True}, VietQRErrorCode.BAD_AMOUNT),
        ({"bank_bin": "970436", "account": "1", "amount": 1.5}, VietQRErrorCode.BAD_AMOUNT),
    ],
)
def test_invalid_input_raises_coded_error(
    kwargs: dict[str, object], code: VietQRErrorCode
) -> None:
    with pytest.raises(VietQRError) as info:
        build_vietqr_payload(**kwargs)  # type: ignore[arg-type]
    assert info.value.code is code
    assert isinstance(info.value, ValueError)


def test_amount_limits_are_accepted() -> None:
    assert read_tlv(build_vietqr_payload("970436", "1", 1))["54"] == "1"
    assert read_tlv(build_vietqr_payload("970436", "1", MAX_AMOUNT))["54"] == "9999999999999"


# Expected BINs as listed in the task brief; the data file must agree (regression guard).
EXPECTED_BINS = {
    "Vietcombank": "970436", "VietinBank": "970415", "BIDV": "970418", "Agribank": "970405",
    "Techcombank": "970407", "MBBank": "970422", "ACB": "970416", "VPBank": "970432",
    "Sacombank": "970403", "TPBank": "970423", "VIB": "970441", "SHB": "970443",
    "HDBank": "970437", "OCB": "970448", "SeABank": "970440", "LPBank": "970449",
    "MSB": "970426", "Nam A Bank": "970428", "Bac A Bank": "970409", "VietABank": "970427",
    "Eximbank": "970431", "PVcomBank": "970412", "Co-opBank": "970446",
    "Kienlongbank": "970452", "Saigonbank": "970400", "BaoVietBank": "970438", "NCB": "970419",
    "ABBANK": "970425", "SCB": "970429", "VietBank": "970433", "Shinhan Bank": "970424",
    "Woori": "970457", "Public Bank": "970439", "CIMB": "422589", "Cake": "546034",
    "Timo": "963388",
}  # fmt: skip


def test_bank_table_is_consistent() -> None:
    path = Path(__file__).parents[1] / "handlers/projects/data/banks.json"
    raw = json.loads(path.read_text("utf-8"))
    assert raw["_source"]
    banks = load_banks()
    assert {bank.short_name: bank.bin for bank in banks} == EXPECTED_BINS
    assert len({bank.bin for bank in banks}) == len(banks)
    assert len({bank.code for bank in banks}) == len(banks)
    for bank in banks:
        assert len(bank.bin) == 6 and bank.bin.isdigit()
        for label in (bank.bin, bank.code, bank.short_name, bank.name, *bank.aliases):
            assert find_bank(label) == bank, label


@pytest.mark.parametrize(
    ("query", "bin_"),
    [
        ("vietcombank", "970436"),
        ("VCB", "970436"),
        ("Vietcom Bank", "970436"),
        ("Ngân hàng Vietcombank", "970436"),
        ("agribank", "970405"),
        ("AGRIBANK", "970405"),
        ("mbbank", "970422"),
        ("mb bank", "970422"),
        ("MB", "970422"),
        ("ngân hàng quân đội", "970422"),
        ("ngan hang quan doi", "970422"),
        ("CTG", "970415"),
        ("vietinbank", "970415"),
        ("LienVietPostBank", "970449"),
        ("lien viet post bank", "970449"),
        ("nam á", "970428"),
        ("NamABank", "970428"),
        ("co-op bank", "970446"),
        ("970407", "970407"),
        (" 970407 ", "970407"),
        ("timo", "963388"),
    ],
)
def test_find_bank(query: str, bin_: str) -> None:
    bank = find_bank(query)
    assert bank is not None
    assert bank.bin == bin_


@pytest.mark.parametrize("query", ["", "   ", "xyz bank", "970000", "ngân hàng", "bank"])
def test_find_bank_unknown(query: str) -> None:
    assert find_bank(query) is None
