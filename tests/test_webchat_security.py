"""The local web chat is not a back door: foreign Hosts and Origins are refused, the secret start
link is needed, and the simulator's identities never gain rights on real platforms."""

from __future__ import annotations

import json

import aiohttp
import pytest
from sqlmodel import select

from bot.db import repo
from bot.db.models import OfficialRole
from tests.harness import WEB_TOKEN, Harness

ATTACK = {"user": "admin", "chat": "private",
          "text": "/capquyen telegram:1003 thanhbinh Trưởng thôn"}
ROUTES = [("GET", "/"), ("GET", "/chat/webchat.js"), ("GET", "/chat/api/config"),
          ("GET", "/chat/api/messages?user=admin&chat=private"), ("POST", "/chat/api/send"),
          ("GET", "/chat/api/upload/up-x")]


async def _roles_of_telegram_resident(h: Harness) -> list[OfficialRole]:
    async with h.services.db.session() as session:
        person = await repo.upsert_person(session, _tg_ref(), h.clock.now())
        await session.commit()
        return list((await session.exec(select(OfficialRole).where(
            OfficialRole.person_id == person.id))).all())


def _tg_ref():  # the harness's Telegram resident
    from bot.core.events import Platform, UserRef
    return UserRef(Platform.TELEGRAM, "1003", "Trần Thị Tư", "resident")


async def test_cross_site_grant_never_lets_a_telegram_user_broadcast(harness_factory) -> None:
    """The red-team chain: a page on evil.example posts a text/plain form to the simulator as its
    admin, granting a real Telegram user a role, who then broadcasts.  Refused at the door
    (Origin), and even the simulator's own admin only ever writes to the simulator's database."""
    h: Harness = await harness_factory("telegram", web_chat="on")
    # the victim's browser: no cookie is sent for evil.example's request
    async with aiohttp.ClientSession() as browser, browser.post(
            f"{h.base_url}/chat/api/send", data=json.dumps(ATTACK),
            headers={"Origin": "http://evil.example", "Content-Type": "text/plain"}) as resp:
        cross_site = resp.status
    roles_after_attack = len(await _roles_of_telegram_resident(h))
    # the simulator's own admin, in its own page, grants the same role: it lands in the demo db
    http = await h.http()
    async with http.post(f"{h.base_url}/chat/api/send", json=ATTACK,
                         headers={"Origin": h.base_url}) as resp:
        own_page = resp.status
    roles = len(await _roles_of_telegram_resident(h))
    texts = await h.say("/thongbao Họp khẩn tối nay", user="resident", chat="group1")
    # today's main: (200, 1, 200, 1, [preview with Gửi]) — the Telegram user could broadcast
    assert (cross_site, roles_after_attack, own_page, roles, texts) == (
        403, 0, 200, 0, ["Chỉ cán bộ thôn mới dùng được lệnh này."])


@pytest.mark.parametrize("body", ["form", "text"])
async def test_foreign_origin_is_refused(harness_factory, body: str) -> None:
    h: Harness = await harness_factory("web")
    http = await h.http()  # even with the cookie (a same-site page would not have it)
    data: object = ATTACK if body == "form" else json.dumps(ATTACK)
    headers = {"Origin": "http://evil.example"}
    if body == "text":
        headers["Content-Type"] = "text/plain"
    async with http.post(f"{h.base_url}/chat/api/send", data=data, headers=headers) as resp:
        assert resp.status == 403
    async with http.post(f"{h.base_url}/chat/api/send", data=data,
                         headers={"Origin": "null"}) as resp:
        assert resp.status == 403
    async with http.post(f"{h.base_url}/chat/api/send", data=json.dumps(ATTACK),
                         headers={"Content-Type": "text/plain"}) as resp:
        assert resp.status == 415  # only forms and JSON, never a text/plain body
    assert h.sent("dm", user="admin") == []


async def test_foreign_host_is_refused_on_every_route(harness_factory) -> None:
    """DNS rebinding: evil.example resolving to 127.0.0.1 reads nothing."""
    h: Harness = await harness_factory("web")
    http = await h.http()
    for method, path in ROUTES:
        async with http.request(method, f"{h.base_url}{path}",
                                headers={"Host": "evil.example"}) as resp:
            assert resp.status == 421, path
        async with http.request(method, f"{h.base_url}{path}",
                                headers={"Host": "evil.example:8080"}) as resp:
            assert resp.status == 421, path
    async with http.get(f"{h.base_url}/chat/api/config",
                        headers={"Host": f"localhost:{h.bot.web.port}"}) as resp:
        assert resp.status == 200
    async with http.get(f"{h.base_url}/healthz", headers={"Host": "evil.example"}) as resp:
        assert resp.status == 200  # public routes are not the simulator's


async def test_secret_link_becomes_a_strict_cookie(harness_factory) -> None:
    h: Harness = await harness_factory("web")
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(cookie_jar=jar) as browser:
        for method, path in ROUTES:
            async with browser.request(method, f"{h.base_url}{path}") as resp:
                assert resp.status == 403, path
        async with browser.get(f"{h.base_url}/?token=wrong") as resp:
            assert resp.status == 403
            assert "?token=" in await resp.text()
        async with browser.get(f"{h.base_url}/?token={WEB_TOKEN}",
                               allow_redirects=False) as resp:
            assert resp.status == 303 and resp.headers["Location"] == "/"
            cookie = resp.headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
        async with browser.get(f"{h.base_url}/chat/api/config") as resp:
            assert resp.status == 200
        async with browser.get(f"{h.base_url}/chat/api/messages",
                               params={"user": "admin", "chat": "private",
                                       "after": "abc"}) as resp:
            assert resp.status == 400


async def test_random_secret_per_process_is_logged(harness_factory, caplog) -> None:
    caplog.set_level("INFO", logger="bot.app")
    h: Harness = await harness_factory("web", web_chat_token=None)
    assert h.bot is not None and h.bot.webchat is not None
    token = h.bot.webchat.token
    assert len(token) >= 24 and token != WEB_TOKEN
    assert f"/?token={token}" in caplog.text


def test_simulator_beside_platforms_needs_its_own_database() -> None:
    from bot.config import ConfigError, load_settings

    url = "sqlite+aiosqlite:///./data/villagebot.db"
    with pytest.raises(ConfigError) as err:
        load_settings(_env_file=None, telegram_bot_token="1:x", web_chat="on", database_url=url,
                      web_chat_database_url=url)
    assert err.value.variable == "WEB_CHAT_DATABASE_URL"
    ok = load_settings(_env_file=None, telegram_bot_token="1:x", web_chat="on", database_url=url)
    assert ok.web_chat_beside_platforms and ok.web_chat_database_url != url
