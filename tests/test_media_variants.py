"""Photos are kept as received but served and sent on only as clean variants: upright, resized
once, without EXIF (GPS above all)."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from bot.media import PAGE_WIDTHS, MediaStore


def gps_photo(size: tuple[int, int] = (400, 300), orientation: int = 6,
              colour: tuple[int, int, int] = (200, 40, 40)) -> bytes:
    """A JPEG with a GPS position and an orientation tag, as a phone writes it."""
    img = Image.new("RGB", size, colour)
    img.paste((40, 40, 200), (0, 0, size[0] // 4, size[1] // 4))  # a mark in one corner
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (21.0, 1.0, 30.0), 3: "E", 4: (105.0, 51.0, 10.0)})
    buffer = io.BytesIO()
    img.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def has_exif(data: bytes) -> bool:
    """True when the picture carries any EXIF or XMP block."""
    with Image.open(io.BytesIO(data)) as img:
        return bool(img.getexif()) or "exif" in img.info or "xmp" in img.info \
            or b"Exif\x00\x00" in data


def test_variants_are_upright_resized_and_clean(tmp_path: Path) -> None:
    store = MediaStore(tmp_path, None, 10_000_000)
    original = gps_photo((1600, 1200))
    assert has_exif(original)
    stored = store.save_image(original)
    assert stored.path.read_bytes() == original  # the original is kept as received
    store.make_variants(stored.name)
    names = [store.variant_name(stored.name, w, "webp") for w in PAGE_WIDTHS]
    names += [store.send_name(stored.name), stored.name]
    for name in names:
        path = store.served_path(name)
        assert path is not None and path != stored.path
        data = path.read_bytes()
        assert not has_exif(data), name
        with Image.open(path) as img:
            assert img.height > img.width  # orientation 6: turned upright
            if ".w320." in name:
                assert img.width == 320
            if ".w1280." in name:
                assert img.width == 1200  # never enlarged past the upright original
            corner = img.convert("RGB").getpixel((img.width - 5, 5))
            assert corner[2] > 150  # the blue mark moved to the top right, as it should
    assert store.dimensions(stored.name) == (1200, 1600)


def test_old_photos_get_variants_on_first_request(tmp_path: Path) -> None:
    store = MediaStore(tmp_path, None, 10_000_000)
    stored = store.save_image(gps_photo())  # stored before variants existed: none made
    assert not store.variants_dir.exists()
    path = store.served_path(store.variant_name(stored.name, 320, "webp"))
    assert path is not None and path.parent == store.variants_dir
    assert store.served_path("0" * 32 + ".w320.webp") is None  # no such original
    assert store.served_path(store.variant_name(stored.name, 999, "webp")) is None
    assert store.served_path("../" + stored.name) is None


def test_symlinks_are_not_served(tmp_path: Path) -> None:
    store = MediaStore(tmp_path / "media", None, 10_000_000)
    secret = tmp_path / "secret.jpg"
    secret.write_bytes(gps_photo())
    store.root.mkdir()
    (store.root / ("a" * 32 + ".jpg")).symlink_to(secret)
    assert store.path("a" * 32 + ".jpg") is None
    assert store.served_path("a" * 32 + ".jpg") is None
