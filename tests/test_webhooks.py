"""One aiohttp server holds both webhooks: wrong secret → 403, malformed body → 400, the bot
keeps serving; good updates (Zalo wrapped or flat) are handled."""

from __future__ import annotations

import pytest

from tests.harness import Harness

TG_SECRET = "tg-secret-123456"
ZL_SECRET = "zalo-secret-123456"


@pytest.fixture
async def tg_webhook(harness_factory) -> Harness:
    return await harness_factory("telegram", telegram_mode="webhook",
                                 telegram_webhook_secret=TG_SECRET,
                                 public_base_url="https://bot.example.org")


@pytest.fixture
async def zl_webhook(harness_factory) -> Harness:
    return await harness_factory("zalo", zalo_mode="webhook", zalo_webhook_secret=ZL_SECRET,
                                 public_base_url="https://bot.example.org")


async def _post(h: Harness, path: str, body: bytes, headers: dict[str, str]) -> int:
    http = await h.http()
    async with http.post(f"{h.base_url}{path}", data=body, headers={
            "Content-Type": "application/json", **headers}) as resp:
        return resp.status


async def test_telegram_webhook_registered_with_secret(tg_webhook: Harness) -> None:
    assert tg_webhook.tg is not None
    [call] = tg_webhook.tg.calls_to("setWebhook")
    assert call.params["url"] == "https://bot.example.org/webhook/telegram"
    assert call.params["secret_token"] == TG_SECRET


async def test_telegram_webhook_rejects_then_serves(tg_webhook: Harness) -> None:
    h = tg_webhook
    assert h.tg is not None
    import json

    update = h.tg.make_message_update(int(h.chat_id("dm")), int(h.user_id("resident")),
                                      "/start", chat_type="private", first_name="Tư")
    body = json.dumps(update).encode()
    header = "X-Telegram-Bot-Api-Secret-Token"
    assert await _post(h, "/webhook/telegram", body, {}) == 403
    assert await _post(h, "/webhook/telegram", body, {header: "wrong-secret"}) == 403
    assert await _post(h, "/webhook/telegram", b"{not json", {header: TG_SECRET}) == 400
    assert await _post(h, "/webhook/telegram", b"[1, 2]", {header: TG_SECRET}) == 400
    assert await _post(h, "/webhook/telegram", b'{"update_id": "x"}', {header: TG_SECRET}) == 400
    assert h.sent("dm") == []  # nothing reached the handlers
    target = h.bot.pipeline.handled + 1
    assert await _post(h, "/webhook/telegram", body, {header: TG_SECRET}) == 200
    await h.bot.pipeline.wait_handled(target)
    assert len(h.sent("dm")) == 1 and "trợ lý" in h.sent("dm")[0]


@pytest.mark.parametrize("shape", ["wrapped", "flat"])
async def test_zalo_webhook_rejects_then_serves(zl_webhook: Harness, shape: str) -> None:
    h = zl_webhook
    assert h.zl is not None
    [call] = h.zl.calls_to("setWebhook")
    assert call.params["url"] == "https://bot.example.org/webhook/zalo"
    import json

    event = h.zl.make_text(h.chat_id("dm"), h.user_id("resident"), "/start",
                           chat_type="PRIVATE", display_name="Tư")
    body = json.dumps({"ok": True, "result": event} if shape == "wrapped" else event).encode()
    header = "X-Bot-Api-Secret-Token"
    assert await _post(h, "/webhook/zalo", body, {}) == 403
    assert await _post(h, "/webhook/zalo", body, {header: "not-the-secret"}) == 403
    assert await _post(h, "/webhook/zalo", b"\xff\xfe", {header: ZL_SECRET}) == 400
    assert await _post(h, "/webhook/zalo", b'{"ok": true}', {header: ZL_SECRET}) == 400
    assert h.sent("dm") == []
    target = h.bot.pipeline.handled + 1
    assert await _post(h, "/webhook/zalo", body, {header: ZL_SECRET}) == 200
    await h.bot.pipeline.wait_handled(target)
    assert len(h.sent("dm")) == 1
    # a redelivery of the same message is answered 200 but handled only once
    assert await _post(h, "/webhook/zalo", body, {header: ZL_SECRET}) == 200
    await h.bot.pipeline.wait_handled(target + 1)
    assert len(h.sent("dm")) == 1


async def test_webhooks_absent_when_platform_polls(harness_factory) -> None:
    h = await harness_factory("web")
    assert await _post(h, "/webhook/telegram", b"{}", {}) == 404
    assert await _post(h, "/webhook/zalo", b"{}", {}) == 404


async def test_healthz(harness_factory) -> None:
    h = await harness_factory("telegram")
    http = await h.http()
    async with http.get(f"{h.base_url}/healthz") as resp:
        assert resp.status == 200
        body = await resp.json()
    assert body == {"status": "ok", "database": "ok", "platforms": ["telegram"],
                    "polling": {"telegram": "alive"}}
