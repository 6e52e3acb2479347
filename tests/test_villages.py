"""Villages, chats and roles: parsing, queries and (wire level) the admin commands."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.db import repo
from bot.db.engine import Database
from bot.db.models import Chat, Person, Village
from bot.db.villages import (
    WhoSpec,
    commune_chats,
    create_village,
    grant_role,
    normalize_code,
    official_chats,
    parse_switch,
    parse_tags,
    parse_who,
    recent_audit,
    revoke_roles,
    village_chats,
    village_officials,
)
from tests.harness import Harness

NOW = datetime(2025, 3, 1, 2, 0, tzinfo=UTC)


# ---------------------------------------------------------------- pure parsing


@pytest.mark.parametrize(("text", "code"), [
    ("thanhbinh", "thanhbinh"), (" ThanhBinh ", "thanhbinh"), ("an-phu-2", "an-phu-2"),
    ("x", None), ("thôn", None), ("a b", None), ("a" * 41, None),
])
def test_normalize_code(text: str, code: str | None) -> None:
    assert normalize_code(text) == code


def test_parse_tags() -> None:
    assert parse_tags(["dang-vien", "#Huu-Tri", "dang-vien", "hội", "a_b"]) == (
        ["dang-vien", "huu-tri"], ["hội", "a_b"])


@pytest.mark.parametrize(("token", "spec"), [
    ("@ong_ba", WhoSpec(username="ong_ba")),
    ("telegram:12345", WhoSpec(platform="telegram", id="12345")),
    ("Zalo:abc.DEF-1", WhoSpec(platform="zalo", id="abc.DEF-1")),
    ("web:official", WhoSpec(platform="web", id="official")),
    ("tg:9", WhoSpec(platform="telegram", id="9")),
    ("thanhbinh", None), ("facebook:1", None), ("@", None),
])
def test_parse_who(token: str, spec: WhoSpec | None) -> None:
    assert parse_who(token) == spec


@pytest.mark.parametrize(("text", "value"), [
    ("bat", True), ("bật", True), ("ON", True), ("tat", False), ("tắt", False), ("hm", None),
])
def test_parse_switch(text: str, value: bool | None) -> None:
    assert parse_switch(text) is value


# ---------------------------------------------------------------- queries on a real database


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'v.db'}")
    await database.upgrade()
    yield database
    await database.close()


def _chat(ext: str, *, group: bool, vid: int | None, tags: str = "", platform: str = "telegram",
          active: bool = True) -> Chat:
    return Chat(platform=platform, external_id=ext, is_group=group, village_id=vid, tags=tags,
                active=active, created_at=NOW)


async def test_village_queries(db: Database) -> None:
    async with db.session() as s:
        tb = await create_village(s, code="thanhbinh", name="Thôn Thanh Bình", now=NOW)
        ap = await create_village(s, code="anphu", name="Thôn An Phú", now=NOW)
        assert tb and ap and tb.id and ap.id
        assert await create_village(s, code="thanhbinh", name="dup", now=NOW) is None
        s.add_all([
            _chat("g1", group=True, vid=tb.id),
            _chat("g2", group=True, vid=tb.id, tags="dang-vien,huu-tri", platform="zalo"),
            _chat("g-gone", group=True, vid=tb.id, active=False),
            _chat("g3", group=True, vid=ap.id, tags="dang-vien"),
            _chat("dm-res", group=False, vid=tb.id),
            _chat("dm-off", group=False, vid=None),
            _chat("dm-com", group=False, vid=None, platform="zalo"),
            _chat("g-free", group=True, vid=None),
        ])
        off = Person(platform="telegram", external_id="dm-off", display_name="Off",
                     created_at=NOW)
        com = Person(platform="zalo", external_id="dm-com", display_name="Com", created_at=NOW)
        silent = Person(platform="web", external_id="nodm", display_name="Silent",
                        created_at=NOW)
        other = Person(platform="telegram", external_id="other", created_at=NOW)
        s.add_all([off, com, silent, other])
        await s.flush()
        assert off.id and com.id and silent.id and other.id
        await grant_role(s, person_id=off.id, village_id=tb.id, title="Trưởng thôn",
                         granted_by=None, now=NOW)
        await grant_role(s, person_id=com.id, village_id=None, title="Chủ tịch xã",
                         granted_by=None, now=NOW - timedelta(days=1))
        await grant_role(s, person_id=silent.id, village_id=tb.id, title="Tổ CNS",
                         granted_by=None, now=NOW)
        _, created = await grant_role(s, person_id=other.id, village_id=ap.id, title="Bí thư",
                                      granted_by=None, now=NOW)
        assert created
        role, created = await grant_role(s, person_id=other.id, village_id=ap.id,
                                         title="Bí thư chi bộ", granted_by=None, now=NOW)
        assert not created and role.title == "Bí thư chi bộ"

        ext = lambda chats: sorted(c.external_id for c in chats)  # noqa: E731
        assert ext(await village_chats(s, tb.id)) == ["dm-res", "g1", "g2"]
        assert ext(await village_chats(s, tb.id, include_private=False)) == ["g1", "g2"]
        assert ext(await village_chats(s, tb.id, tags=["huu-tri", "x"])) == ["g2"]
        assert ext(await commune_chats(s)) == ["dm-res", "g1", "g2", "g3"]
        assert ext(await commune_chats(s, tags=["dang-vien"])) == ["g2", "g3"]

        officials = await village_officials(s, tb.id)
        assert [(r.title, p.display_name) for r, p in officials] == [
            ("Trưởng thôn", "Off"), ("Tổ CNS", "Silent"), ("Chủ tịch xã", "Com")]
        assert [p.display_name for _, p in await village_officials(
            s, tb.id, include_commune=False)] == ["Off", "Silent"]
        assert ext(await official_chats(s, tb.id)) == ["dm-com", "dm-off"]
        assert ext(await official_chats(s, ap.id, include_commune=False)) == []

        revoked = await revoke_roles(s, person_id=off.id, now=NOW)
        assert [r.title for r in revoked] == ["Trưởng thôn"]
        assert ext(await official_chats(s, tb.id)) == ["dm-com"]
        assert await revoke_roles(s, person_id=com.id, now=NOW, village_id=tb.id,
                                  only_place=True) == []
        assert len(await revoke_roles(s, person_id=com.id, now=NOW, village_id=None,
                                      only_place=True)) == 1


async def test_recent_audit_newest_first(db: Database) -> None:
    async with db.session() as s:
        v = await create_village(s, code="thanhbinh", name="Thôn Thanh Bình", now=NOW)
        p = Person(platform="web", external_id="admin", display_name="Admin", created_at=NOW)
        s.add(p)
        await s.flush()
        await repo.audit(s, now=NOW, action="taothon", person_id=p.id, village_id=v.id if v
                         else None, detail="thanhbinh")
        await repo.audit(s, now=NOW + timedelta(minutes=1), action="capquyen", allowed=False,
                         person_id=None, detail="x")
        await s.flush()
        rows = await recent_audit(s, limit=5)
        assert [(a.action, a.allowed, pp.display_name if pp else None, vv.code if vv else None)
                for a, pp, vv in rows] == [("capquyen", False, None, None),
                                           ("taothon", True, "Admin", "thanhbinh")]


# ---------------------------------------------------------------- wire level (all platforms)


async def _db(h: Harness):  # type: ignore[no-untyped-def]
    """A fresh session on the running bot's database (reads only)."""
    return h.services.db.session()


async def _chat_row(h: Harness, logical: str, user: str = "resident") -> Chat:
    from sqlmodel import select

    async with await _db(h) as s:
        return (await s.exec(select(Chat).where(
            Chat.platform == h.platform, Chat.external_id == h.chat_id(logical, user)))).one()


async def _village(h: Harness, code: str) -> Village:
    async with await _db(h) as s:
        village = await repo.village_by_code(s, code)
        assert village is not None
        return village


async def _titles(h: Harness, code: str | None) -> list[tuple[str, str]]:
    """(title, person external id) of the active officials of a village (or the commune)."""
    async with await _db(h) as s:
        vid = (await _village(h, code)).id if code else None
        return [(r.title, p.external_id) for r, p in await village_officials(
            s, vid, include_commune=False)]


async def _audits(h: Harness) -> list[tuple[str, bool]]:
    async with await _db(h) as s:
        return [(a.action, a.allowed) for a, _p, _v in await recent_audit(s, limit=100)]


def _last_user_message_id(h: Harness, chat: str, user: str) -> str:
    """Platform id of the latest message ``user`` wrote in ``chat`` (Telegram and web)."""
    cid = h.chat_id(chat, user)
    if h.platform == "telegram":
        assert h.tg is not None
        ids = [mid for (c, mid), m in h.tg.messages.items()
               if str(c) == cid and str(m.get("from", {}).get("id")) == h.user_id(user)]
        return str(max(ids))
    assert h.bot is not None and h.bot.webchat is not None
    entries = [e for e in h.bot.webchat.messenger.transcripts[cid] if e["from"] == user]
    return str(entries[-1]["id"])


async def test_villages_chats_and_subscriptions(harness_factory, platform: str) -> None:
    h = await harness_factory(platform)
    assert "/taothon" in (await h.say("/taothon", user="admin", chat="dm"))[0]
    assert "thanhbinh" in (await h.say("/taothon Thôn-Sai ten", user="admin", chat="dm"))[0]
    done = await h.say("/taothon DongXa  Thôn Đông Xá", user="admin", chat="dm")
    assert "Thôn Đông Xá" in done[0] and "/ketnoi dongxa" in done[0]
    assert "dongxa" in (await h.say("/taothon dongxa Khác", user="admin", chat="dm"))[0]

    # link a group, with tags; bad tags and unknown villages are explained
    assert "/ketnoi thanhbinh" in (await h.say("/ketnoi", user="admin", chat="group4"))[0]
    unknown = (await h.say("/ketnoi dongxaa", user="admin", chat="group4"))[0]
    assert "dongxa" in unknown and "thanhbinh" in unknown and "anphu" in unknown
    assert "hội" in (await h.say("/ketnoi dongxa hội", user="admin", chat="group4"))[0]
    linked = await h.say("/ketnoi dongxa #Huu-Tri dang-vien", user="admin", chat="group4")
    assert "Thôn Đông Xá" in linked[0] and "huu-tri, dang-vien" in linked[0]
    row = await _chat_row(h, "group4")
    dongxa = await _village(h, "dongxa")
    assert (row.village_id, row.tag_list) == (dongxa.id, ["huu-tri", "dang-vien"])

    # a resident subscribes the private chat; /dangky in a group explains itself
    assert "/ketnoi" in (await h.say("/dangky dongxa", user="resident", chat="group1"))[0]
    assert "thanhbinh" in (await h.say("/dangky", user="resident", chat="dm"))[0]
    sub = await h.say("/dangky dongxa", user="resident", chat="dm")
    assert "Thôn Đông Xá" in sub[0] and "/huydangky" in sub[0]
    moved = await h.say("/dangky thanhbinh", user="resident", chat="dm")
    assert "Thôn Đông Xá" in moved[0] and "Thôn Thanh Bình" in moved[0]
    async with await _db(h) as s:
        tb = await _village(h, "thanhbinh")
        assert tb.id and dongxa.id
        chats = {c.external_id for c in await village_chats(s, tb.id)}
        assert h.chat_id("dm", "resident") in chats and h.chat_id("group1") in chats
        assert [c.external_id for c in await village_chats(s, dongxa.id)] == [
            h.chat_id("group4")]
        assert [c.external_id for c in await village_chats(s, tb.id, tags=["dang-vien"])] == [
            h.chat_id("group2")]
    assert "Thôn Thanh Bình" in (await h.say("/huydangky", user="resident", chat="dm"))[0]
    assert "/dangky" in (await h.say("/huydangky", user="resident", chat="dm"))[0]
    assert (await _chat_row(h, "dm", "resident")).village_id is None

    # unlink
    assert "Thôn Đông Xá" in (await h.say("/ngatketnoi", user="admin", chat="group4"))[0]
    assert (await _chat_row(h, "group4")).village_id is None
    assert (await h.say("/ngatketnoi", user="admin", chat="group4"))[0]
    assert [a for a, ok in await _audits(h) if ok] == ["ngatketnoi", "ketnoi", "taothon"]


async def test_grant_and_revoke_by_explicit_id(harness_factory, platform: str) -> None:
    h = await harness_factory(platform)
    who = f"{platform}:{h.user_id('resident2')}"
    assert "/capquyen" in (await h.say("/capquyen", user="admin", chat="dm"))[0]
    assert "/capquyen" in (await h.say(f"/capquyen {who} thanhbinh", user="admin",
                                       chat="dm"))[0]
    assert "anphu" in (await h.say(f"/capquyen {who} nowhere Trưởng", user="admin",
                                   chat="dm"))[0]
    done = await h.say(f"/capquyen {who} thanhbinh Tổ công nghệ số", user="admin", chat="dm")
    assert "Tổ công nghệ số" in done[0] and "Thôn Thanh Bình" in done[0]
    assert (await _titles(h, "thanhbinh")) == [
        ("Trưởng thôn", h.user_id("official")), ("Tổ công nghệ số", h.user_id("resident2"))]
    await h.say(f"/capquyen {who} xa Phó chủ tịch xã", user="admin", chat="dm")
    assert await _titles(h, None) == [("Phó chủ tịch xã", h.user_id("resident2"))]

    # residents read the list; names appear once the person has written to the bot
    await h.say("/toi", user="resident2", chat="dm")
    canbo = "\n".join(await h.say("/canbo", user="resident", chat="group1"))
    assert "Trưởng thôn: Nguyễn Văn Ba" in canbo
    assert "Tổ công nghệ số: Lê Văn Năm" in canbo
    assert "Phó chủ tịch xã (cấp xã): Lê Văn Năm" in canbo
    assert "Nguyễn Văn Ba" not in "\n".join(await h.say("/canbo anphu", user="resident",
                                                         chat="dm"))
    assert "thanhbinh" in (await h.say("/canbo", user="resident", chat="dm"))[0]

    # the new official is an official now: /caidat is no longer refused
    listed = "\n".join(await h.say("/caidat", user="resident2", chat="group1"))
    assert "/caidat quantri" in listed

    revoked = await h.say(f"/thuhoiquyen {who} xa", user="admin", chat="dm")
    assert "Phó chủ tịch xã" in revoked[0]
    assert await _titles(h, None) == []
    assert "Tổ công nghệ số" in (await h.say(f"/thuhoiquyen {who}", user="admin",
                                             chat="dm"))[0]
    assert await _titles(h, "thanhbinh") == [("Trưởng thôn", h.user_id("official"))]
    assert "Lê Văn Năm" in (await h.say(f"/thuhoiquyen {who}", user="admin", chat="dm"))[0]
    assert "Chỉ cán bộ" in (await h.say("/caidat", user="resident2", chat="group1"))[0]
    assert [a for a, ok in await _audits(h) if ok] == [
        "thuhoiquyen", "thuhoiquyen", "capquyen", "capquyen"]


@pytest.mark.parametrize("platform", ["telegram", "web"])
async def test_grant_and_revoke_by_reply(harness_factory, platform: str) -> None:
    h = await harness_factory(platform)
    await h.say("Chào cả nhà", user="resident2", chat="group1")
    mid = _last_user_message_id(h, "group1", "resident2")
    done = await h.say("/capquyen thanhbinh Bí thư chi bộ", user="admin", chat="group1",
                       reply_to=mid)
    assert "Lê Văn Năm" in done[0] and "Bí thư chi bộ" in done[0]
    assert ("Bí thư chi bộ", h.user_id("resident2")) in await _titles(h, "thanhbinh")
    again = await h.say("/capquyen thanhbinh Bí thư", user="admin", chat="group1", reply_to=mid)
    assert "Bí thư" in again[0]
    assert ("Bí thư", h.user_id("resident2")) in await _titles(h, "thanhbinh")
    revoked = await h.say("/thuhoiquyen", user="admin", chat="group1", reply_to=mid)
    assert "Bí thư" in revoked[0]
    assert await _titles(h, "thanhbinh") == [("Trưởng thôn", h.user_id("official"))]


async def test_grant_by_telegram_username(harness_factory) -> None:
    h = await harness_factory("telegram")
    ask = await h.say("/capquyen @resident2 thanhbinh Tổ CNS", user="admin", chat="dm")
    assert "@resident2" in ask[0] and "/toi" in ask[0]
    assert await _titles(h, "thanhbinh") == [("Trưởng thôn", h.user_id("official"))]
    await h.say("/toi", user="resident2", chat="dm")
    done = await h.say("/capquyen @Resident2 thanhbinh Tổ CNS", user="admin", chat="dm")
    assert "Lê Văn Năm" in done[0]
    assert ("Tổ CNS", h.user_id("resident2")) in await _titles(h, "thanhbinh")


async def test_refusals_change_nothing_and_are_audited(harness_factory, platform: str) -> None:
    h = await harness_factory(platform)
    who = f"{platform}:{h.user_id('resident')}"
    refused = await h.say(f"/capquyen {who} thanhbinh Trưởng thôn", user="resident",
                          chat="group1")
    assert refused == ["Chỉ quản trị viên mới dùng được lệnh này."]
    assert "Chỉ quản trị viên" in (await h.say("/ketnoi thanhbinh", user="official",
                                               chat="group4"))[0]
    assert "Chỉ quản trị viên" in (await h.say("/taothon abc Thôn ABC", user="official",
                                               chat="dm"))[0]
    assert "Chỉ quản trị viên" in (await h.say("/nhatky", user="official", chat="dm"))[0]
    assert "Chỉ cán bộ" in (await h.say("/caidat quantri bat", user="resident",
                                        chat="group1"))[0]
    assert await _titles(h, "thanhbinh") == [("Trưởng thôn", h.user_id("official"))]
    assert (await _chat_row(h, "group4")).village_id is None
    async with await _db(h) as s:
        assert await repo.village_by_code(s, "abc") is None
    assert await _audits(h) == [("caidat", False), ("nhatky", False), ("taothon", False),
                                ("ketnoi", False), ("capquyen", False)]


async def test_nhatky_shows_local_time_names_and_refusals(harness_factory, platform) -> None:
    h = await harness_factory(platform)
    assert "chưa có mục" in (await h.say("/nhatky", user="admin", chat="dm"))[0]
    await h.say("/taothon dongxa Thôn Đông Xá", user="admin", chat="dm")
    await h.clock.advance(3600)
    await h.say("/ketnoi dongxa", user="resident", chat="group4")
    log = "\n".join(await h.say("/nhatky", user="admin", chat="dm"))
    lines = log.splitlines()
    assert "2 mục" in lines[0]
    assert lines[1].startswith("21/11/2026 21:30 · Trần Thị Tư · /ketnoi · BỊ TỪ CHỐI")
    assert lines[2].startswith("21/11/2026 20:30 · Quản Trị · /taothon · thôn dongxa")
    assert "Thôn Đông Xá" in lines[2]
    one = "\n".join(await h.say("/nhatky 1", user="admin", chat="dm")).splitlines()
    assert len(one) == 2 and "1 mục" in one[0] and "/ketnoi" in one[1]


async def test_caidat_quantri_setting(harness_factory, platform: str) -> None:
    h = await harness_factory(platform)
    assert "đang tắt" in (await h.say("/caidat quantri", user="official", chat="group1"))[0]
    assert "Thôn Thanh Bình" in (await h.say("/caidat quantri bật", user="official",
                                             chat="group1"))[0]
    assert (await _village(h, "thanhbinh")).settings == {"telegram_admins_are_officials": True}
    assert "đang bật" in (await h.say("/caidat quan-tri", user="official", chat="dm"))[0]
    # an official of another village cannot change it
    await h.say("/caidat quantri tat", user="outsider", chat="group1")
    assert (await _village(h, "thanhbinh")).settings == {"telegram_admins_are_officials": True}
    await h.say("/caidat quantri tat", user="official", chat="group1")
    assert (await _village(h, "thanhbinh")).settings == {"telegram_admins_are_officials": False}


async def test_telegram_group_admin_counts_as_official_when_on(harness_factory) -> None:
    import inspect

    from bot.core import pipeline

    if "extra_official" not in inspect.getsource(pipeline):
        pytest.skip("the pipeline does not call bot.db.villages.extra_official yet")
    h = await harness_factory("telegram")
    assert h.tg is not None
    h.tg.set_member(int(h.chat_id("group1")), int(h.user_id("resident")), "administrator")
    assert "Chỉ cán bộ" in (await h.say("/caidat", user="resident", chat="group1"))[0]
    await h.say("/caidat quantri bat", user="official", chat="group1")
    assert "/caidat quantri" in "\n".join(await h.say("/caidat", user="resident",
                                                      chat="group1"))
    # not in a private chat, and not for a plain member of the group
    assert "Chỉ cán bộ" in (await h.say("/caidat", user="resident", chat="dm"))[0]
    assert "Chỉ cán bộ" in (await h.say("/caidat", user="resident2", chat="group1"))[0]


@pytest.mark.parametrize("anonymous", [False, True])
async def test_supergroup_migration_keeps_link(harness_factory, anonymous: bool) -> None:
    h = await harness_factory("telegram")
    assert h.tg is not None and h.bot is not None
    old, new = int(h.chat_id("group2")), -1009999999999
    target = h.bot.pipeline.handled + 1
    if anonymous:  # what Telegram sends when an anonymous admin upgrades the group
        update = h.tg.make_migrate_update(old, new)
    else:  # the service message from the admin who upgraded it
        update = h.tg.make_message_update(old, int(h.user_id("admin")), None, username="admin",
                                          first_name="Quản Trị",
                                          extra={"migrate_to_chat_id": new})
        h.tg.migrate_chat(old, new)
    h.tg.inject(update)
    await h.bot.pipeline.wait_handled(target)
    async with await _db(h) as s:
        tb = await _village(h, "thanhbinh")
        assert tb.id
        moved = [c for c in await village_chats(s, tb.id) if c.external_id == str(new)]
        assert [(c.is_group, c.tag_list) for c in moved] == [(True, ["dang-vien"])]
        assert str(old) not in {c.external_id for c in await village_chats(s, tb.id)}
    # the new supergroup answers as a village chat
    target = h.bot.pipeline.handled + 1
    h.tg.inject(h.tg.make_message_update(new, int(h.user_id("resident")), "/canbo",
                                         username="resident", first_name="Trần Thị Tư"))
    await h.bot.pipeline.wait_handled(target)
    assert any("Trưởng thôn: Nguyễn Văn Ba" in t for t in h.tg.sent_texts(new))


async def test_extra_official_asks_telegram_only_when_the_village_says_so(
    harness_factory,
) -> None:
    from bot.core.context import Context
    from bot.core.events import ChatRef, IncomingMessage, Platform, UserRef
    from bot.core.roles import extra_official
    from bot.db.villages import SETTING_TG_ADMINS

    h = await harness_factory("telegram")
    assert h.tg is not None
    messenger = h.services.messengers[Platform.TELEGRAM]
    h.tg.set_member(int(h.chat_id("group1")), int(h.user_id("resident")), "administrator")

    async def check(user: str, chat: str) -> bool:
        msg = IncomingMessage(
            chat=ChatRef(Platform.TELEGRAM, h.chat_id(chat, user), chat != "dm"),
            sender=UserRef(Platform.TELEGRAM, h.user_id(user), user), text="/caidat",
            message_id="1", date=NOW)
        async with await _db(h) as s:
            chat_row = await repo.upsert_chat(s, msg.chat, NOW)
            person = await repo.upsert_person(s, msg.sender, NOW)
            village = await s.get(Village, chat_row.village_id) if chat_row.village_id else None
            ctx = Context(msg=msg, services=h.services, messenger=messenger, session=s,
                          chat=chat_row, person=person, locale="vi", roles=[],
                          is_admin=False, village=village)
            return await extra_official(ctx)

    assert not await check("resident", "group1")  # setting off
    async with await _db(h) as s:
        village = await repo.village_by_code(s, "thanhbinh")
        assert village is not None
        village.settings = {SETTING_TG_ADMINS: True}
        s.add(village)
    assert await check("resident", "group1")
    assert not await check("resident2", "group1")  # a plain member
    assert not await check("resident", "group4")  # a group of no village
    assert not await check("resident", "dm")
