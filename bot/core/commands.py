"""Parse a command once, in the core, for every platform and spelling.

Accepted: ``/lich-hop``, ``/lich_hop``, ``/lichhop``, ``/Lich_Hop``, ``/lich-hop@ThisBot`` (but not
``@OtherBot``), a leading ``@Bot name`` mention (Zalo groups; stripped by the adapter) and, in a
private chat, registered plain words such as ``lịch họp`` / ``lich hop``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.text.fold import fold

_COMMAND = re.compile(r"^/([^\s@/]+)(?:@(\S+))?(?:\s+(.*))?$", re.DOTALL)


def command_key(name: str) -> str:
    """The lookup key of a command name: lower case, with ``-`` and ``_`` dropped."""
    return name.casefold().replace("-", "").replace("_", "")


@dataclass(frozen=True, slots=True)
class ParsedCommand:
    """A command as typed: its lookup key and the raw argument text."""

    key: str
    args: str
    typed: str


def parse_command(text: str, *, bot_username: str | None) -> ParsedCommand | None:
    """Parse ``/name[@bot] args``; None when it is no command or names another bot."""
    text = text.strip()
    match = _COMMAND.match(text)
    if not match:
        return None
    name, target, args = match.group(1), match.group(2), match.group(3) or ""
    if target is not None and (
        bot_username is None or target.casefold() != bot_username.casefold()
    ):
        return None
    return ParsedCommand(key=command_key(name), args=args.strip(), typed=name)


def match_words(text: str, phrases: dict[str, str]) -> ParsedCommand | None:
    """Match plain words at the start of ``text`` against folded ``phrases`` → command key."""
    folded = fold(text)
    for phrase in sorted(phrases, key=len, reverse=True):
        if folded == phrase or folded.startswith(phrase + " "):
            rest = _drop_words(text, len(phrase.split()))
            return ParsedCommand(key=phrases[phrase], args=rest, typed=phrase)
    return None


def _drop_words(text: str, count: int) -> str:
    """``text`` without its first ``count`` whitespace-separated words."""
    parts = text.strip().split(None, count)
    return parts[count].strip() if len(parts) > count else ""


def strip_mention(text: str, names: list[str]) -> tuple[str, bool]:
    """Remove a leading ``@name`` for any of ``names``; also say whether it was there."""
    stripped = text.lstrip()
    for name in sorted((n for n in names if n), key=len, reverse=True):
        tag = "@" + name
        if stripped[: len(tag)].casefold() == tag.casefold():
            rest = stripped[len(tag):]
            if not rest or not (rest[0].isalnum() or rest[0] == "_"):
                return rest.lstrip(" ,:"), True
    return text, False
