"""Start-up benchmark: ``villagebot run`` with no tokens (the local web chat on SQLite) as a
subprocess; time from the process start until ``/healthz`` answers 200, and the idle RSS a few
seconds later.  Median of ``--runs`` (default 5).

    python -m bench.startup [--runs 5] [--idle 3] [--importtime]

Each run gets a fresh temporary directory (new SQLite databases: the schema is created on the
first run of each; ``--warm`` reuses one directory so every run after the first starts on a
current schema, the common case).  ``--importtime`` runs one extra start under
``python -X importtime`` and prints the 25 slowest imports (cumulative).
Goals: healthy within 1.5 s, idle RSS < 90 MB.
"""

from __future__ import annotations

import argparse
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("python-telegram-bot", "python-zalo-bot", "aiohttp", "sqlalchemy", "sqlmodel",
            "aiosqlite", "alembic")


def machine() -> str:
    """CPU model, cores, load average, Python and package versions."""
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = []
    for name in PACKAGES:
        try:
            versions.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            versions.append(f"{name} ?")
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
            f"load average {load}; Python {platform.python_version()}; " + ", ".join(versions))


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float:
    """Resident set size of ``pid`` in MiB."""
    with open(f"/proc/{pid}/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def env_for(workdir: Path, port: int) -> dict[str, str]:
    """The child's environment: no tokens, databases and media in ``workdir``."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TELEGRAM_", "ZALO_", "DATABASE_URL", "WEB_"))}
    env.update({
        "DATABASE_URL": f"sqlite+aiosqlite:///{workdir}/villagebot.db",
        "WEB_CHAT_DATABASE_URL": f"sqlite+aiosqlite:///{workdir}/webchat-demo.db",
        "MEDIA_DIR": str(workdir / "media"), "WEB_PORT": str(port), "WEB_HOST": "127.0.0.1",
        "LOG_LEVEL": "WARNING", "PYTHONUNBUFFERED": "1",
    })
    return env


def one_start(workdir: Path, idle: float, extra: list[str] | None = None,
              ) -> tuple[float, float, str]:
    """Start the bot, return (seconds to healthy, idle RSS MiB, stderr)."""
    port = free_port()
    cmd = [sys.executable, *(extra or []), "-m", "bot", "run"]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=workdir, env=env_for(workdir, port),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/healthz"
    healthy = float("nan")
    try:
        deadline = t0 + 60
        while time.perf_counter() < deadline:
            if proc.poll() is not None:
                break
            try:
                with urllib.request.urlopen(url, timeout=1) as r:
                    if r.status == 200:
                        healthy = time.perf_counter() - t0
                        break
            except OSError:
                pass
            time.sleep(0.01)
        time.sleep(idle)
        rss = rss_mb(proc.pid) if proc.poll() is None else float("nan")
    finally:
        proc.terminate()
        try:
            _out, err = proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            _out, err = proc.communicate()
    return healthy, rss, err.decode(errors="replace")


def importtime(workdir: Path) -> list[str]:
    """The slowest imports (cumulative µs) of one start, from ``-X importtime``."""
    _h, _r, err = one_start(workdir, 0.5, ["-X", "importtime"])
    rows = []
    for line in err.splitlines():
        if line.startswith("import time:") and "|" in line:
            parts = [p.strip() for p in line.split(":", 1)[1].split("|")]
            if parts[0].isdigit():
                rows.append((int(parts[1]), parts[2]))
    rows.sort(reverse=True)
    return [f"{us / 1000:8.1f} ms  {name}" for us, name in rows[:25]]


def main() -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--idle", type=float, default=3.0,
                        help="seconds after /healthz before reading the RSS")
    parser.add_argument("--warm", action="store_true",
                        help="reuse one directory (schema current after the first run)")
    parser.add_argument("--importtime", action="store_true")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    times, rsss = [], []
    with tempfile.TemporaryDirectory() as shared:
        if args.warm:  # the first start creates the schema; not counted
            one_start(Path(shared), 0.2)
        for i in range(args.runs):
            with tempfile.TemporaryDirectory() as own:
                workdir = Path(shared if args.warm else own)
                healthy, rss, err = one_start(workdir, args.idle)
                if healthy != healthy:  # nan: never healthy
                    print(err[-3000:], file=sys.stderr)
                times.append(healthy)
                rsss.append(rss)
                print(f"run {i + 1}: healthy after {healthy:.2f} s, idle RSS {rss:.0f} MB")
        if args.importtime:
            print("slowest imports (cumulative):")
            print("\n".join(importtime(Path(shared))))
    t, r = statistics.median(times), statistics.median(rsss)
    print()
    print(f"| metric | median of {args.runs} | goal |")
    print("|---|---:|---|")
    print(f"| process start → /healthz 200 | {t:.2f} s | < 1.5 s |")
    print(f"| idle RSS ({args.idle:.0f} s after healthy) | {r:.0f} MB | < 90 MB |")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0 if t < 1.5 and r < 90 else 1


if __name__ == "__main__":
    raise SystemExit(main())
