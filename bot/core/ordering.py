"""Per-chat order for concurrently handled updates: work in arrival order, replies in order.

Updates of different chats run concurrently (a slow reply in one chat holds up no other); the
updates of one chat are handled one after the other (an official's ``/announce`` before their
``/xacnhan``).  Once an update's work is committed and only its replies remain to be sent, the
pipeline calls :func:`committed`: the chat's next update may then start its work while the
replies of this one are still on the wire, and its own replies wait until this update's
replies have been sent.  Database effects and messages keep their order; only the time the
next update would have spent waiting for the network is saved.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Hashable
from contextvars import ContextVar

_RELEASE: ContextVar[Callable[[], Awaitable[None]] | None] = ContextVar(
    "villagebot_chat_release", default=None)


async def committed() -> None:
    """Let the chat's next update start its work; return when this update may send.

    Called by the pipeline after its commit, before the held replies are sent (and before an
    apology).  Outside :class:`ChatOrder` (tests calling the pipeline directly, adapters without
    it) it does nothing.
    """
    release = _RELEASE.get()
    if release is not None:
        _RELEASE.set(None)
        await release()


class _Chat:
    __slots__ = ("lock", "tail", "users")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()  # held while an update of this chat does its work
        self.tail: asyncio.Future[None] | None = None  # set when the latest update has sent
        self.users = 0


class ChatOrder:
    """Runs updates as tasks, at most ``limit`` at once, in order within each chat."""

    def __init__(self, limit: int = 16) -> None:
        self._slots = asyncio.Semaphore(limit)
        self._chats: dict[Hashable, _Chat] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._finished = asyncio.Event()  # set whenever an update finishes

    def __len__(self) -> int:
        """Updates accepted and not finished."""
        return len(self._tasks)

    def submit(self, key: Hashable, work: Callable[[], Awaitable[object]]) -> asyncio.Task[None]:
        """Queue ``work`` (one update) behind the earlier updates of chat ``key``."""
        chat = self._chats.get(key)
        if chat is None:
            chat = self._chats[key] = _Chat()
        chat.users += 1
        before, mine = chat.tail, asyncio.get_running_loop().create_future()
        chat.tail = mine
        task = asyncio.create_task(self._run(key, chat, before, mine, work))
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        self._finished.set()

    async def room(self, most: int) -> None:
        """Return once at most ``most`` accepted updates are unfinished (back-pressure)."""
        while len(self._tasks) > most:
            self._finished.clear()
            await self._finished.wait()

    async def _run(self, key: Hashable, chat: _Chat, before: asyncio.Future[None] | None,
                   mine: asyncio.Future[None], work: Callable[[], Awaitable[object]]) -> None:
        released = False

        async def release() -> None:
            nonlocal released
            if not released:
                released = True
                chat.lock.release()
            if before is not None and not before.done():
                await asyncio.shield(before)

        try:
            async with self._slots:
                await chat.lock.acquire()
                try:
                    _RELEASE.set(release)
                    await work()
                finally:
                    if not released:
                        released = True
                        chat.lock.release()
        finally:
            mine.set_result(None)
            chat.users -= 1
            if chat.users == 0 and self._chats.get(key) is chat:
                del self._chats[key]

    async def drain(self, timeout: float) -> None:
        """Wait up to ``timeout`` seconds for accepted updates, then cancel the rest."""
        tasks = list(self._tasks)
        if not tasks:
            return
        _done, pending = await asyncio.wait(tasks, timeout=timeout)
        for task in pending:
            task.cancel()
        for task in pending:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
