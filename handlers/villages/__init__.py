"""Villages, linked chats, officials' roles, the audit log and ``/caidat``."""

from handlers.villages.commands import router

__all__ = ["router"]
