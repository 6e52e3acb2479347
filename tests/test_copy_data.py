"""``villagebot copy-data``: a commune's SQLite file moved to a fresh PostgreSQL database."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from sqlalchemy import func, select
from sqlmodel import SQLModel

from bot.db.engine import Database
from bot.runtime.copydata import CopyError, copy_data, tables
from tests.conftest_pg import pg_url  # noqa: F401
from tests.harness import Harness
from tests.pg import requires_pg
from tests.test_meetings import settle

ROOT = Path(__file__).resolve().parent.parent


async def _cli(*args: str) -> tuple[int, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "copy-data", *args, cwd=ROOT,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    out, _ = await proc.communicate()
    return proc.returncode or 0, out.decode()


async def _counts(url: str) -> dict[str, int]:
    db = Database(url)
    try:
        async with db.engine.connect() as conn:
            return {t.name: (await conn.execute(select(func.count()).select_from(t))).scalar_one()
                    for t in tables()}
    finally:
        await db.close()


async def test_refuses_same_database_and_bad_url(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'a.db'}"
    for target, code in ((url, "same-database"), ("mysql://x/y", "bad-url")):
        try:
            await copy_data(url, target)
        except CopyError as exc:
            assert exc.code == code
        else:
            raise AssertionError(code)


async def test_sqlite_to_sqlite_copies_every_table(harness_factory, tmp_path: Path) -> None:
    h = await harness_factory("web")
    await h.say("/dangky thanhbinh", user="resident", chat="dm")
    source = h.services.settings.database_url
    await h.stop()
    target = f"sqlite+aiosqlite:///{tmp_path / 'copy.db'}"
    result = await copy_data(source, target)
    assert list(result.rows) == [t.name for t in SQLModel.metadata.sorted_tables]
    assert await _counts(target) == await _counts(source) == result.rows
    assert result.rows["village"] == 2 and result.rows["chat"] >= 5


@requires_pg
async def test_copy_a_commune_from_sqlite_to_postgresql(
    harness_factory, pg_url: str  # noqa: F811
) -> None:
    # a commune's life on SQLite: a subscriber, a new official, a meeting sent to every chat
    h: Harness = await harness_factory("telegram")
    await h.say("/dangky thanhbinh", user="resident", chat="dm")
    who = f"telegram:{h.user_id('resident2')}"
    await h.say(f"/capquyen {who} thanhbinh Tổ công nghệ số", user="admin", chat="dm")
    await h.say("/toi", user="resident2", chat="dm")
    before = len(h.sent("group1"))
    await h.say("/taohop 19h30 thứ Bảy | Nhà văn hóa thôn | Họp thôn", user="official")
    await h.say("/xacnhan", user="official")
    await settle(h, "group1", before + 3)
    source = h.services.settings.database_url
    await h.stop()
    expected = await _counts(source)
    assert expected["outbox"] >= 3 and expected["meeting"] == 1

    code, out = await _cli("--from", source, "--to", pg_url)
    assert code == 0, out
    assert f"Đã chép {sum(expected.values())} dòng" in out
    assert await _counts(pg_url) == expected

    # a second copy into the now non-empty target is refused and changes nothing …
    code, out = await _cli("--from", source, "--to", pg_url)
    assert code == 1 and "--force" in out and "village" in out
    # … unless forced
    code, out = await _cli("--from", source, "--to", pg_url, "--force")
    assert code == 0, out
    assert await _counts(pg_url) == expected

    # the same bot (same fake Telegram, so message ids move on) restarted on PostgreSQL, with
    # no seeding: it sees the copied villages, chats, subscribers, officials and meetings
    h.settings_overrides["database_url"] = pg_url
    await h.restart()
    try:
        assert h.services.db.engine.dialect.name == "postgresql"
        canbo = "\n".join(await h.say("/canbo", user="resident", chat="group1"))
        assert "Trưởng thôn: Nguyễn Văn Ba" in canbo and "Tổ công nghệ số: Lê Văn Năm" in canbo
        [listing] = await h.say("/lich-hop", user="resident", chat="dm")
        assert "Thứ Bảy, 28/11/2026 lúc 19:30" in listing and "Họp thôn" in listing
        # sequences continue after the copied ids: new rows insert without collisions
        before, before2 = len(h.sent("group1")), len(h.sent("group2"))
        created = await h.say("/taohop 19h30 Chủ nhật | Sân bóng | Họp đoàn", user="official")
        assert "Chủ Nhật, 22/11/2026 lúc 19:30" in created[0]
        created = await h.say("/xacnhan", user="official")
        assert "Đã tạo cuộc họp số 2" in created[0]  # the copied sequence goes on
        await settle(h, "group1", before + 3)
        assert "Sân bóng" in (await settle(h, "group2", before2 + 1))[-1]
        after = await _counts(pg_url)
        assert after["meeting"] == 2 and after["outbox"] > expected["outbox"]
    finally:
        await h.stop()
