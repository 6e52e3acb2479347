"""Tests of the fake Telegram and Zalo Bot API servers, driven by the real SDK clients."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import zalo_bot
from aiohttp import web
from telegram import Bot, BotCommand, InputMediaPhoto, Update
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes
from telegram.request import HTTPXRequest

from tests.fakes import (
    FakeTelegram,
    FakeZalo,
    TelegramLimits,
    auto_entities,
    hex_id,
    match_bot_commands,
    parse_html,
    tiny_png,
)
from tests.fakes._tg_limits import FloodControl

TOKEN = "123456789:TEST-token_fake"
ZTOKEN = "123:abc"
GROUP = -1001234567890
PTB_NO_RETRY = {"read_timeout": 5.0}


class ManualClock:
    """An injectable monotonic clock that tests move by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def ptb_bot(tg: FakeTelegram, **request_kw: Any) -> Bot:
    """A real PTB Bot pointed at the fake."""
    request = HTTPXRequest(**request_kw) if request_kw else None
    return Bot(
        TOKEN,
        base_url=f"{tg.url}/bot",
        base_file_url=f"{tg.url}/file/bot",
        request=request,
    )


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(token=TOKEN, bot_username="ThisBot", max_long_poll=2) as fake:
        yield fake


@pytest.fixture
async def bot(tg: FakeTelegram) -> AsyncIterator[Bot]:
    async with ptb_bot(tg) as client:
        yield client


@pytest.fixture
async def zl() -> AsyncIterator[FakeZalo]:
    async with FakeZalo(token=ZTOKEN, bot_id="botid1", bot_name="Bot Lang") as fake:
        yield fake


@pytest.fixture
async def zbot(zl: FakeZalo) -> AsyncIterator[zalo_bot.Bot]:
    async with zalo_bot.Bot(ZTOKEN, base_url=zl.url) as client:
        yield client


class WebhookSink:
    """A tiny aiohttp app standing in for our webhook endpoint."""

    def __init__(self, secret: str) -> None:
        self.secret = secret
        self.bodies: list[Any] = []
        self.app = web.Application()
        self.app.router.add_post("/hook", self.handle)

    async def handle(self, request: web.Request) -> web.Response:
        header = request.headers.get("X-Telegram-Bot-Api-Secret-Token") or request.headers.get(
            "X-Bot-Api-Secret-Token"
        )
        if header != self.secret:
            return web.Response(status=403)
        self.bodies.append(await request.json())
        return web.json_response({"message": "Success"})


@pytest.fixture
async def sink() -> AsyncIterator[tuple[WebhookSink, str]]:
    hook = WebhookSink("s3cret-token")
    runner = web.AppRunner(hook.app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield hook, f"http://127.0.0.1:{port}/hook"
    await runner.cleanup()


# ====================================================================== Telegram: basics
async def test_get_me_reports_the_configured_bot(bot: Bot, tg: FakeTelegram) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot) == (123456789, "ThisBot", True)
    assert me.can_join_groups is True
    assert me.can_read_all_group_messages is True
    assert me.supports_inline_queries is False
    assert tg.calls_to("getMe")[0].ok


async def test_send_message_records_call_and_returns_a_real_message(
    bot: Bot, tg: FakeTelegram
) -> None:
    first = await bot.send_message(GROUP, "Chào cả làng 🌾")
    second = await bot.send_message(GROUP, "Lần hai")
    other = await bot.send_message(42, "Riêng")
    assert (first.message_id, second.message_id, other.message_id) == (1, 2, 1)
    assert first.chat.type == "supergroup" and other.chat.type == "private"
    assert first.from_user is not None and first.from_user.id == tg.bot_id
    call = tg.calls_to("sendMessage")[0]
    assert call.params["chat_id"] == GROUP and call.text == "Chào cả làng 🌾"
    assert tg.sent_texts(GROUP) == ["Chào cả làng 🌾", "Lần hai"]
    assert tg.sent_texts() == ["Chào cả làng 🌾", "Lần hai", "Riêng"]


async def test_application_builder_recipe_and_polling_roundtrip(tg: FakeTelegram) -> None:
    async def lich(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(f"lịch: {' '.join(context.args or [])}")

    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(f"{tg.url}/bot")
        .base_file_url(f"{tg.url}/file/bot")
        .build()
    )
    app.add_handler(CommandHandler("lich", lich))
    async with app:
        assert app.updater is not None
        await app.updater.start_polling(timeout=1, poll_interval=0)
        await app.start()
        tg.inject(tg.make_message_update(GROUP, 7, "/lich-hop mai 9h", username="nam"))
        [reply] = await tg.wait_for("sendMessage", ok=True)
        await app.updater.stop()
        await app.stop()
    assert reply.params["text"] == "lịch: mai 9h"
    assert reply.result["reply_to_message"]["text"] == "/lich-hop mai 9h"


async def test_html_parse_mode_is_checked_and_stripped(bot: Bot, tg: FakeTelegram) -> None:
    msg = await bot.send_message(GROUP, "<b>Họp</b> lúc 19:30 &amp; ăn", parse_mode="HTML")
    assert msg.text == "Họp lúc 19:30 & ăn"
    with pytest.raises(BadRequest, match=r"(?i)unsupported start tag"):
        await bot.send_message(GROUP, "Tuổi < 18 không được vào", parse_mode="HTML")
    assert tg.calls_to("sendMessage")[-1].status == 400
    with pytest.raises(BadRequest, match=r"(?i)can't find end tag"):
        await bot.send_message(GROUP, "<b>đậm", parse_mode="HTML")


async def test_message_longer_than_4096_utf16_units_is_rejected(bot: Bot) -> None:
    await bot.send_message(GROUP, "😀" * 2048)  # 4096 UTF-16 units: accepted
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(GROUP, "😀" * 2049)


async def test_missing_chat_answers_chat_not_found(bot: Bot, tg: FakeTelegram) -> None:
    tg.missing_chat(-999)
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(-999, "a")


async def test_reply_to_unknown_message_is_rejected(bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)message to be replied not found"):
        await bot.send_message(GROUP, "a", reply_to_message_id=555)


# ====================================================================== Telegram: commands
async def test_set_my_commands_stores_per_scope(bot: Bot, tg: FakeTelegram) -> None:
    from telegram import BotCommandScopeAllGroupChats

    await bot.set_my_commands([BotCommand("lich_hop", "Lịch họp"), BotCommand("start", "Bắt đầu")])
    await bot.set_my_commands(
        [BotCommand("nhac", "Nhắc việc")], scope=BotCommandScopeAllGroupChats()
    )
    default = await bot.get_my_commands()
    groups = await bot.get_my_commands(scope=BotCommandScopeAllGroupChats())
    assert [c.command for c in default] == ["lich_hop", "start"]
    assert [c.command for c in groups] == ["nhac"]
    assert tg.commands_for({"type": "all_group_chats"})[0]["description"] == "Nhắc việc"
    assert await bot.delete_my_commands()
    assert await bot.get_my_commands() == ()


@pytest.mark.parametrize("bad", ["lich-hop", "LichHop", "a" * 33, "lệnh"])
async def test_set_my_commands_rejects_the_whole_call_on_one_bad_name(
    bot: Bot, tg: FakeTelegram, bad: str
) -> None:
    with pytest.raises(BadRequest, match=r"(?i)bot_command_invalid"):
        await bot.set_my_commands([BotCommand("start", "Bắt đầu"), BotCommand(bad, "x")])
    assert tg.commands_for() == []
    assert tg.calls_to("setMyCommands")[0].description == "Bad Request: BOT_COMMAND_INVALID"


# ====================================================================== Telegram: entities
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/lich-hop", [(0, 5)]),
        ("/lich-hop@ThisBot", [(0, 5)]),
        ("/lich_hop@ThisBot", [(0, 17)]),
        ("/lich_hop mai 9h", [(0, 9)]),
        ("xem /lich nhé", [(4, 9)]),
        ("a/lich", []),
        ("//lich", []),
        ("/start@ab", []),
        ("/lệnh", []),
        ("/start<b>", []),
    ],
)
def test_bot_command_tokenisation_follows_tdlib(
    text: str, expected: list[tuple[int, int]]
) -> None:
    assert match_bot_commands(text) == expected


def test_entities_use_utf16_offsets_and_include_mentions() -> None:
    entities = auto_entities("😀 /lich @ThisBot")
    assert entities == [
        {"type": "bot_command", "offset": 3, "length": 5},
        {"type": "mention", "offset": 9, "length": 8},
    ]


async def test_ptb_command_handlers_see_telegram_tokenisation(bot: Bot, tg: FakeTelegram) -> None:
    hyphen = tg.make_message_update(GROUP, 7, "/lich-hop")
    full = tg.make_message_update(GROUP, 7, "/lich_hop@ThisBot")
    other_bot = tg.make_message_update(GROUP, 7, "/lich_hop@OtherBot")
    assert hyphen["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 5}]
    assert full["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 17}]

    async def noop(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        return None

    lich, lich_hop = CommandHandler("lich", noop), CommandHandler("lich_hop", noop)

    def matches(handler: CommandHandler, raw: dict[str, Any]) -> bool:
        return bool(handler.check_update(Update.de_json(raw, bot)))

    assert matches(lich, hyphen) and not matches(lich_hop, hyphen)
    assert matches(lich_hop, full) and not matches(lich, full)
    assert not matches(lich_hop, other_bot)


# ====================================================================== Telegram: updates
async def test_get_updates_long_poll_returns_an_injected_update(
    bot: Bot, tg: FakeTelegram
) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await tg.wait_for("getUpdates", answered=False)
    sent = tg.inject(tg.make_message_update(GROUP, 7, "Xin chào", first_name="Nam"))
    updates = await asyncio.wait_for(poll, 2)
    assert [u.update_id for u in updates] == [sent["update_id"]]
    message = updates[0].message
    assert message is not None and message.text == "Xin chào"
    assert message.from_user is not None and message.from_user.first_name == "Nam"
    # Confirming with offset empties the queue; an idle short poll answers [].
    assert await bot.get_updates(offset=sent["update_id"] + 1, timeout=0) == ()
    assert tg.updates == []


async def test_update_ids_increase_and_offset_confirms(bot: Bot, tg: FakeTelegram) -> None:
    first = tg.inject(tg.make_message_update(GROUP, 7, "một"))
    second = tg.inject(tg.make_message_update(GROUP, 7, "hai"))
    assert second["update_id"] == first["update_id"] + 1
    both = await bot.get_updates(timeout=0)
    assert len(both) == 2
    rest = await bot.get_updates(offset=second["update_id"], timeout=0)
    assert [u.message.text for u in rest if u.message] == ["hai"]


async def test_second_instance_terminates_the_first_poll_with_conflict(
    bot: Bot, tg: FakeTelegram
) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=5))
    await tg.wait_for("getUpdates", answered=False)
    async with ptb_bot(tg) as twin:  # a second bot process with the same token
        second = asyncio.create_task(twin.get_updates(timeout=1))
        with pytest.raises(Conflict, match=r"(?i)terminated by other getupdates"):
            await asyncio.wait_for(first, 2)
        tg.inject(tg.make_message_update(GROUP, 7, "x"))
        assert len(await asyncio.wait_for(second, 2)) == 1


async def test_builders_make_callback_migrate_and_my_chat_member(
    bot: Bot, tg: FakeTelegram
) -> None:
    from telegram import InlineKeyboardButton, InlineKeyboardMarkup

    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Có", callback_data="rsvp:yes")]])
    msg = await bot.send_message(GROUP, "Đi họp không?", reply_markup=keyboard)
    assert msg.reply_markup == keyboard
    cb = Update.de_json(tg.make_callback_update(GROUP, 7, "rsvp:yes"), bot)
    assert cb.callback_query is not None and cb.callback_query.message is not None
    assert cb.callback_query.message.message_id == msg.message_id
    assert await bot.answer_callback_query(cb.callback_query.id, "Đã ghi nhận")
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(cb.callback_query.id)

    migrate = Update.de_json(tg.make_migrate_update(-4001, -1004001), bot)
    assert migrate.message is not None and migrate.message.migrate_to_chat_id == -1004001
    with pytest.raises(ChatMigrated) as err:
        await bot.send_message(-4001, "x")
    assert err.value.new_chat_id == -1004001

    removed = Update.de_json(
        tg.make_my_chat_member_update(GROUP, 7, old_status="member", new_status="kicked"), bot
    )
    assert removed.my_chat_member is not None
    assert removed.my_chat_member.new_chat_member.status == "kicked"
    with pytest.raises(Forbidden, match=r"(?i)kicked from the supergroup"):
        await bot.send_message(GROUP, "x")


async def test_privacy_mode_drops_messages_the_bot_would_not_see() -> None:
    async with FakeTelegram(token=TOKEN, privacy_mode=True) as tg:
        chatter = tg.inject(tg.make_message_update(GROUP, 7, "chuyện phiếm"))
        general = tg.inject(tg.make_message_update(GROUP, 7, "/lich"))
        addressed = tg.inject(tg.make_message_update(GROUP, 7, "/lich_hop@ThisBot"))
        other = tg.inject(tg.make_message_update(GROUP, 7, "/lich_hop@OtherBot"))
        private = tg.inject(tg.make_message_update(42, 42, "chào"))
    assert tg.updates == [general, addressed, private]
    assert tg.privacy_dropped == [chatter, other]


async def test_webhook_delivery_with_secret_header(
    bot: Bot, tg: FakeTelegram, sink: tuple[WebhookSink, str]
) -> None:
    hook, url = sink
    assert await bot.set_webhook(url, secret_token=hook.secret)
    info = await bot.get_webhook_info()
    assert info.url == url and info.pending_update_count == 0
    with pytest.raises(Conflict):
        await bot.get_updates(timeout=0)
    update = tg.make_message_update(GROUP, 7, "qua webhook")
    assert await tg.post_webhook(None, update) == 200
    assert await tg.post_webhook(url, update, secret="sai") == 403
    queued = tg.inject(tg.make_message_update(GROUP, 7, "xếp hàng"))
    assert (await bot.get_webhook_info()).pending_update_count == 1
    assert await tg.deliver_to_webhook() == [200]
    assert hook.bodies == [update, queued] and tg.updates == []


# ====================================================================== Telegram: media & files
async def test_send_photo_upload_then_get_file_and_download(bot: Bot, tg: FakeTelegram) -> None:
    png = tiny_png(4, 3)
    msg = await bot.send_photo(GROUP, png, caption="Ảnh họp")
    assert msg.caption == "Ảnh họp"
    largest = msg.photo[-1]
    assert (largest.width, largest.height) == (4, 3)
    assert tg.calls_to("sendPhoto")[0].files["photo"] == png
    file = await bot.get_file(largest.file_id)
    assert bytes(await file.download_as_bytearray()) == png
    # Re-sending by file_id works; garbage does not.
    again = await bot.send_photo(42, largest.file_id)
    assert again.photo[-1].file_id == largest.file_id
    with pytest.raises(BadRequest, match=r"(?i)wrong file identifier"):
        await bot.send_photo(42, "not-a-file-id")
    with pytest.raises(BadRequest, match=r"(?i)image_process_failed"):
        await bot.send_photo(42, b"not an image")
    with pytest.raises(BadRequest, match=r"(?i)caption is too long"):
        await bot.send_photo(42, largest.file_id, caption="x" * 1025)


async def test_user_photo_is_downloadable(bot: Bot, tg: FakeTelegram) -> None:
    photo = tg.make_photo(b"\xff\xd8 fake jpeg bytes", width=800, height=600)
    update = Update.de_json(tg.make_message_update(GROUP, 7, photo=photo, caption="/anh"), bot)
    assert update.message is not None and update.message.caption == "/anh"
    assert update.message.caption_entities[0].type == "bot_command"
    file = await update.message.photo[-1].get_file()
    assert bytes(await file.download_as_bytearray()) == b"\xff\xd8 fake jpeg bytes"
    tg.add_file("custom-id", b"abc")
    assert bytes(await (await bot.get_file("custom-id")).download_as_bytearray()) == b"abc"


async def test_media_group_sizes(bot: Bot, tg: FakeTelegram) -> None:
    album = [InputMediaPhoto(tiny_png()), InputMediaPhoto(tiny_png(), caption="hai")]
    messages = await bot.send_media_group(GROUP, album)
    assert len(messages) == 2 and messages[0].media_group_id == messages[1].media_group_id
    assert messages[1].caption == "hai"
    with pytest.raises(BadRequest, match=r"(?i)too many messages"):
        await bot.send_media_group(GROUP, [InputMediaPhoto(tiny_png())] * 11)
    with pytest.raises(BadRequest, match=r"(?i)2-10"):
        await bot.send_media_group(GROUP, [InputMediaPhoto(tiny_png())])


async def test_send_video_returns_a_video(bot: Bot) -> None:
    msg = await bot.send_video(GROUP, b"\x00\x00\x00\x18ftypmp42", caption="clip")
    assert msg.video is not None and msg.video.mime_type == "video/mp4"


# ====================================================================== Telegram: chats & rights
async def test_pin_requires_rights(bot: Bot, tg: FakeTelegram) -> None:
    msg = await bot.send_message(GROUP, "Ghim cái này")
    with pytest.raises(BadRequest, match=r"(?i)not enough rights to manage pinned"):
        await bot.pin_chat_message(GROUP, msg.message_id)
    tg.set_bot_rights(GROUP, "administrator", can_pin_messages=True)
    assert await bot.pin_chat_message(GROUP, msg.message_id)
    assert tg.pinned[GROUP] == [msg.message_id]
    tg.set_bot_rights(GROUP, "administrator", can_pin_messages=False)
    with pytest.raises(BadRequest, match=r"(?i)not enough rights"):
        await bot.pin_chat_message(GROUP, msg.message_id)


async def test_chat_members_admins_and_get_chat(bot: Bot, tg: FakeTelegram) -> None:
    tg.add_chat(GROUP, "supergroup", title="Làng Hòa")
    tg.set_member(GROUP, 1, "creator", first_name="Trưởng thôn")
    tg.set_member(GROUP, 2, "administrator", first_name="Phó", can_pin_messages=False)
    tg.set_member(GROUP, 3, "restricted", first_name="Khách")
    assert (await bot.get_chat_member(GROUP, 1)).status == "creator"
    restricted = await bot.get_chat_member(GROUP, 3)
    assert restricted.status == "restricted"
    admins = await bot.get_chat_administrators(GROUP)
    assert {a.user.id for a in admins} == {1, 2}
    assert (await bot.get_chat_member(GROUP, tg.bot_id)).status == "member"
    chat = await bot.get_chat(GROUP)
    assert (chat.title, chat.type) == ("Làng Hòa", "supergroup")


async def test_edit_message_text_and_not_modified(bot: Bot, tg: FakeTelegram) -> None:
    msg = await bot.send_message(GROUP, "cũ")
    edited = await bot.edit_message_text("mới", GROUP, msg.message_id)
    assert isinstance(edited, type(msg)) and edited.text == "mới"
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("mới", GROUP, msg.message_id)
    assert tg.sent_texts() == ["cũ"]
    assert tg.messages[(GROUP, msg.message_id)]["text"] == "mới"


# ====================================================================== Telegram: faults
async def test_injected_429_raises_retry_after_once(bot: Bot, tg: FakeTelegram) -> None:
    tg.fail_next("sendMessage", 429, retry_after=7)
    with pytest.raises(RetryAfter, match="Retry in 7 seconds"):
        await bot.send_message(GROUP, "a")
    assert tg.calls_to("sendMessage")[0].response == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 7",
        "parameters": {"retry_after": 7},
    }
    assert (await bot.send_message(GROUP, "b")).text == "b"
    assert tg.stats["429"] == 1 and tg.sent_texts() == ["b"]


async def test_faults_only_hit_the_chosen_chat(bot: Bot, tg: FakeTelegram) -> None:
    tg.fail_next("sendMessage", 403, chat_id=42, times=2)
    assert (await bot.send_message(GROUP, "a")).text == "a"
    with pytest.raises(Forbidden, match=r"(?i)blocked by the user"):
        await bot.send_message(42, "b")
    with pytest.raises(Forbidden):
        await bot.send_message(42, "c")
    assert (await bot.send_message(42, "d")).text == "d"


async def test_kick_makes_every_send_forbidden(bot: Bot, tg: FakeTelegram) -> None:
    tg.kick(-4002)
    with pytest.raises(Forbidden, match=r"(?i)kicked from the group chat"):
        await bot.send_message(-4002, "x")
    tg.unkick(-4002)
    assert await bot.send_message(-4002, "x")


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        ({"status": 400, "migrate_to_chat_id": -1009}, ChatMigrated),
        ({"status": 500}, NetworkError),
        ({"status": 502}, NetworkError),
        ({"status": None, "drop": True}, NetworkError),
        ({"status": None, "malformed": True}, TelegramError),
    ],
)
async def test_fault_kinds_map_to_ptb_errors(
    bot: Bot, tg: FakeTelegram, fault: dict[str, Any], error: type[Exception]
) -> None:
    tg.fail_next("sendMessage", **fault)
    with pytest.raises(error):
        await bot.send_message(GROUP, "x")
    assert (await bot.send_message(GROUP, "y")).text == "y"


async def test_delay_fault_times_out_the_client(tg: FakeTelegram) -> None:
    tg.delay_next("sendMessage", 0.5)
    async with ptb_bot(tg, read_timeout=0.1) as impatient:
        with pytest.raises(TimedOut):
            await impatient.send_message(GROUP, "chậm")
    # The server still delivered it, as Telegram may do after a client timeout.
    await tg.wait_for("sendMessage", ok=True)
    assert tg.sent_texts() == ["chậm"]


async def test_wrong_token_is_unauthorized(tg: FakeTelegram) -> None:
    async with httpx.AsyncClient() as client:
        resp = await client.post(f"{tg.url}/bot999:nope/getMe")
    assert resp.status_code == 401
    assert resp.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}


async def test_json_body_and_query_string_are_accepted(tg: FakeTelegram) -> None:
    async with httpx.AsyncClient() as client:
        by_json = await client.post(
            f"{tg.url}/bot{TOKEN}/sendMessage",
            json={"chat_id": GROUP, "text": "json", "reply_markup": {"inline_keyboard": []}},
        )
        by_query = await client.get(f"{tg.url}/bot{TOKEN}/sendMessage?chat_id=42&text=query")
    assert by_json.json()["result"]["text"] == "json"
    assert by_query.json()["result"]["chat"]["id"] == 42
    assert tg.calls_to("sendMessage")[1].http_method == "GET"


async def test_outage_refuses_then_recovers(bot: Bot, tg: FakeTelegram) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await tg.wait_for("getUpdates", answered=False)
    await tg.go_down()
    with pytest.raises(NetworkError):
        await asyncio.wait_for(poll, 2)
    with pytest.raises(NetworkError):
        await bot.send_message(GROUP, "x")
    await tg.go_up()
    assert (await bot.send_message(GROUP, "y")).text == "y"
    await tg.go_down("502")
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.send_message(GROUP, "z")
    await tg.go_up()
    assert tg.stats["down_rejected"] >= 1


# ====================================================================== Telegram: flood limits
def test_flood_control_per_chat_group_and_overall() -> None:
    per_chat = FloodControl(
        TelegramLimits(per_chat_burst=3, per_group=None, overall_per_second=None)
    )
    assert [per_chat.check(42, 0.0) for _ in range(3)] == [None, None, None]
    verdict = per_chat.check(42, 0.0)
    assert verdict is not None and (verdict.reason, verdict.retry_after) == ("chat", 1)
    assert per_chat.check(42, 1.0) is None

    groups = FloodControl(TelegramLimits(per_chat_per_second=None, overall_per_second=None))
    assert all(groups.check(-5, float(i)) is None for i in range(20))
    verdict = groups.check(-5, 20.0)
    assert verdict is not None and (verdict.reason, verdict.retry_after) == ("group", 40)
    assert groups.check(-5, 60.0) is None

    overall = FloodControl(TelegramLimits(per_chat_per_second=None, per_group=None))
    assert all(overall.check(-i, 0.5) is None for i in range(30))
    verdict = overall.check(-999, 0.9)
    assert verdict is not None and (verdict.reason, verdict.retry_after) == ("overall", 1)
    assert overall.check(-999, 1.5) is None


async def test_enforced_limits_answer_429_with_ceil_retry_after() -> None:
    clock = ManualClock()
    limits = TelegramLimits(per_chat_burst=2)
    async with (
        FakeTelegram(token=TOKEN, limits=limits, clock=clock) as tg,
        ptb_bot(tg) as bot,
    ):
        await bot.send_message(42, "1")
        await bot.send_message(42, "2")
        clock.now += 0.25
        with pytest.raises(RetryAfter, match="Retry in 1 seconds"):
            await bot.send_message(42, "3")
        assert tg.calls_to("sendMessage")[2].response["parameters"] == {"retry_after": 1}
        clock.now += 0.75
        assert (await bot.send_message(42, "3")).text == "3"
    assert tg.stats["429"] == 1 and tg.stats["429:chat"] == 1
    assert tg.calls_to("sendMessage")[2].at == 1000.25


# ====================================================================== Zalo: SDK
async def test_zalo_sdk_get_me(zbot: zalo_bot.Bot, zl: FakeZalo) -> None:
    me = await zbot.get_me()
    assert me.id == "botid1" and me.account_type == "BASIC" and me.can_join_groups is True
    assert zl.calls_to("getMe")[-1].ok


async def test_zalo_sdk_send_message_is_form_encoded(zbot: zalo_bot.Bot, zl: FakeZalo) -> None:
    msg = await zbot.send_message("grp1", "Chào cả làng")
    assert len(msg.message_id) == 20 and int(msg.message_id, 16) >= 0
    call = zl.calls_to("sendMessage")[0]
    assert call.params == {"chat_id": "grp1", "text": "Chào cả làng"}
    assert call.result["date"] > 1_000_000_000_000  # epoch milliseconds
    assert zl.sent_texts("grp1") == ["Chào cả làng"]


async def test_zalo_sdk_get_update_returns_one_injected_event(
    zbot: zalo_bot.Bot, zl: FakeZalo
) -> None:
    poll = asyncio.create_task(zbot.get_update(timeout=5))
    await zl.wait_for("getUpdates", answered=False)
    zl.inject(zl.make_text("grp1", "u1", "/lich mai", display_name="Bà Tư", mention=True))
    update = await asyncio.wait_for(poll, 2)
    assert update.message.text == "@Bot Lang /lich mai"
    assert update.message.chat.id == "grp1" and update.message.from_user.id == "u1"
    assert zl.events == []
    # Idle: the wire says ok:false/408 with HTTP 200; SDK 0.1.9 turns that into None.
    assert await zbot.get_update(timeout=0.2) is None
    assert zl.calls_to("getUpdates")[-1].response["error_code"] == 408


async def test_zalo_idle_poll_wire_format(zl: FakeZalo) -> None:
    async with httpx.AsyncClient() as client:
        idle = await client.post(f"{zl.url}/bot{ZTOKEN}/getUpdates", json={"timeout": "0.1"})
        zl.inject(zl.make_text(None, "u2", "riêng", chat_type="PRIVATE"))
        got = await client.post(f"{zl.url}/bot{ZTOKEN}/getUpdates", data={"timeout": "1"})
        bad = await client.post(f"{zl.url}/botWRONG/getMe")
    assert idle.status_code == 200
    assert idle.json() == {"ok": False, "error_code": 408, "description": "Request timeout"}
    event = got.json()["result"]
    assert event["event_name"] == "message.text.received"
    assert event["message"]["chat"] == {"id": "u2", "chat_type": "PRIVATE"}
    assert bad.json()["error_code"] == 401


async def test_zalo_text_length_limits(zl: FakeZalo) -> None:
    url = f"{zl.url}/bot{ZTOKEN}/sendMessage"
    async with httpx.AsyncClient() as client:
        ok = await client.post(url, json={"chat_id": "g", "text": "x" * 2000})
        long = await client.post(url, json={"chat_id": "g", "text": "x" * 2001})
        empty = await client.post(url, json={"chat_id": "g", "text": ""})
    assert ok.json()["ok"] is True
    assert (long.status_code, long.json()["ok"], long.json()["error_code"]) == (200, False, 400)
    assert empty.json()["error_code"] == 400


async def test_zalo_send_photo_fetches_the_url_and_cdn_expires(
    zbot: zalo_bot.Bot, zl: FakeZalo
) -> None:
    png = tiny_png()
    url = zl.add_cdn_image("hop.png", png, expires_after_fetches=1)
    sent = await zbot.send_photo("grp1", "Ảnh họp", url)
    assert sent is not None and zl.photo_fetches[0].data == png
    assert zl.last_sent("grp1")["caption"] == "Ảnh họp"
    # Second use: the CDN link has expired, Zalo cannot fetch it -> ok:false.
    assert await zbot.send_photo("grp1", "lại", url) is None
    assert zl.photo_fetches[1].status == 403
    assert zl.calls_to("sendPhoto")[1].response["ok"] is False


async def test_zalo_image_event_fields(zl: FakeZalo) -> None:
    both = zl.make_image("g", "u", photo_url="https://cdn/x.jpg", caption="c", field="both")
    assert both["event_name"] == "message.image.received"
    assert both["message"]["photo"] == both["message"]["photo_url"] == "https://cdn/x.jpg"
    legacy = zl.make_image("g", "u", photo_url="https://cdn/y.jpg", field="photo_url")
    assert "photo" not in legacy["message"]
    unsupported = zl.make_unsupported("g", "u")
    assert unsupported["event_name"] == "message.unsupported.received"
    assert hex_id("a") == hex_id("a") and len(zl.new_id()) == 20


async def test_zalo_echo_and_duplicates(zbot: zalo_bot.Bot, zl: FakeZalo) -> None:
    zl.echo_sends = True
    sent = await zbot.send_message("grp1", "tiếng vọng")
    echo = await zbot.get_update(timeout=1)
    assert echo.message.from_user.id == "botid1" and echo.message.message_id == sent.message_id
    assert echo.message.api_kwargs["from"]["is_bot"] is True
    event = zl.make_text("grp1", "u1", "hai lần")
    zl.inject_duplicate(event)
    first, second = await zbot.get_update(timeout=1), await zbot.get_update(timeout=1)
    assert first.message.message_id == second.message.message_id


async def test_zalo_quota_exhausted(zbot: zalo_bot.Bot, zl: FakeZalo) -> None:
    zl.quota_remaining = 1
    assert await zbot.send_message("g", "một") is not None
    assert await zbot.send_message("g", "hai") is None
    zl.quota_remaining, zl.quota_exhausted = None, True
    assert await zbot.send_message("g", "ba") is None
    assert zl.stats["quota_rejected"] == 2
    assert zl.calls_to("sendMessage")[-1].response == {
        "ok": False,
        "error_code": 429,
        "description": "Quota exceeded",
    }
    assert zl.sent_texts() == ["một"]


async def test_zalo_faults(zbot: zalo_bot.Bot, zl: FakeZalo) -> None:
    zl.fail_next("sendMessage", 500, http_status=500)
    with pytest.raises(zalo_bot.error.NetworkError):
        await zbot.send_message("g", "a")
    zl.fail_next("sendMessage", drop=True)
    with pytest.raises(zalo_bot.error.NetworkError):
        await zbot.send_message("g", "b")
    zl.fail_next("sendMessage", 403)
    assert await zbot.send_message("g", "c") is None
    assert zl.calls_to("sendMessage")[-1].response["description"] == "Internal server error"
    assert (await zbot.send_message("g", "d")).message_id
    assert zl.sent_texts() == ["d"]


async def test_zalo_webhook_registration_and_delivery(
    zl: FakeZalo, sink: tuple[WebhookSink, str]
) -> None:
    hook, url = sink
    api = f"{zl.url}/bot{ZTOKEN}"
    async with httpx.AsyncClient() as client:
        assert (await client.post(f"{api}/getWebhookInfo")).json()["error_code"] == 404
        short = await client.post(f"{api}/setWebhook", json={"url": url, "secret_token": "short"})
        assert short.json()["ok"] is False
        good = await client.post(
            f"{api}/setWebhook", json={"url": url, "secret_token": hook.secret}
        )
        assert good.json()["result"]["url"] == url
        blocked = await client.post(f"{api}/getUpdates", json={"timeout": "0"})
        assert blocked.json()["ok"] is False
    event = zl.make_text("grp1", "u1", "qua webhook")
    assert await zl.post_webhook(None, event, shape="wrapped") == 200
    assert await zl.post_webhook(url, event, shape="flat") == 200
    assert await zl.post_webhook(url, event, secret="wrong-secret") == 403
    zl.inject(event)
    assert await zl.deliver_to_webhook(shape="flat") == [200]
    assert hook.bodies == [{"ok": True, "result": event}, event, event]


async def test_zalo_outage(zbot: zalo_bot.Bot, zl: FakeZalo) -> None:
    poll = asyncio.create_task(zbot.get_update(timeout=5))
    await zl.wait_for("getUpdates", answered=False)
    await zl.go_down("502")
    # The long poll gets the proxy's HTML 502 page; SDK 0.1.9 fails to parse it and raises
    # a bare ZaloError("Invalid server response"), not NetworkError.
    with pytest.raises(zalo_bot.error.ZaloError, match="Invalid server response"):
        await asyncio.wait_for(poll, 2)
    await zl.go_up()
    await zl.go_down()
    with pytest.raises(zalo_bot.error.NetworkError):
        await zbot.send_message("g", "a")
    await zl.go_up()
    assert (await zbot.send_message("g", "b")).message_id


def test_parse_html_keeps_text_and_decodes_entities() -> None:
    assert parse_html('<a href="https://x.vn">Lịch</a> &lt;3 &copy;') == "Lịch <3 &copy;"
