"""Reading ``/bieuquyet <câu hỏi> | <lựa chọn> | … [| hạn <khi nào>] [| moi ho 1 phieu]``."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.text.fold import fold

MIN_OPTIONS, MAX_OPTIONS = 2, 10
DEADLINE_WORDS = ("han ", "han:", "het han ", "deadline ")
HOUSEHOLD_WORDS = {"moi ho 1 phieu", "moi ho mot phieu", "1 ho 1 phieu", "mot ho mot phieu",
                   "theo ho", "one vote per household"}
ANONYMOUS_WORDS = {"an danh", "bo phieu kin", "kin", "anonymous"}


@dataclass
class PollArgs:
    """What the official asked for; ``deadline_text`` is parsed by the caller."""

    question: str
    options: list[str] = field(default_factory=list)
    deadline_text: str | None = None
    per_household: bool = False
    anonymous: bool = False


def parse_poll(text: str) -> PollArgs | None:
    """The parts of a poll command; None without a question."""
    parts = [p.strip() for p in text.split("|")]
    if not parts or not parts[0]:
        return None
    args = PollArgs(question=parts[0][:500])
    for part in parts[1:]:
        folded = fold(part)
        if not folded:
            continue
        if folded in HOUSEHOLD_WORDS:
            args.per_household = True
        elif folded in ANONYMOUS_WORDS:
            args.anonymous = True
        elif folded.startswith(DEADLINE_WORDS):
            word = next(w for w in DEADLINE_WORDS if folded.startswith(w))
            args.deadline_text = part[len(word):].strip(" :")
        else:
            args.options.append(part[:100])
    return args


def choice_index(text: str, options: list[str]) -> int | None:
    """``"2"`` or the option's words (no diacritics needed) → its 0-based index."""
    word = text.strip().lstrip("#")
    if word.isascii() and word.isdigit():
        n = int(word)
        return n - 1 if 1 <= n <= len(options) else None
    folded = fold(word)
    exact = [i for i, o in enumerate(options) if fold(o) == folded]
    if exact:
        return exact[0]
    starts = [i for i, o in enumerate(options) if folded and fold(o).startswith(folded)]
    return starts[0] if len(starts) == 1 else None
