"""Villages, linked chats, officials' roles, the audit log and ``/caidat``."""

from handlers.villages import commands, page

router = commands.router.include(page.router)

__all__ = ["router"]
