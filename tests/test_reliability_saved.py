"""Say it only when it is saved (issue 13.6): a real ``python -m bot run`` is killed with SIGKILL
the moment its reply ("Đang gửi thông báo số 1 tới 3 nhóm…", "Đã tạo cuộc họp số 1…") reaches
the fake Telegram server.  After a restart, what the official was told did happen: the outbox
rows exist and every group of the village receives the notice / meeting / poll.

The official's private chat answers slowly (a fake-server delay), so the process is surely
killed while the reply is on the wire; Telegram has already been told (by the next
``getUpdates`` offset) that the command was received, so it is not delivered again.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from bot.core.events import ChatRef, Platform, UserRef
from bot.db import repo
from tests.fakes import FakeTelegram
from tests.fakes._base import Call
from tests.harness import prepare_workdir
from tests.procs import BotProcess, wait_until

TG_TOKEN = "123456789:TEST-token_fake"
OFFICIAL = 1002
GROUPS = [-1001000000001, -1001000000002, -1001000000003]
NOTICE = "Thông báo: cắt điện toàn thôn từ 7h đến 11h sáng thứ Hai."


async def seed(workdir: Path, template: Path) -> Path:
    """A village with three linked Telegram groups and one official (no private chat yet)."""
    from bot.clock import SystemClock
    from bot.db.engine import Database
    from bot.db.models import OfficialRole, Village

    prepare_workdir(workdir, template)
    db = Database(f"sqlite+aiosqlite:///{workdir / 'bot.db'}")
    now = SystemClock().now()
    async with db.session() as s:
        village = Village(code="thanhbinh", name="Thôn Thanh Bình", created_at=now)
        s.add(village)
        await s.flush()
        for gid in GROUPS:
            chat = await repo.upsert_chat(s, ChatRef(Platform.TELEGRAM, str(gid), True,
                                                     f"Nhóm {gid}"), now)
            chat.village_id = village.id
        person = await repo.upsert_person(s, UserRef(Platform.TELEGRAM, str(OFFICIAL),
                                                     "Nguyễn Văn Ba"), now)
        s.add(OfficialRole(person_id=person.id or 0, village_id=village.id,
                           title="Trưởng thôn", granted_at=now))
    await db.close()
    return workdir / "bot.db"


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return list(conn.execute(sql))
    finally:
        conn.close()


async def command(tg: FakeTelegram, text: str) -> int:
    """Send ``text`` from the official's private chat; return the update id."""
    update = tg.make_message_update(OFFICIAL, OFFICIAL, text, chat_type="private",
                                    first_name="Nguyễn Văn Ba", username="official")
    tg.inject(update)
    return int(update["update_id"])


async def kill_on_reply(bot: BotProcess, tg: FakeTelegram, text: str, promise: str) -> None:
    """Send ``text``; SIGKILL the bot when its reply containing ``promise`` arrives."""
    fault = tg.fail_next("sendMessage", None, delay=10, chat_id=OFFICIAL, times=5)
    update_id = await command(tg, text)

    def is_reply(c: Call) -> bool:
        return str(c.chat_id) == str(OFFICIAL) and promise in (c.text or "")

    await tg.wait_for("sendMessage", predicate=is_reply, answered=False, timeout=20)
    # the command's offset is confirmed: a restarted bot is not given the command again
    await tg.wait_for("getUpdates", answered=False, timeout=10, predicate=lambda c: int(
        c.params.get("offset") or 0) > update_id)
    await bot.kill()
    fault.hits = fault.times  # the restarted bot gets normal answers


def delivered(tg: FakeTelegram, needle: str) -> dict[int, int]:
    return {g: sum(1 for t in tg.sent_texts(g) if needle in t) for g in GROUPS}


async def wait_delivered(tg: FakeTelegram, needle: str, timeout: float = 20.0) -> None:
    try:
        await wait_until(lambda: all(delivered(tg, needle).values()), timeout=timeout)
    except TimeoutError:
        raise AssertionError(f"not delivered after the restart: {delivered(tg, needle)}"
                             ) from None


async def test_notice_promised_then_killed_is_sent_after_restart(
    tmp_path: Path, db_template: Path
) -> None:
    db = await seed(tmp_path, db_template)
    async with FakeTelegram(token=TG_TOKEN) as tg:
        bot = BotProcess(tmp_path, {"TELEGRAM_BOT_TOKEN": TG_TOKEN,
                                    "TELEGRAM_API_BASE_URL": tg.url})
        try:
            await bot.start()
            await command(tg, f"/thongbao {NOTICE}")
            await tg.wait_for("sendMessage", timeout=20, predicate=lambda c: str(
                c.chat_id) == str(OFFICIAL) and "/xacnhan" in (c.text or ""))
            await kill_on_reply(bot, tg, "/xacnhan", "Đang gửi thông báo số")
            await bot.start()
            await wait_delivered(tg, NOTICE)
            await asyncio.sleep(0.3)
            assert await bot.stop() == 0
        finally:
            await bot.kill()
    assert rows(db, "SELECT status FROM notice") == [("sent",)]
    assert set(delivered(tg, NOTICE).values()) == {1}


async def test_meeting_promised_then_killed_is_announced_after_restart(
    tmp_path: Path, db_template: Path
) -> None:
    db = await seed(tmp_path, db_template)
    async with FakeTelegram(token=TG_TOKEN) as tg:
        bot = BotProcess(tmp_path, {"TELEGRAM_BOT_TOKEN": TG_TOKEN,
                                    "TELEGRAM_API_BASE_URL": tg.url})
        try:
            await bot.start()
            # meetings are previewed first; the promise comes with the confirmation
            await command(tg, "/taohop 19h thứ 7 tuần sau | nhà văn hoá | họp dân")
            await tg.wait_for("sendMessage", timeout=20, predicate=lambda c: str(
                c.chat_id) == str(OFFICIAL) and "/xacnhan" in (c.text or ""))
            await kill_on_reply(bot, tg, "/xacnhan", "Đã tạo cuộc họp")
            await bot.start()
            await wait_delivered(tg, "nhà văn hoá")
            await command(tg, "/huyhop 1")
            await tg.wait_for("sendMessage", timeout=20, predicate=lambda c: str(
                c.chat_id) == str(OFFICIAL) and "/xacnhan" in (c.text or "")
                and "hủy" in (c.text or "").lower())
            await kill_on_reply(bot, tg, "/xacnhan", "Đã hủy cuộc họp")
            await bot.start()
            await wait_delivered(tg, "hủy")
            await asyncio.sleep(0.3)
            assert await bot.stop() == 0
        finally:
            await bot.kill()
    assert [r[0] for r in rows(db, "SELECT status FROM meeting")] == ["cancelled"]


async def test_poll_promised_then_killed_is_sent_after_restart(
    tmp_path: Path, db_template: Path
) -> None:
    db = await seed(tmp_path, db_template)
    question = "Làm đường xóm 3 vào tháng nào?"
    async with FakeTelegram(token=TG_TOKEN) as tg:
        bot = BotProcess(tmp_path, {"TELEGRAM_BOT_TOKEN": TG_TOKEN,
                                    "TELEGRAM_API_BASE_URL": tg.url})
        try:
            await bot.start()
            await command(tg, f"/bieuquyet {question} | Tháng 1 | Tháng 3")
            await tg.wait_for("sendMessage", timeout=20, predicate=lambda c: str(
                c.chat_id) == str(OFFICIAL) and "xacnhan" in (c.text or ""))
            await kill_on_reply(bot, tg, "/bieuquyet xacnhan 1", "đang gửi biểu quyết")
            await bot.start()
            await wait_delivered(tg, question)
            await asyncio.sleep(0.3)
            assert await bot.stop() == 0
        finally:
            await bot.kill()
    assert rows(db, "SELECT status FROM poll") == [("open",)]
    assert set(delivered(tg, question).values()) == {1}
