"""The donation ledger and the VietQR code, wire-level on Telegram, Zalo and the web chat."""

from __future__ import annotations

import io

import pytest
import zxingcpp
from PIL import Image

from bot.text.money import format_vnd
from handlers.projects.models import Donation, Follower
from handlers.projects.parse import ParseError, parse_gift
from handlers.projects.vietqr import build_vietqr_payload, crc16_ccitt_false
from tests.projects_support import (
    VCB_BIN,
    audits,
    counts,
    image_bytes,
    rows,
    start_public,
    with_project,
    zalo_photo_fetches,
)

PLATFORMS = ["telegram", "zalo", "web"]

GIFTS = [  # as officials type them, and what must be recorded
    ("2tr Nguyễn Văn A", 2_000_000, "Nguyễn Văn A", False),
    ("1,5tr Trần Thị B", 1_500_000, "Trần Thị B", False),
    ("500k Hảo tâm", 500_000, "", True),
    ("2.000.000 đồng Lê Văn C", 2_000_000, "Lê Văn C", False),
    ("2 triệu rưỡi Gia đình ông D", 2_500_000, "Gia đình ông D", False),
    ("500.000đ Phạm E", 500_000, "Phạm E", False),
]


@pytest.mark.parametrize("text, amount", [
    ("2tr A", 2_000_000), ("2 triệu A", 2_000_000), ("1,5tr A", 1_500_000),
    ("500k A", 500_000), ("500.000đ A", 500_000), ("2.000.000 đồng A", 2_000_000),
    ("1tr5 A", 1_500_000), ("-300k ghi nhầm", -300_000),
])
def test_parse_gift_amounts(text: str, amount: int) -> None:
    assert parse_gift(text).amount == amount


@pytest.mark.parametrize("text, code", [
    ("nhiều tiền A", "bad-amount"), ("0 A", "zero"), ("0đ A", "zero"),
    ("500 A", "too-small"), ("2tr", "no-name"), ("-2tr", "no-reason"), ("", "usage"),
    ("trăm rưỡi Chú Năm", "market-half"),
])
def test_parse_gift_errors(text: str, code: str) -> None:
    with pytest.raises(ParseError) as err:
        parse_gift(text)
    assert err.value.code == code


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_ledger_arithmetic_is_exact(harness_factory, platform: str) -> None:
    h = await harness_factory(platform)
    await with_project(h)
    for text, amount, _name, _anon in GIFTS:
        reply = await h.say(f"/ungho nvh {text}", user="official", chat="group1")
        assert format_vnd(amount) in reply[0], reply  # the understood amount is echoed
    entries = await rows(h, Donation)
    assert [(d.amount, d.donor_name, d.anonymous) for d in entries] == [
        (a, n, anon) for _t, a, n, anon in GIFTS]
    assert all(isinstance(d.amount, int) for d in entries)
    total = sum(a for _t, a, _n, _x in GIFTS)
    assert total == 9_000_000
    ledger = await h.say("/danhsachungho nvh", user="resident", chat="group1")
    text = "\n".join(ledger)
    assert format_vnd(total) in text and "Hảo tâm" in text and "Nguyễn Văn A" in text
    assert "đã đạt <1%" in text and " 0%" not in text  # 9tr of 1,2 tỷ = 0.75 %: not "0 %"
    assert len(await audits(h, "ungho")) == len(GIFTS)


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_corrections_are_new_entries(harness_factory, platform: str) -> None:
    h = await harness_factory(platform)
    await with_project(h, "/congtrinh tao Cổng làng | cong | 10tr")
    await h.say("/ungho cong 2tr Nguyễn Văn A", user="official", chat="group1")
    await h.say("/ungho cong 3tr Trần Thị B", user="official", chat="group1")
    # take back gift #1 in full, by amount; then part of gift #2 by its number
    r1 = await h.say("/ungho cong -2tr ghi nhầm người", user="official", chat="group1")
    assert format_vnd(3_000_000) in r1[0]
    r2 = await h.say("/ungho cong -500k #2 thực nhận 2,5tr", user="official", chat="group1")
    assert format_vnd(2_500_000) in r2[0] and "25%" in r2[0]
    entries = await rows(h, Donation)
    assert [d.amount for d in entries] == [2_000_000, 3_000_000, -2_000_000, -500_000]
    assert entries[2].reverses_id == entries[0].id and entries[3].reverses_id == entries[1].id
    assert sum(d.amount for d in entries) == 2_500_000
    assert len(await audits(h, "ungho-dieuchinh")) == 2
    listing = "\n".join(await h.say("/ds_ungho cong", user="resident", chat="group1"))
    assert "Nguyễn Văn A" in listing and "ghi nhầm người" in listing  # nothing erased
    assert format_vnd(2_500_000) in listing
    before = await counts(h)
    for bad in ("-3tr #2 quá tay", "-1tr #9 không có", "-1tr", "-9tr trừ hết"):
        answer = await h.say(f"/ungho cong {bad}", user="official", chat="group1")
        assert answer, bad
        assert await counts(h) == before, bad


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_bad_gifts_change_nothing(harness_factory, platform: str) -> None:
    h = await harness_factory(platform)
    await with_project(h)
    before = await counts(h)
    cases = [
        ("/ungho nvh nhiều tiền Nguyễn Văn A", "official", "2tr"),
        ("/ungho nvh 0 Nguyễn Văn A", "official", "lớn hơn 0"),
        ("/ungho nvh 0đ Nguyễn Văn A", "official", "lớn hơn 0"),
        ("/ungho nvh 500 Nguyễn Văn A", "official", "1.000"),
        ("/ungho nvh 2tr", "official", "tên"),
        ("/ungho nvh -2tr", "official", "lý do"),
        ("/ungho xyz 2tr Nguyễn Văn A", "official", "nvh"),
        ("/ungho nvh 2tr Nguyễn Văn A", "resident", "cán bộ"),
        ("/ungho nvh 2tr Nguyễn Văn A", "outsider", "cán bộ"),
    ]
    for text, user, expected in cases:
        answer = await h.say(text, user=user, chat="group1")
        assert answer and expected in answer[-1], (text, answer)
        assert await counts(h) == before, text
    refused = [a for a in await audits(h, "ungho") if not a.allowed]
    assert len(refused) == 2


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_ledger_pagination(harness_factory, platform: str) -> None:
    h = await harness_factory(platform)
    await with_project(h)
    for i in range(1, 21):
        await h.say(f"/ungho nvh {i * 100}k Người góp {i:02d}", user="official", chat="group1")
    page1 = "\n".join(await h.say("/danhsachungho nvh", user="resident", chat="group1"))
    assert "Người góp 01" in page1 and "Người góp 15" in page1
    assert "Người góp 16" not in page1 and "1/2" in page1 and "/danhsachungho nvh 2" in page1
    page2 = "\n".join(await h.say("/danhsachungho nvh 2", user="resident", chat="group1"))
    assert "Người góp 16" in page2 and "Người góp 20" in page2 and "Người góp 01" not in page2
    total = sum(i * 100_000 for i in range(1, 21))
    assert format_vnd(total) in page1 and format_vnd(total) in page2
    out = await h.say("/danhsachungho nvh 3", user="resident", chat="group1")
    assert "2" in out[0]


def _decode_qr(png: bytes) -> str:
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert results, "no QR code found"
    return results[0].text


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_vietqr_photo_for_the_official_account(harness_factory, platform: str) -> None:
    h = await start_public(harness_factory, platform)
    await with_project(h)
    texts = await h.say("/ungho nvh", user="resident", chat="group1")
    assert "0011001932418" in texts[-1] and "UNG HO NVH" in texts[-1]
    message = h.messages("group1")[-1]
    assert message["media"] is True
    expected = build_vietqr_payload(VCB_BIN, "0011001932418", None, "UNG HO NVH")
    assert int(expected[-4:], 16) == crc16_ccitt_false(expected[:-4].encode())
    store = h.services.media
    if platform == "telegram":
        assert h.tg is not None
        call = h.tg.calls_to("sendPhoto")[-1]
        png = next(iter(call.files.values()))  # uploaded
    elif platform == "zalo":
        url, status = zalo_photo_fetches(h)[-1]
        assert status == 200
        png = h.zl.photo_fetches[-1].data  # type: ignore[union-attr]
        assert url.startswith(h.base_url)
    else:
        name = message["raw"]["media"][0].rsplit("/", 1)[-1]
        png = store.path(name).read_bytes()
    assert _decode_qr(png) == expected


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_no_qr_without_an_official_account(harness_factory, platform: str) -> None:
    h = await harness_factory(platform)
    await with_project(h, "/congtrinh tao Cổng làng | cong | 10tr")
    texts = await h.say("/ungho cong", user="resident", chat="group1")
    assert "chưa có tài khoản" in texts[-1]
    assert h.messages("group1")[-1]["media"] is False


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_donor_with_platform_id_follows_unless_declined(
    harness_factory, platform: str
) -> None:
    h = await start_public(harness_factory, platform)
    await with_project(h)
    donor = f"{platform}:{h.user_id('resident2')}"
    await h.say(f"/ungho nvh 1tr Lê Văn Năm {donor}", user="official", chat="group1")
    (entry,) = await rows(h, Donation)
    assert entry.donor_name == "Lê Văn Năm" and entry.donor_external_id == h.user_id("resident2")
    (follow,) = await rows(h, Follower)
    assert follow.active and follow.chat_external_id == h.chat_id("dm", "resident2")
    await h.say("#nvh Đổ móng", user="official", chat="group1", photo=image_bytes((3, 99, 3)))
    got = await h.wait_sent("dm", 1, user="resident2")
    assert "Đổ móng" in got[-1]
    # resident declines; a later gift does not make them follow again
    await h.say("/botheodoi nvh", user="resident", chat="dm")
    await h.say(f"/ungho nvh 1tr Trần Thị Tư {platform}:{h.user_id('resident')}",
                user="official", chat="group1")
    followers = {f.chat_external_id: f.active for f in await rows(h, Follower)}
    assert followers[h.chat_id("dm", "resident")] is False


async def test_donor_by_reply_on_telegram(harness_factory) -> None:
    h = await harness_factory("telegram")
    await with_project(h)
    await h.say("Em gửi 500 nghìn ủng hộ nhà văn hóa", user="resident2", chat="group1")
    assert h.tg is not None
    uid = int(h.user_id("resident2"))
    target = max(mid for (key, mid), m in h.tg.messages.items()
                 if (m.get("from") or {}).get("id") == uid)
    await h.say("/ungho nvh 500k", user="official", chat="group1", reply_to=str(target))
    (entry,) = await rows(h, Donation)
    assert (entry.amount, entry.donor_name, entry.donor_external_id) == (
        500_000, "Lê Văn Năm", h.user_id("resident2"))
    (follow,) = await rows(h, Follower)
    assert follow.active


@pytest.mark.parametrize("platform", ["web"])
async def test_spoken_amount_and_name(harness_factory, platform: str) -> None:
    h = await harness_factory(platform)
    await with_project(h)
    reply = await h.say("/ungho nvh năm trăm nghìn Nguyễn Văn A", user="official", chat="group1")
    assert format_vnd(500_000) in reply[0], reply
    assert [(d.amount, d.donor_name) for d in await rows(h, Donation)] == [
        (500_000, "Nguyễn Văn A")]
    asked = await h.say("/ungho nvh trăm rưỡi Chú Năm", user="official", chat="group1")
    assert "150.000 đồng hay 150 đồng" in asked[0], asked
    assert len(await rows(h, Donation)) == 1
