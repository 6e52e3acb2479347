"""Fuzzing with hypothesis: parsers, the whole pipeline, and both webhooks.

No input raises out of a parser or the pipeline; malformed webhooks get 400 (403 for a wrong
secret); the process keeps serving (a good update afterwards is answered).

Async harness + hypothesis: the bot runs on the test's event loop while hypothesis drives it
from a worker thread (``asyncio.run_coroutine_threadsafe``), so examples stay cheap.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.commands import command_key, match_words, parse_command, strip_mention
from bot.core.events import ChatRef, IncomingMessage, Platform, UserRef
from bot.text.money import parse_amount, parse_signed_amount, split_amount_and_rest
from bot.text.recurrence import parse_recurrence
from bot.text.timeparse import parse_offsets, parse_when
from tests.harness import START, Harness

FAST = settings(max_examples=150, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])
WIRE = settings(max_examples=60, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

VOCAB = ["/", "@", "-", "_", " ", "\n", "lich", "hop", "Lịch", "họp", "mai", "thứ", "7", "19h",
         "30", "ngày", "tuần", "sau", "k", "tr", "triệu", "nghìn", "đ", "VND", ".", ",", "000",
         "ThisBot", "@Bot Lang", "chủ nhật", "hằng", "tháng", "âm", "-5", "999999999999999"]
words = st.lists(st.sampled_from(VOCAB), max_size=12).map("".join)
texts = st.one_of(st.text(max_size=200), words)


# ================================================================ pure parsers
@FAST
@given(texts, st.one_of(st.none(), st.sampled_from(["ThisBot", "thisbot", ""])))
def test_parse_command_never_raises(text: str, username: str | None) -> None:
    parsed = parse_command(text, bot_username=username)
    if parsed is not None:
        assert text.strip().startswith("/")
        assert parsed.key == command_key(parsed.typed)
        assert "-" not in parsed.key and "_" not in parsed.key


@FAST
@given(texts, st.dictionaries(words, st.sampled_from(["lichhop", "trogiup"]), max_size=4),
       st.lists(st.sampled_from(["Bot Lang", "bot", "", "B"]), max_size=3))
def test_words_and_mentions_never_raise(text: str, phrases: dict[str, str],
                                        names: list[str]) -> None:
    match_words(text, phrases)
    rest, found = strip_mention(text, names)
    assert found or rest == text


@FAST
@given(texts, st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2090, 1, 1),
                           timezones=st.just(UTC)))
def test_time_parsers_never_raise(text: str, now: datetime) -> None:
    result = parse_when(text, now)
    assert result.when is None or result.when.tzinfo is not None
    offsets = parse_offsets(text)
    assert offsets is None or all(isinstance(o, timedelta) for o in offsets)
    parse_recurrence(text, now)


@FAST
@given(texts)
def test_money_parsers_never_raise(text: str) -> None:
    amount = parse_amount(text)
    assert amount is None or amount >= 0
    parse_signed_amount(text)
    value, rest = split_amount_and_rest(text)
    assert value is None or value >= 0
    assert isinstance(rest, str)


# ================================================================ helpers for the wire tests
class Failures(logging.Handler):
    """Collects ERROR records (the pipeline logs every exception a handler raised)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def failures() -> Any:
    """ERROR records of the bot's loggers during the test."""
    handler = Failures()
    logger = logging.getLogger("bot")
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


def in_loop(loop: asyncio.AbstractEventLoop) -> Callable[[Awaitable[Any]], Any]:
    """Run a coroutine on the bot's loop from hypothesis' worker thread."""

    def run(coro: Awaitable[Any]) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, loop).result(30)  # type: ignore[arg-type]

    return run


def describe(records: list[logging.LogRecord]) -> list[str]:
    """Readable failures, with the exception type."""
    return [f"{r.getMessage()} :: {r.exc_info[1]!r}" if r.exc_info else r.getMessage()
            for r in records]


# ================================================================ the pipeline
COMMANDS = ["/start", "/trogiup", "/toi", "/ngonngu", "/lich-hop", "/taohop", "/huyhop",
            "/doihop", "/thamdu", "/vang", "/diemdanh", "/dangky", "/huydangky", "/canbo",
            "/caidat", "/congtrinh", "/capnhat", "/tiendo", "/ungho", "/danhsachungho",
            "/theodoi", "/hoi", "/lienhe", "/thongbao", "/xacnhan", "/tinmoi", "/ketnoi",
            "/taothon", "/capquyen", "/thuhoiquyen", "/nhatky", "/traloi", "/cauhoi"]
args = st.one_of(words, st.text(max_size=80))
pipeline_inputs = st.tuples(
    st.sampled_from([*COMMANDS, ""]), args,
    st.sampled_from(["resident", "official", "admin", "outsider"]),
    st.sampled_from(["group1", "group3", "group4", "dm"]))


async def test_no_command_input_raises_out_of_a_handler(harness_factory, failures) -> None:
    h: Harness = await harness_factory("telegram")
    run = in_loop(asyncio.get_running_loop())
    messenger = h.services.messengers[Platform.TELEGRAM]
    counter = iter(range(10_000_000, 20_000_000))

    @WIRE
    @given(pipeline_inputs)
    def drive(example: tuple[str, str, str, str]) -> None:
        command, rest, user, chat = example
        text = f"{command} {rest}".strip() if command else rest
        cid = h.chat_id(chat, user)
        msg = IncomingMessage(
            chat=ChatRef(Platform.TELEGRAM, cid, is_group=chat != "dm", title=None),
            sender=UserRef(Platform.TELEGRAM, h.user_id(user), name=user),
            text=text, message_id=str(next(counter)), date=START, addressed=True)
        run(h.bot.pipeline.handle(msg, messenger))

    await asyncio.to_thread(drive)
    assert describe(failures.records) == []
    assert len(await h.say("/start", chat="dm")) == 1


# ================================================================ webhooks
TG_SECRET = "tg-secret-123456"
ZL_SECRET = "zalo-secret-123456"
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner,
                                                                 max_size=4),
    max_leaves=12)
header_values = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=40)


def tg_bodies(h: Harness) -> st.SearchStrategy[bytes]:
    """Raw bytes, random JSON, and near-valid Telegram updates with random fields."""
    chat = {"id": int(h.chat_id("dm")), "type": "private", "first_name": "Tư"}
    user = {"id": int(h.user_id("resident")), "is_bot": False, "first_name": "Tư"}
    near = st.fixed_dictionaries({
        "update_id": st.integers(min_value=-5, max_value=2**40),
        "message": st.fixed_dictionaries({
            "message_id": st.one_of(st.integers(), st.text(max_size=5)),
            "date": st.one_of(st.integers(min_value=0, max_value=2**31), st.text(max_size=5)),
            "chat": st.one_of(st.just(chat), json_values),
            "from": st.one_of(st.just(user), json_values),
            "text": st.one_of(st.text(max_size=60), words, json_values)}),
    })
    return st.one_of(st.binary(max_size=200), json_values.map(lambda v: json.dumps(v).encode()),
                     near.map(lambda v: json.dumps(v).encode()))


def zl_bodies(h: Harness) -> st.SearchStrategy[bytes]:
    """Raw bytes, random JSON, and near-valid Zalo events (wrapped or flat)."""
    message = st.fixed_dictionaries({
        "message_id": st.one_of(st.text(max_size=12), st.integers(), st.none()),
        "date": st.one_of(st.integers(), st.floats(allow_nan=False), st.text(max_size=5)),
        "chat": st.one_of(st.fixed_dictionaries({
            "id": st.one_of(st.just(h.chat_id("dm")), st.text(max_size=8)),
            "chat_type": st.sampled_from(["PRIVATE", "GROUP", "", "x"])}), json_values),
        "from": st.one_of(st.fixed_dictionaries({
            "id": st.one_of(st.just(h.user_id("resident")), st.text(max_size=8)),
            "display_name": st.text(max_size=10), "is_bot": st.booleans()}), json_values),
        "text": st.one_of(st.text(max_size=60), words, json_values),
        "photo_url": st.one_of(st.none(), st.text(max_size=20))})
    event = st.fixed_dictionaries({"event_name": st.text(max_size=20), "message": message})
    wrapped = event.map(lambda e: {"ok": True, "result": e})
    return st.one_of(st.binary(max_size=200), json_values.map(lambda v: json.dumps(v).encode()),
                     st.one_of(event, wrapped).map(lambda v: json.dumps(v).encode()))


async def settle(h: Harness) -> None:
    """Wait until the fuzzed updates still in flight are handled."""
    last = -1
    while h.bot.pipeline.handled != last:
        last = h.bot.pipeline.handled
        await asyncio.sleep(0.2)


async def _post(h: Harness, path: str, body: bytes, headers: dict[str, str]) -> int:
    http = await h.http()
    async with http.post(f"{h.base_url}{path}", data=body, headers=headers) as resp:
        await resp.read()
        return resp.status


@pytest.mark.parametrize("platform", ["telegram", "zalo"])
async def test_webhooks_survive_random_bodies_and_headers(
    harness_factory, failures, platform: str
) -> None:
    if platform == "telegram":
        h: Harness = await harness_factory(
            "telegram", telegram_mode="webhook", telegram_webhook_secret=TG_SECRET,
            public_base_url="https://bot.example.org")
        path, header, secret, bodies = ("/webhook/telegram", "X-Telegram-Bot-Api-Secret-Token",
                                        TG_SECRET, tg_bodies(h))
    else:
        h = await harness_factory("zalo", zalo_mode="webhook", zalo_webhook_secret=ZL_SECRET,
                                  public_base_url="https://bot.example.org")
        path, header, secret, bodies = ("/webhook/zalo", "X-Bot-Api-Secret-Token", ZL_SECRET,
                                        zl_bodies(h))
    run = in_loop(asyncio.get_running_loop())
    statuses: set[int] = set()
    headers = st.one_of(st.just(secret), header_values, st.none())
    ctypes = st.sampled_from(["application/json", "text/plain", "application/octet-stream",
                              "multipart/form-data"])

    @WIRE
    @given(bodies, headers, ctypes)
    def drive(body: bytes, given_secret: str | None, ctype: str) -> None:
        hdrs = {"Content-Type": ctype}
        if given_secret is not None:
            hdrs[header] = given_secret
        status = run(_post(h, path, body, hdrs))
        statuses.add(status)
        if given_secret != secret:
            assert status == 403
        else:
            assert status in (200, 400), status

    await asyncio.to_thread(drive)
    assert 403 in statuses and 400 in statuses
    await settle(h)
    assert describe(failures.records) == []
    # the process keeps serving: a good update is answered
    before = len(h.sent("dm"))
    target = h.bot.pipeline.handled + 1
    if platform == "telegram":
        assert h.tg is not None
        update = h.tg.make_message_update(int(h.chat_id("dm")), int(h.user_id("resident")),
                                          "/start", chat_type="private", first_name="Tư",
                                          message_id=2_000_000_001)  # unlike any fuzzed id
    else:
        assert h.zl is not None
        update = h.zl.make_text(h.chat_id("dm"), h.user_id("resident"), "/start",
                                chat_type="PRIVATE", display_name="Tư")
    status = await _post(h, path, json.dumps(update).encode(),
                         {"Content-Type": "application/json", header: secret})
    assert status == 200
    await h.bot.pipeline.wait_handled(target)
    assert len(h.sent("dm")) == before + 1
