"""Polls (``/bieuquyet``): preview then confirm, votes per person or per household, deadlines."""

from handlers.polls.commands import router

__all__ = ["router"]
