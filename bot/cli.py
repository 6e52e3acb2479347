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
    return parser


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
    try:
        settings = _settings(args)
    except ConfigError as exc:
        print(Translator().t(None, "config-error", variable=exc.variable, reason=exc.reason),
              file=sys.stderr)
        return 2
    logging.basicConfig(level=settings.log_level,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
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
