"""The simulator page in a real browser (Playwright + Debian's chromium): a person picks who
they are and which chat, talks to the bot and presses an inline button."""

from __future__ import annotations

import pytest
from sqlmodel import select

from handlers.meetings.models import Rsvp
from tests.harness import Harness
from tests.test_village_page import CHROMIUM, CHROMIUM_ARGS


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed "
                    "(apt-get install -y chromium); the browser test needs /usr/bin/chromium")
async def test_simulator_page_creates_a_meeting_and_takes_an_rsvp(harness_factory) -> None:
    playwright_api = pytest.importorskip("playwright.async_api")
    h: Harness = await harness_factory("web")
    async with playwright_api.async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = await browser.new_page(viewport={"width": 390, "height": 844},
                                          is_mobile=True)
            await page.goto(f"{h.base_url}/")
            assert await page.get_by_role("note").inner_text() == h.services.i18n.t(
                "vi", "webchat-banner")
            await page.select_option("#user", "official")
            await page.select_option("#chat", "group1")
            await page.fill("#text", "/taohop 19h30 thứ Bảy tuần sau | Nhà văn hóa | Họp bàn")
            await page.click("button[type=submit]")
            await page.get_by_text("Thứ Bảy, 28/11/2026 lúc 19:30").first.wait_for()
            await page.select_option("#user", "resident")
            attend = page.get_by_role("button", name="Tham dự (0)")
            await attend.wait_for()
            await attend.click()
            await page.get_by_role("button", name="Tham dự (1)").wait_for()
        finally:
            await browser.close()
    async with h.services.db.session() as session:
        rsvps = (await session.exec(select(Rsvp))).all()
    assert [r.answer for r in rsvps] == ["yes"]
