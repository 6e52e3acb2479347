"""Command line: ``villagebot run`` (also ``python -m bot run``)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from bot.config import ConfigError, Settings, load_settings
from bot.i18n import Translator


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="villagebot",
        description="Village-group bot for Telegram, Zalo and a local web chat. "
                    "Settings come from the environment and .env (see .env.example).")
    sub = parser.add_subparsers(dest="command")
    run = sub.add_parser("run", help="run the bot (local web chat when no token is set)")
    run.add_argument("--host", help="web server address (WEB_HOST, default 127.0.0.1)")
    run.add_argument("--port", type=int, help="web server port (WEB_PORT, default 8080)")
    run.add_argument("--web-chat", choices=["auto", "on", "off"],
                     help="local web chat simulator (WEB_CHAT, default auto: on without tokens)")
    run.add_argument("--allow-remote-web-chat", action="store_true",
                     help="allow the simulator on a non-loopback address (it trusts everyone)")
    sub.add_parser("migrate", help="upgrade the database schema and exit")
    copy = sub.add_parser(
        "copy-data", help="copy every table to another database (e.g. SQLite → PostgreSQL)")
    copy.add_argument("--from", dest="source", required=True, metavar="URL",
                      help="source database, e.g. sqlite+aiosqlite:///./data/villagebot.db")
    copy.add_argument("--to", dest="target", required=True, metavar="URL",
                      help="target database, e.g. postgresql+asyncpg://user@host/villagebot")
    copy.add_argument("--force", action="store_true",
                      help="empty a target that already holds data, then copy")
    bak = sub.add_parser("backup", help="write the SQLite database and media to one file "
                                         "(safe while the bot runs)")
    bak.add_argument("file", help="the backup file to write, e.g. backup-2026-12-02.tar")
    res = sub.add_parser("restore", help="put a backup in place (the bot must be stopped)")
    res.add_argument("file", help="a file written by villagebot backup")
    res.add_argument("--force", action="store_true",
                     help="replace an existing database (kept as <file>.before-restore)")
    return parser


def _backup_restore(args: argparse.Namespace, settings: Settings) -> int:
    """``villagebot backup`` / ``villagebot restore``: print what was written."""
    from pathlib import Path

    from bot.runtime.backup import BackupError, backup, restore

    i18n = Translator(default=settings.default_locale)
    try:
        if args.command == "backup":
            result = backup(settings.database_url, settings.media_dir, Path(args.file))
        else:
            result = restore(Path(args.file), settings.database_url, settings.media_dir,
                             force=args.force)
    except BackupError as exc:
        print(i18n.t(None, f"backup-error-{exc.code}", detail=exc.detail), file=sys.stderr)
        return 1
    key = "backup-done" if args.command == "backup" else "restore-done"
    print(i18n.t(None, key, bytes=result.database_bytes, media=result.media_files,
                 path=str(result.path)))
    return 0


def _copy_data(args: argparse.Namespace) -> int:
    """``villagebot copy-data``: upgrade both schemas, copy, print rows per table."""
    from sqlalchemy.engine import make_url

    from bot.runtime.copydata import CopyError, copy_data

    i18n = Translator()
    try:
        result = asyncio.run(copy_data(args.source, args.target, force=args.force))
    except CopyError as exc:
        print(i18n.t(None, f"copydata-error-{exc.code}", table=exc.table, detail=exc.detail),
              file=sys.stderr)
        return 1
    for table, rows in result.rows.items():
        print(i18n.t(None, "copydata-table", table=table, rows=rows))
    target = make_url(args.target).render_as_string(hide_password=True)
    print(i18n.t(None, "copydata-done", total=result.total, tables=len(result.rows),
                 target=target))
    return 0


def _settings(args: argparse.Namespace) -> Settings:
    overrides: dict[str, object] = {}
    if getattr(args, "host", None):
        overrides["web_host"] = args.host
    if getattr(args, "port", None) is not None:
        overrides["web_port"] = args.port
    if getattr(args, "web_chat", None):
        overrides["web_chat"] = args.web_chat
    if getattr(args, "allow_remote_web_chat", False):
        overrides["web_chat_allow_remote"] = True
    return load_settings(**overrides)


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    args = _parser().parse_args(argv)
    if args.command is None:
        _parser().print_help()
        return 0
    if args.command == "copy-data":
        logging.basicConfig(level=logging.WARNING)
        return _copy_data(args)
    try:
        settings = _settings(args)
    except ConfigError as exc:
        print(Translator().t(None, "config-error", variable=exc.variable, reason=exc.reason),
              file=sys.stderr)
        return 2
    from bot import logrepeat
    from bot.runtime.logs import configure

    configure(settings.log_level, settings.log_format, settings.timezone)
    logrepeat.install()  # a repeated error is summarised, not written thousands of times
    from bot.db.engine import upgrade_schema

    if args.command in ("backup", "restore"):
        return _backup_restore(args, settings)
    if args.command == "migrate":
        upgrade_schema(settings.database_url)
        return 0
    from bot.app import VillageBot

    try:
        asyncio.run(VillageBot(settings).run_forever())
    except ConfigError as exc:
        print(Translator().t(None, "config-error", variable=exc.variable, reason=exc.reason),
              file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        pass
    return 0
