"""PTB on our aiohttp transport against the fake Bot API: uploads, downloads, error mapping.

The Telegram adapter replaces PTB's httpx requests with ``AiohttpRequest`` and sends text through
PTB's request object without parsing the answer; these drive the real adapter over real HTTP.
"""

from __future__ import annotations

import pytest

from bot.adapters.telegram_http import AiohttpRequest
from bot.core.events import Attachment
from bot.core.messenger import Button, Media, OutMessage, SendError, SendErrorKind
from tests.fakes import tiny_png

GROUP = "-1001000000001"


async def _messenger(harness_factory):  # type: ignore[no-untyped-def]
    h = await harness_factory("telegram")
    assert isinstance(h.bot.telegram.app.bot.request, AiohttpRequest)
    return h, h.bot.telegram.messenger


async def test_text_with_buttons_reply_and_silence_reaches_the_api(harness_factory) -> None:
    h, messenger = await _messenger(harness_factory)
    first = await messenger.send(GROUP, OutMessage(text="Họp thôn <19h30>", title="Thông báo"))
    sent = await messenger.send(GROUP, OutMessage(
        text="Bạn có đi họp không?", buttons=((Button("Có", "rsvp:1:y"),),),
        reply_to=first.first, silent=True))
    assert sent.first is not None and int(sent.first) > int(first.first or 0)
    call = h.tg.calls_to("sendMessage")[-1]
    assert call.params["parse_mode"] == "HTML"
    assert call.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "rsvp:1:y"
    assert call.params["reply_parameters"] == {"message_id": int(first.first or 0)}
    assert call.params["disable_notification"] is True
    assert "&lt;19h30&gt;" in h.tg.calls_to("sendMessage")[-2].params["text"]


async def test_photo_upload_is_multipart_and_download_returns_the_bytes(
    harness_factory, tmp_path
) -> None:
    h, messenger = await _messenger(harness_factory)
    png = tiny_png()
    path = tmp_path / "poster.png"
    path.write_bytes(png)
    await messenger.send(GROUP, OutMessage(text="Mã QR ủng hộ", media=(Media(path=str(path)),)))
    call = h.tg.calls_to("sendPhoto")[-1]
    assert call.files["photo"] == png and call.params["caption"] == "Mã QR ủng hộ"

    h.tg.add_file("F-1", b"\x89PNG-bytes-of-a-photo")
    data = await messenger.download(Attachment("photo", "F-1"), max_bytes=1000)
    assert data == b"\x89PNG-bytes-of-a-photo"


@pytest.mark.parametrize(("fault", "kind"), [
    ({"status": 429, "retry_after": 7}, SendErrorKind.RETRY_AFTER),
    ({"status": 403}, SendErrorKind.FORBIDDEN),
    ({"status": 400, "migrate_to_chat_id": -1009999}, SendErrorKind.MIGRATED),
    ({"status": 502}, SendErrorKind.TRANSIENT),
    ({"drop": True}, SendErrorKind.TRANSIENT),
    ({"status": 200, "malformed": True}, SendErrorKind.TRANSIENT),
])
async def test_api_errors_are_classified_as_before(harness_factory, fault, kind) -> None:
    h, messenger = await _messenger(harness_factory)
    h.tg.fail_next("sendMessage", **fault)
    with pytest.raises(SendError) as caught:
        await messenger.send(GROUP, OutMessage(text="Xin chào"))
    assert caught.value.kind is kind
    if kind is SendErrorKind.RETRY_AFTER:
        assert caught.value.retry_after == 7
    if kind is SendErrorKind.MIGRATED:
        assert caught.value.new_chat_id == "-1009999"
    assert (await messenger.send(GROUP, OutMessage(text="Lần nữa"))).first is not None


def test_text_requests_are_utf8_json_not_percent_encoded() -> None:
    """What README claims of the transport: a JSON body, Vietnamese letters as UTF-8."""
    import json

    from telegram.request import RequestData
    from telegram.request._requestparameter import RequestParameter

    from bot.adapters.telegram_http import _body

    data = RequestData([RequestParameter.from_input("chat_id", 5),
                        RequestParameter.from_input("text", "Họp thôn tối nay")])
    body = _body(data, None)
    assert body is not None and body.content_type == "application/json"
    raw = body._value  # the encoded bytes aiohttp sends
    assert "Họp thôn tối nay".encode() in raw and b"%E1" not in raw
    assert json.loads(raw) == {"chat_id": 5, "text": "Họp thôn tối nay"}


async def test_proxy_from_the_environment_is_still_honoured(monkeypatch) -> None:
    """trust_env is off (it cost two thread hops per request); HTTPS_PROXY / NO_PROXY are read
    once per origin instead, with the same meaning."""
    from yarl import URL

    monkeypatch.setenv("HTTPS_PROXY", "http://user:pw@proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "local.example")
    request = AiohttpRequest()
    await request.initialize()
    try:
        proxy, proxy_auth, _auth = request._route(URL("https://api.telegram.org/bot1/getMe"))
        assert proxy == URL("http://proxy.example:3128")
        assert proxy_auth is not None and proxy_auth.login == "user"
        assert request._route(URL("https://local.example/bot1/getMe"))[0] is None
    finally:
        await request.shutdown()
