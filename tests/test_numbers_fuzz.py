"""Hostile ``<n>`` arguments (issue 13.9): every command of the command table, the sub-commands
that take a number and every button, with numbers no database column holds (20 digits,
2^31, 2^64, 4000 digits) and digits that are not ASCII.  Each gets an ordinary answer (not
found / usage): no exception is logged and nobody reads "Xin lỗi, tôi gặp lỗi…".
"""

from __future__ import annotations

import logging

import pytest

from bot.text.numbers import db_id, parse_number, split_number
from tests.harness import Harness

HOSTILE = ["99999999999999999999", "#18446744073709551616", "2147483648", "9" * 4000,
           "²", "٣", "-1", "0"]
SUBCOMMANDS = ["/faq xoa {n}", "/faq sua {n} Tại công an xã", "/nhacdinhky xoa {n}",
               "/danhsachungho duongbt {n}", "/ungho duongbt -1000 {n} nhập nhầm",
               "/doihop {n} 20h chủ nhật tuần sau", "/traloi {n} Mang căn cước",
               "/ho sua {n} Xóm 1 | Nguyễn Văn A", "/ho xoa {n}", "/ho duyet {n}", "/ho trang {n}",
               "/bieuquyet xacnhan {n}", "/bieuquyet huy {n}", "/chon {n} 1", "/chon 1 {n}",
               "/xuly {n} đã cử người", "/xong {n} đã sửa", "/tuchoi {n} trùng",
               "/phananhcuatoi {n} anten", "/phananh {n}"]
BUTTON_FORMS = ["{p}:{n}", "{p}:ok:{n}", "{p}:no:{n}", "{p}:yes:{n}", "{p}:{n}:1", "{p}:1:{n}"]
SETUP = ["/taohop 19h thứ 7 tuần sau | nhà văn hoá | họp dân",
         "/congtrinh tao Đường bê tông xóm 3 | duongbt | 500 triệu",
         "/announce Lịch tiêm phòng cho trẻ em sáng mai"]
SKIP = {"announce", "taohop", "congtrinh", "capnhat", "taothon", "ketnoi", "ngatketnoi"}


def test_parser() -> None:
    assert parse_number(" #12 ") == 12
    assert parse_number("99999999999999999999") == 99999999999999999999
    assert [parse_number(t) for t in ("", "1a", "-1", "²", "٣", "1 2", "9" * 101)] == [None] * 7
    assert split_number("2 20h thứ 7") == (2, "20h thứ 7")
    assert split_number("#3") == (3, "")
    assert split_number("20h thứ 7") == (None, "20h thứ 7")
    assert db_id(5) == 5
    assert db_id(2**31) == db_id(10**19) == db_id(None) == -1


@pytest.mark.parametrize("platform", ["telegram", "web"])
async def test_hostile_numbers_get_ordinary_answers(
    harness_factory, platform: str, caplog: pytest.LogCaptureFixture
) -> None:
    h: Harness = await harness_factory(platform)
    for text in SETUP:
        await h.say(text, user="official", chat="group1")
    names = [c.name for c in h.services.commands.commands if c.name not in SKIP]
    assert {"xacnhan", "huy", "daxem", "dadoc", "traloi", "huyhop", "lich_hop"} <= set(names)
    internal = h.services.i18n.t("vi", "error-internal")
    problems: list[str] = []
    caplog.set_level(logging.ERROR)
    for n in HOSTILE:
        texts = [f"/{name} {n}" for name in names] + [t.format(n=n) for t in SUBCOMMANDS]
        for text in texts:
            caplog.clear()
            replies = await h.say(text, user="admin", chat="group1")
            if internal in replies or caplog.records:
                problems.append(f"{text[:60]}: {[r.getMessage()[:80] for r in caplog.records]}")
        for text in SUBCOMMANDS:  # private-only forms (/ho …) in the official's own chat
            caplog.clear()
            replies = await h.say(text.format(n=n), user="official", chat="dm")
            if internal in replies or caplog.records:
                problems.append(f"dm {text[:60]}: {[r.getMessage()[:80] for r in caplog.records]}")
        for prefix in h.services.commands.buttons:  # every registered button
            for form in BUTTON_FORMS:
                data = form.format(p=prefix, n=n)
                caplog.clear()
                replies = await h.press(data, user="admin", chat="group1")
                if internal in replies or caplog.records:
                    problems.append(f"button {data[:40]}: "
                                    f"{[r.getMessage()[:80] for r in caplog.records]}")
    assert problems == []


async def test_not_found_answer_for_20_digits(harness_factory) -> None:
    h: Harness = await harness_factory("telegram")
    n = "99999999999999999999"
    assert await h.say(f"/xacnhan {n}", user="official", chat="dm") == [
        h.services.i18n.t("vi", "draft-none")]  # /xacnhan confirms any kind of draft
    assert await h.say(f"/huyhop {n}", user="official", chat="group1") == [
        h.services.i18n.t("vi", "meeting-not-found", n=int(n))]
    assert await h.say(f"/traloi {n} Mang căn cước", user="official", chat="group1") == [
        h.services.i18n.t("vi", "traloi-unknown", number=int(n))]


async def test_webchat_messages_after_must_be_a_number(harness_factory) -> None:
    h: Harness = await harness_factory("web")
    http = await h.http()
    for after in ("abc", "1e3", "99999999999999999999999" * 300):
        async with http.get(f"{h.base_url}/chat/api/messages",
                            params={"user": "resident", "chat": "group1",
                                    "after": after}) as resp:
            assert resp.status == 400, (after[:20], resp.status)
    async with http.get(f"{h.base_url}/chat/api/messages",
                        params={"user": "resident", "chat": "group1", "after": "0"}) as resp:
        assert resp.status == 200
