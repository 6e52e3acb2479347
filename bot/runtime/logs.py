"""Log set-up for ``villagebot run``: quiet libraries, local times with zone, optional JSON."""

from __future__ import annotations

import json
import logging
from datetime import datetime
from zoneinfo import ZoneInfo

# Libraries that talk too much at INFO: APScheduler logs every job it adds and runs (one line a
# minute and more), Alembic one line per plugin at every start.
QUIET = {"apscheduler": logging.WARNING, "alembic.runtime.plugins": logging.WARNING,
         "httpx": logging.WARNING, "httpcore": logging.WARNING}


class _AlembicChatter(logging.Filter):
    """Keeps Alembic's "Running upgrade" lines, drops its per-start preamble below DEBUG."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(("Context impl", "Will assume"))


class LocalTimeFormatter(logging.Formatter):
    """``2026-12-02 11:44:37 +07 INFO bot.app: …`` — the village's time, with its offset."""

    def __init__(self, zone: ZoneInfo) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")
        self.zone = zone

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        moment = datetime.fromtimestamp(record.created, self.zone)
        return moment.strftime("%Y-%m-%d %H:%M:%S %z")[:-2]  # +0700 → +07


class JsonFormatter(logging.Formatter):
    """One JSON object per line (for log shippers): UTC time, level, logger, message."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created).astimezone().isoformat(
                timespec="milliseconds"),
            "level": record.levelname, "logger": record.name, "msg": record.getMessage()}
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure(level: str, fmt: str = "console", timezone: str = "Asia/Ho_Chi_Minh") -> None:
    """Install one stderr handler on the root logger and quiet the chatty libraries."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if fmt == "json" else LocalTimeFormatter(
        ZoneInfo(timezone)))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    if level != "DEBUG":
        for name, quiet in QUIET.items():
            logging.getLogger(name).setLevel(quiet)
        handler.addFilter(_AlembicChatter())
