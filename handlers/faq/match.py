"""Forgiving, diacritic-insensitive matching of questions against the help-desk knowledge base.

Text is folded (`bot.text.fold.fold`) and abbreviations are expanded from the locale's lexicon
("cks" → "chu ky so", "ck" → "chuyen khoan"), on both sides.  Fillers ("cho em hỏi", "ạ",
"như thế nào") are dropped where noted.  Every entry then gets a 0–100 score from:

* keyword – the best keyword hit.  A keyword is compared (``ratio``, ``token_sort_ratio`` and
  with spaces removed) with windows of the query about as many words long, taken around words
  it shares with the query, so surrounding words, word order and typos are tolerated.  Two caps
  keep character similarity honest in a language of short, similar syllables: a real word of
  the knowledge base that the keyword lacks is a different word, not a typo ("trưởng thôn" is
  not "trúng thưởng"), and a keyword word missing from the window caps the score at the IDF
  share that is present ("mất điện" is only part of "mất điện thoại").  Keywords of at most
  ``SHORT_KEYWORD_LEN`` characters ("113", "qr", "otp") must equal a query word.
* question – ``token_set_ratio`` of query and question without fillers, scaled down by up to
  ``QUESTION_RECALL_WEIGHT`` when the query holds little of the question's (IDF-weighted) words,
  because token_set_ratio calls any subset a perfect match.
* coverage – the IDF-weighted share of the query's content words that the entry's question and
  keywords contain (exactly, or as a typo of a word the knowledge base doesn't know).  Words the
  entry can't explain cost up to ``UNCOVERED_PENALTY`` points: this separates "ck nhầm tài khoản"
  (wrong-transfer entry) from the transfer-safety entry, and sinks off-topic questions.

``score = (1 - TIEBREAK_WEIGHT) * max(keyword, question)
          + TIEBREAK_WEIGHT * token_sort_ratio(query, question) - penalty``;
the small last term prefers the entry whose question reads most like the query.

Decision, with the numbers measured on the 108-query table in ``tests/test_faq_match.py``:

* answer – best ≥ ``ANSWER_SCORE`` (80) and ≥ ``ANSWER_MARGIN`` (5) ahead of the runner-up; or a
  clear winner: best ≥ ``CLEAR_WINNER_SCORE`` (70) and ≥ ``CLEAR_WINNER_MARGIN`` (20) ahead.
  Expected answers score 70.7–100; the six under 80 (typos such as "ban hang shoppe", "QR dán
  đè") lead by 30–61 points.  Among answers ≥ 80 the smallest lead is 6.5 ("dang ky chu ky so").
* choices – otherwise, when best ≥ ``CHOICE_FLOOR`` (55): every candidate ≥ the floor and within
  ``CHOICE_WINDOW`` (12) of the best, at most ``MAX_CHOICES`` (5).  Ambiguous queries ("vneid",
  "wifi", "mật khẩu", "hồ sơ", "bị lừa qua điện thoại") score 62–78 and lead by 0.9–11.2; the
  third "vneid" entry scores 58.5, hence the floor at 55.
* none – best < 55.  Off-topic and gibberish queries in the table score at most 33
  ("cho vay tien", "giá vàng hôm nay", "thời tiết hôm nay", "xyz abc").
"""

from __future__ import annotations

import math
import re
import tomllib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Literal

from rapidfuzz import fuzz, process

from bot.text.fold import fold
from bot.text.telex_vocab import untelex

FaqSource = Literal["default", "village"]
MatchKind = Literal["answer", "choices", "none"]

SUPPORTED_LOCALES: tuple[str, ...] = ("vi", "en")
DEFAULT_LOCALE = "vi"

# --- Decision thresholds (see the module docstring and tests/test_faq_match.py). ---
ANSWER_SCORE = 80.0
ANSWER_MARGIN = 5.0
CLEAR_WINNER_SCORE = 70.0
CLEAR_WINNER_MARGIN = 20.0
CHOICE_FLOOR = 55.0
CHOICE_WINDOW = 12.0
MAX_CHOICES = 5
# An entry scoring under this changes no decision: it is no choice (< CHOICE_FLOOR) and as a
# runner-up it leaves every margin met (best >= CLEAR_WINNER_SCORE is >= 20 ahead of it).
DECISION_FLOOR = CLEAR_WINNER_SCORE - CLEAR_WINNER_MARGIN

# --- Scoring knobs. ---
TIEBREAK_WEIGHT = 0.1  # share of the score given to "reads like the question"
QUESTION_RECALL_WEIGHT = 0.4  # how much a query holding little of the question loses
UNKNOWN_WORD_WEIGHT = 1.5  # coverage weight of a word no entry uses (known words: IDF ~0.7–2.6)
UNCOVERED_PENALTY = 30.0  # points lost when none of the query's content words is explained
SHORT_KEYWORD_LEN = 3  # keywords this short ("qr", "113") must match a whole word exactly
TYPO_MIN_WORD_LEN = 4  # shorter words are never typo-corrected
TYPO_SCORE = 80.0  # fuzz.ratio for an unknown word to count as a typo of an entry word
TYPO_LINK_SCORE = 60.0  # looser link used only to place keyword windows
MAX_QUERY_WORDS = 40  # longer messages are cut (a question rarely needs more)
SAME_QUESTION_SCORE = 95.0  # token_sort_ratio at which a village question replaces a default
BOUND_SLACK = 1e-6  # added to score bounds against float rounding


@dataclass(frozen=True, slots=True)
class FaqEntry:
    """One question/answer pair, shipped by default or written by a village."""

    id: str
    question: str
    answer: str
    keywords: tuple[str, ...] = ()
    source: FaqSource = "default"
    village_id: str | None = None

    def __post_init__(self) -> None:
        """Accept any sequence of keywords but store an immutable tuple."""
        object.__setattr__(self, "keywords", tuple(self.keywords))


@dataclass(frozen=True, slots=True)
class FaqMatch:
    """Outcome of a lookup: one answer, a few choices to offer, or nothing.

    `entry` is set only for "answer"; `choices` (best first) only for "choices".  `score` and
    `runner_up` are the two best scores (0–100, for logs); `locale` is the index that matched.
    """

    kind: MatchKind
    entry: FaqEntry | None = None
    choices: list[tuple[FaqEntry, float]] = field(default_factory=list)
    score: float = 0.0
    runner_up: float = 0.0
    locale: str = DEFAULT_LOCALE


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Per-locale matching vocabulary (folded): filler words/phrases and abbreviations."""

    stopwords: frozenset[str] = frozenset()
    abbreviations: Mapping[str, str] = field(default_factory=dict)
    accented: bool = True  # False: the language has no accented letters (no Vietnamese query)
    generic: frozenset[str] = frozenset()  # words that name no topic ("gia han", "chuyen tien")

    def normalize(self, text: str) -> str:
        """Fold text and expand whole-word abbreviations ("ck" → "chuyen khoan")."""
        return self.expand(fold(text))

    def expand(self, folded: str) -> str:
        """Expand whole-word abbreviations of already folded text."""
        if not self.abbreviations or not folded:
            return folded
        pattern = _phrase_pattern(frozenset(self.abbreviations))
        return pattern.sub(lambda m: self.abbreviations[m.group(0)], folded)

    def strip_fillers(self, text: str) -> str:
        """Normalized text without its filler words and phrases ("cho em hoi", "the nao")."""
        if self.stopwords:
            text = _phrase_pattern(self.stopwords).sub(" ", text)
        return " ".join(text.split())

    def content_words(self, text: str) -> list[str]:
        """Distinct words of normalized text that are not fillers, in order."""
        return list(dict.fromkeys(self.strip_fillers(text).split()))


_TELEX_HINT = re.compile(r"[fjwz]|aa|ee|oo|dd|[sfrx](?:\s|$)|[aeiouy][sfrxj][cmnptgh]*(?:\s|$)")


@cache
def _phrase_pattern(phrases: frozenset[str]) -> re.Pattern[str]:
    """Regex matching any of the phrases as whole words, longest first."""
    ordered = sorted(phrases, key=len, reverse=True)
    return re.compile(r"(?<!\S)(?:" + "|".join(map(re.escape, ordered)) + r")(?!\S)")


@dataclass(frozen=True, slots=True)
class _Keyword:
    text: str
    words: tuple[str, ...]
    weights: Mapping[str, float]  # IDF of each distinct word
    wordset: frozenset[str] = frozenset()
    total: float = 0.0  # sum of `weights`
    glued: str = ""  # `text` without spaces
    short: bool = False  # must equal a query word (see SHORT_KEYWORD_LEN)

    @classmethod
    def of(cls, text: str, idf: Mapping[str, float]) -> _Keyword:
        """A keyword (normalized text) with its precomputed word set and weights."""
        words = tuple(text.split())
        weights = {w: idf[w] for w in words}
        short = len(words) == 1 and (len(text) <= SHORT_KEYWORD_LEN or text.isdigit())
        return cls(text, words, weights, frozenset(words), sum(weights.values()),
                   text.replace(" ", ""), short)


@dataclass(frozen=True, slots=True)
class _Prepared:
    entry: FaqEntry
    question: str
    core: str  # the question without fillers
    core_weights: tuple[tuple[str, float], ...]  # distinct words of `core` with their IDF
    keywords: tuple[_Keyword, ...]
    vocab: frozenset[str]
    core_words: frozenset[str]  # the words of `core_weights`
    core_total: float  # their IDF sum (1.0 when empty)


@dataclass(frozen=True, slots=True)
class _Sequence:
    """The query's words in order, with what each can stand for."""

    tokens: tuple[str, ...]
    positions: Mapping[str, tuple[int, ...]]  # entry word -> where it (or a typo of it) occurs
    distinct: tuple[bool, ...]  # per position: a real, non-filler word (foreign if not wanted)


@dataclass(frozen=True, slots=True)
class _Query:
    text: str
    tokens: tuple[str, ...]
    core: str  # the query without fillers (the whole text if nothing else is left)
    sequences: tuple[_Sequence, ...]  # as typed, and without fillers
    weights: tuple[tuple[str, float], ...]  # distinct content words with their IDF weight
    typos: Mapping[str, Mapping[str, float]]  # unknown word -> entry words it may misspell
    present: frozenset[str]  # query words plus the entry words they clearly misspell
    linked: frozenset[str] = frozenset()  # every word a keyword window can be anchored on
    weights_total: float = 1.0  # the IDF sum of `weights` (1.0 when empty)


def primary_locale(locale: str | None) -> str:
    """Map "vi-VN", "en_US", None… to a supported locale code (default Vietnamese)."""
    code = (locale or DEFAULT_LOCALE).replace("_", "-").split("-")[0].lower()
    return code if code in SUPPORTED_LOCALES else DEFAULT_LOCALE


def _read_kb(locale: str) -> dict[str, Any]:
    if locale not in SUPPORTED_LOCALES:
        raise ValueError(f"unsupported FAQ locale: {locale!r}")
    path = resources.files("handlers.faq").joinpath("data", f"{locale}.toml")
    return tomllib.loads(path.read_text(encoding="utf-8"))


@cache
def load_lexicon(locale: str) -> Lexicon:
    """The shipped stop words and abbreviations of a locale ("vi" or "en")."""
    raw = _read_kb(locale).get("lexicon", {})
    stop = frozenset(fold(w) for w in raw.get("stopwords", ()))
    abbr = {fold(k): fold(v) for k, v in raw.get("abbreviations", {}).items()}
    generic = frozenset(fold(w) for w in raw.get("generic", ()))
    return Lexicon(stopwords=stop, abbreviations=abbr,
                   accented=bool(raw.get("accented_letters", True)), generic=generic)


def load_default_entries(locale: str) -> list[FaqEntry]:
    """The shipped knowledge base of a locale ("vi" or "en"), in file order."""
    return [
        FaqEntry(
            id=item["id"],
            question=item["question"].strip(),
            answer=item["answer"].strip(),
            keywords=tuple(item.get("keywords", ())),
        )
        for item in _read_kb(locale).get("entry", [])
    ]


def merge_entries(entries: Iterable[FaqEntry], lexicon: Lexicon | None = None) -> list[FaqEntry]:
    """Let village entries replace defaults with the same id or a near-identical question."""
    lex = lexicon or Lexicon()
    items = list(entries)
    village = {e.id: e for e in items if e.source == "village"}
    village_questions = [(lex.normalize(e.question), e.id) for e in village.values()]
    merged: list[FaqEntry] = []
    placed: set[str] = set()
    for entry in items:
        if entry.source == "village":
            continue
        replacement = village.get(entry.id)
        if replacement is None and village_questions:
            question = lex.normalize(entry.question)
            best = process.extractOne(
                question,
                [q for q, _ in village_questions],
                scorer=fuzz.token_sort_ratio,
                score_cutoff=SAME_QUESTION_SCORE,
            )
            if best is not None:
                replacement = village[village_questions[best[2]][1]]
        if replacement is None:
            merged.append(entry)
        elif replacement.id not in placed:
            merged.append(replacement)
            placed.add(replacement.id)
    merged.extend(e for e in village.values() if e.id not in placed)
    return merged


class FaqIndex:
    """A searchable, precomputed view of one locale's entries."""

    def __init__(
        self,
        prepared: Sequence[_Prepared],
        lexicon: Lexicon,
        locale: str,
        idf: Mapping[str, float],
        known_words: frozenset[str],
    ) -> None:
        """Use `FaqIndex.build`; this constructor takes already prepared entries."""
        self._prepared = tuple(prepared)
        self._lexicon = lexicon
        self._idf = idf
        self._vocab = sorted(idf)
        self._known = known_words
        self.locale = locale
        self._by_id = {p.entry.id: p.entry for p in self._prepared}
        self._topic_cache: dict[str, frozenset[str]] = {}

    @classmethod
    def build(
        cls,
        entries: Iterable[FaqEntry],
        locale: str = DEFAULT_LOCALE,
        lexicon: Lexicon | None = None,
    ) -> FaqIndex:
        """Index entries (defaults + village entries; village ones win) for one locale."""
        code = primary_locale(locale)
        lex = lexicon if lexicon is not None else load_lexicon(code)
        merged = merge_entries(entries, lex)
        questions = [lex.normalize(e.question) for e in merged]
        keywords = [
            tuple(dict.fromkeys(k for k in map(lex.normalize, e.keywords) if k)) for e in merged
        ]
        vocabs = [
            frozenset(q.split()).union(*(k.split() for k in ks))
            for q, ks in zip(questions, keywords, strict=True)
        ]
        freq = Counter(word for vocab in vocabs for word in vocab)
        idf = {word: math.log(1 + len(merged) / (1 + n)) for word, n in freq.items()}
        known = set(freq).union(*(lex.normalize(e.answer).split() for e in merged))
        prepared = []
        for entry, question, kws, vocab in zip(merged, questions, keywords, vocabs, strict=True):
            core = lex.strip_fillers(question) or question
            core_weights = tuple((w, idf[w]) for w in dict.fromkeys(core.split()))
            prepared.append(
                _Prepared(
                    entry=entry,
                    question=question,
                    core=core,
                    core_weights=core_weights,
                    keywords=tuple(_Keyword.of(k, idf) for k in kws),
                    vocab=vocab,
                    core_words=frozenset(w for w, _ in core_weights),
                    core_total=sum(w for _, w in core_weights) or 1.0,
                )
            )
        return cls(prepared, lex, code, idf, frozenset(known))

    @property
    def entries(self) -> tuple[FaqEntry, ...]:
        """All indexed entries, defaults first, in a stable order."""
        return tuple(p.entry for p in self._prepared)

    def get(self, entry_id: str) -> FaqEntry | None:
        """The entry with this id, if indexed."""
        return self._by_id.get(entry_id)

    def could_be_written_in(self, query: str) -> bool:
        """False when the query has accented letters and this locale has none (English):
        "làm căn cước ở đâu" is never matched against English words, nor "cảm ơn" as "cam"."""
        return self._lexicon.accented or not any(ord(c) > 127 and c.isalpha() for c in query)

    def rank(self, query: str) -> list[tuple[FaqEntry, float]]:
        """Every entry with its score (0–100) for the query, best first; ties keep file order."""
        prepared = self._prepare_query(query)
        if prepared is None:
            return []
        scored = [(p.entry, round(_score(p, prepared), 1)) for p in self._prepared]
        return sorted(scored, key=lambda pair: -pair[1])

    def _untelex(self, text: str) -> str:
        """Words typed with a Telex keyboard left on, read back when the result is known."""
        if not _TELEX_HINT.search(text):
            return text
        words = text.split()
        for i, word in enumerate(words):
            if word not in self._known:
                for plain in untelex(word):
                    if plain in self._known:
                        words[i] = plain
                        break
        return " ".join(words)

    def _prepare_query(self, query: str) -> _Query | None:
        tokens = tuple(self._lexicon.expand(
            self._untelex(fold(query))).split()[:MAX_QUERY_WORDS])
        if not tokens:
            return None
        text = " ".join(tokens)
        core = self._lexicon.strip_fillers(text) or text
        known = frozenset(tokens) & self._known
        typos = {
            token: {
                word: score
                for word, score, _ in process.extract(
                    token, self._vocab, scorer=fuzz.ratio, score_cutoff=TYPO_LINK_SCORE, limit=None
                )
            }
            for token in dict.fromkeys(tokens)
            if token not in known
        }
        clear_typos = (w for links in typos.values() for w, s in links.items() if s >= TYPO_SCORE)
        fillers = self._lexicon.stopwords
        sequences = tuple(
            _sequence(seq, typos, known, fillers) for seq in dict.fromkeys((text, core))
        )
        weights = tuple(
            (w, self._idf.get(w, UNKNOWN_WORD_WEIGHT)) for w in dict.fromkeys(core.split()))
        return _Query(
            text=text,
            tokens=tokens,
            core=core,
            sequences=sequences,
            weights=weights,
            weights_total=sum(w for _, w in weights) or 1.0,
            typos=typos,
            present=frozenset(tokens).union(clear_typos),
            linked=frozenset().union(*(seq.positions for seq in sequences)),
        )

    def top(self, query: str, floor: float = 0.0) -> list[tuple[FaqEntry, float]]:
        """The head of `rank` that `match` needs, without scoring the hopeless entries.

        Every entry scoring at least min(runner-up, best - ``CHOICE_WINDOW``) and at least
        ``floor`` is there, with the same score and in the same order as in `rank`.  An entry
        whose upper bound (computed without any string similarity) is under ``floor`` is never
        scored.  The expensive keyword windows are computed best-bound first, and only while an
        entry's upper bound (keyword score capped by its IDF share) could still reach that head.
        """
        prepared = self._prepare_query(query)
        if prepared is None:
            return []
        bounded = []
        for order, prep in enumerate(self._prepared):
            bound = _keyword_bound(prep, prepared)
            if floor > 0.0:
                factor, penalty = _recall_and_penalty(prep, prepared)
                ceiling = _combine(max(bound, 100.0 * factor), 100.0 * factor, 100.0, penalty)
                if ceiling + BOUND_SLACK < floor:
                    continue
            question, closeness, penalty = _base(prep, prepared)
            if bound <= question:  # the keyword cannot change the score: it is exact
                exact = round(_combine(question, question, closeness, penalty), 1)
                bounded.append((exact, True, order, prep, (question, closeness, penalty)))
            else:
                upper = _combine(bound, question, closeness, penalty) + BOUND_SLACK
                bounded.append((round(upper, 1), False, order, prep,
                                (question, closeness, penalty)))
        bounded.sort(key=lambda item: (-item[0], item[2]))
        scored: list[tuple[float, int, FaqEntry]] = []
        for upper, exact, order, prep, parts in bounded:
            if upper < floor:
                break
            if len(scored) >= 2:
                head = sorted(scored, key=lambda item: (-item[0], item[1]))
                if upper < min(head[1][0], head[0][0] - CHOICE_WINDOW):
                    break
            score = upper if exact else round(_combine(_keyword(prep, prepared), *parts), 1)
            scored.append((score, order, prep.entry))
        scored.sort(key=lambda item: (-item[0], item[1]))
        return [(entry, score) for score, _order, entry in scored if score >= floor]

    def _shares_only_generic(self, query: str, entry: FaqEntry) -> str:
        """'other-topic' when the query's topic words are all foreign to the entry (it shares
        only generic words such as "gia han"), 'generic-only' when the query has no topic
        word at all, else ''."""
        lex = self._lexicon
        if not lex.generic:
            return ""
        text = lex.expand(self._untelex(fold(query)))
        text = _phrase_pattern(lex.generic).sub(" ", text)
        topic = [w for w in lex.content_words(text) if not w.isdigit()]
        if not topic:
            return "generic-only" if self._generic_hit(query) else ""
        vocab = self._topic_vocab(entry)
        if any(w in vocab for w in topic):
            return ""
        typo = any(fuzz.ratio(w, v) >= TYPO_SCORE for w in topic for v in vocab
                   if abs(len(w) - len(v)) <= 2)
        return "" if typo else "other-topic"

    def _topic_vocab(self, entry: FaqEntry) -> frozenset[str]:
        """The entry's words outside the generic phrases (cached per entry)."""
        cached = self._topic_cache.get(entry.id)
        if cached is None:
            lex = self._lexicon
            text = lex.normalize(" ".join((entry.question, *entry.keywords)))
            text = _phrase_pattern(lex.generic).sub(" ", text)
            cached = frozenset(lex.content_words(text))
            self._topic_cache[entry.id] = cached
        return cached

    def _generic_hit(self, query: str) -> bool:
        text = self._lexicon.normalize(fold(query))
        return bool(_phrase_pattern(self._lexicon.generic).search(text))

    def match(self, query: str) -> FaqMatch:
        """Decide between one answer, a short list of choices, or no match.

        Entries that cannot reach ``DECISION_FLOOR`` are left out: below it a score changes
        no decision (not an answer, a choice or the margins), only the reported runner-up.
        """
        ranked = self.top(query, floor=DECISION_FLOOR)
        if not ranked:
            return FaqMatch(kind="none", locale=self.locale)
        best_entry, best = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        margin = best - runner_up
        if (best >= ANSWER_SCORE and margin >= ANSWER_MARGIN) or (
            best >= CLEAR_WINNER_SCORE and margin >= CLEAR_WINNER_MARGIN
        ):
            shared = self._shares_only_generic(query, best_entry)
            if shared == "other-topic":
                return FaqMatch("none", None, [], best, runner_up, self.locale)
            if shared == "generic-only":
                return FaqMatch("choices", None, [(e, sc) for e, sc in ranked[:MAX_CHOICES]
                                                  if sc >= CHOICE_FLOOR], best, runner_up,
                                self.locale)
            return FaqMatch("answer", best_entry, [], best, runner_up, self.locale)
        if best < CHOICE_FLOOR:
            return FaqMatch("none", None, [], best, runner_up, self.locale)
        choices = [
            (entry, score)
            for entry, score in ranked[:MAX_CHOICES]
            if score >= CHOICE_FLOOR and best - score <= CHOICE_WINDOW
        ]
        return FaqMatch("choices", None, choices, best, runner_up, self.locale)


def match_with_fallback(
    indexes: Mapping[str, FaqIndex], query: str, locale: str | None
) -> FaqMatch:
    """Match in the chat's locale; consult the other locales when that gives no answer.

    Preference: an answer in the chat's locale; an answer from another locale that scores higher
    than anything at home; choices at home; choices from another locale; none.  Entries found
    through another locale are swapped for the chat locale's entry with the same id when there is
    one, so the reply stays in the chat's language; ``FaqMatch.locale`` tells which index matched.
    A query with accented letters is not matched against English.
    """
    code = primary_locale(locale)
    home = indexes.get(code)
    home_result = home.match(query) if home is not None else FaqMatch("none", locale=code)
    if home_result.kind == "answer" or home is None:
        return home_result
    others = [index.match(query) for loc, index in indexes.items()
              if loc != code and index.could_be_written_in(query)]
    for result in others:
        if result.kind == "answer" and result.score > home_result.score:
            return _relocalize(result, home)
    if home_result.kind == "choices":
        return home_result
    for result in others:
        if result.kind != "none":
            return _relocalize(result, home)
    return home_result


def _relocalize(result: FaqMatch, home: FaqIndex) -> FaqMatch:
    def swap(entry: FaqEntry) -> FaqEntry:
        return home.get(entry.id) or entry

    return FaqMatch(
        kind=result.kind,
        entry=swap(result.entry) if result.entry is not None else None,
        choices=[(swap(e), s) for e, s in result.choices],
        score=result.score,
        runner_up=result.runner_up,
        locale=result.locale,
    )


def _sequence(
    text: str,
    typos: Mapping[str, Mapping[str, float]],
    known: frozenset[str],
    fillers: frozenset[str],
) -> _Sequence:
    tokens = tuple(text.split())
    positions: dict[str, list[int]] = {}
    for i, token in enumerate(tokens):
        for word in (token, *typos.get(token, ())):
            positions.setdefault(word, []).append(i)
    return _Sequence(
        tokens=tokens,
        positions={w: tuple(p) for w, p in positions.items()},
        distinct=tuple(t in known and t not in fillers for t in tokens),
    )


def _keyword_score(keyword: _Keyword, query: _Query, floor: float = 0.0) -> float:
    """Best similarity of the keyword to a window of the query of about the keyword's length.

    Windows are taken from the query as typed and from the query without fillers, and only
    around a word that is one of the keyword's words or an unknown word that may misspell one.
    Two caps keep character similarity honest:
    * a real word of the knowledge base (not a filler) that the keyword lacks is a different
      word, not a typo ("truong thon" must not match "trung thuong"): the score is at most the
      share of the window's words that belong;
    * a keyword word missing from the window caps the score at the IDF share of the keyword
      that is present ("mat dien" is only part of "mat dien thoai").
    Returns `floor` when the keyword cannot beat it (callers pass the best score so far).
    """
    words = keyword.words
    if len(words) == 1 and (len(keyword.text) <= SHORT_KEYWORD_LEN or keyword.text.isdigit()):
        return 100.0 if keyword.text in query.tokens else floor
    if keyword.wordset.isdisjoint(query.linked):
        return floor  # no window can hold any of its words: the IDF cap is 0
    best = floor
    for sequence in query.sequences:
        best = _best_window(keyword, sequence, best)
        if best == 100.0:
            break
    return best


def _best_window(keyword: _Keyword, sequence: _Sequence, floor: float) -> float:
    """The best capped window score of one keyword in one word sequence, if above `floor`."""
    words, tokens = keyword.words, sequence.tokens
    wordset, total, glued = keyword.wordset, keyword.total, keyword.glued
    hits = {w: sequence.positions[w] for w in wordset if w in sequence.positions}
    if 100.0 * sum(keyword.weights[w] for w in hits) / total <= floor:
        return floor  # even a window holding every hit could not beat `floor`
    anchors = {i for positions in hits.values() for i in positions}
    best = floor
    for width in range(max(1, len(words) - 1), len(words) + 2):
        last_start = len(tokens) - width
        starts = {s for i in anchors for s in range(max(0, i - width + 1), min(i, last_start) + 1)}
        for start in sorted(starts):
            end = start + width
            window = tokens[start:end]
            if window == words:
                return 100.0
            foreign = sum(
                1 for i in range(start, end) if sequence.distinct[i] and tokens[i] not in wordset
            )
            present = sum(
                keyword.weights[w] for w, ps in hits.items() if any(start <= p < end for p in ps)
            )
            cap = min(100.0 * (width - foreign) / max(width, len(words)), 100.0 * present / total)
            if cap <= best:
                continue
            joined = " ".join(window)
            similarity = max(
                fuzz.ratio(keyword.text, joined),
                fuzz.token_sort_ratio(keyword.text, joined),
                fuzz.ratio(glued, "".join(window)),
            )
            best = max(best, min(similarity, cap))
    return best


def _covered(word: str, vocab: frozenset[str], query: _Query) -> bool:
    """Whether the entry explains a query word: exactly, or as a typo of one of its words."""
    if word in vocab:
        return True
    if len(word) < TYPO_MIN_WORD_LEN:
        return False
    links = query.typos.get(word, {})
    return any(score >= TYPO_SCORE and w in vocab for w, score in links.items())


def _score(prep: _Prepared, query: _Query) -> float:
    """The entry's 0–100 score for the query (see the module docstring)."""
    return _combine(_keyword(prep, query), *_base(prep, query))


def _keyword(prep: _Prepared, query: _Query) -> float:
    """The entry's best keyword score (0 when no keyword shares a word with the query)."""
    keyword = 0.0
    if not prep.vocab.isdisjoint(query.linked):
        for candidate in prep.keywords:
            keyword = _keyword_score(candidate, query, keyword)
    return keyword


def _keyword_bound(prep: _Prepared, query: _Query) -> float:
    """An upper bound of `_keyword`: the best IDF share of a keyword's words in the query."""
    if prep.vocab.isdisjoint(query.linked):
        return 0.0
    linked = query.linked  # == the words of the query as typed (the other sequence's superset)
    bound = 0.0
    for keyword in prep.keywords:
        if keyword.short:
            share = 100.0 if keyword.text in linked else 0.0  # tokens ⊆ linked: a bound
        elif keyword.wordset.isdisjoint(linked):
            continue
        else:
            weights = keyword.weights
            share = 100.0 * sum(weights[w] for w in keyword.wordset & linked) / keyword.total
        if share > bound:
            bound = share
    return bound


def _base(prep: _Prepared, query: _Query) -> tuple[float, float, float]:
    """The cheap parts of the score: question similarity, closeness and coverage penalty."""
    factor, penalty = _recall_and_penalty(prep, query)
    question = fuzz.token_set_ratio(query.core, prep.core) * factor
    closeness = fuzz.token_sort_ratio(query.text, prep.question)
    return question, closeness, penalty


def _recall_and_penalty(prep: _Prepared, query: _Query) -> tuple[float, float]:
    """The parts of `_base` without string similarity: the question's recall factor (its
    similarity is scaled by it) and the coverage penalty."""
    present = query.present
    recall = 0.0 if prep.core_words.isdisjoint(present) else sum(
        w for t, w in prep.core_weights if t in present) / prep.core_total
    covered = sum(w for t, w in query.weights if _covered(t, prep.vocab, query))
    return 1.0 - QUESTION_RECALL_WEIGHT * (1.0 - recall), UNCOVERED_PENALTY * (
        1.0 - covered / query.weights_total)


def _combine(keyword: float, question: float, closeness: float, penalty: float) -> float:
    best = max(keyword, question)
    return max(0.0, (1 - TIEBREAK_WEIGHT) * best + TIEBREAK_WEIGHT * closeness - penalty)
