"""Telegram text rules: UTF-16 lengths, automatic entities (tdlib rules) and HTML parse mode."""

from __future__ import annotations

import html
import re
import unicodedata
from typing import Any

_ASCII_WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_HTML_TAGS = frozenset(
    {
        *("a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins"),
        *("tg-spoiler", "tg-emoji", "span", "pre", "code", "blockquote"),
    }
)
_ENTITY_RE = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|lt|gt|amp|quot);")


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units (how Telegram counts)."""
    return len(text.encode("utf-16-le")) // 2


def is_word_character(ch: str) -> bool:
    """tdlib ``is_word_character``: Unicode letters and numbers, and ``_``."""
    return ch == "_" or unicodedata.category(ch)[0] in ("L", "N")


def _ascii_run(text: str, pos: int) -> int:
    """Index just after the run of ``[A-Za-z0-9_]`` starting at ``pos``."""
    while pos < len(text) and text[pos] in _ASCII_WORD:
        pos += 1
    return pos


def match_bot_commands(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` code-point spans of bot commands, following tdlib ``match_bot_commands``.

    A command is ``/`` + 1-64 of ``[A-Za-z0-9_]``, optionally followed directly by ``@`` +
    3-32 of the same; it is rejected when preceded or followed by a word character, ``/``,
    ``<`` or ``>``. So ``/lich-hop`` yields ``/lich`` and ``/lich_hop@ThisBot`` the whole string.
    """
    spans: list[tuple[int, int]] = []
    pos = text.find("/")
    while pos != -1:
        start = pos
        prev = text[pos - 1] if pos > 0 else ""
        pos += 1
        if prev and (is_word_character(prev) or prev in "/<>"):
            pos = text.find("/", pos)
            continue
        end = _ascii_run(text, pos)
        if not 1 <= end - pos <= 64:
            pos = text.find("/", pos)
            continue
        cursor = end
        if cursor < len(text) and text[cursor] == "@":
            mention_end = _ascii_run(text, cursor + 1)
            if not 3 <= mention_end - cursor - 1 <= 32:
                pos = text.find("/", mention_end)
                continue
            end = cursor = mention_end
        nxt = text[cursor] if cursor < len(text) else ""
        if nxt and (is_word_character(nxt) or nxt in "/<>"):
            pos = text.find("/", cursor)
            continue
        spans.append((start, end))
        pos = text.find("/", cursor)
    return spans


def match_mentions(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` spans of ``@username`` mentions (tdlib rules; usernames of 5+ chars)."""
    spans: list[tuple[int, int]] = []
    pos = text.find("@")
    while pos != -1:
        start = pos
        if pos > 0 and is_word_character(text[pos - 1]):
            pos = text.find("@", pos + 1)
            continue
        end = _ascii_run(text, pos + 1)
        size = end - pos - 1
        nxt = text[end] if end < len(text) else ""
        if 5 <= size <= 32 and not (nxt and is_word_character(nxt)):
            spans.append((start, end))
        pos = text.find("@", max(end, pos + 1))
    return spans


def _span_to_entity(text: str, kind: str, start: int, end: int) -> dict[str, Any]:
    return {
        "type": kind,
        "offset": utf16_len(text[:start]),
        "length": utf16_len(text[start:end]),
    }


def auto_entities(text: str | None) -> list[dict[str, Any]]:
    """Entities Telegram would attach to a user's plain text: bot commands and mentions."""
    if not text:
        return []
    found = [(s, e, "bot_command") for s, e in match_bot_commands(text)]
    found += [(s, e, "mention") for s, e in match_mentions(text)]
    found.sort()
    return [_span_to_entity(text, kind, s, e) for s, e, kind in found]


class EntityParseError(ValueError):
    """Raised when text with ``parse_mode="HTML"`` would be rejected by Telegram."""


def _byte_offset(text: str, pos: int) -> int:
    return len(text[:pos].encode("utf-8"))


def parse_html(text: str) -> str:
    """Return the visible text of an HTML-formatted message, or raise EntityParseError.

    Mirrors the checks of the Bot API's HTML parser that bots trip over most: unsupported or
    unclosed tags, a bare ``<``, mismatched end tags, ``<span>`` without ``tg-spoiler``.
    """
    prefix = "can't parse entities: "
    out: list[str] = []
    stack: list[str] = []
    pos, size = 0, len(text)
    while pos < size:
        ch = text[pos]
        if ch == "&":
            match = _ENTITY_RE.match(text, pos)
            decoded = html.unescape(match.group(0)) if match else None
            if match and decoded != match.group(0):
                out.append(decoded)
                pos = match.end()
                continue
            out.append(ch)
            pos += 1
            continue
        if ch != "<":
            out.append(ch)
            pos += 1
            continue
        tag_start = pos
        at = _byte_offset(text, tag_start)
        pos += 1
        closing = pos < size and text[pos] == "/"
        pos += closing
        name_start = pos
        while pos < size and not text[pos].isspace() and text[pos] != ">":
            pos += 1
        name = text[name_start:pos].lower()
        close = text.find(">", pos)
        if closing:
            if not stack:
                raise EntityParseError(f"{prefix}Unexpected end tag at byte offset {at}")
            if close == -1 or text[pos:close].strip():
                raise EntityParseError(f"{prefix}Unclosed end tag at byte offset {at}")
            if name and name != stack[-1]:
                raise EntityParseError(
                    f"{prefix}Unmatched end tag at byte offset {at}, "
                    f'expected "</{stack[-1]}>", found "</{name}>"'
                )
            stack.pop()
            pos = close + 1
            continue
        if pos >= size:
            raise EntityParseError(f"{prefix}Unclosed start tag at byte offset {at}")
        if name not in _HTML_TAGS:
            raise EntityParseError(f'{prefix}Unsupported start tag "{name}" at byte offset {at}')
        if close == -1:
            raise EntityParseError(f"{prefix}Unclosed start tag at byte offset {at}")
        attributes = text[pos:close]
        if name == "span" and not re.search(r"class\s*=\s*[\"']?tg-spoiler", attributes):
            raise EntityParseError(
                f'{prefix}Tag "span" must have class "tg-spoiler" at byte offset {at}'
            )
        stack.append(name)
        pos = close + 1
    if stack:
        raise EntityParseError(
            f'{prefix}Can\'t find end tag corresponding to start tag "{stack[-1]}"'
        )
    return "".join(out)
