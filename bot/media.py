"""Stored photos and videos: every incoming picture is kept by the bot and served from
``PUBLIC_BASE_URL/media/<name>`` (Zalo sends photos only by public URL, and its incoming URLs
expire).

The original file is kept as received, but never served or sent on as it is: photos are served
and sent as variants made once with Pillow (orientation applied from EXIF, then every EXIF/XMP
block dropped, the GPS position above all).  Variants live in ``<root>/variants`` and are named
after the original (``<hash>.w320.webp``, ``<hash>.w1280.webp``, ``<hash>.w1280.jpg`` for the
platforms, ``<hash>.full.<ext>`` for the original size); a photo stored before variants existed
gets them on its first request.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

# Pillow is imported where an image is handled, not at start-up (bench/startup.py)

log = logging.getLogger(__name__)

IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
PAGE_WIDTHS = (320, 640, 1280)
"""Widths (px) of the WebP variants the village page offers in ``srcset``."""
SEND_WIDTH = 1280
"""Width of the JPEG sent on to Telegram (upload) and Zalo (by URL)."""
_KEEP_INFO = ("icc_profile",)  # colour profile: harmless, keeps colours right
_VARIANT_RE = re.compile(
    r"^(?P<stem>[0-9a-f]{32})\.(?P<size>w\d{2,4}|full)\.(?P<ext>webp|jpg|png|gif)$")
_SAVE: dict[str, tuple[str, dict[str, Any]]] = {
    "jpg": ("JPEG", {"quality": 82, "optimize": True, "progressive": True}),
    "webp": ("WEBP", {"quality": 72, "method": 5}),
    "png": ("PNG", {"optimize": True}),
    "gif": ("GIF", {}),
}


class MediaError(Exception):
    """Why a file was refused: ``code`` is ``not-image``, ``too-big`` or ``disk``."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True, slots=True)
class StoredMedia:
    """A file kept under the media folder."""

    name: str
    path: Path
    kind: str  # "photo" | "video"


def clean_image(data: bytes, *, width: int | None, ext: str) -> bytes:
    """``data`` upright (EXIF orientation applied), at most ``width`` px wide, without EXIF/XMP."""
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as src:
        img = ImageOps.exif_transpose(src)
        if width is not None and img.width > width:
            img = img.resize((width, max(1, round(img.height * width / img.width))),
                             Image.Resampling.LANCZOS)
        fmt, options = _SAVE[ext]
        if fmt == "JPEG" and img.mode != "RGB":
            rgba = img.convert("RGBA")
            img = Image.new("RGB", rgba.size, (255, 255, 255))
            img.paste(rgba, mask=rgba.getchannel("A"))
        elif fmt == "WEBP" and img.mode not in ("RGB", "RGBA"):
            img = img.convert("RGBA" if "transparency" in img.info or "A" in img.mode else "RGB")
        extra = {k: src.info[k] for k in _KEEP_INFO if k in src.info}
        img.info = {}
        buffer = io.BytesIO()
        img.save(buffer, format=fmt, **options, **extra)
        return buffer.getvalue()


class MediaStore:
    """Content-addressed files under ``root``; URLs under ``base_url``."""

    def __init__(self, root: Path, base_url: str | None, max_bytes: int) -> None:
        self.root = root
        self.base_url = base_url
        self.max_bytes = max_bytes

    @property
    def variants_dir(self) -> Path:
        """Where the served copies of photos live."""
        return self.root / "variants"

    def save_image(self, data: bytes) -> StoredMedia:
        """Validate that ``data`` is an image within the size limit and store it."""
        if len(data) > self.max_bytes:
            raise MediaError("too-big")
        from PIL import Image, UnidentifiedImageError

        try:
            with Image.open(io.BytesIO(data)) as img:
                fmt = img.format or ""
                img.verify()
        except (UnidentifiedImageError, OSError, ValueError) as exc:
            raise MediaError("not-image") from exc
        if fmt not in IMAGE_FORMATS:
            raise MediaError("not-image")
        return self._write(data, IMAGE_FORMATS[fmt], "photo")

    def save_video(self, data: bytes, ext: str = "mp4") -> StoredMedia:
        """Store a video as given (size-checked)."""
        if len(data) > self.max_bytes * 5:
            raise MediaError("too-big")
        return self._write(data, ext, "video")

    def _write(self, data: bytes, ext: str, kind: str) -> StoredMedia:
        name = f"{hashlib.sha256(data).hexdigest()[:32]}.{ext}"
        path = self.root / name
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            if not path.exists():
                _atomic_write(path, data)
        except OSError as exc:
            raise MediaError("disk") from exc
        return StoredMedia(name=name, path=path, kind=kind)

    def url(self, name: str) -> str:
        """Public URL of a stored file (relative when no PUBLIC_BASE_URL is set)."""
        return f"{self.base_url or ''}/media/{name}"

    def path(self, name: str) -> Path | None:
        """Local path of a stored original, or None for unsafe, unknown or symlinked names."""
        if not name or "/" in name or "\\" in name or name.startswith(".") or "\0" in name:
            return None
        path = self.root / name
        return path if path.is_file() and not path.is_symlink() else None

    # ------------------------------------------------------------ variants

    @staticmethod
    def is_photo(name: str) -> bool:
        """True for a stored still picture (by its extension)."""
        return name.rsplit(".", 1)[-1] in IMAGE_FORMATS.values()

    @staticmethod
    def variant_name(name: str, width: int | None, ext: str | None = None) -> str:
        """Name of a served variant of the original ``name`` (``width`` None: original size)."""
        stem, _, orig_ext = name.rpartition(".")
        size = f"w{width}" if width else "full"
        return f"{stem}.{size}.{ext or orig_ext}"

    def send_name(self, name: str) -> str:
        """What to send on to a platform for a stored file: a clean JPEG for photos."""
        return self.variant_name(name, SEND_WIDTH, "jpg") if self.is_photo(name) else name

    def send_path(self, name: str) -> Path | None:
        """Local path of the clean copy sent to a platform (made now if missing)."""
        return self.served_path(self.send_name(name))

    def make_variants(self, name: str) -> None:
        """Make every served variant of a stored photo (once; existing ones are kept)."""
        if not self.is_photo(name):
            return
        for width in PAGE_WIDTHS:
            self.served_path(self.variant_name(name, width, "webp"))
        self.served_path(self.send_name(name))
        self.served_path(self.variant_name(name, None))

    def served_path(self, name: str) -> Path | None:
        """The file ``/media/<name>`` serves: a video as stored, a photo's clean variant.

        An original photo's own name serves its clean full-size copy; variants are made on the
        first request.  None for unknown or unsafe names.
        """
        match = _VARIANT_RE.match(name)
        if match is None:
            original = self.path(name)
            if original is None or not self.is_photo(name):
                return original
            return self.served_path(self.variant_name(name, None))
        stem, size, ext = match["stem"], match["size"], match["ext"]
        source = next((p for e in IMAGE_FORMATS.values()
                       if (p := self.path(f"{stem}.{e}")) is not None), None)
        if source is None:
            return None
        width = None if size == "full" else int(size[1:])
        if width is None and ext != source.suffix[1:]:
            return None
        if width is not None and (width not in (*PAGE_WIDTHS, SEND_WIDTH)
                                  or ext not in ("webp", "jpg")):
            return None
        target = self.variants_dir / name
        if target.is_symlink():
            return None
        if target.is_file():
            return target
        data = source.read_bytes()
        if source.suffix == ".gif" and width is None:
            body = data  # GIF has no EXIF block; re-encoding would lose the animation
        else:
            from PIL import UnidentifiedImageError

            try:
                body = clean_image(data, width=width, ext=ext)
            except (UnidentifiedImageError, OSError, ValueError):
                return None
        try:
            self.variants_dir.mkdir(parents=True, exist_ok=True)
            _atomic_write(target, body)
        except OSError as exc:  # disk full or read-only: the original stays, nothing is served
            log.warning("cannot write the media variant %s: %s", name, exc)
            return None
        return target

    def dimensions(self, name: str) -> tuple[int, int] | None:
        """Upright size (width, height) of a stored photo, or None."""
        path = self.path(name)
        return _dimensions(str(path), path.stat().st_mtime_ns) if path else None


@lru_cache(maxsize=4096)
def _dimensions(path: str, _mtime: int) -> tuple[int, int] | None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as img:
            width, height = img.size
            if img.getexif().get(0x0112) in (5, 6, 7, 8):  # rotated a quarter turn
                width, height = height, width
            return width, height
    except (UnidentifiedImageError, OSError, ValueError):
        return None


def variant_size(size: tuple[int, int], width: int) -> tuple[int, int]:
    """Size of the ``width`` variant of a picture of ``size`` (never enlarged)."""
    w, h = size
    return (w, h) if w <= width else (width, max(1, round(h * width / w)))


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{id(data)}.part")
    tmp.write_bytes(data)
    tmp.replace(path)
