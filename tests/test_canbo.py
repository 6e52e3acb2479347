"""/canbo (issue 13.2): everyone reads titles and names; ids and usernames only officials and
admins see; /trogiup lists it for residents, as docs/commands.md does."""

from __future__ import annotations

from pathlib import Path

from tests.harness import Harness


async def test_residents_see_titles_and_names_not_ids(harness_factory, platform: str) -> None:
    h: Harness = await harness_factory(platform)
    who = f"{platform}:{h.user_id('resident2')}"  # never wrote to the bot: no name known yet
    await h.say(f"/capquyen {who} thanhbinh Công an viên", user="admin", chat="dm")
    seen = "\n".join(await h.say("/canbo", user="resident", chat="group1"))
    assert "Trưởng thôn: Nguyễn Văn Ba" in seen
    assert "Công an viên: (chưa rõ tên)" in seen
    assert h.user_id("resident2") not in seen and "@" not in seen
    assert "Nguyễn Văn Ba" in "\n".join(await h.say("/canbo thanhbinh", user="outsider",
                                                      chat="dm"))
    admin_view = "\n".join(await h.say("/canbo thanhbinh", user="admin", chat="dm"))
    assert h.user_id("resident2") in admin_view
    official_view = "\n".join(await h.say("/canbo", user="official", chat="group1"))
    assert h.user_id("resident2") in official_view
    help_text = "\n".join(await h.say("/trogiup", user="resident", chat="group1"))
    assert "/canbo" in help_text
    commands_md = (Path(__file__).parent.parent / "docs" / "commands.md").read_text(
        encoding="utf-8")
    everyone = commands_md.split("## Everyone", 1)[1].split("\n## ", 1)[0]
    assert "`/canbo" in everyone
