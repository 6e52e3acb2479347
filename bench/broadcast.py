"""Broadcast benchmark: one notice to 1,000 fake Telegram groups that enforce Telegram's flood
limits (≈30 messages/s overall, 20/min per group, ~1/s per chat), through the real bot (PTB
adapter, outbox, delivery worker, SQLite) on the real clock.

    python -m bench.broadcast [--chats 1000]

Prints the machine, then elapsed time / floor (floor = chats / 30 s), the number of 429
answers, lost and duplicated messages.  Goal: ratio ≤ 1.05, zero 429s, zero lost.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import platform
import sys
import tempfile
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.app import VillageBot  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.core.events import ChatRef, Platform  # noqa: E402
from bot.core.messenger import OutMessage  # noqa: E402
from bot.db import repo  # noqa: E402
from bot.db.models import Village  # noqa: E402
from bot.delivery.outbox import fan_out  # noqa: E402
from tests.fakes import FakeTelegram  # noqa: E402

TOKEN = "123456789:BENCH-token"
PACKAGES = ("python-telegram-bot", "httpx", "aiohttp", "sqlalchemy", "sqlmodel", "aiosqlite")
OVERALL_PER_SECOND = 30


def machine() -> list[str]:
    """Cores, OS, Python and the versions of the packages on the hot path."""
    lines = [f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} "
             f"{platform.release()}", f"python: {platform.python_version()}"]
    versions = []
    for name in PACKAGES:
        try:
            versions.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            versions.append(f"{name} ?")
    lines.append("packages: " + ", ".join(versions))
    return lines


async def run(chats: int, timeout: float) -> dict[str, float]:
    """Send one notice to ``chats`` groups; return the measurements."""
    ids = [str(-1005000000000 - i) for i in range(chats)]
    with tempfile.TemporaryDirectory() as tmp:
        async with FakeTelegram(token=TOKEN, enforce_limits=True) as tg:
            settings = Settings(  # type: ignore[call-arg]
                _env_file=None, telegram_bot_token=TOKEN, telegram_api_base_url=tg.url,
                database_url=f"sqlite+aiosqlite:///{tmp}/bench.db", web_port=0,
                web_chat="off", demo_data=False, media_dir=Path(tmp) / "media",
                poll_timeout=1, log_level="WARNING")
            bot = VillageBot(settings)
            await bot.start()
            try:
                services = bot.services
                async with services.db.session() as s:
                    village = Village(code="bench", name="Thôn Bench",
                                      created_at=services.clock.now())
                    s.add(village)
                    await s.flush()
                    rows = []
                    for cid in ids:
                        chat = await repo.upsert_chat(
                            s, ChatRef(Platform.TELEGRAM, cid, True, cid), services.clock.now())
                        chat.village_id = village.id
                        rows.append(chat)
                before = {k: v for k, v in tg.stats.items()}
                start = time.perf_counter()
                tg_start = tg.clock()
                async with services.db.session() as s:
                    await fan_out(s, services, rows, lambda c: OutMessage(
                        text="Thông báo: ngày mai 7h tổng vệ sinh đường làng.", title="📢"),
                        kind="bench")
                done = 0
                async with asyncio.timeout(timeout):
                    while done < chats:
                        await asyncio.sleep(0.01)
                        done = len({str(m["chat"]["id"]) for m in tg.sent})
                elapsed = time.perf_counter() - start
                await asyncio.sleep(1.0)  # anything sent twice shows up now
            except TimeoutError:
                elapsed = float("nan")
            finally:
                await bot.stop()
            received = [len(tg.sent_messages(int(c))) for c in ids]
            calls = tg.calls_to("sendMessage")
            first = calls[0].at - tg_start if calls else float("nan")
            span = calls[-1].at - calls[0].at if calls else float("nan")
            too_many = sum(v - before.get(k, 0) for k, v in tg.stats.items()
                           if k.startswith("429"))
            return {"chats": chats, "elapsed": elapsed, "floor": chats / OVERALL_PER_SECOND,
                    "429s": too_many, "lost": sum(1 for n in received if n == 0),
                    "duplicates": sum(max(0, n - 1) for n in received),
                    "first_send": first, "send_span": span}


def table(r: dict[str, float]) -> str:
    """The result as a Markdown table."""
    ratio = r["elapsed"] / r["floor"]
    return "\n".join([
        "| chats | elapsed (s) | floor (s) | elapsed / floor | 429s | lost | duplicates |",
        "|---:|---:|---:|---:|---:|---:|---:|",
        f"| {r['chats']} | {r['elapsed']:.2f} | {r['floor']:.2f} | {ratio:.3f} | "
        f"{r['429s']} | {r['lost']} | {r['duplicates']} |",
    ])


def main() -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=1000)
    parser.add_argument("--timeout", type=float, default=300.0)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    for line in machine():
        print(line)
    result = asyncio.run(run(args.chats, args.timeout))
    print(table(result))
    print(f"first send after {result['first_send']:.2f} s; first to last send "
          f"{result['send_span']:.2f} s")
    ok = (result["elapsed"] / result["floor"] <= 1.05 and not result["429s"]
          and not result["lost"])
    print("goal (ratio ≤ 1.05, zero 429s, zero lost):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
