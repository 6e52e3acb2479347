"""Authorisation matrix: every privileged command × (resident, official of another village,
admin of another platform's identity) on every platform.

Commands come from the running app's command table (role ≥ OFFICIAL), with example arguments
that would act if allowed (a meeting, a project and a pending notice exist).  For each attempt:
nothing is posted to any other chat, no table changes (audit, seen messages, people and chats
aside), and one refused AuditEntry is written.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections import Counter
from itertools import count

import pytest

from bot.core.events import ChatRef, IncomingMessage, Platform, UserRef
from bot.core.router import Role
from tests.harness import START, Harness

IGNORED_TABLES = {"audit_entry", "auditentry", "seen_message", "seenmessage", "person", "chat",
                  "chat_member",  # who writes in which group: recorded for every sender
                  "alembic_version"}
EXAMPLE_ARGS = {
    "announce": "Họp dân 19h tối nay tại nhà văn hoá",
    "xacnhan": "", "huy": "", "daxem": "1",
    "taothon": "xomthu Xóm Thử",
    "ketnoi": "thanhbinh dang-vien", "ngatketnoi": "",
    "capquyen": "{platform}:{resident} thanhbinh Phó thôn",
    "thuhoiquyen": "{platform}:{official}",
    "nhatky": "",
    "caidat": "nhac 24h,1h,15p",
    "taohop": "19h thứ 7 tuần sau | nhà văn hoá | họp dân quý IV",
    "huyhop": "1", "doihop": "1 20h chủ nhật tuần sau", "diemdanh": "1",
    "nhacdinhky": "19h thứ 2 hằng tuần | họp chi bộ",
    "congtrinh": "tao Đường bê tông xóm 3 | duongbt | 500 triệu",
    "capnhat": "duongbt 40% đã đổ xong mặt đường",
    "cauhoi": "", "traloi": "1 Mang căn cước đến UBND xã",
    "faq": "them Làm căn cước ở đâu? | Tại công an xã",
}
FOREIGN_ADMIN = "1001"
CHAT_FOR = {"ketnoi": "group4"}  # where the command would act if allowed
SETUP = ["/taohop 19h thứ 7 tuần sau | nhà văn hoá | họp dân",
         "/congtrinh tao Đường bê tông xóm 3 | duongbt | 500 triệu",
         "/announce Lịch tiêm phòng cho trẻ em sáng mai"]


def snapshot(h: Harness) -> dict[str, str]:
    """A digest of every table the refused commands must not touch."""
    path = h.workdir / "bot.db"
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
        out = {}
        for table in tables:
            if table.lower() in IGNORED_TABLES:
                continue
            rows = sorted(repr(r) for r in conn.execute(f'SELECT * FROM "{table}"'))
            out[table] = hashlib.sha256("\n".join(rows).encode()).hexdigest()[:16]
        return out
    finally:
        conn.close()


def refused_audits(h: Harness) -> Counter[str]:
    """How many refused attempts are audited, per action."""
    conn = sqlite3.connect(f"file:{h.workdir / 'bot.db'}?mode=ro", uri=True)
    try:
        table = next(r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND lower(name) IN "
            "('audit_entry', 'auditentry')"))
        return Counter(r[0] for r in conn.execute(
            f'SELECT action FROM "{table}" WHERE allowed = 0'))
    finally:
        conn.close()


def sent_counts(h: Harness) -> Counter[str]:
    """How many messages the bot has sent, per platform chat id."""
    if h.tg is not None:
        return Counter(str(m["chat"]["id"]) for m in h.tg.sent)
    if h.zl is not None:
        return Counter(str(m.get("chat_id")) for m in h.zl.sent())
    assert h.bot is not None and h.bot.webchat is not None
    return Counter({cid: sum(1 for m in msgs if m["from"] == "bot")
                    for cid, msgs in h.bot.webchat.messenger.transcripts.items()})


async def settle(h: Harness) -> None:
    """Wait until the bot has stopped sending (outbox fan-out included)."""
    await h.settle()


def actors(platform: str, h: Harness) -> list[tuple[str, str, str]]:
    """(label, sender id, logical chat) of everyone who must be refused."""
    return [("resident", h.user_id("resident"), "group1"),
            ("resident", h.user_id("resident"), "dm"),
            ("outsider", h.user_id("outsider"), "group1"),
            ("foreign-admin", FOREIGN_ADMIN, "group1")]


@pytest.mark.parametrize("platform", ["telegram", "zalo", "web"])
async def test_privileged_commands_refused_audited_and_inert(
    harness_factory, platform: str
) -> None:
    # id 1001 is an admin on the OTHER platforms: only the (platform, id) pair may count
    others = [p for p in ("telegram", "zalo", "web") if p != platform]
    h: Harness = await harness_factory(
        platform, villagebot_admins=",".join(f"{p}:{FOREIGN_ADMIN}" for p in others))
    assert h.bot is not None
    for text in SETUP:
        await h.say(text, user="official", chat="group1")
    await settle(h)
    table = h.services.commands
    privileged = [c for c in table.commands if c.role >= Role.OFFICIAL]
    assert len(privileged) >= 10
    messenger = h.services.messengers[Platform(platform)]
    ids = count(3_000_000_001)
    problems: list[str] = []
    for cmd in privileged:
        args = EXAMPLE_ARGS.get(cmd.name, "1 thử").format(
            platform=platform, resident=h.user_id("resident"), official=h.user_id("official"))
        for label, sender, logical in actors(platform, h):
            chat = CHAT_FOR.get(cmd.name, logical) if logical != "dm" else "dm"
            if cmd.group_only and chat == "dm":
                continue
            cid = h.chat_id(chat, "resident")
            before_db, before_sent = snapshot(h), sent_counts(h)
            before_audit = refused_audits(h)
            msg = IncomingMessage(
                chat=ChatRef(Platform(platform), cid, is_group=chat != "dm"),
                sender=UserRef(Platform(platform), sender, name=label),
                text=f"/{cmd.name} {args}".strip(), message_id=str(next(ids)), date=START,
                addressed=True)
            ctx = await h.bot.pipeline.handle(msg, messenger)
            await settle(h)
            where = f"/{cmd.name} by {label} in {chat}"
            if ctx is None or ctx.command is None or ctx.command.name != cmd.name:
                problems.append(f"{where}: not routed to the command")
                continue
            changed = {t for t, d in snapshot(h).items() if before_db.get(t) != d}
            if changed:
                problems.append(f"{where}: changed tables {sorted(changed)}")
            after_sent = sent_counts(h)
            others = {c: n - before_sent.get(c, 0) for c, n in after_sent.items()
                      if c != cid and n != before_sent.get(c, 0)}
            if others:
                problems.append(f"{where}: posted to other chats {others}")
            if after_sent.get(cid, 0) - before_sent.get(cid, 0) != 1:
                problems.append(f"{where}: expected one refusal in the chat")
            audits = refused_audits(h) - before_audit
            if audits != Counter({cmd.name: 1}):
                problems.append(f"{where}: refused audit entries {dict(audits)}")
    assert problems == []



IN_HANDLER = ["/ungho duongbt 500000 Nguyễn Văn A", "/ungho duongbt -200000 nhập nhầm",
              "/faq them Làm căn cước ở đâu? | Tại công an xã", "/faq xoa 1"]


@pytest.mark.parametrize("platform", ["telegram", "zalo", "web"])
async def test_official_subcommands_of_resident_commands_are_refused(
    harness_factory, platform: str
) -> None:
    """Commands open to residents whose writing forms are for officials only."""
    h: Harness = await harness_factory(platform)
    await h.say(SETUP[1], user="official", chat="group1")
    await settle(h)
    problems = []
    for text in IN_HANDLER:
        for user, chat in (("resident", "group1"), ("outsider", "group1"), ("resident", "dm")):
            before_db, before_audit = snapshot(h), refused_audits(h)
            before_sent = sent_counts(h)
            replies = await h.say(text, user=user, chat=chat)
            await settle(h)
            where = f"{text} by {user} in {chat}"
            changed = {t for t, d in snapshot(h).items() if before_db.get(t) != d}
            if changed:
                problems.append(f"{where}: changed {sorted(changed)}")
            cid = h.chat_id(chat, user)
            if any(c != cid and n != before_sent.get(c, 0) for c, n in sent_counts(h).items()):
                problems.append(f"{where}: posted elsewhere")
            if len(replies) != 1:
                problems.append(f"{where}: {len(replies)} replies")
            if sum((refused_audits(h) - before_audit).values()) != 1:
                problems.append(f"{where}: not audited as refused")
    assert problems == []
