"""QR codes as PNG bytes (segno), optionally captioned, and a printable A4 poster (Pillow).

Fonts: text is drawn with DejaVu Sans (covers every Vietnamese letter with its diacritics).  It is
looked up in FONT_DIRS (Debian/Ubuntu package ``fonts-dejavu-core`` puts it in
/usr/share/fonts/truetype/dejavu) and then by file name through Pillow's own font search.  When
it is missing we fall back to Pillow's built-in default font, which may draw Vietnamese letters
as boxes: install ``fonts-dejavu-core`` on the server.  All text comes from the caller (locales);
this module has no sentences of its own.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # segno and Pillow are imported on first use, not at start-up
    from PIL import Image, ImageDraw, ImageFont

    _Font = ImageFont.FreeTypeFont | ImageFont.ImageFont

__all__ = ["POSTER_SIZE", "POSTER_SIZES", "poster_png", "qr_png"]

POSTER_SIZE = (1240, 1754)  # A4 portrait at 150 dpi
POSTER_SIZES = {"a4": POSTER_SIZE, "a5": (874, 1240)}  # portrait at 150 dpi
POSTER_DPI = 150
QR_ERROR = "m"  # 15 % recovery: survives a crease or a smudge on a printed sheet
QR_BORDER = 4  # quiet zone in modules, as ISO/IEC 18004 requires

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/local/share/fonts"),
)
_REGULAR = "DejaVuSans.ttf"
_BOLD = "DejaVuSans-Bold.ttf"

_WHITE = (255, 255, 255)
_BLACK = (0, 0, 0)
_RED = (180, 0, 0)


@cache
def _font(size: int, bold: bool = False) -> _Font:
    """DejaVu Sans at `size` px, or Pillow's default font when DejaVu is not installed."""
    from PIL import ImageFont

    name = _BOLD if bold else _REGULAR
    for folder in FONT_DIRS:
        path = folder / name
        if path.is_file():
            return ImageFont.truetype(str(path), size)
    try:
        return ImageFont.truetype(name, size)
    except OSError:
        return ImageFont.load_default(size=size)


def _line_height(font: _Font) -> int:
    from PIL import ImageFont

    if isinstance(font, ImageFont.FreeTypeFont):
        ascent, descent = font.getmetrics()
        return int((ascent + descent) * 1.15)
    bbox = font.getbbox("\u00c1\u1eb6gy")  # tallest accents (A acute, A breve dot), descenders
    return int((bbox[3] - bbox[1]) * 1.4)


def _text_width(font: _Font, text: str) -> float:
    return font.getlength(text)


def _wrap(text: str, font: _Font, max_width: float) -> list[str]:
    """Greedy word wrap; a word wider than max_width is split by characters."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if _text_width(font, candidate) <= max_width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        for ch in word:
            if current and _text_width(font, current + ch) > max_width:
                lines.append(current)
                current = ""
            current += ch
    if current:
        lines.append(current)
    return lines or [""]


def _draw_centered(
    draw: ImageDraw.ImageDraw, lines: list[str], font: _Font, center_x: float, top: int,
    fill: tuple[int, int, int] = _BLACK,
) -> int:
    """Draw lines centered on center_x from top; return the y below the last line."""
    height = _line_height(font)
    y = top
    for line in lines:
        x = center_x - _text_width(font, line) / 2
        draw.text((x, y), line, font=font, fill=fill)
        y += height
    return y


def _qr_image(data: str, scale: int) -> Image.Image:
    import segno
    from PIL import Image

    qr = segno.make(data, error=QR_ERROR, micro=False)
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=scale, border=QR_BORDER)
    buffer.seek(0)
    with Image.open(buffer) as img:
        return img.convert("RGB")


def _qr_modules(data: str) -> int:
    """Width of the symbol in modules, quiet zone included."""
    import segno

    width, _ = segno.make(data, error=QR_ERROR, micro=False).symbol_size(scale=1, border=QR_BORDER)
    return int(width)  # whole modules at scale 1


def _png_bytes(img: Image.Image, dpi: int | None = None) -> bytes:
    buffer = io.BytesIO()
    if dpi is None:
        img.save(buffer, format="PNG", optimize=True)
    else:
        img.save(buffer, format="PNG", optimize=True, dpi=(dpi, dpi))
    return buffer.getvalue()


def qr_png(data: str, *, scale: int = 8, caption_lines: list[str] | None = None) -> bytes:
    """QR code of `data` as PNG bytes; with caption_lines, the lines are printed under the code."""
    if scale < 1:
        raise ValueError("scale must be >= 1")
    import segno
    from PIL import Image, ImageDraw

    if not caption_lines:
        qr = segno.make(data, error=QR_ERROR, micro=False)
        buffer = io.BytesIO()
        qr.save(buffer, kind="png", scale=scale, border=QR_BORDER)
        return buffer.getvalue()

    qr_img = _qr_image(data, scale)
    font = _font(max(14, scale * 3))
    margin = QR_BORDER * scale  # same white space as the quiet zone
    text_width = max(qr_img.width - 2 * margin, 1)
    wrapped = [line for text in caption_lines for line in _wrap(text, font, text_width)]
    text_height = _line_height(font) * len(wrapped)
    canvas = Image.new("RGB", (qr_img.width, qr_img.height + text_height + margin), _WHITE)
    canvas.paste(qr_img, (0, 0))
    _draw_centered(ImageDraw.Draw(canvas), wrapped, font, qr_img.width / 2, qr_img.height)
    return _png_bytes(canvas)


def poster_png(
    title: str, lines: list[str], qrs: list[tuple[str, str]], *, size: str = "a4",
    address: str | None = None, warning: list[str] | None = None,
) -> bytes:
    """A4 (1240x1754 px) or A5 (874x1240 px) portrait poster at 150 dpi: an optional warning
    box, the title, lines, then 1–2 QR codes side by side and ``address`` printed under them.

    `qrs` holds (label, data) pairs; each label is printed under its code.  Raises ValueError when
    there are not 1 or 2 codes, or when the text leaves no room for scannable codes.
    """
    if not 1 <= len(qrs) <= 2:
        raise ValueError("poster_png takes one or two QR codes")
    from PIL import Image, ImageDraw

    width, height = POSTER_SIZES[size]
    k = width / POSTER_SIZE[0]  # A5 draws everything smaller by the same factor
    margin = round(90 * k)
    gap = round(70 * k)
    content_width = width - 2 * margin
    canvas = Image.new("RGB", (width, height), _WHITE)
    draw = ImageDraw.Draw(canvas)

    title_font = _font(round(76 * k), bold=True)
    body_font = _font(round(40 * k))
    label_font = _font(round(36 * k), bold=True)
    small_font = _font(round(30 * k))

    y = margin
    if warning:
        box_top = round(margin / 2)
        pad = round(16 * k)
        wrapped = [w for text in warning for w in _wrap(text, label_font, content_width - 2 * pad)]
        box_bottom = box_top + 2 * pad + _line_height(label_font) * len(wrapped)
        draw.rectangle((margin - pad, box_top, width - margin + pad, box_bottom), outline=_RED,
                       width=max(3, round(6 * k)))
        _draw_centered(draw, wrapped, label_font, width / 2, box_top + pad, fill=_RED)
        y = box_bottom + round(30 * k)
    y = _draw_centered(
        draw, _wrap(title, title_font, content_width), title_font, width / 2, y
    )
    y += round(30 * k)
    for text in lines:
        y = _draw_centered(draw, _wrap(text, body_font, content_width), body_font, width / 2, y)
    y += round(40 * k)

    address_lines = _wrap(address, small_font, content_width) if address else []
    address_height = _line_height(small_font) * len(address_lines) + (
        round(24 * k) if address_lines else 0)
    cell_width = (content_width - gap * (len(qrs) - 1)) / len(qrs)
    labels = [_wrap(label, label_font, cell_width) for label, _ in qrs]
    label_height = _line_height(label_font) * max(len(wrapped) for wrapped in labels)
    qr_room = min(cell_width, height - margin - label_height - 20 - address_height - y,
                  640 * k)
    scale = min(int(qr_room // _qr_modules(data)) for _, data in qrs)
    if scale < 3:
        raise ValueError("too much text: no room left for the QR codes")

    qr_images = [_qr_image(data, scale) for _, data in qrs]
    qr_height = max(img.height for img in qr_images)
    spare = height - margin - y - (qr_height + 20 + label_height + address_height)
    top = round(y + max(spare, 0) / 2)  # centre the codes in the space the text left
    below = top
    for index, (img, label_lines) in enumerate(zip(qr_images, labels, strict=True)):
        center_x = margin + cell_width * index + gap * index + cell_width / 2
        canvas.paste(img, (round(center_x - img.width / 2), top))
        below = max(below, _draw_centered(draw, label_lines, label_font, center_x,
                                          top + qr_height + 20))
    if address_lines:
        _draw_centered(draw, address_lines, small_font, width / 2, below + round(24 * k))
    return _png_bytes(canvas, dpi=POSTER_DPI)
