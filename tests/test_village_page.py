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
            images = page.locator("section#p-nvh img")
            assert await images.count() == 2
            for index in range(2):
                img = images.nth(index)
                await img.scroll_into_view_if_needed()
                await page.wait_for_function(
                    "el => el.complete && el.naturalWidth > 0", arg=await img.element_handle())
                assert await img.evaluate("el => el.naturalWidth") == 320
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
