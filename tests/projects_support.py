"""Helpers shared by the project, ledger and village-page tests."""

from __future__ import annotations

import io
import socket
from collections.abc import Awaitable, Callable
from typing import Any

from PIL import Image
from sqlmodel import col, func, select

from bot.db.models import AuditEntry
from handlers.projects.models import Donation, Follower, ProgressUpdate, Project, UpdateMedia
from tests.harness import Harness

CREATE = ("/congtrinh tao Nhà văn hóa | nvh | 1,2 tỷ | Vietcombank 0011 0019 32418 "
          "Nguyen Van A")
VCB_BIN = "970436"


def image_bytes(color: tuple[int, int, int], size: tuple[int, int] = (64, 48),
                fmt: str = "JPEG") -> bytes:
    """A small real picture; a different colour gives a different stored file."""
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=fmt)
    return buffer.getvalue()


def free_port() -> int:
    """A TCP port free right now on 127.0.0.1 (so PUBLIC_BASE_URL can point at the bot)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def start_public(
    harness_factory: Callable[..., Awaitable[Harness]], platform: str, **settings: Any
) -> Harness:
    """A harness whose PUBLIC_BASE_URL is its own web server (Zalo fetches photos there)."""
    port = free_port()
    return await harness_factory(platform, web_port=port,
                                 public_base_url=f"http://127.0.0.1:{port}", **settings)


async def with_project(h: Harness, create: str = CREATE) -> list[str]:
    """Create a project (default ``nvh``) as the official in group1."""
    texts = await h.say(create, user="official", chat="group1")
    code = create.split("|")[1].strip()
    assert any(f"(mã {code})" in t for t in texts), texts
    return texts


async def count(h: Harness, model: Any) -> int:
    """Rows in a project table."""
    async with h.services.db.session() as session:
        return int((await session.exec(select(func.count()).select_from(model))).one())


async def counts(h: Harness) -> dict[str, int]:
    """Row counts of every project table (to prove bad input changed nothing)."""
    return {m.__name__: await count(h, m)
            for m in (Project, ProgressUpdate, UpdateMedia, Donation, Follower)}


async def rows(h: Harness, model: Any) -> list[Any]:
    """Every row of a table, by id."""
    async with h.services.db.session() as session:
        return list((await session.exec(select(model).order_by(col(model.id)))).all())


async def audits(h: Harness, action: str) -> list[AuditEntry]:
    """Audit entries with this action."""
    async with h.services.db.session() as session:
        return list((await session.exec(select(AuditEntry).where(
            AuditEntry.action == action))).all())


def last_user_message_id(h: Harness, chat: str, user: str) -> str:
    """Id of the latest message ``user`` sent in ``chat`` (for replying to it)."""
    cid = h.chat_id(chat, user)
    if h.platform == "telegram":
        assert h.tg is not None
        uid = int(h.user_id(user))
        ids = [mid for (key, mid), m in h.tg.messages.items()
               if str(key) == cid and (m.get("from") or {}).get("id") == uid]
        return str(max(ids))
    assert h.bot is not None and h.bot.webchat is not None
    entries = h.bot.webchat.messenger.transcripts[cid]
    return next(e["id"] for e in reversed(entries) if e["from"] == user)


def zalo_photo_fetches(h: Harness) -> list[tuple[str, int | None]]:
    """(url, status) of every sendPhoto URL the fake Zalo fetched."""
    assert h.zl is not None
    return [(f.url, f.status) for f in h.zl.photo_fetches]
