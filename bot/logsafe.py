"""Keep secrets out of logs: every log record is redacted as it is created.

Bot tokens travel inside URLs (``/bot<TOKEN>/sendMessage``) that httpx, PTB and the Zalo SDK log
at DEBUG, and some SDK exceptions quote the token.  :func:`protect` registers the configured
secrets and installs a log-record factory (process-wide, so it covers every handler, pytest's
caplog included) that replaces them with ``[REDACTED]`` in the message, its arguments and the
formatted traceback.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from typing import Any

MASK = "[REDACTED]"
MIN_SECRET = 6  # shorter values would redact ordinary words

_secrets: set[str] = set()
_lock = threading.Lock()
_installed = False
_formatter = logging.Formatter()


def add_secrets(values: Iterable[str | None]) -> None:
    """Register secrets to redact (empty and very short values are ignored)."""
    with _lock:
        _secrets.update(v for v in values if v and len(v) >= MIN_SECRET)


def redact(text: str) -> str:
    """``text`` with every registered secret replaced by :data:`MASK`."""
    for secret in sorted(_secrets, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, MASK)
    return text


def _contains_secret(text: str) -> bool:
    return any(secret in text for secret in _secrets)


def scrub(record: logging.LogRecord) -> logging.LogRecord:
    """Redact one record in place: message with its args, and the traceback text."""
    if not _secrets:
        return record
    try:
        message = record.getMessage()
    except Exception:  # a malformed record: leave it for logging to report
        return record
    if _contains_secret(message):
        record.msg, record.args = redact(message), None
    if record.exc_info and record.exc_info[1] is not None:
        text = _formatter.formatException(record.exc_info)
        if _contains_secret(text):
            record.exc_text = redact(text)
    if record.stack_info and _contains_secret(record.stack_info):
        record.stack_info = redact(record.stack_info)
    return record


def install() -> None:
    """Wrap the log-record factory once so every record is scrubbed at creation."""
    global _installed
    with _lock:
        if _installed:
            return
        previous = logging.getLogRecordFactory()

        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            return scrub(previous(*args, **kwargs))

        logging.setLogRecordFactory(factory)
        _installed = True


def protect(secrets: Iterable[str | None]) -> None:
    """Register ``secrets`` and make sure the redacting factory is installed."""
    add_secrets(secrets)
    install()
