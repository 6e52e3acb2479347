"""Parsing for the FAQ desk: small talk, ``/faq`` sub-commands, ``/traloi … +luu``, phones.

Pure functions on text; the vocabulary (Vietnamese and English, folded) lives here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.text.fold import fold
from bot.text.numbers import parse_number


class SmallTalk(StrEnum):
    """What a short non-question message is."""

    GREETING = "greeting"
    THANKS = "thanks"
    ACK = "ack"


# Words a greeting, thanks or acknowledgement is made of (folded).  A message counts as small
# talk only when EVERY word is one of these, so "chào bác, cho cháu hỏi VNeID" is a question.
_THANKS = ("cam on", "thank", "thanks", "thx", "tks", "camon", "cmon")
_GREETINGS = ("chao", "xin chao", "hello", "hi", "hey", "alo", "good morning", "good evening")
_FILLER_WORDS = frozenset({
    "a", "ah", "ak", "nhe", "nha", "nhieu", "lam", "bot", "ban", "anh", "chi", "em", "bac",
    "chu", "co", "ong", "ba", "chau", "ca", "moi", "nguoi", "rat", "you", "so", "much", "very",
    "the", "vay",
})
# Who a thanks or greeting is addressed to ("cảm ơn cán bộ thôn nhé", "chào tổ trưởng ạ"):
# allowed only next to a thanks/greeting phrase, since alone these words may start a question.
_ADDRESS_WORDS = frozenset({
    "can", "bo", "thon", "xom", "to", "truong", "pho", "ban", "quan", "ly", "doi", "cac",
    "ae", "oi", "admin", "officials", "official", "team", "all", "everyone",
})
_ACK_WORDS = frozenset({
    "ok", "oke", "okay", "okie", "oki", "uh", "uhm", "um", "vang", "da", "duoc", "roi", "hieu",
    "ro", "biet", "yes", "yep",
})
_ALLOWED = _FILLER_WORDS | _ACK_WORDS
_ALLOWED_ADDRESSED = _ALLOWED | _ADDRESS_WORDS
_SUBCOMMANDS = {"them": "add", "sua": "edit", "xoa": "delete", "ds": "list",
                "danhsach": "list", "add": "add", "edit": "edit", "delete": "delete",
                "list": "list"}
_SAVE_MARKERS = ("+luu", "+lưu", "+save")
_PHONE_RE = re.compile(r"\+?[0-9][0-9 .\-]{6,18}[0-9]")
_REMOVE_WORDS = frozenset({"xoa", "bo", "an", "remove", "delete", "off"})
_PHONE_WORDS = frozenset({"sdt", "so", "dienthoai", "phone"})


def small_talk(text: str) -> SmallTalk | None:
    """Classify a greeting / thanks / acknowledgement; None for anything that may be a question."""
    folded = fold(text)
    if not folded:
        return None
    rest = f" {folded} "
    kind: SmallTalk | None = None
    for phrase in sorted(_THANKS, key=len, reverse=True):
        if f" {phrase} " in rest:
            rest, kind = rest.replace(f" {phrase} ", " "), SmallTalk.THANKS
    for phrase in sorted(_GREETINGS, key=len, reverse=True):
        if f" {phrase} " in rest:
            rest = rest.replace(f" {phrase} ", " ")
            kind = kind or SmallTalk.GREETING
    words = rest.split()
    allowed = _ALLOWED_ADDRESSED if kind is not None else _ALLOWED
    if any(w not in allowed for w in words):
        return None
    if kind is None and any(w in _ACK_WORDS for w in words):
        kind = SmallTalk.ACK
    return kind


@dataclass(frozen=True, slots=True)
class FaqCommand:
    """An official's ``/faq`` sub-command: ``action`` add|edit|delete|list with its parts."""

    action: str
    number: int | None = None
    question: str = ""
    answer: str = ""
    keywords: tuple[str, ...] = ()
    well_formed: bool = True


def parse_faq_command(args: str) -> FaqCommand | None:
    """Parse ``them <q> | <a> [| kw, kw]``, ``sua <n> [<q> |] <a>``, ``xoa <n>``, ``ds``.

    None when the first word is no sub-command (the text is a question).  ``well_formed`` is
    False when the sub-command word is there but the rest does not fit its shape.
    """
    head, _, rest = args.strip().partition(" ")
    action = _SUBCOMMANDS.get(fold(head))
    if action is None:
        return None
    rest = rest.strip()
    if action == "list":
        return FaqCommand("list", well_formed=not rest)
    if action == "add":
        parts = [p.strip() for p in rest.split("|")]
        if len(parts) < 2 or not parts[0] or not parts[1]:
            return FaqCommand("add", well_formed=False)
        keywords = tuple(k.strip() for k in "|".join(parts[2:]).split(",") if k.strip())
        return FaqCommand("add", question=parts[0], answer=parts[1], keywords=keywords)
    number_text, _, body = rest.partition(" ")
    number = parse_number(number_text)
    if action == "delete":
        return FaqCommand("delete", number=number, well_formed=number is not None and not body)
    question, sep, answer = body.partition("|")
    if not sep:
        question, answer = "", body
    ok = number is not None and bool(answer.strip()) and (not sep or bool(question.strip()))
    return FaqCommand("edit", number=number, question=question.strip(), answer=answer.strip(),
                      well_formed=ok)


def parse_answer(args: str) -> tuple[int | None, str, bool]:
    """``/traloi <n> <text> [+luu]`` → (n, text, save)."""
    number_text, _, body = args.strip().partition(" ")
    number = parse_number(number_text)
    body = body.strip()
    save = False
    for marker in _SAVE_MARKERS:
        if body.casefold().endswith(marker):
            body, save = body[: -len(marker)].rstrip(), True
        elif body.casefold().startswith(marker + " "):
            body, save = body[len(marker):].lstrip(), True
    return number, body, save


def parse_pick(text: str) -> int | None:
    """A bare choice number ("2", "#2", "số 2") or None."""
    folded = fold(text)
    for prefix in ("so ", "cau ", "muc ", "no "):
        if folded.startswith(prefix):
            folded = folded[len(prefix):]
    return parse_number(folded) if len(folded) <= 2 else None


def parse_phone_command(args: str) -> tuple[str, str | None] | None:
    """``sdt <số>`` → ("set", phone); ``sdt xoa`` → ("remove", None); ``sdt`` → ("show", None).

    None when ``args`` is not a phone sub-command; ("bad", None) when the number is invalid.
    """
    head, _, rest = args.strip().partition(" ")
    if fold(head).replace(" ", "") not in _PHONE_WORDS:
        return None
    rest = rest.strip()
    if not rest:
        return ("show", None)
    if fold(rest) in _REMOVE_WORDS:
        return ("remove", None)
    phone = normalize_phone(rest)
    return ("set", phone) if phone else ("bad", None)


def normalize_phone(text: str) -> str | None:
    """A phone number with 8–15 digits (spaces, dots and dashes kept as typed) or None."""
    text = text.strip()
    if not _PHONE_RE.fullmatch(text):
        return None
    digits = sum(ch.isdigit() for ch in text)
    return " ".join(text.split()) if 8 <= digits <= 15 else None
