"""The simulator page in a real browser (Playwright + Debian's chromium), on a 360×740 phone and
on a desktop: a person picks who they are and which chat, talks to the bot, presses an inline
button and sees its answer as a toast; the newest message stays above the composer, tappable;
errors are shown in Vietnamese."""

from __future__ import annotations

import pytest
from sqlmodel import select

from handlers.meetings.models import Rsvp
from tests.harness import WEB_TOKEN, Harness
from tests.test_village_page import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's chromium is not installed "
    "(apt-get install -y chromium); the browser test needs /usr/bin/chromium")

# the newest message: entirely between the sticky identity bar and the composer, and each of its
# buttons is what a tap at its centre reaches
LAYOUT = """() => {
  const msgs = document.querySelectorAll('#log .msg');
  const last = msgs[msgs.length - 1].getBoundingClientRect();
  const form = document.getElementById('form').getBoundingClientRect();
  const pick = document.getElementById('pick').getBoundingClientRect();
  const buttons = [...msgs[msgs.length - 1].querySelectorAll('.btns button')].map((b) => {
    const r = b.getBoundingClientRect();
    return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === b;
  });
  const row = document.querySelector('form .row').getBoundingClientRect();
  return {lastTop: last.top, lastBottom: last.bottom, formTop: form.top, pickTop: pick.top,
          pickBottom: pick.bottom, buttons, composerRows: Math.round(row.height),
          scrolled: window.scrollY};
}"""


async def _open(pw, h: Harness, viewport: dict[str, int], mobile: bool):  # type: ignore[no-untyped-def]
    browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    page = await browser.new_page(viewport=viewport, is_mobile=mobile, has_touch=mobile)
    await page.goto(f"{h.base_url}/?token={WEB_TOKEN}")  # the start link → cookie → "/"
    assert page.url == f"{h.base_url}/"
    assert await page.get_by_role("note").inner_text() == h.services.i18n.t(
        "vi", "webchat-banner")
    return browser, page


async def _meeting_and_rsvp(h: Harness, page, *, viewport_height: int) -> None:  # type: ignore[no-untyped-def]
    await page.select_option("#user", "official")
    await page.select_option("#chat", "group1")
    await page.fill("#text", "/trogiup")
    await page.click("button[type=submit]")
    await page.get_by_text("/ungho").first.wait_for()
    await page.fill("#text", "/taohop 19h30 thứ Bảy tuần sau | Nhà văn hóa | Họp bàn")
    await page.click("button[type=submit]")
    await page.get_by_text("Thứ Bảy, 28/11/2026 lúc 19:30").first.wait_for()
    send = page.locator("#log").get_by_role("button", name="Gửi")  # the preview: not sent yet
    await send.wait_for()
    await send.click()
    await page.get_by_text("Đã tạo cuộc họp số 1").first.wait_for()
    await page.select_option("#user", "resident")
    attend = page.get_by_role("button", name="Tham dự (0)")
    await attend.wait_for()
    await page.wait_for_timeout(100)  # the scroll to the newest message
    box = await page.evaluate(LAYOUT)
    assert box["scrolled"] > 0  # the list is longer than the screen
    assert box["pickTop"] == 0  # the identity bar stayed at the top
    assert box["lastTop"] >= box["pickBottom"] and box["lastBottom"] <= box["formTop"], box
    assert box["buttons"] and all(box["buttons"]), box
    assert box["formTop"] >= viewport_height - 70  # one row: the composer is low
    await (attend.tap() if viewport_height == 740 else attend.click())
    toast = page.locator("#toast")
    await toast.wait_for(state="visible")
    assert await toast.inner_text() == h.services.i18n.t("vi", "rsvp-toast-yes", yes=1, no=0)
    await page.get_by_role("button", name="Tham dự (1)").wait_for()
    async with h.services.db.session() as session:
        assert [r.answer for r in (await session.exec(select(Rsvp))).all()] == ["yes"]


async def test_phone_360x740_meeting_rsvp_toast(harness_factory) -> None:
    playwright_api = pytest.importorskip("playwright.async_api")
    h: Harness = await harness_factory("web")
    async with playwright_api.async_playwright() as pw:
        browser, page = await _open(pw, h, {"width": 360, "height": 740}, True)
        try:
            await _meeting_and_rsvp(h, page, viewport_height=740)
        finally:
            await browser.close()


async def test_desktop_layout_and_vietnamese_errors(harness_factory) -> None:
    playwright_api = pytest.importorskip("playwright.async_api")
    h: Harness = await harness_factory("web")
    t = h.services.i18n.t
    async with playwright_api.async_playwright() as pw:
        browser, page = await _open(pw, h, {"width": 1280, "height": 800}, False)
        try:
            await _meeting_and_rsvp(h, page, viewport_height=800)
            # a 12 MB photo: the server's 413 comes back as a Vietnamese sentence on the page
            await page.set_input_files("#photo", files=[{
                "name": "big.jpg", "mimeType": "image/jpeg",
                "buffer": b"\xff\xd8\xff" + bytes(12 * 1024 * 1024)}])
            await page.click("button[type=submit]")
            toast = page.locator("#toast", has_text="Ảnh quá lớn")
            await toast.wait_for(state="visible")
            assert await toast.inner_text() == t("vi", "webchat-too-big", mb=10)
            # the bot unreachable: said in Vietnamese too
            await page.route("**/chat/api/send", lambda route: route.abort())
            await page.fill("#text", "/lich-hop")
            await page.click("button[type=submit]")
            await page.locator("#toast", has_text="Mất kết nối").wait_for(state="visible")
            assert await page.locator("#toast").inner_text() == t("vi", "webchat-network-error")
        finally:
            await browser.close()
