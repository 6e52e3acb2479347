"""Lighthouse on the public village page: a village with 3 projects and 20 phone photos
(4000x3000 JPEG with EXIF GPS and orientation), served by the real bot, audited by npm
``lighthouse`` in mobile emulation with Debian's chromium.

    npm install --prefix /tmp/lh lighthouse        # once, outside the repo
    python -m bench.lighthouse [--lighthouse /tmp/lh/node_modules/.bin/lighthouse] [--runs 3]

Prints the machine, then per run the four category scores, the first-load weight and the
timings; writes the last JSON report to ``--report`` (default: a temp file).  Goal: performance
>= 0.95, accessibility, best practices and SEO 1.0, first load < 500 KB.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import socket
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from PIL import Image, ImageDraw  # noqa: E402

from bot.app import VillageBot  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.db.models import Person, Village  # noqa: E402
from handlers.announce.models import SENT, Notice  # noqa: E402
from handlers.meetings.models import Meeting  # noqa: E402
from handlers.projects.models import Donation, ProgressUpdate, Project, UpdateMedia  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking"
PROJECTS = [("nvh", "Nhà văn hóa thôn", 1_200_000_000, 8), ("duong", "Đường bê tông xóm 3",
            500_000_000, 7), ("cau", "Cầu qua mương", 150_000_000, 5)]


def machine() -> str:
    """CPU model, cores, OS and Python."""
    model = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{model}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}")


def phone_photo(seed: int) -> bytes:
    """A 4000x3000 JPEG that looks like a site photo to an encoder, with GPS and orientation."""
    rnd = random.Random(seed)
    small = Image.new("RGB", (1000, 750))
    draw = ImageDraw.Draw(small)
    for y in range(750):  # sky to ground
        t = y / 750
        draw.line([(0, y), (1000, y)], fill=(int(120 + 80 * t), int(160 + 40 * t),
                                              int(220 - 150 * t)))
    for _ in range(1500):  # bricks, leaves, people, machines
        x, y = rnd.randrange(1000), rnd.randrange(150, 750)
        w, h = rnd.randrange(3, 60), rnd.randrange(3, 40)
        draw.rectangle((x, y, x + w, y + h), fill=tuple(rnd.randrange(40, 230) for _ in "rgb"))
    noise = Image.effect_noise((1000, 750), 40).convert("RGB")
    small = Image.blend(small, noise, 0.3)
    img = small.resize((4000, 3000), Image.Resampling.BICUBIC)
    img = Image.blend(img, Image.effect_noise((4000, 3000), 25).convert("RGB"), 0.06)
    exif = Image.Exif()
    exif[0x010F], exif[0x0110], exif[0x0112] = "Phone", "Model X", 1
    exif.get_ifd(0x8825).update({1: "N", 2: (21.0, 1.0, 30.0), 3: "E", 4: (105.0, 51.0, 10.0)})
    buffer = BytesIO()
    img.save(buffer, format="JPEG", quality=88, exif=exif)
    return buffer.getvalue()


def free_port() -> int:
    """A TCP port free right now on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def seed(bot: VillageBot, now: datetime) -> None:
    """The village, 3 projects with accounts, 20 photo updates, gifts, notices, meetings."""
    store = bot.services.media
    async with bot.db.session() as session:
        village = Village(code="thanhbinh", name="Thôn Thanh Bình", created_at=now)
        admin = Person(platform="web", external_id="admin", display_name="Admin",
                       created_at=now)
        session.add_all([village, admin])
        await session.flush()
        for n in range(3):
            session.add(Notice(village_id=village.id, author_id=admin.id or 0,
                               text=f"Thông báo số {n + 1}: họp dân về việc góp công làm "
                                    "đường, mời đại diện mỗi hộ tham dự đúng giờ.",
                               status=SENT, origin_platform="web", origin_chat="g",
                               created_at=now - timedelta(days=n), expires_at=now,
                               sent_at=now - timedelta(days=n)))
        for n in range(2):
            session.add(Meeting(village_id=village.id or 0, starts_at=now + timedelta(days=3 + n),
                                place="Nhà văn hóa thôn", topic="Họp bàn kế hoạch thi công",
                                created_at=now, updated_at=now))
        photo = 0
        for code, name, budget, photos in PROJECTS:
            project = Project(village_id=village.id or 0, code=code, name=name,
                              budget_target=budget, bank_bin="970436",
                              bank_account="0011001932418", account_holder="NGUYEN VAN A",
                              account_set_by=admin.id, account_set_at=now, created_at=now,
                              progress=10 * photos)
            session.add(project)
            await session.flush()
            for k in range(photos):
                update = ProgressUpdate(project_id=project.id or 0, text=f"Thi công đợt {k + 1}",
                                        percent=10 * (k + 1), posted=True,
                                        created_at=now - timedelta(days=photos - k))
                session.add(update)
                await session.flush()
                stored = await asyncio.to_thread(store.save_image, phone_photo(photo))
                await asyncio.to_thread(store.make_variants, stored.name)  # as the bot does
                photo += 1
                session.add(UpdateMedia(update_id=update.id or 0, name=stored.name,
                                        kind="photo", created_at=update.created_at))
            for k in range(6):
                session.add(Donation(project_id=project.id or 0, amount=(k + 1) * 500_000,
                                     donor_name=f"Hộ ông Nguyễn Văn {chr(65 + k)}",
                                     created_at=now - timedelta(hours=k)))
        await session.commit()


def lighthouse(binary: str, url: str, report: Path) -> dict:
    """One Lighthouse run (mobile emulation, default throttling); the JSON report."""
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    subprocess.run([binary, url, "--quiet", "--output=json", f"--output-path={report}",
                    f"--chrome-flags={CHROME_FLAGS}", "--form-factor=mobile"], check=True,
                   env=env, timeout=300)
    return json.loads(report.read_text())


def summary(data: dict) -> dict[str, float]:
    """Scores and the numbers the goal names."""
    cats = data["categories"]
    audits = data["audits"]
    out = {k: cats[k]["score"] for k in ("performance", "accessibility", "best-practices", "seo")}
    out["first_load_kb"] = audits["total-byte-weight"]["numericValue"] / 1000
    for key in ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
                "cumulative-layout-shift", "speed-index"):
        out[key] = audits[key]["numericValue"]
    out["failed"] = [k for k, a in audits.items()  # type: ignore[assignment]
                     if a.get("score") is not None and a["score"] < 1
                     and a.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")]
    return out


def _version(binary: str) -> str:
    done = subprocess.run([binary, "--version"], capture_output=True, text=True, check=False)
    return done.stdout.strip()


async def main() -> int:
    """Seed, serve, audit, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lighthouse", default="/tmp/lh/node_modules/.bin/lighthouse")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--report", type=Path, default=None)
    args = parser.parse_args()
    print(f"machine: {machine()}")
    print(f"lighthouse {_version(args.lighthouse)}, {_version(CHROMIUM)}")
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(_env_file=None, database_url=f"sqlite+aiosqlite:///{tmp}/bot.db",
                            media_dir=Path(tmp) / "media", web_host="127.0.0.1", web_port=port,
                            public_base_url=f"http://127.0.0.1:{port}", web_chat="off",
                            villagebot_admins="web:admin", demo_data=False,
                            telegram_bot_token=None, zalo_bot_token=None)  # type: ignore[call-arg]
        bot = VillageBot(settings)
        await bot.db.upgrade()
        await seed(bot, datetime.now(UTC))
        await bot.start()
        try:
            url = f"http://127.0.0.1:{port}/v/thanhbinh"
            report = args.report or Path(tmp) / "report.json"
            for run in range(args.runs):
                data = await asyncio.to_thread(lighthouse, args.lighthouse, url, report)
                result = summary(data)
                failed = result.pop("failed")
                print(f"run {run + 1}: " + ", ".join(
                    f"{k} {v:.2f}" if isinstance(v, float) else f"{k} {v}"
                    for k, v in result.items()) + (f"; below 1: {failed}" if failed else ""))
        finally:
            await bot.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
