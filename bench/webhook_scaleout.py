"""Webhook throughput with several bot processes behind a round-robin load balancer on
PostgreSQL: the same burst of Telegram updates through one process, then through three.

    python -m bench.webhook_scaleout --postgres postgresql+asyncpg://postgres@127.0.0.1/villagebot_bench
        [--updates 1000] [--concurrency 40] [--processes 1 3]

Each run: the benchmark database is emptied and seeded (one village, 20 linked groups, 40
residents), ``--processes`` real ``python -m bot run`` processes start in Telegram webhook mode
against one fake Bot API (``tests.fakes.FakeTelegram``, in this process), and a small aiohttp
round-robin proxy (this process too, like nginx in front of them) hands each POST to the next
process.  The burst posts ``--updates`` updates with at most ``--concurrency`` in flight
(Telegram's default ``max_connections`` is 40) and waits until every reply reached the fake
API.  Mix: ``/lich-hop`` in a group, ``/start`` and ``/hoi làm căn cước ở đâu`` in private
chats.  Prints updates/s per process count and the ratio to one process.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import platform
import socket
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from aiohttp import ClientSession, ClientTimeout, TCPConnector, web  # noqa: E402

from bench.reminders import machine, reset_pg  # noqa: E402
from bot.db.engine import Database  # noqa: E402
from bot.db.models import Chat, Village  # noqa: E402
from tests.fakes import FakeTelegram  # noqa: E402
from tests.procs import BotProcess  # noqa: E402

TOKEN = "123456789:BENCH-token"
SECRET = "bench-secret-123456"
GROUPS = [-1002000000000 - i for i in range(20)]
RESIDENTS = [5000 + i for i in range(40)]


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def seed(url: str) -> None:
    """Empty the database, migrate, one village with its groups."""
    await reset_pg(url)
    db = Database(url)
    await db.upgrade()
    now = datetime.now(UTC)
    try:
        async with db.session() as s:
            village = Village(code="bench", name="Thôn Bench", created_at=now)
            s.add(village)
            await s.flush()
            for i, gid in enumerate(GROUPS):
                s.add(Chat(platform="telegram", external_id=str(gid), is_group=True,
                           title=f"Nhóm {i}", village_id=village.id, created_at=now))
    finally:
        await db.close()


class RoundRobin:
    """The load balancer: each request to the next backend, body and headers passed on."""

    def __init__(self, ports: list[int]) -> None:
        self.backends = itertools.cycle([f"http://127.0.0.1:{p}" for p in ports])
        self.session: ClientSession | None = None
        self.runner: web.AppRunner | None = None

    async def handle(self, request: web.Request) -> web.Response:
        assert self.session is not None
        headers = {k: v for k, v in request.headers.items()
                   if k.lower() in ("content-type", "x-telegram-bot-api-secret-token")}
        async with self.session.post(f"{next(self.backends)}{request.path}",
                                     data=await request.read(), headers=headers) as resp:
            return web.Response(status=resp.status, body=await resp.read())

    async def start(self, port: int) -> None:
        self.session = ClientSession(connector=TCPConnector(limit=0),
                                     timeout=ClientTimeout(total=60))
        app = web.Application()
        app.router.add_post("/webhook/telegram", self.handle)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", port).start()

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()
        if self.session is not None:
            await self.session.close()


def updates(tg: FakeTelegram, n: int) -> list[dict[str, object]]:
    """``n`` updates of the mix."""
    out = []
    for i in range(n):
        kind = i % 3
        if kind == 0:
            out.append(tg.make_message_update(GROUPS[i % len(GROUPS)],
                                              RESIDENTS[i % len(RESIDENTS)], "/lich-hop"))
        else:
            user = RESIDENTS[i % len(RESIDENTS)]
            text = "/start" if kind == 1 else "/hoi làm căn cước ở đâu"
            out.append(tg.make_message_update(user, user, text))
    return out


async def burst(tg: FakeTelegram, url: str, batch: list[dict[str, object]],
                concurrency: int, timeout: float) -> float:
    """Post ``batch`` with ``concurrency`` in flight; seconds until every reply arrived."""
    before = len(tg.calls_to("sendMessage"))
    gate = asyncio.Semaphore(concurrency)

    async def post(update: dict[str, object]) -> None:
        async with gate:
            status = await tg.post_webhook(url, update, secret=SECRET)
            if status != 200:
                raise RuntimeError(f"webhook answered {status}")

    start = time.perf_counter()
    await asyncio.gather(*(post(u) for u in batch))
    async with asyncio.timeout(timeout):
        while len(tg.calls_to("sendMessage")) - before < len(batch):  # noqa: ASYNC110
            await asyncio.sleep(0.01)
    return time.perf_counter() - start


async def run(pg_url: str, processes: int, n: int, concurrency: int, workdir: Path,
              ) -> float:
    """One cluster of ``processes``; updates/s of the burst."""
    await seed(pg_url)
    tg = await FakeTelegram(token=TOKEN, bot_username="BenchBot").start()
    ports = [free_port() for _ in range(processes)]
    procs = [BotProcess(workdir / f"p{processes}-{i}", {
        "DATABASE_URL": pg_url, "WEB_PORT": str(port), "WEB_CHAT": "off",
        "PUBLIC_BASE_URL": "https://bot.example.org", "LOG_LEVEL": "WARNING",
        "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": tg.url,
        "TELEGRAM_MODE": "webhook", "TELEGRAM_WEBHOOK_SECRET": SECRET,
    }) for i, port in enumerate(ports)]
    lb = RoundRobin(ports)
    lb_port = free_port()
    try:
        await asyncio.gather(*(p.start() for p in procs))
        await asyncio.gather(*(wait_listening(port) for port in ports))
        await lb.start(lb_port)
        url = f"http://127.0.0.1:{lb_port}/webhook/telegram"
        await burst(tg, url, updates(tg, 150), concurrency, 120)  # warm-up: caches, pools
        seconds = await burst(tg, url, updates(tg, n), concurrency, 300)
        return n / seconds
    finally:
        await lb.stop()
        for proc in procs:
            await proc.stop(timeout=10)
        await tg.stop()


async def wait_listening(port: int, timeout: float = 60) -> None:
    """Until the process answers /healthz."""
    async with asyncio.timeout(timeout), ClientSession() as http:
        while True:
            try:
                async with http.get(f"http://127.0.0.1:{port}/healthz") as resp:
                    if resp.status == 200:
                        return
            except OSError:
                pass
            await asyncio.sleep(0.1)


def main() -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", required=True, metavar="URL",
                        help="a PostgreSQL database of its own (it is emptied first)")
    parser.add_argument("--updates", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=40)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 3])
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    pg_version = "PostgreSQL"
    print(f"machine: {machine(pg_version)}; {platform.machine()}")
    results: dict[int, list[float]] = {p: [] for p in args.processes}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.rounds):
            for processes in args.processes:
                rate = asyncio.run(run(args.postgres, processes, args.updates,
                                       args.concurrency, Path(tmp)))
                results[processes].append(rate)
                print(f"{processes} process(es): {rate:.0f} updates/s "
                      f"(load average {os.getloadavg()[0]:.2f})")
    base = statistics.median(results[args.processes[0]])
    print()
    print("| processes | burst updates/s (median) | ratio to first |")
    print("|---:|---:|---:|")
    for processes, rates in results.items():
        rate = statistics.median(rates)
        print(f"| {processes} | {rate:.0f} | {rate / base:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
