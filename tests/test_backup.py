"""``villagebot backup`` / ``restore``: a backup taken mid-broadcast, restored, loses nothing."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from tests.procs import ROOT, BotProcess, wait_until
from tests.test_outbox import _seed_fan_out

TOKEN = "123456789:TEST-token_fake"


async def _cli(workdir: Path, db_url: str, *args: str) -> tuple[int, str]:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "HOME": str(workdir),
           "DATABASE_URL": db_url, "MEDIA_DIR": str(workdir / "media")}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=workdir, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    out, _ = await proc.communicate()
    return proc.returncode or 0, out.decode()


async def test_backup_during_a_broadcast_restores_with_nothing_lost(tmp_path: Path) -> None:
    from tests.fakes import FakeTelegram

    live, spare = tmp_path / "live", tmp_path / "spare"
    live.mkdir()
    spare.mkdir()
    chat_ids = [str(-1004000000000 - i) for i in range(60)]
    text = "Thông báo: họp thôn 19h30 tối nay."
    db_url = f"sqlite+aiosqlite:///{live / 'bot.db'}"
    await _seed_fan_out(db_url, chat_ids, text)
    (live / "media").mkdir()
    (live / "media" / "photo1.jpg").write_bytes(b"\xff\xd8 not really a jpeg")
    archive = tmp_path / "backup.tar"
    async with FakeTelegram(token=TOKEN) as tg:
        tg.delay_next("sendMessage", 0.15, times=10_000)  # a broadcast that takes a while
        bot = BotProcess(live, {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": tg.url,
                                "DATABASE_URL": db_url})
        try:
            await bot.start()
            await wait_until(lambda: len(tg.calls_to("sendMessage")) >= 8, interval=0.005)
            sent_before = sum(1 for c in chat_ids if tg.sent_texts(c))
            code, out = await _cli(live, db_url, "backup", str(archive))
            sent_after = sum(1 for c in chat_ids if tg.sent_texts(c))
            assert code == 0, out
            assert "1 tệp ảnh" in out
            assert sent_after < len(chat_ids), "the backup came too late to test anything"
            # restoring over the running bot's database is refused, and changes nothing
            code, out = await _cli(live, db_url, "restore", str(archive), "--force")
            assert code == 1 and "đang chạy" in out
            await wait_until(lambda: all(tg.sent_texts(c) for c in chat_ids))
            assert await bot.stop() == 0
        finally:
            await bot.kill()
        # the disk died: restore on another machine (folder), start there
        before = {c: len(tg.sent_texts(c)) for c in chat_ids}
        spare_url = f"sqlite+aiosqlite:///{spare / 'bot.db'}"
        code, out = await _cli(spare, spare_url, "restore", str(archive))
        assert code == 0, out
        assert (spare / "media" / "photo1.jpg").read_bytes() == b"\xff\xd8 not really a jpeg"
        restored = BotProcess(spare, {"TELEGRAM_BOT_TOKEN": TOKEN,
                                      "TELEGRAM_API_BASE_URL": tg.url,
                                      "DATABASE_URL": spare_url})
        try:
            await restored.start()
            # what was still pending at backup time is sent again from the restored copy
            await wait_until(lambda: sum(len(tg.sent_texts(c)) for c in chat_ids)
                             - sum(before.values()) >= len(chat_ids) - sent_after - 1)
            await asyncio.sleep(0.3)
            assert await restored.stop() == 0
        finally:
            await restored.kill()
    resent = sum(len(tg.sent_texts(c)) for c in chat_ids) - sum(before.values())
    # nothing the snapshot knew as delivered is sent twice, nothing it had pending is lost
    # (the snapshot was taken between the two counts; one send may have been in flight)
    assert len(chat_ids) - sent_after - 1 <= resent <= len(chat_ids) - sent_before + 1
    assert all(t == text for c in chat_ids for t in tg.sent_texts(c))


async def test_restore_refuses_an_existing_database_and_a_bad_file(tmp_path: Path) -> None:
    db_url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    await _seed_fan_out(db_url, ["-1001"], "x")
    code, out = await _cli(tmp_path, db_url, "backup", str(tmp_path / "b.tar"))
    assert code == 0, out
    code, out = await _cli(tmp_path, db_url, "restore", str(tmp_path / "b.tar"))
    assert code == 1 and "--force" in out
    (tmp_path / "junk.tar").write_bytes(b"not a tar file")
    code, out = await _cli(tmp_path, db_url, "restore", str(tmp_path / "junk.tar"), "--force")
    assert code == 1 and "không hợp lệ" in out
    code, out = await _cli(tmp_path, db_url, "restore", str(tmp_path / "b.tar"), "--force")
    assert code == 0, out
    assert (tmp_path / "bot.db.before-restore").exists()
    pg = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
    code, out = await _cli(tmp_path, pg, "backup", str(tmp_path / "c.tar"))
    assert code == 1 and "pg_dump" in out
