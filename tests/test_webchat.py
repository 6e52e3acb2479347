"""The local web chat: says it is a simulator, runs the same handlers, accepts photos."""

from __future__ import annotations

from tests.harness import Harness


async def test_page_says_it_is_a_simulator(harness_factory) -> None:
    h: Harness = await harness_factory("web")
    http = await h.http()
    async with http.get(f"{h.base_url}/") as resp:
        page = await resp.text()
    assert resp.status == 200
    assert "trình mô phỏng" in page and "/chat/webchat.js" in page
    async with http.get(f"{h.base_url}/chat/api/config") as resp:
        config = await resp.json()
    assert {u["id"] for u in config["users"]} >= {"admin", "official", "resident"}


async def test_unknown_identity_is_refused(harness_factory) -> None:
    h: Harness = await harness_factory("web")
    http = await h.http()
    async with http.post(f"{h.base_url}/chat/api/send",
                         json={"user": "mallory", "chat": "group1", "text": "/start"}) as resp:
        assert resp.status == 400
    async with http.post(f"{h.base_url}/chat/api/send", data=b"\x00",
                         headers={"Content-Type": "application/json"}) as resp:
        assert resp.status == 400
