"""Households: import a village's list, link people on every platform, who a notice missed."""

from __future__ import annotations

import io
from typing import Any

import pytest

from tests.harness import Harness

HAMLETS = 5
TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def windows_1258(text: str) -> bytes:
    """How Windows-1258 writes Vietnamese: â/ê/ô/ă/ơ/ư precomposed, tones as combining marks."""
    import unicodedata

    out, i, nfd = [], 0, unicodedata.normalize("NFD", text)
    while i < len(nfd):
        base, i = nfd[i], i + 1
        marks = []
        while i < len(nfd) and unicodedata.combining(nfd[i]):
            marks.append(nfd[i])
            i += 1
        out.append(unicodedata.normalize("NFC", base + "".join(m for m in marks
                                                               if m not in TONES)))
        out.extend(m for m in marks if m in TONES)
    return "".join(out).encode("cp1258")


def household_csv(count: int = 125, *, encoding: str = "utf-8", extra: str = "") -> bytes:
    lines = ["Xóm,Chủ hộ,Điện thoại"]
    for i in range(1, count + 1):
        lines.append(f"Xóm {(i - 1) // (count // HAMLETS or 1) + 1},Nguyễn Văn Hộ {i},"
                     f"09{i:08d}")
    text = "\n".join(lines) + "\n" + extra
    return windows_1258(text) if encoding == "cp1258" else text.encode(encoding)


async def send_file(h: Harness, data: bytes, name: str, caption: str = "/ho nhap",
                    user: str = "official") -> list[str]:
    """The official sends a document with a caption in their private chat."""
    assert h.bot is not None
    if h.platform == "web":
        before = len(h.sent("dm", user=user))
        target = h.bot.pipeline.handled + 1
        http = await h.http()
        form: Any = __import__("aiohttp").FormData()
        form.add_field("user", user)
        form.add_field("chat", "private")
        form.add_field("text", caption)
        form.add_field("photo", data, filename=name, content_type="text/csv")
        async with http.post(f"{h.base_url}/chat/api/send", data=form) as resp:
            assert resp.status == 200, await resp.text()
        await h.bot.pipeline.wait_handled(target)
        return h.sent("dm", user=user)[before:]
    assert h.tg is not None
    file_id = f"BQACdoc{len(h.tg.files)}"
    h.tg.add_file(file_id, data, kind="document")
    document = {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_name": name,
                "mime_type": "text/csv", "file_size": len(data)}
    before = len(h.sent("dm", user=user))
    target = h.bot.pipeline.handled + 1
    cid = int(h.chat_id("dm", user))
    h.tg.inject(h.tg.make_message_update(
        cid, int(h.user_id(user)), None, chat_type="private", username=user,
        first_name="Nguyễn Văn Ba", extra={"document": document, "caption": caption}))
    await h.bot.pipeline.wait_handled(target)
    return h.sent("dm", user=user)[before:]


@pytest.mark.parametrize("platform", ["telegram", "web"])
async def test_import_125_households_preview_then_apply(harness_factory, platform) -> None:
    h = await harness_factory(platform)
    (preview,) = await send_file(h, household_csv(), "ho.csv")
    assert "125 hộ" in preview and "Sẽ thêm 125 hộ" in preview
    assert "0 hộ đang có" in preview
    # nothing is applied before the confirmation
    assert "chưa có danh sách hộ" in (await h.say("/ho", user="official", chat="dm"))[0]
    (done,) = await h.say("/ho xacnhan", user="official", chat="dm")
    assert "thêm 125 hộ" in done
    (listing,) = await h.say("/ho", user="official", chat="dm")
    assert "(125 hộ)" in listing and "Hộ số 1 · Nguyễn Văn Hộ 1 · Xóm 1 · ĐT 0900000001" in listing
    assert "Xem tiếp: /ho 2" in listing
    # the same file again changes nothing; a changed phone is shown before it is applied
    changed = household_csv().replace(b"0900000007", b"0988888887")
    (preview,) = await send_file(h, changed, "ho.csv")
    assert "Sẽ thêm 0 hộ, cập nhật điện thoại 1 hộ, 124 hộ giữ nguyên" in preview
    assert "Hộ số 7 · Nguyễn Văn Hộ 7: 0900000007 → 0988888887" in preview
    await h.say("/ho huy", user="official", chat="dm")
    assert "0900000007" in (await h.say("/ho", user="official", chat="dm"))[0]


async def test_bad_files_are_refused_whole_with_line_numbers(harness_factory) -> None:
    h = await harness_factory("web")
    bad = household_csv(10, extra="Xóm 2,Nguyễn Văn Hộ 3,0900000003\n,Không Xóm,\n"
                                  "Xóm 1,Trần Văn B,12ab\n")
    (answer,) = await send_file(h, bad, "ho.csv")
    assert "3 dòng lỗi, chưa nhập gì" in answer
    assert "Dòng 12: trùng với dòng 4." in answer
    assert "Dòng 13: thiếu xóm hoặc tên chủ hộ." in answer
    assert 'Dòng 14: số điện thoại "12ab" không hợp lệ.' in answer
    assert "chưa có danh sách hộ" in (await h.say("/ho", user="official", chat="dm"))[0]
    # Windows-1258 (tones as combining marks) and UTF-8 with BOM both read as Vietnamese
    (preview,) = await send_file(h, household_csv(10, encoding="cp1258"), "ho.csv")
    assert "Sẽ thêm 10 hộ" in preview
    await h.say("/ho huy", user="official", chat="dm")
    (preview,) = await send_file(h, household_csv(10, encoding="utf-8-sig"), "ho.csv")
    assert "Sẽ thêm 10 hộ" in preview
    await h.say("/ho xacnhan", user="official", chat="dm")
    assert "Hộ số 2 · Nguyễn Văn Hộ 2 · Xóm 1" in (await h.say("/ho", user="official",
                                                                chat="dm"))[0]
    (big,) = await send_file(h, b"x" * (10 * 1024 * 1024), "ho.csv")
    assert "Tệp quá lớn" in big
    (header,) = await send_file(h, b"a,b,c\n1,2,3\n", "ho.csv")
    assert "dòng tiêu đề" in header
    assert "Không có tệp nào đang chờ" in (await h.say("/ho xacnhan", user="official",
                                                       chat="dm"))[0]


async def test_xlsx_import(harness_factory) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Danh sách hộ thôn Thanh Bình"])
    sheet.append(["STT", "Chủ hộ", "Xóm", "SĐT"])
    sheet.append([1, "Lê Thị Mai", "Xóm Đông", "0912 345 678"])
    sheet.append([2, "Phạm Văn Hùng", "Xóm Tây", None])
    out = io.BytesIO()
    book.save(out)
    h = await harness_factory("web")
    (preview,) = await send_file(h, out.getvalue(), "ho.xlsx")
    assert "Sẽ thêm 2 hộ" in preview
    await h.say("/ho xacnhan", user="official", chat="dm")
    listing = (await h.say("/ho", user="official", chat="dm"))[0]
    assert "Lê Thị Mai · Xóm Đông · ĐT 0912345678" in listing
    assert "Phạm Văn Hùng · Xóm Tây · ĐT -" in listing


async def test_household_edits_links_and_privacy(harness_factory, platform) -> None:
    h = await harness_factory(platform)
    refused = (await h.say("/ho", user="official", chat="group1"))[0]
    assert "tin nhắn riêng" in refused  # never the list (phones) in a group
    assert "Chỉ cán bộ" in (await h.say("/ho them Xóm 1 | A", user="resident", chat="dm"))[0]
    assert "Đã thêm hộ số 1" in (await h.say("/ho them Xóm 1 | Nguyễn Văn An | 0912345678",
                                             user="official", chat="dm"))[0]
    assert "Đã thêm hộ số 2" in (await h.say("/ho them Xóm 2 | Trần Thị Bình",
                                             user="official", chat="dm"))[0]
    assert "không hợp lệ" in (await h.say("/ho them Xóm 2 | C | 123", user="official",
                                          chat="dm"))[0]
    assert "Đã có hộ số 1" in (await h.say("/ho them xom 1 | nguyen van an",
                                           user="official", chat="dm"))[0]
    await h.say("/ho xoa 2", user="official", chat="dm")
    assert "Đã thêm hộ số 3" in (await h.say("/ho them Xóm 2 | Lê Văn Cường",
                                             user="official", chat="dm"))[0]  # 2 never reused
    assert "Không có hộ số 99" in (await h.say("/hocuatoi 99", user="resident"))[0]
    assert "bị xóa" in (await h.say("/ho sua 2 Xóm 2 | X", user="official", chat="dm"))[0]
    asked = (await h.say("/hocuatoi 1", user="resident"))[0]
    assert "hộ số 1" in asked
    assert "chờ cán bộ xác nhận" in (await h.say("/hocuatoi", user="resident"))[0]
    await h.services.outbox.quiet()  # the request reached the official first
    assert "Đã gắn vào hộ số 1: Trần Thị Tư" in "\n".join(await h.say(
        "/ho duyet 1", user="official", chat="dm"))
    assert "Bạn thuộc hộ số 1" in (await h.say("/hocuatoi", user="resident"))[0]
    assert "đã thuộc hộ số 1" in (await h.say("/hocuatoi 3", user="resident"))[0]
    listing = "\n".join(await h.say("/ho", user="official", chat="dm"))
    assert "Hộ số 1 · Nguyễn Văn An · Xóm 1 · ĐT 0912345678 · Trần Thị Tư" in listing
    assert "Hộ số 2" not in listing


async def test_chuanhan_names_exactly_the_households_not_reached(harness_factory) -> None:
    h = await harness_factory("telegram")
    await send_file(h, household_csv(), "ho.csv")
    await h.say("/ho xacnhan", user="official", chat="dm")
    # household 1: a member who writes in group1; household 2: a private subscriber;
    # household 3: a member who is in no chat that gets the notice
    await h.say("/hocuatoi 1", user="resident", chat="group1")
    await h.say("/dangky thanhbinh", user="resident2", chat="dm")
    await h.say("/hocuatoi 2", user="resident2", chat="dm")
    await h.say("/ho duyet 1", user="official", chat="dm")
    await h.say("/ho duyet 2", user="official", chat="dm")
    await h.say(f"/ho lienket 3 telegram:{h.user_id('admin')}", user="official", chat="dm")
    await h.say("/thongbao Sáng mai cắt điện từ 7h đến 11h.", user="official", chat="group1")
    await h.say("/xacnhan", user="official", chat="group1")
    await h.services.outbox.quiet()
    assert any("cắt điện" in t for t in h.sent("dm", user="resident2"))
    (first,) = await h.say("/chuanhan 1", user="official", chat="dm")
    assert "2/125 hộ đã nhận, 0 hộ đã xem." in first
    assert "Xóm 1:" in first and "• Hộ số 3 · Nguyễn Văn Hộ 3 · ĐT 0900000003" in first
    assert "Hộ số 1 ·" not in first and "Hộ số 2 ·" not in first
    assert "Xem tiếp: /chuanhan 1 2" in first
    await h.say("/dadoc 1", user="resident", chat="group1")
    (again,) = await h.say("/chuanhan 1", user="official", chat="dm")
    assert "2/125 hộ đã nhận, 1 hộ đã xem." in again
    (last,) = await h.say("/chuanhan 1 7", user="official", chat="dm")
    assert "Đã nhận nhưng chưa xem:" in last and "• Hộ số 2 · Nguyễn Văn Hộ 2" in last
    assert "Hộ số 1 ·" not in last
    listing = (await h.say("/ho", user="official", chat="dm"))[0]
    assert "Hộ số 1 · Nguyễn Văn Hộ 1" in listing and "đã nhận TB số 1" in listing
    assert "Hộ số 3 · Nguyễn Văn Hộ 3" in listing and "CHƯA nhận TB số 1" in listing
    # a word that is not a page number is asked about, not ignored
    assert "Cách dùng: /chuanhan" in (await h.say("/chuanhan 1 abc", user="official",
                                                  chat="dm"))[0]
    for huge in ("/chuanhan 99999999999999999999", "/ho sua 99999999999999999999 A | B",
                 "/ho duyet 99999999999999999999"):
        answer = (await h.say(huge, user="official", chat="dm"))[0]
        assert "chưa được gửi" in answer or "Không có hộ số" in answer


async def test_request_button_and_zalo_members(harness_factory) -> None:
    h = await harness_factory("zalo")
    await h.say("/ho them Xóm 1 | Nguyễn Văn An", user="official", chat="dm")
    await h.say("/hocuatoi 1", user="resident", chat="group1")
    await h.services.outbox.quiet()
    request = [t for t in h.sent("dm", user="official") if "xin được ghi vào hộ số 1" in t]
    assert request and "/ho duyet 1" in request[0]
    await h.say("/ho duyet 1", user="official", chat="dm")
    assert "Bạn thuộc hộ số 1" in (await h.say("/hocuatoi", user="resident",
                                               chat="group1"))[0]
