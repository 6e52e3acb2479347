"""Projects and photo progress updates, wire-level on Telegram, Zalo and the web chat."""

from __future__ import annotations

import pytest

from handlers.projects.models import Follower, ProgressUpdate, Project, UpdateMedia
from handlers.projects.parse import ParseError, parse_caption_tag, parse_create, parse_update
from tests.projects_support import (
    VCB_BIN,
    audits,
    counts,
    image_bytes,
    last_user_message_id,
    rows,
    start_public,
    with_project,
    zalo_photo_fetches,
)

PLATFORMS = ["telegram", "zalo", "web"]


# ---------------------------------------------------------------- pure parsing


def test_parse_create_with_account() -> None:
    args = parse_create("Nhà văn hóa | NVH | 1,2 tỷ | Vietcombank 0011 0019 32418 Nguyen Van A")
    assert (args.name, args.code, args.budget) == ("Nhà văn hóa", "nvh", 1_200_000_000)
    assert args.bank is not None
    assert (args.bank.bank, args.bank.account, args.bank.holder) == (
        "Vietcombank", "0011001932418", "Nguyen Van A")


@pytest.mark.parametrize("text, code", [
    ("Nhà văn hóa | nvh", "usage"),
    ("Nhà văn hóa | n v h ! | 1tr", "bad-code"),
    ("Nhà văn hóa | nvh | nhiều tiền", "bad-budget"),
    ("Nhà văn hóa | nvh | 1tr | Vietcombank", "bad-bank"),
])
def test_parse_create_errors(text: str, code: str) -> None:
    with pytest.raises(ParseError) as err:
        parse_create(text)
    assert err.value.code == code


def test_parse_update_and_caption() -> None:
    assert parse_update("nvh 40% Xây tường") is not None
    upd = parse_caption_tag("#nvh 40% Đổ bê tông móng")
    assert upd is not None and (upd.code, upd.percent, upd.text) == ("nvh", 40, "Đổ bê tông móng")
    assert parse_caption_tag("Ảnh đẹp #nvh") is None
    with pytest.raises(ParseError):
        parse_caption_tag("#nvh 140% quá")


# ---------------------------------------------------------------- creating projects


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_create_project_sets_audited_account(harness_factory, platform: str) -> None:
    h = await harness_factory(platform)
    await with_project(h)
    (project,) = await rows(h, Project)
    assert (project.code, project.budget_target, project.bank_bin, project.bank_account,
            project.account_holder) == ("nvh", 1_200_000_000, VCB_BIN, "0011001932418",
                                        "NGUYEN VAN A")
    assert project.account_set_by is not None
    assert len(await audits(h, "congtrinh-taikhoan")) == 1
    listing = await h.say("/congtrinh", user="official", chat="group1")
    assert "#nvh" in listing[0] and "Nhà văn hóa" in listing[0]
    # same code twice: refused, nothing new
    again = await h.say("/congtrinh tao Khác | nvh | 1tr", user="official", chat="group1")
    assert "nvh" in again[0] and len(await rows(h, Project)) == 1
    # residents cannot create projects or set accounts
    refused = await h.say("/congtrinh tao Cầu | cau | 1tr", user="resident", chat="group1")
    assert "cán bộ" in refused[0] and len(await rows(h, Project)) == 1
    # an official of another village cannot set this village's account
    other = await h.say("/congtrinh taikhoan nvh | Agribank 123456789 Ke Gian",
                        user="outsider", chat="group1")
    assert other and (await rows(h, Project))[0].bank_account == "0011001932418"


# ---------------------------------------------------------------- photo updates


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_caption_tag_update_reaches_every_chat(harness_factory, platform: str) -> None:
    h = await start_public(harness_factory, platform)
    await with_project(h)
    photo = image_bytes((200, 30, 30))
    texts = await h.say("#nvh 40% Đổ bê tông móng", user="official", chat="group1", photo=photo)
    assert "Nhà văn hóa" in texts[0] and "1" in texts[0]
    sent = await h.wait_sent("group2", 1)
    assert "Đổ bê tông móng" in sent[-1] and "40%" in sent[-1]
    assert h.messages("group2")[-1]["media"] is True
    (update,) = await rows(h, ProgressUpdate)
    (media,) = await rows(h, UpdateMedia)
    assert update.percent == 40 and update.text == "Đổ bê tông móng"
    stored = h.services.media.path(media.name)
    assert stored is not None and stored.read_bytes() == photo
    assert (await rows(h, Project))[0].progress == 40
    if platform == "telegram":
        assert h.tg is not None
        call = h.tg.calls_to("sendPhoto")[-1]
        assert call.params["photo"] == media.file_id and not call.files  # re-used, no upload
    if platform == "zalo":
        fetched = zalo_photo_fetches(h)
        clean = h.services.media.send_name(media.name)  # a clean copy, never the original
        assert clean != media.name and fetched and fetched[-1][0].endswith(f"/media/{clean}")
        assert fetched[-1][1] == 200
    assert h.sent("group3") == []  # another village hears nothing


@pytest.mark.parametrize("platform", ["telegram", "web"])
async def test_capnhat_as_reply_to_a_photo(harness_factory, platform: str) -> None:
    h = await harness_factory(platform)
    await with_project(h)
    photo = image_bytes((30, 160, 60))
    await h.say("", user="resident", chat="group1", photo=photo)
    target = last_user_message_id(h, "group1", "resident")
    texts = await h.say("/capnhat nvh 60% Xây tường", user="official", chat="group1",
                        reply_to=target)
    assert "Nhà văn hóa" in texts[0]
    (update,) = await rows(h, ProgressUpdate)
    (media,) = await rows(h, UpdateMedia)
    assert (update.percent, update.text) == (60, "Xây tường")
    assert h.services.media.path(media.name).read_bytes() == photo
    sent = await h.wait_sent("group2", 1)
    assert "Xây tường" in sent[-1]


async def test_capnhat_caption_on_zalo(harness_factory) -> None:
    """Zalo delivers no reply context: /capnhat as the photo's caption does the job."""
    h = await start_public(harness_factory, "zalo")
    await with_project(h)
    await h.say("/capnhat nvh 60% Xây tường", user="official", chat="group1",
                photo=image_bytes((30, 160, 60)))
    sent = await h.wait_sent("group2", 1)
    assert "Xây tường" in sent[-1]
    assert zalo_photo_fetches(h)[-1][1] == 200


async def test_zalo_without_public_url_gets_text_and_note(harness_factory) -> None:
    h = await harness_factory("zalo")
    await with_project(h)
    await h.say("#nvh Đổ móng", user="official", chat="group1", photo=image_bytes((9, 9, 9)))
    sent = await h.wait_sent("group2", 1)
    assert "Đổ móng" in sent[-1] and "Zalo" in sent[-1]
    assert zalo_photo_fetches(h) == []


async def test_telegram_album_makes_one_update(harness_factory, clock) -> None:
    h = await harness_factory("telegram")
    await with_project(h)
    colors = [(200, 0, 0), (0, 200, 0), (0, 0, 200)]
    first = await h.say("#nvh 30% Lên cột tầng 1", user="official", chat="group1",
                        photo=image_bytes(colors[0]), album_id="alb-1")
    assert first  # one acknowledgement for the whole album
    for color in colors[1:]:
        assert await h.say("", user="official", chat="group1", photo=image_bytes(color),
                           album_id="alb-1") == []
    assert h.sent("group2") == []  # waits for the album to be complete
    await clock.advance(3)
    await h.wait_sent("group2", 3)  # one sendMediaGroup = three Telegram messages
    assert h.tg is not None and len(h.tg.calls_to("sendMediaGroup")) == 1
    assert len(await rows(h, ProgressUpdate)) == 1
    media = await rows(h, UpdateMedia)
    assert len(media) == 3 and len({m.name for m in media}) == 3
    await clock.advance(10)
    assert len(h.tg.calls_to("sendMediaGroup")) == 1  # posted once


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_bad_updates_change_nothing(harness_factory, platform: str) -> None:
    h = await harness_factory(platform, max_photo_bytes=60_000)
    await with_project(h)
    before = await counts(h)
    big = image_bytes((1, 2, 3), size=(200, 200), fmt="BMP")  # 120 kB, over the test limit
    cases = [
        ("#nvh Hóa đơn", "official", b"%PDF-1.4 this is not a picture", "không phải ảnh"),
        ("#nvh Ảnh to", "official", big, "MB"),
        ("#xyz Ảnh lạ", "official", image_bytes((5, 5, 5)), "nvh"),
        ("#nvh Tôi cũng muốn đăng", "resident", image_bytes((6, 6, 6)), "cán bộ"),
    ]
    for caption, user, data, expected in cases:
        texts = await h.say(caption, user=user, chat="group1", photo=data)
        assert texts and expected in texts[-1], (caption, texts)
        assert await counts(h) == before, caption
    assert h.sent("group2") == []
    assert any(not a.allowed for a in await audits(h, "capnhat"))


async def test_real_ten_megabyte_limit(harness_factory) -> None:
    h = await harness_factory("telegram")
    await with_project(h)
    before = await counts(h)
    huge = image_bytes((1, 2, 3), size=(1900, 1900), fmt="BMP")  # ~10.8 MB
    assert len(huge) > 10 * 1024 * 1024
    texts = await h.say("#nvh Ảnh gốc", user="official", chat="group1", photo=huge)
    assert "10 MB" in texts[-1] and await counts(h) == before


async def test_resident_hashtag_on_unknown_tag_is_ignored(harness_factory) -> None:
    h = await harness_factory("telegram")
    await with_project(h)
    texts = await h.say("#dulich Cảnh đẹp quê mình", user="resident", chat="group1",
                        photo=image_bytes((7, 7, 7)))
    assert texts == [] and (await counts(h))["ProgressUpdate"] == 0


# ---------------------------------------------------------------- followers, /tiendo


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_follow_and_unfollow(harness_factory, platform: str) -> None:
    h = await start_public(harness_factory, platform)
    await with_project(h)
    ok = await h.say("/theodoi nvh", user="resident2", chat="dm")
    assert "/botheodoi nvh" in ok[0]
    await h.say("#nvh Đổ móng", user="official", chat="group1", photo=image_bytes((1, 90, 1)))
    got = await h.wait_sent("dm", 2, user="resident2")
    assert "Đổ móng" in got[-1]
    await h.say("/botheodoi nvh", user="resident2", chat="dm")
    (row,) = await rows(h, Follower)
    assert row.active is False
    await h.say("#nvh Xây tường", user="official", chat="group1", photo=image_bytes((1, 1, 90)))
    await h.wait_sent("group2", 2)
    assert not any("Xây tường" in t for t in h.sent("dm", user="resident2"))
    in_group = await h.say("/theodoi nvh", user="resident2", chat="group1")
    assert "/theodoi" in in_group[0]  # private chats only


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_tiendo_lists_and_shows_timeline(harness_factory, platform: str, clock) -> None:
    h = await start_public(harness_factory, platform)
    await with_project(h)
    await h.say("/congtrinh tao Đường bê tông | duong | 500tr", user="official", chat="group1")
    await h.say("#nvh 20% Đào móng", user="official", chat="group1",
                photo=image_bytes((120, 60, 0)))
    await clock.advance(86400 * 3)
    await h.say("/capnhat nvh 45% Đổ cột", user="official", chat="group1",
                photo=image_bytes((0, 60, 120)))
    listing = await h.say("/tiendo", user="resident", chat="group1")
    assert "#nvh" in listing[0] and "45%" in listing[0] and "24/11/2026" in listing[0]
    assert "#duong" in listing[0] and "0%" in listing[0]
    timeline = await h.say("/tiendo nvh", user="resident", chat="group1")
    assert "Đổ cột" in timeline[0] and "Đào móng" in timeline[0]
    assert timeline[0].index("Đổ cột") < timeline[0].index("Đào móng")  # newest first
    photos = [m for m in h.messages("group1") if m["media"]]
    assert len(photos) >= 2
    unknown = await h.say("/tiendo abc", user="resident", chat="group1")
    assert "nvh" in unknown[0] and "duong" in unknown[0]


# ---------------------------------------------------------------- videos


async def test_telegram_video_is_kept_and_zalo_gets_a_link(harness_factory) -> None:
    h = await start_public(harness_factory, "telegram")
    await with_project(h)
    assert h.tg is not None
    clip = b"\x00\x00\x00\x18ftypmp42" + bytes(2000)
    h.tg.add_file("BAACvideo0001", clip, kind="video")
    video = {"file_id": "BAACvideo0001", "file_unique_id": "AQADvid1", "width": 640,
             "height": 360, "duration": 3, "mime_type": "video/mp4", "file_size": len(clip)}
    update = h.tg.make_message_update(
        int(h.chat_id("group1")), int(h.user_id("official")), None, username="official",
        first_name="Nguyễn Văn Ba", chat_type="supergroup", entities=None,
        extra={"video": video, "caption": "#nvh Quay cảnh đổ mái"})
    assert h.bot is not None
    target = h.bot.pipeline.handled + 1
    h.tg.inject(update)
    await h.bot.pipeline.wait_handled(target)
    (media,) = await rows(h, UpdateMedia)
    assert media.kind == "video" and media.file_id == "BAACvideo0001"
    assert h.services.media.path(media.name).read_bytes() == clip
    await h.wait_sent("group2", 1)
    assert h.tg.calls_to("sendVideo")[-1].params["video"] == "BAACvideo0001"
    # a Zalo chat of the village would get the caption and a link to the public page
    from bot.db.models import Chat, Village
    from handlers.projects.media import render_update

    (update_row,) = await rows(h, ProgressUpdate)
    (project,) = await rows(h, Project)
    village = next(v for v in await rows(h, Village) if v.code == "thanhbinh")
    zalo_chat = Chat(platform="zalo", external_id="z1", is_group=True, created_at=h.clock.now())
    out = render_update(h.services, zalo_chat, village=village, project=project,
                        update=update_row, media=[media])
    assert out.media == ()
    assert f"{h.base_url}/v/thanhbinh#u{update_row.id}" in out.text
