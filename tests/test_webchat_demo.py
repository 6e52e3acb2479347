"""The simulator's own demo (bot/data/demo.toml): every example of the README works in it."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from PIL import Image

from bot.app import VillageBot
from bot.clock import ManualClock
from bot.config import Settings
from tests.harness import START


@pytest.fixture
async def demo(tmp_path: Path, db_template: Path) -> AsyncIterator[tuple[VillageBot, str]]:
    """The bot as ``villagebot run`` starts it without tokens: web chat and demo data on."""
    import shutil

    shutil.copy(db_template, tmp_path / "demo.db")
    settings = Settings(_env_file=None, web_chat="on", demo_data=True, web_port=0,  # type: ignore[call-arg]
                        web_chat_database_url=f"sqlite+aiosqlite:///{tmp_path / 'demo.db'}",
                        database_url=f"sqlite+aiosqlite:///{tmp_path / 'real.db'}",
                        media_dir=tmp_path / "media", web_chat_token="demo-secret")
    bot = VillageBot(settings, clock=ManualClock(START))
    await bot.start()
    try:
        yield bot, f"http://127.0.0.1:{bot.web.port}"
    finally:
        await bot.stop()


def _jpeg() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (90, 120, 200)).save(buf, "JPEG")
    return buf.getvalue()


async def test_readme_examples_work_in_the_demo(demo) -> None:
    bot, base = demo
    assert bot.db.url == bot.settings.web_chat_database_url  # DATABASE_URL is never opened
    transcripts = bot.webchat.messenger.transcripts

    async def say(user: str, chat: str, text: str, photo: bytes | None = None,
                  reply_to: str | None = None) -> list[str]:
        cid = chat if chat != "private" else f"dm-{user}"
        before = len(transcripts[cid])
        form = aiohttp.FormData({"user": user, "chat": chat, "text": text})
        if reply_to:
            form.add_field("reply_to", reply_to)
        if photo:
            form.add_field("photo", photo, filename="p.jpg", content_type="image/jpeg")
        async with http.post(f"{base}/chat/api/send", data=form) as resp:
            assert resp.status == 200, await resp.text()
        return ["\n".join(filter(None, (e.get("title"), e["text"])))
                for e in transcripts[cid][before:] if e["from"] == "bot"]

    async with aiohttp.ClientSession(cookies={"villagebot_webchat": "demo-secret"}) as http:
        replies = {
            "trogiup": await say("dan1", "nhom-thon", "/trogiup"),
            "thongbao": await say("canbo", "nhom-thon", "/thongbao Họp dân tối nay"),
            "taohop": await say("canbo", "nhom-thon",
                                "/taohop 19h30 thứ Bảy | Nhà văn hóa | Họp bàn làm đường"),
            # previewed first, like every message residents receive: /xacnhan sends it
            "xacnhan": await say("canbo", "nhom-thon", "/xacnhan"),
            "lich-hop": await say("dan1", "nhom-thon", "/lich-hop"),
            "lich_hop": await say("dan1", "nhom-thon", "/Lich_Hop"),
            "dangky": await say("dan1", "private", "/dangky thanhbinh"),
            "words": await say("dan1", "private", "lịch họp"),
            "ungho": await say("canbo", "nhom-thon", "/ungho nvh 2tr Nguyễn Văn A"),
            "photo": await say("canbo", "nhom-thon", "#nvh Đổ bê tông móng", photo=_jpeg()),
            "hoi": await say("dan1", "nhom-thon", "/hoi cach kich hoat vneid"),
            "qr": await say("dan1", "nhom-thon", "/ungho nvh"),
        }
        await say("dan2", "nhom-thon", "", photo=_jpeg())
        photo_id = [e["id"] for e in transcripts["nhom-thon"] if e["from"] == "dan2"][-1]
        replies["capnhat"] = await say("canbo", "nhom-thon", "/capnhat nvh Xây tường",
                                       reply_to=photo_id)
    expected = {
        "trogiup": "/ungho", "thongbao": "Gõ /xacnhan để gửi", "taohop": "Gõ /xacnhan để gửi",
        "xacnhan": "Đã tạo cuộc họp số 1", "lich-hop": "Số 1 · Thứ Bảy, 28/11/2026 lúc 19:30",
        "lich_hop": "Họp bàn làm đường",
        "dangky": "Thôn Thanh Bình", "words": "Lịch họp Thôn Thanh Bình",
        "ungho": "Đã ghi nhận: 2.000.000", "photo": "Đã lưu cập nhật Nhà văn hóa",
        "hoi": "VNeID", "qr": "chưa có tài khoản nhận ủng hộ",
        "capnhat": "Đã lưu cập nhật Nhà văn hóa",
    }
    for name, snippet in expected.items():
        assert snippet in "\n".join(replies[name]), (name, replies[name])
