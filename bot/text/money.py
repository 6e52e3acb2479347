"""Parse and format Vietnamese đồng amounts as integers (never floats).

Accepted forms (case-insensitive, with or without diacritics on the unit words):

* plain or grouped numbers: ``2000000``, ``2.000.000``, ``2,000,000``, ``1.234,5tr``;
* a scale word: ``k``, ``nghìn``/``ngàn``/``nghin``/``ngan`` (10^3), ``tr``/``triệu``/``trieu``
  (10^6), ``tỷ``/``tỉ``/``ty``/``ti`` (10^9), attached or after a space: ``2tr``, ``2 triệu``;
* decimals before a scale word: ``1,5tr`` and ``1.5tr`` are both 1,500,000;
* the spoken tail: ``1tr5`` = 1,500,000, ``2tr500`` = 2,500,000, ``1 triệu 2`` = 1,200,000,
  ``2 triệu rưỡi`` = 2,500,000 (after an abbreviation ``tr``/``k`` the tail must be attached);
* descending compounds: ``1 tỷ 200 triệu``, ``2 triệu 500 nghìn``, ``2tr500k``;
* spoken words (`bot.text.numbers_vocab`): ``ba trăm nghìn``, ``một triệu rưỡi``,
  ``hai mươi nghìn đồng``; ``trăm rưỡi`` alone (150 nghìn or 150 đồng?) is refused so it is asked;
* a currency word at the end: ``đ``, ``d``, ``đồng``, ``dong``, ``vnd``, ``vnđ``, ``₫``.

Separator rule: a separator followed by exactly three digits (and a 1–3 digit first group) groups
thousands, whatever the mark (``1.500`` = ``1,500`` = 1500, also before a scale word:
``1.500k`` = 1,500,000); otherwise the last separator is the decimal mark (``1,5``, ``1.25``,
``1.234,5``).  A decimal that does not come out as whole đồng (``0.5đ``) is rejected.
"""

from __future__ import annotations

import re
import unicodedata

from bot.text.numbers_vocab import read_number, tokens

__all__ = [
    "MAX_AMOUNT",
    "SUSPICIOUS_BELOW",
    "VND_SIGN",
    "format_vnd",
    "is_market_half",
    "looks_suspicious",
    "parse_amount",
    "parse_signed_amount",
    "split_amount_and_rest",
]

MAX_AMOUNT = 10**15
"""Larger parsed values are treated as garbage (None)."""
SUSPICIOUS_BELOW = 1_000
"""Amounts under this many đồng are probably a typo (a bare ``2`` meaning 2 triệu?)."""
VND_SIGN = "₫"

_MAX_DIGITS = 18  # keeps int() far away from Python's 4300-digit conversion limit
_HS = r"[^\S\r\n]*"  # horizontal whitespace only: never join two lines into one amount
_NOT_LETTER = r"(?![^\W\d_])"  # next character is not a letter (digits and punctuation are ok)

_NUMBER = re.compile(r"[0-9]+(?:[.,][0-9]+)*")
_SEP = re.compile(r"[.,]")
_SCALE = re.compile(
    _HS
    + r"(?:(?P<ty>tỷ|tỉ|ty|ti)|(?P<trw>triệu|trieu)|(?P<tr>tr)"
    + r"|(?P<kw>nghìn|nghin|ngàn|ngan)|(?P<k>k))"
    + _NOT_LETTER,
    re.IGNORECASE,
)
# group name -> (multiplier, is a full word: a spoken tail may follow after a space)
_SCALES: dict[str, tuple[int, bool]] = {
    "ty": (10**9, True),
    "trw": (10**6, True),
    "tr": (10**6, False),
    "kw": (10**3, True),
    "k": (10**3, False),
}
_SMALL = re.compile(r"(?P<gap>" + _HS + r")(?P<d>[0-9]{1,3})(?![0-9])")
_TAIL_END = re.compile(r"(?![^\W_]|[.,][0-9])")  # no letter/digit, no decimal continuation
_HALF = re.compile(_HS + r"(?:rưỡi|ruoi)" + _NOT_LETTER, re.IGNORECASE)
_CURRENCY = re.compile(_HS + r"(?P<cur>vnđ|vnd|đồng|dong|đ|d|₫)" + _NOT_LETTER, re.IGNORECASE)
_SIGN = re.compile(r"(?P<sign>[-−+])" + _HS)
_REST_LEAD = " \t\r\n\u00a0\u202f,;:.-–—"


def _prepare(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def _is_grouping(groups: list[str]) -> bool:
    return 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])


def _interpret(token: str) -> tuple[int, int] | None:
    """Digits with '.'/',' -> (numerator, denominator) or None when malformed."""
    groups = _SEP.split(token)
    seps = _SEP.findall(token)
    if sum(len(g) for g in groups) > _MAX_DIGITS:
        return None
    if not seps:
        return int(token), 1
    last = seps[-1]
    if all(s == last for s in seps) and _is_grouping(groups):
        return int("".join(groups)), 1
    lead = seps[:-1]
    if last in lead:  # e.g. "1.000.5": the decimal mark may appear only once
        return None
    int_groups = groups[:-1]
    if lead and not _is_grouping(int_groups):
        return None
    frac = groups[-1]
    return int("".join(int_groups) + frac), 10 ** len(frac)


def _scale_of(match: re.Match[str]) -> tuple[int, bool]:
    name = match.lastgroup
    assert name is not None
    return _SCALES[name]


def _scan_after_scale(text: str, pos: int, unit: int, word: bool) -> tuple[int, int]:
    """Compounds and spoken tails after a scale word -> (extra đồng, new position)."""
    extra = 0
    while True:
        small = _SMALL.match(text, pos)
        if small is not None:
            scale = _SCALE.match(text, small.end())
            if scale is not None:
                next_unit, next_word = _scale_of(scale)
                if next_unit < unit:
                    extra += int(small["d"]) * next_unit
                    pos, unit, word = scale.end(), next_unit, next_word
                    continue
                return extra, pos
            if (word or not small["gap"]) and _TAIL_END.match(text, small.end()):
                digits = small["d"]
                return extra + int(digits) * unit // 10 ** len(digits), small.end()
            return extra, pos
        half = _HALF.match(text, pos)
        if half is not None:
            return extra + unit // 2, half.end()
        return extra, pos


def _currency_end(text: str, pos: int) -> int:
    """Position after an optional currency word; a capitalised 'Đồng' before a name is a name."""
    cur = _CURRENCY.match(text, pos)
    if cur is None:
        return pos
    word = cur["cur"]
    if (
        len(word) > 2
        and word.casefold() in ("đồng", "dong")
        and word[0].isupper()
        and word[1:].islower()
        and text[cur.end() :].strip(_REST_LEAD)
    ):
        return pos
    return cur.end()


def _scan_words(text: str) -> tuple[int, int] | None:
    """A spoken amount at the start ('ba trăm nghìn', 'một triệu rưỡi') -> (đồng, end)."""
    words = tokens(text[:200])
    plain: list[str] = []
    for i, (word, _, _) in enumerate(words):
        if i and word[:1].isupper() and word[1:].islower():
            break  # a capitalised word after the amount starts the name: "… nghìn Năm"
        plain.append(word)
    got = read_number(plain)
    if got is None or got.words == 0 or got.market_half:
        return None  # "trăm rưỡi" alone: 150 nghìn or 150 đồng? ask
    value, end = got.value, words[got.end - 1][2]
    if got.end < len(words) and words[got.end][0].lower() in ("k", "tr") and got.value < 1000:
        value *= 1000 if words[got.end][0].lower() == "k" else 10**6  # "năm mươi k"
        end = words[got.end][2]
    pos = _currency_end(text, end)
    if pos < len(text) and text[pos].isalnum():
        return None
    if value > MAX_AMOUNT:
        return None
    return value, pos


def _scan(text: str, pos: int = 0) -> tuple[int, int] | None:
    """Read one amount starting at pos -> (đồng, end position) or None."""
    number = _NUMBER.match(text, pos)
    if number is None:
        return _scan_words(text) if pos == 0 else None
    parsed = _interpret(number.group())
    if parsed is None:
        return None
    num, den = parsed
    pos = number.end()
    scale = _SCALE.match(text, pos)
    if scale is None:
        total = num
    else:
        unit, word = _scale_of(scale)
        total = num * unit
        pos = scale.end()
        if den == 1:
            extra, pos = _scan_after_scale(text, pos, unit, word)
            total += extra
    if total % den:
        return None
    value = total // den
    pos = _currency_end(text, pos)
    if pos < len(text) and text[pos].isalnum():
        return None
    if value > MAX_AMOUNT:
        return None
    return value, pos


def parse_amount(text: str) -> int | None:
    """Whole text -> amount in đồng (>= 0), or None when it is not exactly one amount."""
    prepared = _prepare(text)
    scanned = _scan(prepared)
    if scanned is None:
        return None
    value, end = scanned
    if prepared[end:].strip(" \t\r\n\u00a0\u202f.!"):
        return None
    return value


def parse_signed_amount(text: str) -> int | None:
    """Like parse_amount, but a leading '-' (or '−', '+') is allowed, for corrections."""
    prepared = _prepare(text)
    sign = _SIGN.match(prepared)
    if sign is None:
        return parse_amount(prepared)
    value = parse_amount(prepared[sign.end() :])
    if value is None:
        return None
    return -value if sign["sign"] != "+" else value


def split_amount_and_rest(text: str) -> tuple[int | None, str]:
    """Amount at the start of text and the rest ('2tr Nguyễn Văn A' -> (2000000, 'Nguyễn Văn A')).

    Returns (None, whole stripped text) when the text does not start with a clean amount, or when
    the rest starts with a digit (the amount is not clearly delimited, e.g. '2 000 000').
    """
    prepared = _prepare(text)
    scanned = _scan(prepared)
    if scanned is None:
        return None, prepared
    value, end = scanned
    rest = prepared[end:].lstrip(_REST_LEAD).strip()
    if rest[:1].isdigit():
        return None, prepared
    return value, rest


def is_market_half(text: str) -> bool:
    """True when text starts with 'trăm rưỡi' / 'chục rưỡi' alone (150 nghìn or 150 đồng?)."""
    words = tokens(_prepare(text)[:60])
    got = read_number([w for w, _, _ in words])
    return got is not None and got.market_half


def looks_suspicious(amount: int) -> bool:
    """True for amounts under 1,000 đồng in absolute value (worth a confirmation question)."""
    return abs(amount) < SUSPICIOUS_BELOW


def format_vnd(amount: int, locale: str = "vi") -> str:
    """Amount in đồng for display: vi '2.000.000 ₫', en '2,000,000 ₫' (no-break space)."""
    from babel.numbers import format_decimal  # babel's data loads on first use, not at start-up
    return f"{format_decimal(amount, locale=locale)}\u00a0{VND_SIGN}"
