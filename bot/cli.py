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
    return parser


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
    logging.basicConfig(level=settings.log_level,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    from bot import logrepeat

    logrepeat.install()  # a repeated error is summarised, not written thousands of times
    from bot.db.engine import upgrade_schema

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
