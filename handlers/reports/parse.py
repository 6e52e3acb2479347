"""Parsing what residents and officials type about reports (vocabulary lives here)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.text.fold import fold

CAPTION_TAGS = frozenset({"phananh", "report"})
"""A photo captioned ``#phananh`` (``#phản-ánh``, ``#report`` …) is a report, like ``/phananh``."""

HIDE_WORDS = frozenset({"an", "hide"})
SHOW_WORDS = frozenset({"hien", "show", "boan", "unhide"})
SHOW_NAME_WORDS = frozenset({"hienten", "showname", "congkhai"})
HIDE_NAME_WORDS = frozenset({"anten", "hidename", "andanh"})
DAYS_WORDS = frozenset({"nhac", "ngay", "days", "remind"})
LIMIT_WORDS = frozenset({"toida", "gioihan", "limit", "max"})

# "xóm 3", "đầu xóm Đông", "tổ 5", "đội 2", "khu B2", "ấp 1": a number after any of these words,
# a name only after xóm/ấp ("tổ chức", "khu vực" are ordinary words)
_AREA_RE = re.compile(
    r"\b(xóm|xom|tổ|to|đội|doi|khu|ấp|ap|cụm|cum)\s+(\d+[a-z]?|[a-z]\d*)\b"
    r"|\b(xóm|ấp)\s+((?!(?:nhà|nhỏ|mới|trên|dưới|này|đó|ấy)\b)[^\W\d_]\w*)",
    re.IGNORECASE)
_AREA_NAMES = {"xom": "Xóm", "to": "Tổ", "doi": "Đội", "khu": "Khu", "ap": "Ấp", "cum": "Cụm"}
_NUMBER_RE = re.compile(r"#?(\d{1,6})\b\s*(.*)", re.DOTALL)


@dataclass(frozen=True, slots=True)
class ReportText:
    """What a resident wrote: the problem and the place (typed after ``|`` or inside)."""

    text: str
    place: str
    area: str


def parse_report(args: str) -> ReportText:
    """``<nội dung> [| <nơi>]`` → text, place and the xóm-level area found in either."""
    text, bar, place = args.partition("|")
    text, place = " ".join(text.split()), " ".join(place.split()) if bar else ""
    return ReportText(text=text, place=place, area=area_of(place) or area_of(text) or "")


def area_of(text: str) -> str | None:
    """The first xóm-level place named in ``text`` ("đầu xóm 3" → "Xóm 3"), else None."""
    m = _AREA_RE.search(text or "")
    if m is None:
        return None
    word, name = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
    label = _AREA_NAMES.get(fold(word), word[:1].upper() + word[1:].lower())
    return f"{label} {name[:1].upper()}{name[1:]}"[:80]


def text_key(text: str) -> str:
    """The folded, space-normalised text used to spot a duplicate report."""
    return " ".join(fold(text).split())[:300]


def caption_report(text: str) -> str | None:
    """The rest of a caption that starts with ``#phananh`` (None when it does not)."""
    stripped = (text or "").strip()
    head, _, rest = stripped.partition(" ")
    if not head.startswith("#"):
        return None
    return rest.strip() if _word(head) in CAPTION_TAGS else None


def number_and_text(args: str) -> tuple[int, str] | None:
    """``5 ghi chú`` / ``#5 ghi chú`` → (5, "ghi chú"); None without a leading number."""
    m = _NUMBER_RE.fullmatch(args.strip())
    if m is None:
        return None
    return int(m.group(1)), " ".join(m.group(2).split())


def _word(word: str) -> str:
    """A word folded, punctuation dropped ("Hiện-tên" → "hienten")."""
    return fold(word).replace(" ", "")


def first_word(args: str) -> tuple[str, str]:
    """The folded first word and the rest."""
    word, _, rest = args.strip().partition(" ")
    return _word(word), rest.strip()
