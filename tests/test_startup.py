"""Start-up stays light: libraries only some features need are imported on first use, and a
current schema is recognised without Alembic (bench/startup.py measures the time)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic.script import ScriptDirectory

from bot.db.engine import Database, alembic_config, script_heads
from bot.i18n import Translator

ROOT = Path(__file__).resolve().parent.parent

# imported by a handler, the outbox or /metrics when they first need them, never at start
LAZY = ("alembic", "prometheus_client", "icalendar", "dateparser", "PIL", "segno", "openpyxl",
        "babel", "fluent", "telegram", "zalo_bot", "mako")

_START = """
import asyncio, sys
from pathlib import Path
from bot.app import VillageBot
from bot.config import Settings

tmp = Path(sys.argv[1])

async def main():
    settings = Settings(_env_file=None, database_url=f"sqlite+aiosqlite:///{tmp}/a.db",
                        web_chat_database_url=f"sqlite+aiosqlite:///{tmp}/w.db",
                        media_dir=tmp / "media", web_port=0, log_level="WARNING")
    bot = VillageBot(settings)
    await bot.start()
    await bot.stop()

asyncio.run(main())
print(" ".join(sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[2:]))))
"""


def test_start_imports_no_lazy_library(tmp_path: Path) -> None:
    """A web-chat start on a current SQLite schema imports none of LAZY (a fresh interpreter:
    this test process has imported them all)."""
    def start() -> list[str]:
        out = subprocess.run([sys.executable, "-c", _START, str(tmp_path), *LAZY], cwd=ROOT,
                             capture_output=True, text=True, timeout=60, check=True)
        return out.stdout.split()

    assert "alembic" in start()  # the first start creates the schema
    assert start() == []  # the next ones find it current


def test_script_heads_match_alembic() -> None:
    heads = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    assert script_heads() == frozenset(heads)


async def test_schema_current_only_at_the_heads(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path}/x.db")
    try:
        assert not await db.schema_current()  # nothing there yet
        await db.upgrade()
        assert await db.schema_current()
        async with db.engine.begin() as conn:
            await conn.exec_driver_sql("update alembic_version set version_num = '0001'")
        assert not await db.schema_current()  # an old schema: upgrade() runs Alembic
    finally:
        await db.close()


def test_translations_load_from_the_cache_like_parsed(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    from bot import i18n

    monkeypatch.setattr(i18n, "_LOADED", {})
    first = Translator().t("vi", "outbox-report", sent=2, total=3)
    assert list((tmp_path / "villagebot").glob("ftl-vi-*.pickle"))
    monkeypatch.setattr(i18n, "_LOADED", {})
    assert Translator().t("vi", "outbox-report", sent=2, total=3) == first
    assert Translator().t("en", "outbox-report", sent=2, total=3) != first
