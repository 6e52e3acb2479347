"""The public village page /v/<mã thôn>, its poster, and a real-browser check (Playwright +
Debian's chromium)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from bot.text.money import format_vnd
from tests.harness import Harness
from tests.projects_support import image_bytes, start_public, with_project
from tests.test_media_variants import gps_photo, has_exif

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
GIFTS = [("2tr", "Nguyễn Văn A", 2_000_000), ("1,5tr", "Hảo tâm", 1_500_000),
         ("500k", "Trần <b>Thị</b> B", 500_000)]
TOTAL = sum(a for _t, _n, a in GIFTS)


async def _populate(h: Harness) -> None:
    """A project, two photo updates and three gifts (one anonymous, one with markup)."""
    await with_project(h)
    await h.say("#nvh 20% Đổ bê tông móng", user="official", chat="group1",
                photo=image_bytes((180, 40, 40), size=(320, 240)))
    await h.say("#nvh 45% Xây tường tầng 1", user="official", chat="group1",
                photo=image_bytes((40, 80, 180), size=(320, 240)))
    for amount, name, _value in GIFTS:
        await h.say(f"/ungho nvh {amount} {name} {h.platform}:{h.user_id('resident2')}",
                    user="official", chat="group1")


async def _get(h: Harness, path: str) -> tuple[int, str, bytes]:
    http = await h.http()
    async with http.get(f"{h.base_url}{path}") as resp:
        return resp.status, resp.content_type, await resp.read()


@pytest.mark.parametrize("platform", ["telegram", "web"])
async def test_page_shows_timeline_and_ledger_without_ids(harness_factory, platform) -> None:
    h = await harness_factory(platform)
    await _populate(h)
    status, ctype, body = await _get(h, "/v/thanhbinh")
    html = body.decode()
    assert status == 200 and ctype == "text/html"
    assert '<html lang="vi">' in html and "Thôn Thanh Bình" in html
    assert "Đổ bê tông móng" in html and "Xây tường tầng 1" in html
    assert html.index("Xây tường tầng 1") < html.index("Đổ bê tông móng")  # newest first
    assert html.count('<img src="/media/') == 2
    assert "0011001932418" in html and "Sao chép số tài khoản" in html  # the donate block
    html = html.replace("0011001932418", "")  # its digits may contain a platform id
    assert "Hảo tâm" in html and format_vnd(TOTAL) in html and f'data-total="{TOTAL}"' in html
    assert "Trần &lt;b&gt;Thị&lt;/b&gt; B" in html and "<b>Thị</b>" not in html  # escaped
    for user in ("official", "resident2", "admin"):  # no platform ids on a public page
        assert h.user_id(user) not in html
    assert "Notices" not in html
    status, _ctype, _body = await _get(h, "/v/khongco")
    assert status == 404
    en = (await _get(h, "/v/thanhbinh?lang=en"))[2].decode()
    assert "Donations" in en


async def test_poster_links_to_page_and_bot(harness_factory) -> None:
    h = await start_public(harness_factory, "telegram")
    status, ctype, body = await _get(h, "/v/thanhbinh/poster.png")
    assert status == 200 and ctype == "image/png"
    image = Image.open(io.BytesIO(body))
    assert image.size == (1240, 1754)
    texts = sorted(r.text for r in zxingcpp.read_barcodes(image))
    assert texts == sorted([f"{h.base_url}/v/thanhbinh", "https://t.me/ThisBot"])


async def test_poster_without_telegram_has_only_the_page(harness_factory) -> None:
    h = await harness_factory("zalo")
    status, _ctype, body = await _get(h, "/v/thanhbinh/poster.png")
    assert status == 200
    texts = [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(body)))]
    assert texts == [f"{h.base_url}/v/thanhbinh"]


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed "
                    "(apt-get install -y chromium); the browser test needs /usr/bin/chromium")
async def test_page_in_a_real_browser(harness_factory, tmp_path: Path) -> None:
    playwright_api = pytest.importorskip("playwright.async_api")
    h = await harness_factory("web")
    await _populate(h)
    async with playwright_api.async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = await browser.new_page(viewport={"width": 390, "height": 844},
                                          device_scale_factor=2, is_mobile=True)
            response = await page.goto(f"{h.base_url}/v/thanhbinh")
            assert response is not None and response.status == 200
            await page.get_by_text("Xây tường tầng 1").wait_for(state="visible")
            assert await page.get_by_text("Đổ bê tông móng").is_visible()
            images = page.locator("section#p-nvh .photos img")
            assert await images.count() == 2
            for index in range(2):
                img = images.nth(index)
                await img.scroll_into_view_if_needed()
                await page.wait_for_function(
                    "el => el.complete && el.naturalWidth > 0", arg=await img.element_handle())
                assert (await img.evaluate("el => el.currentSrc")).endswith(".w320.webp")
                assert await img.is_visible()
            ledger = page.locator("table.ledger")
            assert await ledger.locator("tbody tr").count() == len(GIFTS)
            assert await ledger.get_by_text("Hảo tâm").is_visible()
            total = await ledger.locator("tfoot td.amt").inner_text()
            assert total.replace("\u00a0", " ") == format_vnd(TOTAL).replace("\u00a0", " ")
            width = await page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390  # nothing wider than a phone screen
            await page.evaluate("window.scrollTo(0, 0)")
            shot = tmp_path / "village_page.png"
            await page.screenshot(path=str(shot), full_page=True)
        finally:
            await browser.close()
    with Image.open(shot) as img:
        assert img.width == 390 * 2 and img.height > 844
    print(f"screenshot: {shot}")


@pytest.mark.skipif(not CHROMIUM.exists(), reason="the browser test needs /usr/bin/chromium")
async def test_page_weight_and_no_exif_in_served_images(harness_factory) -> None:
    """Phone photos with GPS: the page at 360x740 loads small clean variants, lazily."""
    playwright_api = pytest.importorskip("playwright.async_api")
    h = await start_public(harness_factory, "web")
    await with_project(h)
    for n in range(6):
        await h.say(f"#nvh {10 * n}% Ảnh số {n}", user="official", chat="group1",
                    photo=gps_photo((1600, 1200), colour=(30 * n, 120, 200 - 20 * n)))
    images: dict[str, bytes] = {}
    total = 0
    async with playwright_api.async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = await browser.new_page(viewport={"width": 360, "height": 740},
                                          device_scale_factor=2, is_mobile=True)
            responses: list = []
            page.on("response", lambda response: responses.append(response))
            await page.goto(f"{h.base_url}/v/thanhbinh", wait_until="networkidle")
            for response in responses:
                body = await response.body()
                total += len(body)
                if response.headers.get("content-type", "").startswith("image/"):
                    images[response.url] = body
            photos = page.locator(".photos img")
            assert await photos.count() == 6
            for index in range(6):
                lazy = await photos.nth(index).get_attribute("loading")
                assert lazy == (None if index < 2 else "lazy")
                assert ".w320.webp" in (await photos.nth(index).get_attribute("srcset") or "")
            for index in range(6):  # scrolling down loads the lazy ones
                photo = photos.nth(index)
                await photo.scroll_into_view_if_needed()
                await page.wait_for_function("el => el.complete && el.naturalWidth > 0",
                                             arg=await photo.element_handle())
            await page.wait_for_load_state("networkidle")
            for response in responses:
                if response.url not in images and response.headers.get(
                        "content-type", "").startswith("image/"):
                    images[response.url] = await response.body()
            button = page.get_by_role("button", name="Sao chép số tài khoản")
            assert await button.is_visible()
        finally:
            await browser.close()
    assert total < 500_000, total  # first load, before scrolling
    photo_urls = [u for u in images if "/media/" in u]
    assert len(photo_urls) >= 6 and any(u.endswith("/vietqr.png") for u in images)
    for url, body in images.items():
        assert not has_exif(body), url
        with Image.open(io.BytesIO(body)) as img:
            assert img.width <= 1280
    original = h.services.media.path(photo_urls[0].rsplit("/", 1)[1].split(".")[0] + ".jpg")
    assert original is not None and has_exif(original.read_bytes())  # kept as received
    http = await h.http()
    async with http.get(f"{h.base_url}/media/{original.name}") as resp:  # the original's name
        assert resp.status == 200 and not has_exif(await resp.read())


def _red_pixels(image: Image.Image) -> int:
    """Pixels of the poster's warning red."""
    data = image.convert("RGB").tobytes()
    return sum(1 for i in range(0, len(data), 3)
               if data[i] > 150 and data[i + 1] < 40 and data[i + 2] < 40)


async def test_poster_from_settings_only_warns_about_a_local_address(
        harness_factory, caplog: pytest.LogCaptureFixture) -> None:
    h = await harness_factory("zalo")  # no PUBLIC_BASE_URL
    http = await h.http()
    async with http.get(f"{h.base_url}/v/thanhbinh/poster.png",
                        headers={"Host": "evil.example"}) as resp:
        assert resp.status == 200
        image = Image.open(io.BytesIO(await resp.read()))
    texts = [r.text for r in zxingcpp.read_barcodes(image)]
    assert texts == [f"{h.base_url}/v/thanhbinh"]  # the Host header is not trusted
    assert _red_pixels(image) > 2000  # the visible warning box
    assert any("local address" in r.getMessage() for r in caplog.records)
    async with http.get(f"{h.base_url}/v/thanhbinh/poster.png?size=a5") as resp:
        a5 = Image.open(io.BytesIO(await resp.read()))
    assert a5.size == (874, 1240) and _red_pixels(a5) > 1000
    assert [r.text for r in zxingcpp.read_barcodes(a5)] == texts
    async with http.get(f"{h.base_url}/v/thanhbinh/poster.png?size=a3") as resp:
        assert resp.status == 400


async def test_poster_with_a_public_address_has_no_warning(harness_factory) -> None:
    h = await harness_factory("zalo", public_base_url="https://thanhbinh.example.vn")
    status, _ctype, body = await _get(h, "/v/thanhbinh/poster.png")
    image = Image.open(io.BytesIO(body))
    assert status == 200 and _red_pixels(image) == 0
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [
        "https://thanhbinh.example.vn/v/thanhbinh"]
    # the address is printed as text under the code: dark pixels below the QR's label
    (result,) = zxingcpp.read_barcodes(image)
    bottom = max(p.y for p in (result.position.bottom_left, result.position.bottom_right))
    strip = image.convert("L").crop((0, bottom + 120, image.width, image.height - 60))
    assert sum(1 for v in strip.tobytes() if v < 100) > 500


def test_local_addresses() -> None:
    from bot.web.village_page import is_local_address

    for url in ("http://127.0.0.1:8080", "http://localhost", "http://192.168.1.5",
                "http://10.0.0.2:80", "http://[::1]:8080", "http://raspberrypi",
                "http://bot.local", "http://169.254.1.1"):
        assert is_local_address(url), url
    for url in ("https://thanhbinh.example.vn", "http://203.113.1.5"):
        assert not is_local_address(url), url


def test_web_package_imports_no_feature() -> None:
    """The village page is composed from the sections features give (Router.page_section)."""
    import ast

    for path in Path("bot/web").glob("*.py"):
        tree = ast.parse(path.read_text())
        names = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        names += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        assert not [n for n in names if n.startswith("handlers")], path


async def test_progress_texts_have_no_empty_parts(harness_factory) -> None:
    """No "· -% ·" without a percent, no "(0 ảnh)" for a text update, "<1%" for 2 tr of 500 tr."""
    h = await harness_factory("web")
    await with_project(h, "/congtrinh tao Đường bê tông | duong | 500tr")
    await h.say("/capnhat duong Đã dọn mặt bằng", user="official", chat="group1")
    await h.say("/ungho duong 2tr Nguyễn Văn A", user="official", chat="group1")
    timeline = "\n".join(await h.say("/tiendo duong", user="resident", chat="group1"))
    assert "Đã dọn mặt bằng" in timeline, timeline
    assert "-%" not in timeline and "0 ảnh" not in timeline
    html = (await _get(h, "/v/thanhbinh"))[2].decode()
    assert "(&lt;1%)" in html and "(0%)" not in html


async def test_page_head_meetings_and_calendar_links(harness_factory) -> None:
    h = await start_public(harness_factory, "web")
    await _populate(h)
    await h.say("/taohop 15 giờ thứ Hai | Nhà văn hóa | Họp chi bộ", user="official")
    await h.say("/xacnhan", user="official")  # a meeting is previewed, then confirmed
    html = (await _get(h, "/v/thanhbinh"))[2].decode()
    assert "Thứ Hai, 15:00 23/11/2026 · " in html and "Họp chi bộ" in html  # the weekday
    host = h.base_url.split("://", 1)[1]
    assert f'href="webcal://{host}/v/thanhbinh/lich.ics"' in html
    assert f'href="{h.base_url}/v/thanhbinh/lich.ics"' in html
    assert '<meta name="description" content="' in html
    assert f'<meta property="og:url" content="{h.base_url}/v/thanhbinh">' in html
    (image,) = [part.split('"')[0] for part in html.split('property="og:image" content="')[1:]]
    assert image.startswith(f"{h.base_url}/media/") and image.endswith(".w1280.jpg")
    assert "@media print" in html and "<script>" not in html and " onclick" not in html
    assert 'src="/static/village-page.js"' in html
    status, ctype, js = await _get(h, "/static/village-page.js")
    assert status == 200 and "javascript" in ctype and b"data-copy" in js
    status, ctype, qr = await _get(h, "/v/thanhbinh/nvh/vietqr.png")
    assert status == 200 and ctype == "image/png"
    payload = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr)))[0].text
    assert "0011001932418" in payload and payload.startswith("000201")  # VietQR (EMVCo)
    assert (await _get(h, "/v/thanhbinh/khongco/vietqr.png"))[0] == 404
    assert (await _get(h, "/robots.txt"))[0] == 200
