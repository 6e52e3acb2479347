"""Parsing the arguments of the project commands (pure; returns data or an error code).

``/congtrinh tao <tên> | <mã> | <dự toán> [| <ngân hàng> <số tài khoản> <chủ tài khoản>]``,
``/capnhat <mã> [40%] <text>``, a caption ``#<mã> [40%] <text>``, and the donor part of
``/ungho <mã> <số tiền> <tên | Hảo tâm> [telegram:<id>]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.text.fold import fold
from bot.text.money import is_market_half, parse_amount, split_amount_and_rest
from bot.text.numbers_vocab import read_number, tokens

CODE_RE = re.compile(r"[a-z0-9][a-z0-9_-]{0,19}")
_TAG_RE = re.compile(r"^#(?P<code>[^\s#]+)\s*(?P<rest>.*)$", re.DOTALL)
_PERCENT_RE = re.compile(r"^(?P<p>[0-9]{1,3})\s*%\s*(?P<rest>.*)$", re.DOTALL)
_PLATFORM_ID_RE = re.compile(r"(?<!\S)(?P<platform>telegram|zalo|web):(?P<id>[A-Za-z0-9_.-]+)"
                             r"(?!\S)", re.IGNORECASE)
_REF_RE = re.compile(r"^#(?P<n>[0-9]{1,6})\b\s*(?P<rest>.*)$", re.DOTALL)
_DIGITS_RE = re.compile(r"[0-9][0-9.\-]*")

ANONYMOUS_WORDS = frozenset({"hao tam", "nguoi hao tam", "an danh", "giau ten", "anonymous"})
"""Folded donor names that mean "show me as Hảo tâm"."""

CREATE_WORDS = frozenset({"tao", "them", "new", "create"})
ACCOUNT_WORDS = frozenset({"taikhoan", "tai khoan", "tk", "account"})


@dataclass(frozen=True, slots=True)
class BankPart:
    """The bank part of /congtrinh: what names the bank, the account number, the holder."""

    bank: str
    account: str
    holder: str


@dataclass(frozen=True, slots=True)
class CreateArgs:
    """A parsed /congtrinh tao."""

    name: str
    code: str
    budget: int | None
    bank: BankPart | None


@dataclass(frozen=True, slots=True)
class UpdateArgs:
    """A parsed /capnhat or caption: project code, optional percent, text."""

    code: str
    percent: int | None
    text: str


@dataclass(frozen=True, slots=True)
class GiftArgs:
    """A parsed /ungho record: signed amount, donor (or reason), optional ids."""

    amount: int
    name: str
    anonymous: bool
    platform: str | None = None
    external_id: str | None = None
    ref: int | None = None  # "#n" of the ledger line a correction reverses


class ParseError(ValueError):
    """Why arguments were refused; ``code`` maps to a locale key."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def normalize_code(text: str) -> str | None:
    """A project code as stored (lower-case latin), or None when it is not one."""
    code = fold(text.strip().lstrip("#"))
    return code if CODE_RE.fullmatch(code) else None


def parse_bank_part(text: str) -> BankPart | None:
    """'Vietcombank 0011 0019 32418 Nguyen Van A' -> bank, account digits, holder."""
    tokens = text.split()
    start = next((i for i, tok in enumerate(tokens) if i > 0 and _DIGITS_RE.fullmatch(tok)),
                 None)
    if start is None:
        return None
    end = start
    while end < len(tokens) and _DIGITS_RE.fullmatch(tokens[end]):
        end += 1
    bank = " ".join(tokens[:start])
    account = re.sub(r"[.\-]", "", "".join(tokens[start:end]))
    holder = " ".join(tokens[end:])
    if not bank or not account or not holder:
        return None
    return BankPart(bank=bank, account=account, holder=holder)


def parse_create(text: str) -> CreateArgs:
    """Arguments after ``tao``: ``<tên> | <mã> | <dự toán> [| <bank> <account> <holder>]``."""
    parts = [p.strip() for p in text.split("|")]
    if len(parts) < 3 or len(parts) > 4 or not parts[0] or not parts[1]:
        raise ParseError("usage")
    code = normalize_code(parts[1])
    if code is None:
        raise ParseError("bad-code")
    budget: int | None = None
    if parts[2] and parts[2] not in ("-", "0"):
        budget = parse_amount(parts[2])
        if budget is None or budget <= 0:
            raise ParseError("bad-budget")
    bank = None
    if len(parts) == 4 and parts[3]:
        bank = parse_bank_part(parts[3])
        if bank is None:
            raise ParseError("bad-bank")
    return CreateArgs(name=parts[0][:200], code=code, budget=budget, bank=bank)


def _spoken_percent(text: str) -> tuple[int, str] | None:
    """A leading 'bốn mươi phần trăm' (spoken number + phần trăm) -> (40, rest)."""
    words = tokens(text[:120])
    got = read_number([w for w, _, _ in words])
    if got is None or got.words == 0 or got.half or got.end + 2 > len(words):
        return None
    unit = [fold(w) for w, _, _ in words[got.end:got.end + 2]]
    if unit != ["phan", "tram"]:
        return None
    return got.value, text[words[got.end + 1][2]:].strip()


def split_percent(text: str) -> tuple[int | None, str]:
    """A leading '40%' (or 'bốn mươi phần trăm') and the rest; ParseError('bad-percent') > 100."""
    match = _PERCENT_RE.match(text.strip())
    if match is None:
        spoken = _spoken_percent(text.strip())
        if spoken is None:
            return None, text.strip()
        if spoken[0] > 100:
            raise ParseError("bad-percent")
        return spoken
    percent = int(match["p"])
    if percent > 100:
        raise ParseError("bad-percent")
    return percent, match["rest"].strip()


def parse_update(text: str) -> UpdateArgs | None:
    """'/capnhat' arguments '<mã> [40%] <text>'; None when there is no code."""
    head, _, rest = text.strip().partition(" ")
    if not head:
        return None
    percent, body = split_percent(rest)
    return UpdateArgs(code=head.lstrip("#"), percent=percent, text=body)


def parse_caption_tag(caption: str) -> UpdateArgs | None:
    """A caption '#nvh [40%] Đổ bê tông móng'; None when it does not start with a tag."""
    match = _TAG_RE.match(caption.strip())
    if match is None:
        return None
    percent, body = split_percent(match["rest"])
    return UpdateArgs(code=match["code"], percent=percent, text=body)


def is_anonymous(name: str) -> bool:
    """True when the donor asked to appear as 'Hảo tâm'."""
    return fold(name).strip(" .!") in ANONYMOUS_WORDS


def parse_gift(text: str) -> GiftArgs:
    """'<số tiền> <tên>' or a correction '-<số tiền> [#n] <lý do>'.

    Raises ParseError with ``usage``, ``bad-amount``, ``market-half`` ('trăm rưỡi' alone),
    ``zero``, ``too-small`` (under 1,000 đồng), ``no-name`` or ``no-reason`` (a correction must
    say why).
    """
    stripped = text.strip()
    negative = stripped[:1] in ("-", "−")
    body = stripped[1:].lstrip() if negative else stripped
    amount, rest = split_amount_and_rest(body)
    if amount is None:
        if is_market_half(body):
            raise ParseError("market-half")
        raise ParseError("bad-amount" if body else "usage")
    if amount == 0:
        raise ParseError("zero")
    if amount < 1000:
        raise ParseError("too-small")
    platform = external_id = None
    found = _PLATFORM_ID_RE.search(rest)
    if found is not None:
        platform, external_id = found["platform"].lower(), found["id"]
        rest = (rest[: found.start()] + rest[found.end():]).strip()
    ref = None
    if negative:
        ref_match = _REF_RE.match(rest)
        if ref_match is not None:
            ref, rest = int(ref_match["n"]), ref_match["rest"].strip()
        if not rest:
            raise ParseError("no-reason")
        return GiftArgs(amount=-amount, name=rest[:500], anonymous=False, ref=ref)
    if not rest:
        raise ParseError("no-name")
    return GiftArgs(amount=amount, name=rest[:200], anonymous=is_anonymous(rest),
                    platform=platform, external_id=external_id)
