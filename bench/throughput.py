"""Pipeline throughput and reply latency: our bot on PTB vs a bare PTB echo bot.

Run from the repository root::

    python bench/throughput.py                  # default: 2000 updates burst, 100 upd/s paced
    python bench/throughput.py --updates 5000 --rate 100 --seconds 20
    python bench/throughput.py --profile prof.html   # pyinstrument (bench-only tool)

The fake Telegram Bot API (``tests/fakes.FakeTelegram``) runs in a separate process that is
also the "world": it injects updates (recording when) and records when each ``sendMessage``
arrives, on the system-wide monotonic clock.  The bot under test runs in this process with PTB
in polling mode, exactly as in production (SQLite file database, migrations, every feature).

Two workloads per bot: a *burst* (N updates queued at once: throughput in updates/s) and an
*open loop* (updates injected at a fixed rate: reply latency p50/p99 at that rate).  The same
mixed stream (``/lich-hop`` in a group, ``/hoi …`` or ``/toi`` in private, ``/start`` in
private, plain text in private) goes to both bots.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import multiprocessing as mp
import os
import platform
import statistics
import sys
import tempfile
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from importlib import metadata
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TOKEN = "123456789:BENCH-token_fake"
GROUP = -1001000000001  # "group1" of tests/harness.py, linked to village thanhbinh
RESIDENT = 1003
DM_USERS = range(5000, 5040)  # 40 residents writing to the bot in private
PACKAGES = ("python-telegram-bot", "aiogram", "httpx", "SQLAlchemy", "sqlmodel", "aiosqlite",
            "aiohttp", "orjson", "uvloop", "pyinstrument")

# One update as the world injects it: chat id, sender id, text, chat type, replies expected.
Spec = tuple[int, int, str, str, int]


# ===================================================================== the world (subprocess)
def world_process(conn: Connection) -> None:
    """Entry point of the fake-API process."""
    asyncio.run(_world(conn))


async def _world(conn: Connection) -> None:
    from tests.fakes import FakeTelegram

    tg = await FakeTelegram(token=TOKEN, bot_username="ThisBot").start()
    loop = asyncio.get_running_loop()
    conn.send(tg.url)
    injected: list[tuple[int, float, int]] = []  # chat, time, expected replies
    hook: dict[str, str] = {}  # webhook mode: {"url": …, "secret": …}; polling: empty
    posts: set[asyncio.Task[int]] = set()
    # Telegram keeps at most max_connections (default 40) webhook requests open per bot
    window = asyncio.Semaphore(40)

    async def post(update: dict[str, Any]) -> int:
        async with window:
            return await tg.post_webhook(hook["url"], update, secret=hook["secret"])

    def inject(spec: Spec) -> None:
        chat, user, text, chat_type, expect = spec
        kwargs: dict[str, Any] = {"chat_type": chat_type, "first_name": f"U{user}",
                                  "username": f"u{user}"}
        if chat_type != "private":
            kwargs["chat_title"] = "Nhóm thôn Thanh Bình"
        update = tg.make_message_update(chat, user, text, **kwargs)
        injected.append((chat, time.monotonic(), expect))
        if hook:
            task = asyncio.create_task(post(update))
            posts.add(task)
            task.add_done_callback(posts.discard)
        else:
            tg.inject(update)

    while True:
        cmd, arg = await loop.run_in_executor(None, conn.recv)
        if cmd == "stop":
            break
        if cmd == "webhook":
            hook.clear()
            hook.update(arg or {})
            conn.send(True)
        if cmd == "burst":
            start = time.monotonic()
            for spec in arg:
                inject(spec)
            conn.send(start)
        elif cmd == "paced":
            specs, rate = arg
            start = time.monotonic()
            for index, spec in enumerate(specs):
                delay = start + index / rate - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
                inject(spec)
            conn.send(start)
        elif cmd == "collect":
            if posts:
                await asyncio.gather(*posts, return_exceptions=True)
            sends = [(int(c.chat_id), c.at) for c in tg.calls_to("sendMessage") if c.ok]
            conn.send((list(injected), sends))
            injected.clear()
            tg.reset_calls()
    await tg.stop()
    conn.send("stopped")


class World:
    """Handle on the fake-API process."""

    def __init__(self) -> None:
        ctx = mp.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=world_process, args=(child,), daemon=True)
        self.proc.start()
        self.url: str = self.conn.recv()

    async def ask(self, cmd: str, arg: object = None) -> Any:
        """Send a command and wait for its answer without blocking the bot's loop."""
        self.conn.send((cmd, arg))
        return await asyncio.get_running_loop().run_in_executor(None, self.conn.recv)

    async def close(self) -> None:
        """Stop the process."""
        await self.ask("stop")
        self.proc.join(5)


# ===================================================================== bots under test
WEBHOOK_SECRET = "bench-webhook-secret"


@dataclass
class Runner:
    """A started bot: how many updates it has handled, and how to stop it."""

    name: str
    handled: Callable[[], int]
    wait: Callable[[int, float], Awaitable[None]]  # until that many are handled (no polling)
    stop: Callable[[], Awaitable[None]]
    hoi: bool = False
    webhook: str | None = None  # webhook mode: the URL the world posts updates to


def counter() -> tuple[Callable[[], None], Callable[[], int],
                       Callable[[int, float], Awaitable[None]]]:
    """(tick, count, wait): an event-driven handled-updates counter for the echo bots."""
    count = [0]
    progress = [asyncio.Event()]

    def tick() -> None:
        count[0] += 1
        progress[0].set()
        progress[0] = asyncio.Event()

    async def wait(target: int, timeout: float) -> None:
        async with asyncio.timeout(timeout):
            while count[0] < target:
                await progress[0].wait()

    return tick, lambda: count[0], wait


async def listen(app: Any) -> tuple[str, Callable[[], Awaitable[None]]]:
    """Serve an aiohttp ``app`` on a free local port: (base URL, cleanup)."""
    from aiohttp import web

    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return f"http://127.0.0.1:{port}", runner.cleanup


async def seed_meetings(bot: Any, count: int = 3) -> None:
    """A few upcoming meetings in village thanhbinh, so /lich-hop renders a real list."""
    from datetime import timedelta

    from sqlmodel import select

    from bot.db.models import Village
    from handlers.meetings.models import Meeting

    now = bot.services.clock.now()
    async with bot.services.db.session() as session:
        village = (await session.exec(select(Village).where(Village.code == "thanhbinh"))).one()
        for n in range(1, count + 1):
            session.add(Meeting(village_id=village.id or 0, number=n,
                                starts_at=(now + timedelta(days=n * 3)).replace(
                                    hour=19, minute=30, second=0, microsecond=0),
                                place="Nhà văn hóa thôn", topic=f"Họp thôn tháng {n}",
                                created_at=now, updated_at=now))


async def start_village(url: str, workdir: Path, db_url: str, webhook: bool) -> Runner:
    """Our whole bot (migrations, seed data of the test world, every feature)."""
    from bot.app import VillageBot
    from bot.clock import SystemClock
    from bot.config import Settings
    from tests.harness import seed

    extra: dict[str, Any] = {}
    if webhook:
        extra = {"telegram_mode": "webhook", "telegram_webhook_secret": WEBHOOK_SECRET,
                 "public_base_url": "https://bench.example.org"}
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, database_url=db_url,
        media_dir=workdir / "media", web_host="127.0.0.1", web_port=0, poll_timeout=10,
        villagebot_admins="telegram:1001", web_chat="off", demo_data=False,
        telegram_bot_token=TOKEN, telegram_api_base_url=url, zalo_bot_token=None, **extra)
    bot = VillageBot(settings, clock=SystemClock())
    await bot.db.upgrade()
    await seed(bot, "telegram")
    await seed_meetings(bot)
    await bot.start()
    gc.freeze()  # as VillageBot.run_forever does in production
    hook = f"http://127.0.0.1:{bot.web.port}/webhook/telegram" if webhook else None
    return Runner("villagebot", lambda: bot.pipeline.handled, bot.pipeline.wait_handled, bot.stop,
                  hoi=bot.pipeline.table.get("hoi") is not None, webhook=hook)


async def start_echo(url: str, transport: str = "httpx", webhook: bool = False) -> Runner:
    """The PTB floor: PTB Application + one MessageHandler that echoes the text.

    ``transport`` "httpx" is PTB's default; "aiohttp" gives the echo bot the same HTTP
    transport as our adapter.  Webhook mode: an aiohttp route that ``Update.de_json``s the body
    into PTB's update queue (what PTB's own webhook server does, without tornado).
    """
    from telegram import Update
    from telegram.ext import Application, ContextTypes, MessageHandler, filters

    tick, count, wait = counter()

    async def echo(update: Update, _ctx: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        await update.message.reply_text(update.message.text or "")
        tick()

    builder = (Application.builder().token(TOKEN).base_url(f"{url}/bot")
               .base_file_url(f"{url}/file/bot"))
    if transport == "aiohttp":
        from bot.adapters.telegram_http import AiohttpRequest

        builder = builder.request(AiohttpRequest()).get_updates_request(AiohttpRequest())
    if webhook:
        builder = builder.updater(None)
    app = builder.build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    await app.initialize()
    await app.start()
    hook = None
    cleanup: Callable[[], Awaitable[None]] | None = None
    if webhook:
        from aiohttp import web

        async def receive(request: web.Request) -> web.Response:
            await app.update_queue.put(Update.de_json(await request.json(), app.bot))
            return web.Response()

        web_app = web.Application()
        web_app.router.add_post("/webhook", receive)
        base, cleanup = await listen(web_app)
        hook = f"{base}/webhook"
    else:
        assert app.updater is not None
        await app.updater.start_polling(timeout=10, poll_interval=0.0)

    async def stop() -> None:
        if cleanup is not None:
            await cleanup()
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        await app.stop()
        await app.shutdown()

    name = "PTB echo" if transport == "httpx" else "PTB echo, aiohttp"
    return Runner(name, count, wait, stop, webhook=hook)


async def start_aiogram(url: str, webhook: bool = False) -> Runner:
    """The bare aiogram 3 echo bot (the issue's yardstick): one handler, ``message.answer``.

    Polling: ``Dispatcher.start_polling`` (each update handled as a task, aiogram's default).
    Webhook: aiogram's ``SimpleRequestHandler`` (answers at once, handles in the background).
    aiogram is a bench-only dependency (``pip install -e '.[bench]'``).
    """
    from aiogram import Bot, Dispatcher
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer
    from aiogram.types import Message

    tick, count, wait = counter()
    session = AiohttpSession(api=TelegramAPIServer.from_base(url))
    bot = Bot(TOKEN, session=session)
    dp = Dispatcher()

    @dp.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "")
        tick()

    hook = None
    cleanup: Callable[[], Awaitable[None]] | None = None
    polling: asyncio.Task[None] | None = None
    if webhook:
        from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
        from aiohttp import web

        web_app = web.Application()
        SimpleRequestHandler(dispatcher=dp, bot=bot).register(web_app, path="/webhook")
        setup_application(web_app, dp, bot=bot)
        base, cleanup = await listen(web_app)
        hook = f"{base}/webhook"
    else:
        polling = asyncio.create_task(dp.start_polling(
            bot, polling_timeout=10, handle_signals=False, close_bot_session=False))

    async def stop() -> None:
        if polling is not None:
            await dp.stop_polling()
            await polling
        if cleanup is not None:
            await cleanup()
        await session.close()

    return Runner("aiogram echo", count, wait, stop, webhook=hook)

# ===================================================================== workload
PLAIN = "cảm ơn cán bộ thôn nhé"  # --plain replaces it (e.g. a question without a command)


STREAMS = {"mixed": ["lich", "ask", "start", "plain"], "lich-hop": ["lich"]}
STREAM = "mixed"  # --stream


def mix(count: int, *, hoi: bool, replies: dict[str, int], seed: int = 0) -> list[Spec]:
    """The update stream: the same for every bot (``replies`` says what each kind gets).

    "mixed": /lich-hop in the group (one resident), /hoi or /toi, /start and a plain sentence
    in private chats (40 residents).  "lich-hop": only /lich-hop in the village group, from the
    40 residents in turn.
    """
    kinds = STREAMS[STREAM]
    texts = {"lich": "/lich-hop", "ask": "/hoi làm căn cước ở đâu" if hoi else "/toi",
             "start": "/start", "plain": PLAIN}
    out: list[Spec] = []
    for i in range(count):
        kind = kinds[(i + seed) % len(kinds)]
        user = DM_USERS[(i * 7 + seed) % len(DM_USERS)]
        if kind == "lich":
            sender = user if STREAM == "lich-hop" else RESIDENT
            out.append((GROUP, sender, texts[kind], "supergroup", replies[kind]))
        else:
            out.append((user, user, texts[kind], "private", replies[kind]))
    return out


async def wait_handled(runner: Runner, target: int, timeout: float = 120.0) -> float:
    """Wait until ``target`` updates are handled; return the monotonic time it happened.

    Event-driven on both bots (a polling loop would cost CPU in proportion to wall time).
    """
    try:
        await runner.wait(target, timeout)
    except TimeoutError:
        raise TimeoutError(f"{runner.name}: {runner.handled()}/{target} handled") from None
    return time.monotonic()


def latencies(injected: list[tuple[int, float, int]],
              sends: list[tuple[int, float]]) -> list[float]:
    """Match each chat's replies to its updates in order; ms from inject to the last reply."""
    arrivals: dict[int, deque[float]] = defaultdict(deque)
    for chat, at in sends:
        arrivals[chat].append(at)
    out: list[float] = []
    for chat, at, expect in injected:
        queue = arrivals[chat]
        last = None
        for _ in range(expect):
            if queue:
                last = queue.popleft()
        if expect and last is not None:
            out.append((last - at) * 1000)
    return out


def pct(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) of ``values``."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


@dataclass
class Result:
    """One bot's numbers."""

    name: str
    burst_rate: float
    burst_p50: float
    burst_p99: float
    paced_rate: float
    paced_p50: float
    paced_p99: float
    paced_max: float
    cpu_ms: float  # CPU time of the bot per update during the burst (all its threads)


async def probe_replies(world: World, runner: Runner) -> dict[str, int]:
    """How many messages each kind of update gets from this bot (sent one by one)."""
    replies: dict[str, int] = {}
    kinds = STREAMS[STREAM]
    for kind, spec in zip(kinds, mix(len(kinds), hoi=runner.hoi, replies=defaultdict(int)),
                          strict=True):
        before = runner.handled()
        await world.ask("burst", [spec])
        await wait_handled(runner, before + 1)
        await asyncio.sleep(0.05)
        _injected, sends = await world.ask("collect")
        replies[kind] = len(sends)
    return replies


async def measure(runner: Runner, world: World, args: argparse.Namespace,
                  profile: Path | None = None) -> Result:
    """Probe, warm up, burst, then the open loop."""
    await world.ask("webhook", {"url": runner.webhook, "secret": WEBHOOK_SECRET}
                    if runner.webhook else None)
    replies = await probe_replies(world, runner)
    warm = mix(args.warmup, hoi=runner.hoi, replies=replies, seed=1)
    base = runner.handled()
    await world.ask("burst", warm)
    await wait_handled(runner, base + len(warm))
    await world.ask("collect")

    profiler = None
    if profile is not None:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005, async_mode="disabled")
        profiler.start()
    burst = mix(args.updates, hoi=runner.hoi, replies=replies, seed=2)
    base = runner.handled()
    cpu = time.process_time()  # this process = the bot (every thread); the world is separate
    start = await world.ask("burst", burst)
    end = await wait_handled(runner, base + len(burst))
    cpu_ms = (time.process_time() - cpu) / len(burst) * 1000
    if profiler is not None:
        profiler.stop()
        assert profile is not None
        await asyncio.to_thread(profile.write_text, profiler.output_html())
        print(profiler.output_text(unicode=True, color=False, show_all=False)[:6000])
    await asyncio.sleep(0.05)
    burst_lat = latencies(*await world.ask("collect"))
    burst_rate = len(burst) / (end - start)

    paced = mix(int(args.rate * args.seconds), hoi=runner.hoi, replies=replies, seed=3)
    base = runner.handled()
    start = await world.ask("paced", (paced, args.rate))
    end = await wait_handled(runner, base + len(paced))
    await asyncio.sleep(0.05)
    paced_lat = latencies(*await world.ask("collect"))
    return Result(runner.name, burst_rate, pct(burst_lat, 50), pct(burst_lat, 99),
                  len(paced) / (end - start), pct(paced_lat, 50), pct(paced_lat, 99),
                  max(paced_lat, default=float("nan")), cpu_ms)


# ===================================================================== report
def cpu_times() -> list[int]:
    """The aggregate line of /proc/stat (user … steal), or [] where there is none."""
    try:
        return [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return []


def steal_share(before: list[int], after: list[int]) -> float:
    """Share of CPU time the hypervisor gave to other guests between two readings."""
    if len(before) < 8 or len(after) < 8:
        return 0.0
    total = sum(after[:8]) - sum(before[:8])
    return (after[7] - before[7]) / total if total > 0 else 0.0


def machine() -> list[str]:
    """Cores, CPU model, Python and package versions."""
    model = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = []
    for name in PACKAGES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} -")
    return [f"machine: {os.cpu_count()} cores, {model}, {platform.system()} {platform.release()}",
            f"python: {platform.python_implementation()} {platform.python_version()}",
            "packages: " + ", ".join(versions)]


def table(results: list[Result], args: argparse.Namespace) -> list[str]:
    """The results as a Markdown table plus the ratios and the goal check.

    ``results[0]`` is villagebot; the goal is stated against the aiogram echo bot.
    """
    lines = [f"| bot | burst {args.updates} upd/s | CPU ms/update | burst p50 ms | burst p99 ms "
             f"| open loop {args.rate:g}/s: achieved | p50 ms | p99 ms | max ms |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        lines.append(f"| {r.name} | {r.burst_rate:.0f} | {r.cpu_ms:.2f} | {r.burst_p50:.1f} "
                     f"| {r.burst_p99:.1f} | {r.paced_rate:.1f} | {r.paced_p50:.1f} "
                     f"| {r.paced_p99:.1f} | {r.paced_max:.1f} |")
    ours, others = results[0], results[1:]
    if ours.name != "villagebot":
        return lines
    lines.append("")
    for other in others:
        ratio = ours.burst_rate / other.burst_rate
        line = (f"throughput ratio villagebot / {other.name}: {ratio:.2f}; CPU per update "
                f"{other.name} / villagebot: {other.cpu_ms / ours.cpu_ms:.2f}")
        if other.name == "aiogram echo":
            ok = ratio >= 1.0 and ours.paced_p99 < 10
            line += (f" (goal ratio ≥ 1.00 and p99 at {args.rate:g}/s < 10 ms: "
                     f"{ours.paced_p99:.1f} ms → {'MET' if ok else 'NOT MET'})")
        lines.append(line)
    return lines


def median_result(runs: list[Result]) -> Result:
    """Per-metric median over rounds (the machine may be shared; rounds alternate bots)."""
    fields = ("burst_rate", "burst_p50", "burst_p99", "paced_rate", "paced_p50", "paced_p99",
              "paced_max", "cpu_ms")
    return Result(runs[0].name, *(statistics.median(getattr(r, f) for r in runs)
                                  for f in fields))


async def start_bot(which: str, url: str, workdir: Path, args: argparse.Namespace,
                    db_url: str) -> Runner:
    """Start one of the bots under test against the fake API at ``url``."""
    webhook = args.mode == "webhook"
    if which == "village":
        return await start_village(url, workdir, db_url, webhook)
    if which == "aiogram":
        return await start_aiogram(url, webhook)
    return await start_echo(url, "aiohttp" if which == "echo-aiohttp" else "httpx", webhook)


async def run(args: argparse.Namespace) -> None:
    """Every bot, alternating for ``--rounds`` rounds, each against a fresh fake API process."""
    bots = ["village", "aiogram", "echo"]
    if args.no_aiogram:
        bots.remove("aiogram")
    if args.echo_aiohttp:
        bots.append("echo-aiohttp")
    if args.bots:
        bots = args.bots.split(",")
    runs: dict[str, list[Result]] = {which: [] for which in bots}
    steals: list[float] = []
    with tempfile.TemporaryDirectory(prefix="villagebench-") as tmp:
        logging.basicConfig(level=logging.INFO, filename=str(Path(tmp) / "bot.log"),
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        logging.getLogger("httpx").setLevel(logging.WARNING)
        for round_no in range(args.rounds):
            for which in bots:
                world = World()
                workdir = Path(tmp) / f"{which}{round_no}"
                workdir.mkdir()
                db_url = f"sqlite+aiosqlite:///{workdir / 'bench.db'}"
                if which == "village" and args.db == "postgres":
                    from tests.pg import create_database

                    db_url = await create_database(args.postgres_url, prefix="vbbench")
                runner = await start_bot(which, world.url, workdir, args, db_url)
                before = cpu_times()
                try:
                    profile = args.profile if which == "village" and round_no == 0 else None
                    result = await measure(runner, world, args, profile)
                finally:
                    await runner.stop()
                    await world.close()
                    if which == "village" and args.db == "postgres":
                        from tests.pg import drop_database

                        await drop_database(db_url, args.postgres_url)
                runs[which].append(result)
                stolen = steal_share(before, cpu_times())
                steals.append(stolen)
                print(f"round {round_no + 1}: {result.name}: {result.burst_rate:.0f} upd/s, "
                      f"{result.cpu_ms:.2f} CPU ms/update, "
                      f"p99 at {args.rate:g}/s {result.paced_p99:.1f} ms, "
                      f"CPU stolen by the host {stolen:.0%}", file=sys.stderr)
    results = [median_result(runs[which]) for which in bots]
    header = [*machine(), f"load average (1/5/15 min) before: {args.load}, after: "
              f"{tuple(round(x, 2) for x in os.getloadavg())}; CPU stolen by the host "
              f"(virtual machine) per bot run: {', '.join(f'{x:.0%}' for x in steals)}",
              f"workload: stream {STREAM!r}, {args.mode}, villagebot on {args.db}; "
              f"{args.updates} updates burst (after {args.warmup} warm-up), then "
              f"{args.rate:g}/s for {args.seconds:g}s"
              + (f"; plain text {PLAIN!r}" if STREAM == "mixed" else "")
              + f"; median of {args.rounds} alternating rounds", ""]
    for line in [*header, *table(results, args)]:
        print(line)


def main() -> None:
    """Parse arguments and run."""
    global PLAIN, STREAM
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--updates", type=int, default=2000, help="burst size")
    parser.add_argument("--warmup", type=int, default=300, help="warm-up updates")
    parser.add_argument("--rate", type=float, default=200.0, help="open-loop rate (upd/s)")
    parser.add_argument("--seconds", type=float, default=10.0, help="open-loop duration")
    parser.add_argument("--profile", type=Path, help="write a pyinstrument HTML profile of "
                        "the villagebot burst here (needs pyinstrument)")
    parser.add_argument("--plain", default=PLAIN, help="the plain private message of the mix")
    parser.add_argument("--echo-aiohttp", action="store_true", help="also run the echo bot "
                        "on our aiohttp transport (our overhead without the transport gain)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds (median)")
    parser.add_argument("--stream", choices=sorted(STREAMS), default="mixed",
                        help="mixed (four kinds) or lich-hop (only /lich-hop in the group)")
    parser.add_argument("--mode", choices=("polling", "webhook"), default="polling",
                        help="how every bot receives updates (webhook: the world POSTs them)")
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite",
                        help="villagebot's database (postgres: a fresh database per run)")
    parser.add_argument("--postgres-url", default=os.environ.get(
        "VILLAGEBOT_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"),
                        help="an existing PostgreSQL database to CREATE/DROP bench databases")
    parser.add_argument("--no-aiogram", action="store_true",
                        help="skip the aiogram echo bot (when aiogram is not installed)")
    parser.add_argument("--bots", help="comma-separated subset, e.g. village (when profiling); "
                        "of village, aiogram, echo, echo-aiohttp")
    parser.add_argument("--uvloop", action="store_true",
                        help="run every bot on uvloop (the default is asyncio's own loop)")
    args = parser.parse_args()
    args.load = tuple(round(x, 2) for x in os.getloadavg())
    PLAIN, STREAM = args.plain, args.stream
    if args.uvloop:
        import uvloop

        with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
            runner.run(run(args))
    else:
        asyncio.run(run(args))


if __name__ == "__main__":
    main()
