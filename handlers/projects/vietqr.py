"""VietQR (NAPAS 247 / EMVCo merchant-presented QR) payloads for bank transfers, and a bank table.

Payload layout (each field is ID + 2-digit decimal length + value):

* 00 "01" payload format; 01 "11" static (no amount) or "12" dynamic (with amount);
* 38 consumer account: 00 GUID "A000000727", 01 (00 bank BIN, 01 account number),
  02 service code "QRIBFTTA" (transfer to an account);
* 53 "704" (VND); 54 amount in whole đồng, digits only (only when given); 58 "VN";
* 62 additional data: 08 purpose of transaction = memo (only when given);
* 63 CRC-16/CCITT-FALSE over everything before it including "6304", 4 uppercase hex digits.

Memo choice: banking apps show and forward only plain text and the spec caps field 62/08 at 25
characters, so the memo is folded to uppercase ASCII (diacritics dropped, đ -> D), anything
outside [A-Z0-9 ] becomes a space, spaces are collapsed and it is cut to 25 characters at the
last word boundary that fits (a hard cut only for one overlong word).  Use normalize_memo() to
show the user exactly what will be sent; we truncate rather than reject.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

__all__ = [
    "MAX_AMOUNT",
    "MEMO_MAX_LEN",
    "Bank",
    "VietQRError",
    "VietQRErrorCode",
    "build_vietqr_payload",
    "crc16_ccitt_false",
    "find_bank",
    "load_banks",
    "normalize_account",
    "normalize_memo",
]

NAPAS_GUID = "A000000727"
SERVICE_TO_ACCOUNT = "QRIBFTTA"
CURRENCY_VND = "704"
COUNTRY_VN = "VN"
MEMO_MAX_LEN = 25
MAX_AMOUNT = 9_999_999_999_999  # field 54 holds at most 13 characters
ACCOUNT_MAX_LEN = 19

_BIN_RE = re.compile(r"[0-9]{6}")
_ACCOUNT_RE = re.compile(r"[A-Za-z0-9]{1,19}")
_ACCOUNT_SEPARATORS = re.compile(r"[\s.\-]+")
_BANKS_FILE = Path(__file__).with_name("data") / "banks.json"


class VietQRErrorCode(StrEnum):
    """Why a payload could not be built (the bot maps these to locale messages)."""

    BAD_BIN = "bad_bin"
    BAD_ACCOUNT = "bad_account"
    BAD_AMOUNT = "bad_amount"


class VietQRError(ValueError):
    """Invalid payload input; `code` says which field."""

    def __init__(self, code: VietQRErrorCode) -> None:
        super().__init__(code.value)
        self.code = code


def crc16_ccitt_false(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, no reflection, xorout 0."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return crc


def _fold_ascii(text: str) -> str:
    """Vietnamese text -> ASCII without diacritics (d with stroke -> d)."""
    text = text.replace("\u0111", "d").replace("\u0110", "D")  # d/D with stroke: no NFD
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalize_memo(memo: str) -> str:
    """Memo as it goes into the QR: uppercase [A-Z0-9 ], at most 25 chars ('' if nothing left)."""
    folded = _fold_ascii(memo).upper()
    cleaned = " ".join(re.sub(r"[^A-Z0-9]+", " ", folded).split())
    if len(cleaned) <= MEMO_MAX_LEN:
        return cleaned
    cut = cleaned[: MEMO_MAX_LEN + 1]
    space = cut.rfind(" ")
    return cut[:space] if space > 0 else cleaned[:MEMO_MAX_LEN]


def normalize_account(account: str) -> str:
    """Account number as typed ('0011 0019-32418') -> without spaces, dots and dashes."""
    return _ACCOUNT_SEPARATORS.sub("", account)


def _tlv(tag: str, value: str) -> str:
    if len(value) > 99:  # unreachable with validated input; guards the 2-digit length
        raise ValueError(f"TLV value too long for tag {tag}")
    return f"{tag}{len(value):02d}{value}"


def build_vietqr_payload(
    bank_bin: str, account: str, amount: int | None = None, memo: str | None = None
) -> str:
    """VietQR transfer payload; raises VietQRError (code BAD_BIN/BAD_ACCOUNT/BAD_AMOUNT)."""
    bank_bin = bank_bin.strip()
    if not _BIN_RE.fullmatch(bank_bin):
        raise VietQRError(VietQRErrorCode.BAD_BIN)
    account = normalize_account(account)
    if not _ACCOUNT_RE.fullmatch(account):
        raise VietQRError(VietQRErrorCode.BAD_ACCOUNT)
    if amount is not None and (
        isinstance(amount, bool) or not isinstance(amount, int) or not 1 <= amount <= MAX_AMOUNT
    ):
        raise VietQRError(VietQRErrorCode.BAD_AMOUNT)

    beneficiary = _tlv("00", bank_bin) + _tlv("01", account)
    consumer = _tlv("00", NAPAS_GUID) + _tlv("01", beneficiary) + _tlv("02", SERVICE_TO_ACCOUNT)
    parts = [
        _tlv("00", "01"),
        _tlv("01", "12" if amount is not None else "11"),
        _tlv("38", consumer),
        _tlv("53", CURRENCY_VND),
    ]
    if amount is not None:
        parts.append(_tlv("54", str(amount)))
    parts.append(_tlv("58", COUNTRY_VN))
    memo_text = normalize_memo(memo) if memo else ""
    if memo_text:
        parts.append(_tlv("62", _tlv("08", memo_text)))
    body = "".join(parts) + "6304"
    return f"{body}{crc16_ccitt_false(body.encode('ascii')):04X}"


@dataclass(frozen=True, slots=True)
class Bank:
    """A Vietnamese bank reachable through NAPAS 247 (VietQR)."""

    code: str
    short_name: str
    name: str
    bin: str
    aliases: tuple[str, ...] = ()


_LEADING_NOISE = ("ngan hang", "nh", "tmcp", "tnhh", "mtv")


def _bank_key(text: str) -> str:
    """Lookup key: no diacritics, lowercase, no 'Ngân hàng TMCP' prefix, letters/digits only."""
    words = re.findall(r"[a-z0-9]+", _fold_ascii(text).casefold())
    changed = True
    while changed and words:
        changed = False
        for noise in _LEADING_NOISE:
            noise_words = noise.split()
            if words[: len(noise_words)] == noise_words and len(words) > len(noise_words):
                words = words[len(noise_words) :]
                changed = True
    return "".join(words)


@cache
def load_banks() -> tuple[Bank, ...]:
    """Banks from handlers/projects/data/banks.json (read once)."""
    raw = json.loads(_BANKS_FILE.read_text(encoding="utf-8"))
    return tuple(
        Bank(
            code=item["code"],
            short_name=item["short_name"],
            name=item["name"],
            bin=item["bin"],
            aliases=tuple(item.get("aliases", ())),
        )
        for item in raw["banks"]
    )


@cache
def _bank_index() -> dict[str, Bank]:
    index: dict[str, Bank] = {}
    for bank in load_banks():
        for label in (bank.bin, bank.code, bank.short_name, bank.name, *bank.aliases):
            key = _bank_key(label)
            other = index.setdefault(key, bank)
            if other.bin != bank.bin:
                raise ValueError(f"banks.json: {label!r} names two banks")
    return index


def find_bank(name_or_bin: str) -> Bank | None:
    """Bank by BIN, code, short name, full name or alias (case/diacritic/space-insensitive)."""
    key = _bank_key(name_or_bin)
    return _bank_index().get(key) if key else None
