"""Reading a household list (CSV in UTF-8 / UTF-8 with BOM / Windows-1258, or XLSX).

Columns are found by their header (xóm, chủ hộ, điện thoại — with or without diacritics, in
any order); every data row is checked, and one bad row means nothing is imported: the caller
shows each bad row with its line number and reason.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field

from bot.text.fold import fold

MAX_BYTES = 2 * 1024 * 1024  # a village's list is a few KB; 2 MB is far beyond any of them
MAX_ROWS = 5000
HEADERS = {  # folded header words → field (parsing vocabulary)
    "xom": "hamlet", "thon xom": "hamlet", "to": "hamlet", "ap": "hamlet", "hamlet": "hamlet",
    "chu ho": "head", "ho ten chu ho": "head", "ten chu ho": "head", "head": "head",
    "ho ten": "head",
    "dien thoai": "phone", "so dien thoai": "phone", "sdt": "phone", "dt": "phone",
    "phone": "phone",
}
_PHONE = re.compile(r"^(?:\+?84|0)\d{8,10}$")


@dataclass(frozen=True, slots=True)
class Row:
    """One household as read from the file."""

    line: int
    hamlet: str
    head: str
    phone: str | None


@dataclass
class ReadResult:
    """Good rows, and (line, reason key, detail) for every bad one."""

    rows: list[Row] = field(default_factory=list)
    errors: list[tuple[int, str, str]] = field(default_factory=list)
    fatal: str | None = None  # a reason key when the file itself cannot be read


def normalise_phone(text: str) -> str | None:
    """``0912 345 678`` / ``+84 912.345.678`` → digits; None when it is not a phone number."""
    digits = re.sub(r"[\s.\-()]", "", text)
    return digits if _PHONE.match(digits) else None


def _decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1258", errors="replace")
    return unicodedata.normalize("NFC", text)  # cp1258 writes tones as combining marks


def _table(data: bytes, file_name: str) -> list[list[str]] | str:
    """The cells of the file's first sheet, or a reason key."""
    if data[:4] == b"PK\x03\x04" or file_name.lower().endswith(".xlsx"):
        try:
            from openpyxl import load_workbook

            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            sheet = book.worksheets[0]
            return [["" if v is None else str(v).strip() for v in row]
                    for row in sheet.iter_rows(values_only=True)]
        except Exception:
            return "import-error-xlsx"
    text = _decode(data)
    if "\x00" in text:
        return "import-error-format"
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), dialect)]


def read_households(data: bytes, file_name: str = "") -> ReadResult:
    """Parse and check a household file."""
    result = ReadResult()
    if len(data) > MAX_BYTES:
        result.fatal = "import-error-too-big"
        return result
    table = _table(data, file_name)
    if isinstance(table, str):
        result.fatal = table
        return result
    header_at, columns = None, {}
    for index, cells in enumerate(table[:10]):
        found = {HEADERS[fold(c)]: i for i, c in enumerate(cells) if fold(c) in HEADERS}
        if "hamlet" in found and "head" in found:
            header_at, columns = index, found
            break
    if header_at is None:
        result.fatal = "import-error-header"
        return result
    seen: dict[tuple[str, str], int] = {}
    for index, cells in enumerate(table[header_at + 1:], start=header_at + 2):
        if not any(cells):
            continue
        if len(result.rows) + len(result.errors) >= MAX_ROWS:
            result.fatal = "import-error-too-many"
            return result

        def cell(name: str, cells: list[str] = cells) -> str:
            i = columns.get(name)
            return cells[i].strip() if i is not None and i < len(cells) else ""

        hamlet, head, phone_text = cell("hamlet"), cell("head"), cell("phone")
        if not hamlet or not head:
            result.errors.append((index, "import-row-missing", hamlet or head))
            continue
        phone = normalise_phone(phone_text) if phone_text else None
        if phone_text and phone is None:
            result.errors.append((index, "import-row-phone", phone_text))
            continue
        key = (fold(hamlet), fold(head))
        if key in seen:
            result.errors.append((index, "import-row-duplicate", str(seen[key])))
            continue
        seen[key] = index
        result.rows.append(Row(index, hamlet[:80], head[:160], phone))
    if not result.rows and not result.errors:
        result.fatal = "import-error-empty"
    return result
