"""Checks on the shipped FAQ knowledge base (bot/data/faq/{vi,en}.toml)."""

from __future__ import annotations

import re

import pytest

from bot.text.fold import fold
from handlers.faq.match import SUPPORTED_LOCALES, FaqEntry, load_default_entries, load_lexicon

ALLOWED_DOMAINS = {"dichvucong.gov.vn"}
ALLOWED_NUMBERS = {"111", "113", "114", "115"}
MAX_ANSWER_CHARS = 1800  # one Zalo message holds 2000; keep headroom for a title line

_URL = re.compile(r"https?://|www\.", re.IGNORECASE)
_DOMAIN = re.compile(
    r"\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:vn|com|net|org|gov|info|io|me|app|link|ly)\b",
    re.IGNORECASE,
)
# Any run of digits, possibly split by spaces, dots or dashes ("1900 1234", "0912.345.678").
_DIGITS = re.compile(r"\+?\d(?:[\d .\-]*\d)?")
_MARKUP = re.compile(r"[*_`<>\[\]#]|\]\(")


def _entries(locale: str) -> list[FaqEntry]:
    return load_default_entries(locale)


def _texts(entry: FaqEntry) -> list[str]:
    return [entry.question, entry.answer, *entry.keywords]


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_enough_entries_with_unique_slug_ids(locale: str) -> None:
    """At least 18 entries, each with a unique, stable, URL-safe slug."""
    entries = _entries(locale)
    ids = [e.id for e in entries]
    assert len(entries) >= 18
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", i) for i in ids)


def test_both_locales_have_the_same_ids_in_the_same_order() -> None:
    """A village override or a cross-locale fallback relies on identical ids."""
    assert [e.id for e in _entries("vi")] == [e.id for e in _entries("en")]


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_entries_are_complete_and_fit_one_message(locale: str) -> None:
    """Question, ≥ 3 distinct keywords and a plain answer short enough for one message."""
    for entry in _entries(locale):
        assert entry.question.strip(), entry.id
        assert entry.source == "default"
        assert entry.village_id is None
        assert len({fold(k) for k in entry.keywords}) >= 3, entry.id
        assert 0 < len(entry.answer) <= MAX_ANSWER_CHARS, (entry.id, len(entry.answer))
        assert entry.answer == entry.answer.strip()


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_answers_are_plain_text(locale: str) -> None:
    """No Markdown/HTML: Zalo and the web chat show the text as is."""
    for entry in _entries(locale):
        assert not _MARKUP.search(entry.answer), entry.id


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_no_link_other_than_the_national_public_service_portal(locale: str) -> None:
    """Only dichvucong.gov.vn may appear; no invented or shortened links."""
    for entry in _entries(locale):
        for text in _texts(entry):
            assert not _URL.search(text), entry.id
            domains = {d.lower() for d in _DOMAIN.findall(text)}
            assert domains <= ALLOWED_DOMAINS, (entry.id, domains)


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_no_phone_number_other_than_the_emergency_lines(locale: str) -> None:
    """Only 111, 113, 114 and 115 appear; other digit runs are short (steps, "mức 2", 4G)."""
    for entry in _entries(locale):
        for text in _texts(entry):
            for run in _DIGITS.findall(text):
                digits = re.sub(r"\D", "", run)
                assert len(digits) < 3 or digits in ALLOWED_NUMBERS, (entry.id, run)


def test_emergency_numbers_are_the_real_ones() -> None:
    """113 police, 114 fire and rescue, 115 medical, 111 child protection, in both locales."""
    vi = {e.id: e.answer for e in _entries("vi")}["so-khan-cap"]
    en = {e.id: e.answer for e in _entries("en")}["so-khan-cap"]
    for number, vi_word, en_word in [
        ("113", "Công an", "Police"),
        ("114", "Cứu hỏa", "Fire"),
        ("115", "Cấp cứu", "Medical"),
        ("111", "Tổng đài bảo vệ trẻ em", "Child protection"),
    ]:
        assert f"{number}: {vi_word}" in vi
        assert f"{number}: {en_word}" in en


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_no_fee_amounts(locale: str) -> None:
    """Prices change and differ by provider: the knowledge base never quotes an amount."""
    money = re.compile(r"\d\s*(?:đ|đồng|vnd|vnđ|k\b|nghìn|ngàn|triệu|dong)", re.IGNORECASE)
    for entry in _entries(locale):
        assert not money.search(entry.answer), entry.id


def test_vietnamese_text_keeps_its_diacritics() -> None:
    """Questions and answers are written with proper Vietnamese accents, not stripped text."""
    for entry in _entries("vi"):
        for text in (entry.question, entry.answer):
            assert fold(text) != text.casefold(), entry.id


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_lexicon_loads_folded(locale: str) -> None:
    """Stop words and abbreviations are stored folded so they meet folded queries."""
    lexicon = load_lexicon(locale)
    assert lexicon.stopwords
    assert lexicon.abbreviations
    assert all(fold(w) == w for w in lexicon.stopwords)
    assert all(fold(k) == k and fold(v) == v for k, v in lexicon.abbreviations.items())
