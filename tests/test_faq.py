"""The FAQ desk: parsing, and (wire level, all platforms) /hoi, /cauhoi, /traloi, /faq, /lienhe."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot.db.models import AuditEntry
from handlers.faq import queries as faq_repo
from handlers.faq.match import load_default_entries
from handlers.faq.models import ANSWERED, OPEN, Question
from handlers.faq.parse import (
    FaqCommand,
    SmallTalk,
    normalize_phone,
    parse_answer,
    parse_faq_command,
    parse_phone_command,
    parse_pick,
    small_talk,
)
from tests.harness import Harness
from tests.test_faq_match import QUERY_TABLE

QUESTIONS = {loc: {e.id: e.question for e in load_default_entries(loc)} for loc in ("vi", "en")}
FORWARDED = "Tôi đã chuyển câu hỏi của bạn tới cán bộ thôn."
REFUSED = "Chỉ cán bộ thôn mới dùng được lệnh này."


# ---------------------------------------------------------------- pure parsing


@pytest.mark.parametrize(("text", "kind"), [
    ("cảm ơn", SmallTalk.THANKS), ("Cám ơn bot nhiều ạ", SmallTalk.THANKS),
    ("thanks", SmallTalk.THANKS), ("thank you so much", SmallTalk.THANKS),
    ("chào", SmallTalk.GREETING), ("Xin chào cả nhà", SmallTalk.GREETING),
    ("hello", SmallTalk.GREETING), ("ok", SmallTalk.ACK), ("Vâng ạ", SmallTalk.ACK),
    ("ok cảm ơn", SmallTalk.THANKS), ("dạ hiểu rồi", SmallTalk.ACK),
    ("cảm ơn cán bộ thôn nhé", SmallTalk.THANKS), ("cam on truong thon a", SmallTalk.THANKS),
    ("Chào tổ trưởng ạ", SmallTalk.GREETING), ("cán bộ thôn", None),
    ("cảm ơn, cho em hỏi căn cước làm ở đâu", None),
    ("chào bác, cho cháu hỏi cách kích hoạt VNeID", None), ("vneid", None),
    ("ok vậy chuyển khoản nhầm thì sao", None), ("", None), ("👍", None),
])
def test_small_talk(text: str, kind: SmallTalk | None) -> None:
    assert small_talk(text) is kind


@pytest.mark.parametrize(("args", "parsed"), [
    ("them Hỏi gì? | Trả lời", FaqCommand("add", question="Hỏi gì?", answer="Trả lời")),
    ("Thêm Q | A | k1, k2", FaqCommand("add", question="Q", answer="A", keywords=("k1", "k2"))),
    ("them không có dấu gạch", FaqCommand("add", well_formed=False)),
    ("sua 3 Trả lời mới", FaqCommand("edit", number=3, answer="Trả lời mới")),
    ("sửa #3 Câu hỏi | Đáp", FaqCommand("edit", number=3, question="Câu hỏi", answer="Đáp")),
    ("sua ba Trả lời", FaqCommand("edit", number=None, answer="Trả lời", well_formed=False)),
    ("xoa 2", FaqCommand("delete", number=2)), ("xóa tài khoản vneid",
                                                 FaqCommand("delete", well_formed=False)),
    ("ds", FaqCommand("list")), ("kich hoat vneid", None), ("", None),
])
def test_parse_faq_command(args: str, parsed: FaqCommand | None) -> None:
    assert parse_faq_command(args) == parsed


def test_parse_answer_pick_and_phone() -> None:
    assert parse_answer("3 Tháng sau ạ +luu") == (3, "Tháng sau ạ", True)
    assert parse_answer("#3 +lưu Tháng sau") == (3, "Tháng sau", True)
    assert parse_answer("3 Tháng sau") == (3, "Tháng sau", False)
    assert parse_answer("ba Tháng sau") == (None, "Tháng sau", False)
    assert [parse_pick(t) for t in ("2", " #2 ", "số 2", "113", "vneid")] == [
        2, 2, 2, None, None]
    assert parse_phone_command("sdt 0912 345 678") == ("set", "0912 345 678")
    assert parse_phone_command("SĐT xóa") == ("remove", None)
    assert parse_phone_command("sdt") == ("show", None)
    assert parse_phone_command("sdt abc") == ("bad", None)
    assert parse_phone_command("thanhbinh") is None
    assert normalize_phone("+84 912.345.678") == "+84 912.345.678"
    assert normalize_phone("12345") is None


# ---------------------------------------------------------------- wire helpers


def _expected_lines(locale: str, expected: object) -> tuple[str, list[str]]:
    """(first line, entry questions that must appear) for a table row."""
    if expected is None:
        return (FORWARDED if locale == "vi" else
                "I passed your question to the village officials."), []
    if isinstance(expected, tuple):
        title = "Có phải bạn muốn hỏi:" if locale == "vi" else "Did you mean:"
        return title, [QUESTIONS[locale][i] for i in expected[1]]
    return QUESTIONS[locale][str(expected)], []


async def _check(h: Harness, locale: str, query: str, expected: object, *, chat: str) -> None:
    replies = await h.say(f"/hoi {query}", user="resident", chat=chat)
    assert replies, query
    first, listed = _expected_lines(locale, expected)
    assert replies[0].splitlines()[0].startswith(first), (query, replies[0][:200])
    for question in listed:
        assert question in replies[0], (query, question, replies[0])


async def _questions(h: Harness) -> list[Question]:
    async with h.services.db.session() as s:
        return list((await s.exec(select(Question).order_by(Question.id))).all())


async def _refusals(h: Harness) -> list[str]:
    async with h.services.db.session() as s:
        rows = (await s.exec(select(AuditEntry).where(AuditEntry.allowed == False)  # noqa: E712
                             .order_by(AuditEntry.id))).all()
        return [r.action for r in rows]


async def _entries(h: Harness) -> list[tuple[str, str]]:
    async with h.services.db.session() as s:
        village = 1
        return [(e.question, e.answer) for e in await faq_repo.village_entries(
            s, village_id=village)]


# ---------------------------------------------------------------- the query table, on the wire

WIRE_TABLE = QUERY_TABLE[::2]  # 54 of the matcher's 108 rows, every kind represented
SAMPLE = [QUERY_TABLE[i] for i in (0, 16, 26, 44, 87, 93, 103, 106)]


async def test_query_table_through_hoi_on_web(harness_factory) -> None:
    h = await harness_factory("web")
    await h.say("/toi", user="official", chat="dm")
    await h.say("/dangky thanhbinh", user="resident", chat="dm")
    await h.say("/ngonngu en", user="resident", chat="dm")
    assert len(WIRE_TABLE) >= 40
    for locale, query, expected in WIRE_TABLE:
        await _check(h, locale, query, expected, chat="group1" if locale == "vi" else "dm")
    kinds = {type(e) for _l, _q, e in WIRE_TABLE}
    assert kinds == {str, tuple, type(None)}
    unanswered = [q.text for q in await _questions(h)]
    assert unanswered == [q for _l, q, e in WIRE_TABLE if e is None]


async def test_query_sample_on_every_platform(harness_factory, platform: str) -> None:
    h = await harness_factory(platform)
    await h.say("/toi", user="official", chat="dm")
    await h.say("/dangky thanhbinh", user="resident", chat="dm")
    await h.say("/ngonngu en", user="resident", chat="dm")
    for locale, query, expected in SAMPLE:
        await _check(h, locale, query, expected, chat="group1" if locale == "vi" else "dm")


# ---------------------------------------------------------------- private chat, choices


async def test_plain_question_small_talk_and_choices(harness_factory, platform: str) -> None:
    h = await harness_factory(platform)
    answer = await h.say("cach kich hoat vneid", user="resident", chat="dm")
    assert answer[0].splitlines()[0] == QUESTIONS["vi"]["vneid-kich-hoat"]
    assert "Không có gì" in (await h.say("cảm ơn", user="resident", chat="dm"))[0]
    assert "Chào bạn" in (await h.say("chào", user="resident", chat="dm"))[0]
    assert await h.say("ok", user="resident", chat="dm") == []
    assert await _questions(h) == []

    listed = (await h.say("vneid", user="resident", chat="dm"))[0]
    lines = listed.splitlines()
    assert lines[0] == "Có phải bạn muốn hỏi:"
    second = lines[2].split(". ", 1)[1]
    assert "Gõ số 2" in listed
    assert (await h.say("/hoi 2", user="resident", chat="dm"))[0].splitlines()[0] == second
    assert (await h.say("2", user="resident", chat="dm"))[0].splitlines()[0] == second
    assert "từ 1 đến" in (await h.say("/hoi 9", user="resident", chat="dm"))[0]

    # in a group: the list belongs to the person who asked
    group = (await h.say("/faq wifi", user="resident", chat="group1"))[0]
    assert group.startswith("Có phải bạn muốn hỏi:") and "/hoi 2" in group
    first = group.splitlines()[1].split(". ", 1)[1]
    assert (await h.say("/hoidap 1", user="resident", chat="group1"))[0].startswith(first)
    assert "Chưa có danh sách" in (await h.say("/hoi 1", user="resident2",
                                               chat="group1"))[0]


# ---------------------------------------------------------------- routing and answering


async def test_unanswered_questions_reach_officials(harness_factory, platform: str) -> None:
    h = await harness_factory(platform)
    await h.say("/dangky thanhbinh", user="resident", chat="dm")
    nobody = await h.say("thôn mình bao giờ đổ bê tông đường xóm", user="resident", chat="dm")
    assert "chưa liên lạc được với cán bộ" in nobody[0]

    await h.say("/toi", user="official", chat="dm")
    before = len(h.sent("dm", user="official"))
    forwarded = await h.say("Bao giờ thôn họp tổng kết cuối năm?", user="resident", chat="dm")
    assert len(forwarded) == 1 and forwarded[0].startswith(FORWARDED)
    notified = (await h.wait_sent("dm", before + 1, user="official"))[-1]
    assert "Câu hỏi mới (Thôn Thanh Bình)" in notified
    assert "Trần Thị Tư" in notified and "Bao giờ thôn họp tổng kết cuối năm?" in notified
    assert "/traloi 2" in notified

    loa = await h.say("/hoi ai giúp em sửa cái loa phường", user="resident2", chat="group1")
    assert loa[0].startswith(FORWARDED)
    await h.wait_sent("dm", before + 2, user="official")

    listing = "\n".join(await h.say("/cauhoi", user="official", chat="dm"))
    assert "Câu hỏi chưa trả lời của Thôn Thanh Bình (3)" in listing
    assert "2. 21/11/2026 20:30 · Trần Thị Tư: Bao giờ thôn họp tổng kết cuối năm?" in listing
    assert "Lê Văn Năm" in listing and "+luu" in listing
    assert "Chỉ cán bộ" in (await h.say("/cauhoi", user="resident", chat="group1"))[0]
    assert "Chỉ cán bộ" in (await h.say("/traloi 2 không", user="resident", chat="dm"))[0]
    # an official of another village cannot answer it
    assert "Không có câu hỏi số 2" in (await h.say("/traloi 2 Không biết", user="outsider",
                                                    chat="dm"))[0]

    resident_before = len(h.sent("dm", user="resident"))
    done = await h.say("/traloi 2 Họp vào tối 28/12 ở nhà văn hóa. +luu", user="official",
                       chat="dm")
    assert "Đã gửi câu trả lời cho câu hỏi số 2 tới Trần Thị Tư" in done[0]
    assert "mục hỏi đáp số 1" in done[0]
    delivered = (await h.wait_sent("dm", resident_before + 1, user="resident"))[-1]
    assert delivered.startswith("Cán bộ thôn trả lời câu hỏi")
    assert "Họp vào tối 28/12 ở nhà văn hóa." in delivered
    assert "Trưởng thôn Nguyễn Văn Ba" in delivered and "+luu" not in delivered
    assert "đã được trả lời" in (await h.say("/traloi 2 lại", user="official", chat="dm"))[0]

    # the saved answer now answers the same question directly
    again = await h.say("bao gio thon hop tong ket cuoi nam", user="resident", chat="dm")
    assert again[0].splitlines()[0] == "Bao giờ thôn họp tổng kết cuối năm?"
    assert "nhà văn hóa" in again[0]

    # the group question is answered in the group
    group_before = len(h.sent("group1"))
    await h.say("/traloi 3 Tuần sau tổ kỹ thuật qua sửa.", user="official", chat="dm")
    in_group = (await h.wait_sent("group1", group_before + 1))[-1]
    assert "Lê Văn Năm hỏi" in in_group and "Tuần sau tổ kỹ thuật qua sửa." in in_group
    statuses = [(q.id, q.status, q.chat_is_group) for q in await _questions(h)]
    assert statuses == [(1, OPEN, False), (2, ANSWERED, False), (3, ANSWERED, True)]
    assert "(1)" in (await h.say("/cauhoi", user="official", chat="group1"))[0].splitlines()[0]
    assert await _refusals(h) == ["cauhoi", "traloi"]


# ---------------------------------------------------------------- officials' entries


async def test_officials_manage_village_entries(harness_factory, platform: str) -> None:
    h = await harness_factory(platform)
    assert "chưa có mục hỏi đáp riêng" in (await h.say("/faq", user="official",
                                                       chat="group1"))[0]
    added = await h.say("/faq them Nộp quỹ khuyến học ở đâu? | Nộp cho chị Lan, tổ trưởng tổ 3."
                        " | khuyến học, quỹ học", user="official", chat="group1")
    assert added == ["Đã thêm mục hỏi đáp số 1: Nộp quỹ khuyến học ở đâu?"]
    reply = await h.say("/hoi nop quy khuyen hoc o dau", user="resident", chat="group1")
    assert reply[0] == "Nộp quỹ khuyến học ở đâu?\nNộp cho chị Lan, tổ trưởng tổ 3."
    assert (await h.say("/hoi quy hoc", user="resident", chat="group1"))[0].startswith(
        "Nộp quỹ khuyến học ở đâu?")

    # override a default entry with the same question
    override = await h.say("/faq them Chữ ký số là gì? | Hỏi anh Tâm tổ công nghệ số thôn ta.",
                           user="official", chat="dm")
    assert "thay cho câu trả lời chung" in override[0]
    cks = await h.say("/hoi chu ky so la gi", user="resident", chat="group1")
    assert cks[0] == "Chữ ký số là gì?\nHỏi anh Tâm tổ công nghệ số thôn ta."

    edited = await h.say("/faq sua 1 Nộp cho anh Hùng từ tháng này.", user="official",
                         chat="group1")
    assert edited == ["Đã sửa mục hỏi đáp số 1: Nộp quỹ khuyến học ở đâu?"]
    assert "anh Hùng" in (await h.say("/hoi nộp quỹ khuyến học", user="resident",
                                      chat="group1"))[0]
    listing = (await h.say("/faq ds", user="official", chat="group1"))[0]
    assert "(2)" in listing and "1. Nộp quỹ khuyến học ở đâu?" in listing
    assert "2. Chữ ký số là gì?" in listing
    assert "Chỉ cán bộ" not in "\n".join(await h.say("/faq", user="official", chat="dm"))

    # residents and officials of another village change nothing, and are audited
    assert await h.say("/faq them Bị hỏi | Trả lời bậy", user="resident",
                       chat="group1") == [REFUSED]
    assert await h.say("/faq xoa 1", user="resident", chat="dm") == [REFUSED]
    assert await h.say("/faq sua 1 Sai", user="outsider", chat="group1") == [REFUSED]
    assert await h.say("/lienhe sdt 0900 000 000", user="resident", chat="group1") == [REFUSED]
    assert await _refusals(h) == ["faq", "faq", "faq", "lienhe sdt"]
    assert [q for q, _a in await _entries(h)] == ["Nộp quỹ khuyến học ở đâu?",
                                                  "Chữ ký số là gì?"]
    # a resident's question that merely starts like a sub-command is still a question
    assert "Chỉ cán bộ" not in (await h.say("/faq xoa tai khoan vneid the nao",
                                            user="resident", chat="group1"))[0]

    deleted = await h.say("/faq xoa 2", user="official", chat="group1")
    assert deleted == ["Đã xóa mục hỏi đáp số 2: Chữ ký số là gì?"]
    back = await h.say("/hoi chu ky so la gi", user="resident", chat="group1")
    assert back[0].splitlines()[0] == QUESTIONS["vi"]["cks-la-gi"]
    assert "tổ công nghệ số thôn ta" not in back[0]
    assert "không có mục hỏi đáp số 7" in (await h.say("/faq xoa 7", user="official",
                                                       chat="group1"))[0]
    assert "/faq them" in (await h.say("/faq them thiếu dấu", user="official",
                                       chat="group1"))[0]


# ---------------------------------------------------------------- contacts


async def test_lienhe_and_published_phone(harness_factory, platform: str) -> None:
    h = await harness_factory(platform)
    contacts = await h.say("/lienhe", user="resident", chat="group1")
    assert contacts[0].startswith("Liên hệ Thôn Thanh Bình")
    assert "• Trưởng thôn: Nguyễn Văn Ba" in contacts[0] and "—" not in contacts[0]
    assert "Bạn chưa công khai" in (await h.say("/lienhe sdt", user="official",
                                                chat="dm"))[0]
    assert "0912 345 678" in (await h.say("/lienhe sdt 0912 345 678", user="official",
                                          chat="dm"))[0]
    shown = await h.say("/lienhe", user="resident", chat="group1")
    assert "• Trưởng thôn: Nguyễn Văn Ba — 0912 345 678" in shown[0]
    assert "/lienhe sdt 0912" in (await h.say("/lienhe sdt 12", user="official",
                                              chat="dm"))[0]
    assert "Đã gỡ" in (await h.say("/lienhe sdt xoa", user="official", chat="dm"))[0]
    assert "—" not in (await h.say("/lienhe thanhbinh", user="resident", chat="dm"))[0]
    assert "Không có thôn mã" in (await h.say("/lienhe nowhere", user="resident",
                                              chat="dm"))[0]
    assert "/dangky" in (await h.say("/lienhe", user="resident", chat="dm"))[0]


async def test_answer_goes_to_the_askers_platform(harness_factory) -> None:
    """The official answers on the web chat; the resident asked on Zalo: the row targets Zalo."""
    from bot.db.models import Chat, Person
    from bot.delivery.models import OutboxItem

    h = await harness_factory("web")
    now = h.clock.now()
    async with h.services.db.session() as s:
        person = Person(platform="zalo", external_id="zl-77", display_name="Bà Sáu",
                        created_at=now)
        s.add_all([person, Chat(platform="zalo", external_id="zl-77", created_at=now,
                                locale="en")])
        await s.flush()
        s.add(Question(village_id=1, number=1, person_id=person.id or 0, chat_platform="zalo",
                       chat_external_id="zl-77", text="Khi nào phát gạo?", locale="vi",
                       created_at=now))
        await s.commit()
    assert "Bà Sáu: Khi nào phát gạo?" in (await h.say("/cauhoi", user="official",
                                                       chat="dm"))[0]
    done = await h.say("/traloi 1 Sáng thứ Hai.", user="official", chat="dm")
    assert "Bà Sáu" in done[0]
    async with h.services.db.session() as s:
        (item,) = (await s.exec(select(OutboxItem).where(OutboxItem.kind == "faq-answer"))).all()
    assert (item.platform, item.chat_external_id) == ("zalo", "zl-77")
    assert item.payload["title"] == "A village official answered"  # the chat's own language
    assert "Sáng thứ Hai." in item.payload["text"]


async def test_official_is_told_once_to_open_a_private_chat(harness_factory) -> None:
    """A question reaching no official: the official's next group command asks them, once, to
    write to the bot privately; afterwards the resident hears that an official will answer."""
    h = await harness_factory("telegram")
    nobody = await h.say("/hoi bao giờ đổ bê tông đường xóm", user="resident", chat="group1")
    assert "chưa liên lạc được với cán bộ" in nobody[0] and "cán bộ sẽ trả lời" not in nobody[0]
    first = await h.say("/lich-hop", user="official", chat="group1")
    assert len(first) == 2 and "@ThisBot" in first[1] and "/start" in first[1]
    assert "1 câu hỏi của bà con" in first[1]
    assert len(await h.say("/lich-hop", user="official", chat="group1")) == 1
    await h.restart()
    assert len(await h.say("/lich-hop", user="official", chat="group1")) == 1  # once, for good
    await h.say("/start", user="official", chat="dm")
    reached = await h.say("/hoi ai sửa loa phường", user="resident2", chat="group1")
    assert reached[0].startswith(FORWARDED) and "cán bộ sẽ trả lời" in reached[0]
