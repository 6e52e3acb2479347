"""Fake Telegram and Zalo Bot API servers for tests (real HTTP on 127.0.0.1, random port)."""

from ._base import Call, Fault
from ._tg_limits import TelegramLimits
from ._tg_text import auto_entities, match_bot_commands, parse_html, utf16_len
from .telegram_server import AUTO, FakeTelegram, StoredFile, TelegramApiError, tiny_png
from .zalo_server import CdnImage, FakeZalo, PhotoFetch, ZaloApiError, hex_id

__all__ = [
    "AUTO",
    "Call",
    "CdnImage",
    "FakeTelegram",
    "FakeZalo",
    "Fault",
    "PhotoFetch",
    "StoredFile",
    "TelegramApiError",
    "TelegramLimits",
    "ZaloApiError",
    "auto_entities",
    "hex_id",
    "match_bot_commands",
    "parse_html",
    "tiny_png",
    "utf16_len",
]
