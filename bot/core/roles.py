"""Who counts as an official beyond the stored roles (checked by the pipeline)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.db.villages import telegram_admins_are_officials

if TYPE_CHECKING:
    from bot.core.context import Context


async def extra_official(ctx: Context) -> bool:
    """True when the sender counts as an official for another reason than a stored role.

    Today: a chat admin (``Messenger.is_chat_admin``; only Telegram can tell) in a group of a
    village that turned the setting on.
    """
    if not ctx.msg.chat.is_group or ctx.village is None:
        return False
    if ctx.chat.village_id != ctx.village.id or not telegram_admins_are_officials(ctx.village):
        return False
    return await ctx.messenger.is_chat_admin(ctx.msg.chat.id, ctx.msg.sender.id)
