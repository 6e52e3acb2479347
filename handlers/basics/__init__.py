"""Help, language and start: the commands every person sees first."""

from handlers.basics.commands import router

__all__ = ["router"]
