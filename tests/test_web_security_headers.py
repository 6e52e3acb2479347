"""Public pages, feeds and media carry a Content-Security-Policy and nosniff; media never
follows a symlink."""

from __future__ import annotations

import io

from PIL import Image

from tests.harness import Harness


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buf, "PNG")
    return buf.getvalue()


PNG = _png()


async def test_public_responses_carry_csp_and_nosniff(harness_factory) -> None:
    h: Harness = await harness_factory("telegram")
    stored = h.bot.media.save_image(PNG)
    http = await h.http()
    for path in ("/v/thanhbinh", "/v/thanhbinh/lich.ics", f"/media/{stored.name}",
                 "/media/missing.png", "/healthz", "/v/nowhere"):
        async with http.get(f"{h.base_url}{path}") as resp:
            csp = resp.headers.get("Content-Security-Policy", "")
            assert resp.headers.get("X-Content-Type-Options") == "nosniff", path
            assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp, path
            assert "img-src 'self' data:" in csp and "style-src 'self' 'unsafe-inline'" in csp


async def test_media_refuses_symlinks(harness_factory, tmp_path) -> None:
    h: Harness = await harness_factory("telegram")
    secret = tmp_path / "secret.txt"
    secret.write_text("DATABASE_URL=postgresql://root:hunter2@db/prod")
    media = h.bot.media.root
    media.mkdir(parents=True, exist_ok=True)
    (media / "leak.jpg").symlink_to(secret)
    stored = h.bot.media.save_image(PNG)
    (media / "alias.png").symlink_to(stored.path)
    http = await h.http()
    for name in ("leak.jpg", "alias.png"):
        async with http.get(f"{h.base_url}/media/{name}") as resp:
            assert resp.status == 404, name
            assert "hunter2" not in await resp.text()
    async with http.get(f"{h.base_url}/media/{stored.name}") as resp:
        served = await resp.read()  # the clean copy (EXIF dropped), the same picture
        assert resp.status == 200 and served.startswith(b"\x89PNG")
