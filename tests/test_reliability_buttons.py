"""Buttons obey the same roles as commands, when pressed (issue 13.1).

* A notice drafted by an official whose role the admin then revokes: the preview's Gửi button
  (``ann:ok:<n>``) is refused, audited, and nothing reaches any group.
* An official moved to another village cannot send the draft made for the first one: the
  pipeline knows only the presser's village, the handler checks the notice's.
* A matrix over every button prefix the running app registered: a privileged one is refused to
  residents, to the revoked official and to an official of another village; a prefix open to
  residents must be listed here on purpose (a new one fails until someone decides).
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from bot.core.router import Role
from tests.harness import Harness
from tests.test_reliability_authz import refused_audits, sent_counts, settle, snapshot

RESIDENT_BUTTONS = {"ack", "rsvp", "pv"}  # read receipts, attendance, votes: anyone in the chat
NOTICE = "Lịch tiêm phòng cho trẻ em sáng mai"
GROUPS = ("group1", "group2", "group3")


async def draft(h: Harness) -> str:
    """The official drafts a notice in private; returns its Send button's data."""
    await h.say(f"/thongbao {NOTICE}", user="official", chat="dm")
    buttons = [b for m in h.messages("dm", user="official") for row in m["buttons"] for b in row]
    data = [b for b in buttons if b.startswith("ann:ok:")]
    assert data, h.sent("dm", user="official")
    return data[-1]


def group_totals(h: Harness) -> dict[str, int]:
    counts = sent_counts(h)
    return {g: counts.get(h.chat_id(g), 0) for g in GROUPS}


@pytest.mark.parametrize("platform", ["telegram", "web"])
async def test_revoked_official_cannot_send_by_button(harness_factory, platform: str) -> None:
    h: Harness = await harness_factory(platform)
    send = await draft(h)
    await h.say(f"/thuhoiquyen {platform}:{h.user_id('official')}", user="admin", chat="dm")
    await settle(h)
    before, audits = group_totals(h), refused_audits(h)
    replies = await h.press(send, user="official", chat="dm")
    await settle(h)
    assert replies == [h.services.i18n.t("vi", "error-official-only")]
    assert group_totals(h) == before
    assert refused_audits(h) - audits == Counter({send: 1})
    # /xacnhan is refused the same way, and the draft stays unsent
    assert await h.say("/xacnhan", user="official", chat="dm") == [
        h.services.i18n.t("vi", "error-official-only")]
    await settle(h)
    assert group_totals(h) == before


@pytest.mark.parametrize("platform", ["telegram", "web"])
async def test_official_of_another_village_cannot_send_its_draft(
    harness_factory, platform: str
) -> None:
    h: Harness = await harness_factory(platform)
    send = await draft(h)  # a notice of Thanh Bình
    who = f"{platform}:{h.user_id('official')}"
    await h.say(f"/thuhoiquyen {who}", user="admin", chat="dm")
    await h.say(f"/capquyen {who} anphu Phó thôn", user="admin", chat="dm")
    await settle(h)
    before, audits = group_totals(h), refused_audits(h)
    replies = await h.press(send, user="official", chat="dm")
    # /xacnhan alone means the person's pending draft (numbers are per village: the draft's
    # number means nothing in the official's new village)
    assert await h.say("/xacnhan", user="official", chat="dm") == [
        h.services.i18n.t("vi", "error-official-only")]
    await settle(h)
    assert replies == [h.services.i18n.t("vi", "error-official-only")]
    assert group_totals(h) == before
    assert sum((refused_audits(h) - audits).values()) == 2


def payloads(prefix: str, notice_data: str) -> list[str]:
    """Data a privileged button of ``prefix`` might carry (the real draft's for ``ann``)."""
    if prefix == "ann":
        return [notice_data, re.sub(r":ok:", ":no:", notice_data)]
    return [f"{prefix}:ok:1", f"{prefix}:1", f"{prefix}:yes:1"]


@pytest.mark.parametrize("platform", ["telegram", "web"])
async def test_every_privileged_button_refused_matrix(harness_factory, platform: str) -> None:
    h: Harness = await harness_factory(platform)
    await h.say("/taohop 19h thứ 7 tuần sau | nhà văn hoá | họp dân", user="official",
                chat="group1")
    notice_data = await draft(h)
    await h.say(f"/thuhoiquyen {platform}:{h.user_id('official')}", user="admin", chat="dm")
    await settle(h)
    buttons = h.services.commands.buttons
    assert {"ann", "ack", "rsvp"} <= set(buttons)
    open_to_all = {p for p, hook in buttons.items() if hook.role is Role.RESIDENT}
    assert open_to_all <= RESIDENT_BUTTONS, (
        f"button prefixes {open_to_all - RESIDENT_BUTTONS} are open to residents: give them "
        "role=Role.OFFICIAL (or list them in RESIDENT_BUTTONS on purpose)")
    privileged = sorted(p for p in buttons if p not in open_to_all)
    assert privileged
    actors = [("resident", "group1"), ("resident", "dm"), ("official", "dm"),
              ("official", "group1"), ("outsider", "group1")]
    refusal = h.services.i18n.t("vi", "error-official-only")
    for user, chat in actors:  # a bot message to press a button under
        await h.say("/toi", user=user, chat=chat)
    problems: list[str] = []
    for prefix in privileged:
        for data in payloads(prefix, notice_data):
            for user, chat in actors:
                before_db, before_sent = snapshot(h), sent_counts(h)
                audits = refused_audits(h)
                replies = await h.press(data, user=user, chat=chat,
                                        message_id=h.last_id(chat, user=user))
                await settle(h)
                where = f"{data} by {user} in {chat}"
                if replies != [refusal]:
                    problems.append(f"{where}: replies {replies}")
                changed = {t for t, d in snapshot(h).items() if before_db.get(t) != d}
                if changed:
                    problems.append(f"{where}: changed {sorted(changed)}")
                cid = h.chat_id(chat, user)
                if any(c != cid and n != before_sent.get(c, 0)
                       for c, n in sent_counts(h).items()):
                    problems.append(f"{where}: posted elsewhere")
                if refused_audits(h) - audits != Counter({data: 1}):
                    problems.append(f"{where}: audit {dict(refused_audits(h) - audits)}")
    assert problems == []
