"""Stored photos and videos: every incoming picture is kept by the bot and served from
``PUBLIC_BASE_URL/media/<name>`` (Zalo sends photos only by public URL, and its incoming URLs
expire)."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}


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


class MediaStore:
    """Content-addressed files under ``root``; URLs under ``base_url``."""

    def __init__(self, root: Path, base_url: str | None, max_bytes: int) -> None:
        self.root = root
        self.base_url = base_url
        self.max_bytes = max_bytes

    def save_image(self, data: bytes) -> StoredMedia:
        """Validate that ``data`` is an image within the size limit and store it."""
        if len(data) > self.max_bytes:
            raise MediaError("too-big")
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
                tmp = path.with_suffix(".part")
                tmp.write_bytes(data)
                tmp.replace(path)
        except OSError as exc:
            raise MediaError("disk") from exc
        return StoredMedia(name=name, path=path, kind=kind)

    def url(self, name: str) -> str:
        """Public URL of a stored file (relative when no PUBLIC_BASE_URL is set)."""
        return f"{self.base_url or ''}/media/{name}"

    def path(self, name: str) -> Path | None:
        """Local path of a stored file, or None for unsafe or unknown names and for symlinks
        (the bot writes only regular files: a link could point anywhere on the machine)."""
        if "/" in name or "\\" in name or name.startswith(".") or "\0" in name:
            return None
        path = self.root / name
        if path.is_symlink() or not path.is_file():
            return None
        return path
