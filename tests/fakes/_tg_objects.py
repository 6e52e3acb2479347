"""Builders of Telegram Bot API objects (plain dicts shaped like the real JSON)."""

from __future__ import annotations

from typing import Any

#: Rights a chat administrator can hold (all required by PTB except the optional tail).
ADMIN_RIGHTS = (
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
    "can_pin_messages",
    "can_manage_topics",
)
#: Permissions of a restricted member (all required by PTB 22.8).
RESTRICTED_RIGHTS = (
    "can_change_info",
    "can_invite_users",
    "can_pin_messages",
    "can_send_messages",
    "can_send_polls",
    "can_send_other_messages",
    "can_add_web_page_previews",
    "can_manage_topics",
    "can_send_audios",
    "can_send_documents",
    "can_send_photos",
    "can_send_videos",
    "can_send_video_notes",
    "can_send_voice_notes",
    "can_edit_tag",
    "can_react_to_messages",
)
MEMBER_STATUSES = ("creator", "administrator", "member", "restricted", "left", "kicked")


def infer_chat_type(chat_id: int) -> str:
    """Guess a chat type from its id: ``-100…`` supergroup, other negative group, else private."""
    if chat_id <= -1_000_000_000_000:
        return "supergroup"
    return "group" if chat_id < 0 else "private"


def make_user(
    user_id: int,
    first_name: str = "Người dùng",
    *,
    username: str | None = None,
    last_name: str | None = None,
    is_bot: bool = False,
    language_code: str | None = None,
) -> dict[str, Any]:
    """A ``User`` object."""
    user: dict[str, Any] = {"id": user_id, "is_bot": is_bot, "first_name": first_name}
    if last_name:
        user["last_name"] = last_name
    if username:
        user["username"] = username
    if language_code:
        user["language_code"] = language_code
    return user


def make_chat(
    chat_id: int,
    chat_type: str | None = None,
    *,
    title: str | None = None,
    username: str | None = None,
    first_name: str | None = None,
) -> dict[str, Any]:
    """A ``Chat`` object (groups get a title, private chats a first name)."""
    kind = chat_type or infer_chat_type(chat_id)
    chat: dict[str, Any] = {"id": chat_id, "type": kind}
    if kind == "private":
        chat["first_name"] = first_name or "Người dùng"
    else:
        chat["title"] = title or f"Nhóm {abs(chat_id)}"
    if username:
        chat["username"] = username
    return chat


def make_chat_full_info(chat: dict[str, Any]) -> dict[str, Any]:
    """A ``ChatFullInfo`` object for ``getChat`` (with the fields PTB 22.8 requires)."""
    info = dict(chat)
    info.update(
        accent_color_id=0,
        max_reaction_count=11,
        accepted_gift_types={
            "unlimited_gifts": False,
            "limited_gifts": False,
            "unique_gifts": False,
            "premium_subscription": False,
            "gifts_from_channels": False,
        },
    )
    if chat["type"] != "private":
        info["permissions"] = {"can_send_messages": True, "can_pin_messages": False}
    return info


def make_chat_member(user: dict[str, Any], status: str, **rights: Any) -> dict[str, Any]:
    """A ``ChatMember`` of any status, with every field PTB needs to parse it.

    ``rights`` override defaults, e.g. ``can_pin_messages=False`` for an administrator.
    """
    if status not in MEMBER_STATUSES:
        raise ValueError(f"unknown chat member status {status!r}")
    member: dict[str, Any] = {"status": status, "user": user}
    if status == "creator":
        member.update(is_anonymous=False)
    elif status == "administrator":
        member.update(can_be_edited=False, is_anonymous=False)
        member.update({right: True for right in ADMIN_RIGHTS})
        member.update(can_manage_topics=False)
    elif status == "member":
        pass
    elif status == "restricted":
        member.update(is_member=True, until_date=0)
        member.update({right: False for right in RESTRICTED_RIGHTS})
    elif status == "kicked":
        member.update(until_date=0)
    member.update(rights)
    return member


def photo_sizes(
    file_ids: tuple[str, str],
    unique_ids: tuple[str, str],
    width: int,
    height: int,
    size: int,
) -> list[dict[str, Any]]:
    """A ``PhotoSize`` array: a 90-px thumbnail and the full picture (largest last)."""
    scale = 90 / max(width, height, 1)
    thumb_w, thumb_h = max(1, round(width * scale)), max(1, round(height * scale))
    return [
        {
            "file_id": file_ids[0],
            "file_unique_id": unique_ids[0],
            "width": thumb_w,
            "height": thumb_h,
            "file_size": max(1, size // 20),
        },
        {
            "file_id": file_ids[1],
            "file_unique_id": unique_ids[1],
            "width": width,
            "height": height,
            "file_size": size,
        },
    ]
