"""Tests for bot.qrimage: PNGs decode back to the exact data (zxing-cpp is the reader)."""

from __future__ import annotations

import io

import pytest
import zxingcpp
from PIL import Image

from bot.qrimage import POSTER_SIZE, poster_png, qr_png
from handlers.projects.vietqr import build_vietqr_payload

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PAYLOAD = build_vietqr_payload("970436", "1234567890", 2_000_000, "Ủng hộ nhà văn hoá thôn")
URL = "https://example.org/thon-dong-xa?ref=poster"


def open_png(data: bytes) -> Image.Image:
    assert data.startswith(PNG_SIGNATURE)
    img = Image.open(io.BytesIO(data))
    assert img.format == "PNG"
    return img


def decoded(img: Image.Image) -> list[str]:
    return sorted(
        result.text
        for result in zxingcpp.read_barcodes(img.convert("L"))
        if result.format == zxingcpp.BarcodeFormat.QRCode
    )


@pytest.mark.parametrize("data", [PAYLOAD, URL, "Trang thông tin thôn Đông Xá"])
def test_qr_png_decodes_to_the_data(data: str) -> None:
    img = open_png(qr_png(data))
    assert decoded(img) == [data]
    assert img.width == img.height


def test_qr_png_scale_sets_the_size() -> None:
    small = open_png(qr_png(PAYLOAD, scale=4))
    big = open_png(qr_png(PAYLOAD, scale=8))
    assert big.width == 2 * small.width
    assert small.width % 4 == 0
    assert decoded(small) == [PAYLOAD]


def test_qr_png_rejects_zero_scale() -> None:
    with pytest.raises(ValueError):
        qr_png(PAYLOAD, scale=0)


def test_caption_adds_text_below_and_keeps_the_code_readable() -> None:
    bare = open_png(qr_png(PAYLOAD))
    captioned = open_png(
        qr_png(
            PAYLOAD,
            caption_lines=["Vietcombank · 1234567890", "NGUYỄN VĂN ĐỨC", "2.000.000 ₫"],
        )
    )
    assert captioned.width == bare.width
    assert captioned.height > bare.height + 3 * 20  # three lines of at least 20 px
    assert decoded(captioned) == [PAYLOAD]
    # the caption area is not blank: some dark pixels below the code
    caption_area = captioned.convert("L").crop((0, bare.height, captioned.width, captioned.height))
    lo, _ = caption_area.getextrema()
    assert lo < 128


def test_long_caption_wraps_inside_the_image() -> None:
    img = open_png(qr_png(URL, scale=4, caption_lines=["Trưởng thôn " * 12, "x" * 200]))
    assert img.width == open_png(qr_png(URL, scale=4)).width
    assert decoded(img) == [URL]


@pytest.mark.parametrize(
    "qrs",
    [
        [("Trang thông tin thôn", URL)],
        [("Trang thông tin thôn", URL), ("Nhắn bot", "https://t.me/example_bot?start=donate")],
        [("Chuyển khoản", PAYLOAD), ("Nhắn bot", "https://zalo.me/123456789")],
    ],
)
def test_poster_is_a4_and_every_code_decodes(qrs: list[tuple[str, str]]) -> None:
    img = open_png(
        poster_png(
            "Quyên góp xây Nhà văn hoá thôn Đông Xá",
            ["Mỗi hộ góp theo khả năng.", "Danh sách đóng góp được công khai hằng tuần."],
            qrs,
        )
    )
    assert img.size == POSTER_SIZE
    assert round(img.info["dpi"][0]) == 150
    assert decoded(img) == sorted(data for _, data in qrs)


@pytest.mark.parametrize("count", [0, 3])
def test_poster_takes_one_or_two_codes(count: int) -> None:
    with pytest.raises(ValueError):
        poster_png("T", [], [("L", URL)] * count)


def test_poster_with_too_much_text_is_refused() -> None:
    with pytest.raises(ValueError):
        poster_png("T", ["Một dòng rất dài. " * 40] * 10, [("L", URL)])
