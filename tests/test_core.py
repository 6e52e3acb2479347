"""Foundation: /start, /help, every /lich-hop spelling, language switch, menus, dedupe, echo."""

from __future__ import annotations

import asyncio

import pytest

from tests.harness import Harness


async def test_start_greets_in_vietnamese(harness_factory, platform: str) -> None:
    h: Harness = await harness_factory(platform)
    replies = await h.say("/start", user="resident", chat="group1")
    assert len(replies) == 1
    assert "trợ lý của thôn" in replies[0]


async def test_help_lists_what_the_caller_may_use(harness_factory, platform: str) -> None:
    h: Harness = await harness_factory(platform)
    [resident_help] = await h.say("/trogiup", user="resident", chat="group1")
    assert "/lich_hop" in resident_help
    assert "Cán bộ thôn:" not in resident_help
    [alias_help] = await h.say("/help", user="resident", chat="group1")
    assert alias_help == resident_help
    assert "/taohop" not in resident_help and "/announce" not in resident_help
    [official_help] = await h.say("/trogiup", user="official", chat="group1")
    assert "Cán bộ thôn:" in official_help and "/taohop" in official_help
    assert "Quản trị:" not in official_help
    [admin_help] = await h.say("/trogiup", user="admin", chat="group1")
    assert "Quản trị:" in admin_help and "/capquyen" in admin_help


LICH_HOP_SPELLINGS = ["/lich-hop", "/lich_hop", "/lichhop", "/Lich_Hop", "/LICH-HOP"]


async def test_every_lich_hop_spelling_reaches_the_same_handler(
    harness_factory, platform: str
) -> None:
    h: Harness = await harness_factory(platform)
    [canonical] = await h.say("/lich_hop", user="resident", chat="group1")
    assert "Thôn Thanh Bình" in canonical
    for spelling in LICH_HOP_SPELLINGS:
        assert await h.say(spelling, user="resident", chat="group1") == [canonical], spelling
    # plain words in a private chat (the resident's DM is not subscribed: official's DM is
    # linked to the official's village)
    [dm_canonical] = await h.say("/lich_hop", user="official", chat="dm")
    for words in ("lịch họp", "lich hop", "Lịch Họp"):
        assert await h.say(words, user="official", chat="dm") == [dm_canonical], words


async def test_telegram_bot_suffix_must_name_this_bot(harness_factory) -> None:
    h: Harness = await harness_factory("telegram")
    [canonical] = await h.say("/lich_hop", chat="group1")
    assert await h.say("/lich-hop@ThisBot", chat="group1") == [canonical]
    assert await h.say("/lich_hop@ThisBot", chat="group1") == [canonical]
    assert await h.say("/lich_hop@OtherBot", chat="group1") == []
    assert await h.say("/lich-hop@otherbot mai", chat="group1") == []


async def test_zalo_leading_mention_is_stripped(harness_factory) -> None:
    h: Harness = await harness_factory("zalo")
    [canonical] = await h.say("@Bot Lang /lich_hop", chat="group1")
    assert "Thôn Thanh Bình" in canonical
    assert await h.say("@Bot Lang /lich-hop", chat="group1") == [canonical]
    assert await h.say("@bot lang lịch họp", chat="group1") == [canonical]


async def test_plain_words_in_a_group_are_not_commands(harness_factory) -> None:
    h: Harness = await harness_factory("telegram")
    assert await h.say("lịch họp", chat="group1") == []


async def test_language_switch_is_per_chat(harness_factory, platform: str) -> None:
    h: Harness = await harness_factory(platform)
    assert await h.say("/ngonngu en", user="resident", chat="dm") == ["Switched to English."]
    [english] = await h.say("/start", user="resident", chat="dm")
    assert "village assistant" in english
    [usage] = await h.say("/language xx", user="resident", chat="dm")
    assert "/ngonngu vi" in usage
    [still_vietnamese] = await h.say("/start", user="resident2", chat="dm")
    assert "trợ lý của thôn" in still_vietnamese
    # in a group only officials may switch the group's language
    [refused] = await h.say("/ngonngu en", user="resident", chat="group1")
    assert "cán bộ" in refused
    assert await h.say("/ngonngu en", user="official", chat="group1") == [
        "Switched to English."]


async def test_unknown_command_answered_in_private_ignored_in_group(
    harness_factory, platform: str
) -> None:
    h: Harness = await harness_factory(platform)
    [answer] = await h.say("/khongcolenh", user="resident", chat="dm")
    assert "/trogiup" in answer
    if platform == "telegram":  # Zalo groups only deliver messages addressed to the bot
        assert await h.say("/khongcolenh", user="resident", chat="group1") == []


async def test_whoami_shows_platform_id(harness_factory, platform: str) -> None:
    h: Harness = await harness_factory(platform)
    [answer] = await h.say("/toi", user="official", chat="dm")
    assert f"{platform}:{h.user_id('official')}" in answer
    assert "Trưởng thôn" in answer


async def test_telegram_menu_uses_valid_names_only(harness_factory) -> None:
    h: Harness = await harness_factory("telegram")
    assert h.tg is not None
    calls = h.tg.calls_to("setMyCommands")
    assert calls and all(c.ok for c in calls)
    names = {cmd["command"] for c in calls for cmd in c.params["commands"]}
    assert "lich_hop" in names and "trogiup" in names
    assert all(n.replace("_", "").isalnum() and n == n.lower() for n in names)


async def test_zalo_self_echo_and_duplicates_are_dropped(harness_factory) -> None:
    h: Harness = await harness_factory("zalo")
    zl = h.zl
    assert zl is not None
    zl.echo_sends = True
    replies = await h.say("/start", chat="dm")
    assert len(replies) == 1
    # the echo of the bot's own reply came back through getUpdates and caused no new send
    await zl.wait_for("getUpdates", count=3)
    assert len(h.sent("dm")) == 1
    event = zl.make_text(h.chat_id("dm"), h.user_id("resident"), "/toi", chat_type="PRIVATE",
                         display_name="Trần Thị Tư")
    before = len(h.sent("dm"))
    zl.inject(event)
    zl.inject(event)  # the same message_id delivered twice
    target = h.bot.pipeline.handled + 2
    await h.bot.pipeline.wait_handled(target)
    assert len(h.sent("dm")) == before + 1


@pytest.mark.parametrize("platform", ["telegram", "zalo"])
async def test_polling_survives_an_outage(harness_factory, platform: str) -> None:
    h: Harness = await harness_factory(platform)
    fake = h.tg or h.zl
    assert fake is not None
    await fake.go_down()
    await asyncio.sleep(1.5)  # polls fail against the dead server meanwhile
    await fake.go_up()
    replies = await h.say("/start", chat="dm", timeout=60)
    assert len(replies) == 1
