"""The ``<n>`` a user types after a command (``/xacnhan 3``, ``/faq xoa #2``, ``ann:ok:7``).

One parser for every command: ASCII digits only (``²`` or ``٣`` are not numbers here), an
optional leading ``#``.  Any length is read, so a 20-digit number is "number 12345…", which
nobody has: look it up through :func:`db_id`, which maps a number no database column can hold
(SQLite and PostgreSQL ``INTEGER``/``BIGINT`` alike) to an id that never exists, instead of
letting the driver raise ``OverflowError``.
"""

from __future__ import annotations

import re

MAX_DIGITS = 100  # longer is not a number a person typed on purpose: answered as usage
DB_MAX = 2**31 - 1  # PostgreSQL INTEGER, the smallest id column type in use
MISSING = -1  # an id no row has

_NUMBER = re.compile(rf"#?([0-9]{{1,{MAX_DIGITS}}})")
_LEADING = re.compile(rf"\s*#?([0-9]{{1,{MAX_DIGITS}}})(?:\s+|$)(.*)", re.DOTALL)


def parse_number(text: str) -> int | None:
    """``"3"``, ``" #3 "`` → 3; anything else (``"3a"``, ``"-1"``, ``""``, ``"²"``) → None."""
    match = _NUMBER.fullmatch(text.strip())
    return int(match[1]) if match else None


def split_number(text: str) -> tuple[int | None, str]:
    """``"2 20h thứ 7"`` → (2, "20h thứ 7"); no leading number → (None, the stripped text)."""
    match = _LEADING.match(text)
    return (int(match[1]), match[2].strip()) if match else (None, text.strip())


def db_id(number: int | None) -> int:
    """``number`` when a database id column can hold it, else an id that never exists."""
    return number if number is not None and 0 <= number <= DB_MAX else MISSING
