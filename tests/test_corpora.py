"""The corpora in tests/corpora/: phrasings as villagers type them, each with its expectation.

The rule they check: every word of a time or amount is understood or the bot asks.  A row with
a value must be saved exactly so; a row saying "ask" must never be saved (any question will do).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from bot.text.timeparse import VN_TZ, WhenStatus, parse_when
from handlers.faq.match import FaqIndex, load_default_entries
from handlers.projects.parse import ParseError, parse_gift

CORPORA = Path(__file__).parent / "corpora"
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=VN_TZ)  # Wednesday, as the times corpus says
MIN_ROWS = 150


def _rows(name: str) -> list[list[str]]:
    lines = (CORPORA / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


def _failures(rows: list[list[str]], got: list[str]) -> list[str]:
    return [f"{row[0]!r}: expected {row[1]}, got {g}" for row, g in zip(rows, got, strict=True)
            if g != row[1]]


def test_times_corpus() -> None:
    rows = _rows("times.tsv")
    assert len(rows) >= MIN_ROWS
    got = []
    for text, _expected in rows:
        result = parse_when(text, NOW)
        got.append(result.when.astimezone(VN_TZ).strftime("%Y-%m-%d %H:%M")
                   if result.status is WhenStatus.OK and result.when else "ask")
    assert _failures(rows, got) == []


def test_amounts_corpus() -> None:
    rows = _rows("amounts.tsv")
    assert len(rows) >= MIN_ROWS
    got = []
    for text, expected, name in rows:
        try:
            gift = parse_gift(text)
        except ParseError:
            got.append("ask")
            continue
        got.append(str(gift.amount) if gift.name == name else f"{gift.amount} for {gift.name!r}")
        assert expected != "ask" or got[-1] == "ask", text
    assert _failures([r[:2] for r in rows], got) == []


@pytest.fixture(scope="module")
def faq_index() -> FaqIndex:
    return FaqIndex.build(load_default_entries("vi"), "vi")


def test_faq_corpus(faq_index: FaqIndex) -> None:
    rows = _rows("faq.tsv")
    assert len(rows) >= MIN_ROWS
    got = []
    for text, _expected in rows:
        result = faq_index.match(text)
        got.append(result.entry.id if result.kind == "answer" and result.entry else "ask")
    assert _failures(rows, got) == []
