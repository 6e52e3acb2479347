"""Per-chat order for concurrently handled updates: work in arrival order, replies in order.

Updates of different chats run concurrently (a slow reply in one chat holds up no other); the
updates of one chat do their work one after the other, in arrival order (an official's
``/announce`` before their ``/xacnhan``).  Once an update's work is committed and only its
replies remain to be sent, the pipeline calls :func:`committed`: the chat's next update may then
start its work while these replies are still on the wire.  Its own replies wait:

- a *plain* update (replies to its sender, nothing else after the commit) waits for the
  earlier replies to the same sender and for every earlier strict update;
- a *strict* update (after-commit actions: button edits, toasts) waits for every earlier one.

So one person's answers always arrive in the order of their messages, and an edit that shows
shared state (read counts, RSVP counts) never overtakes an earlier one; only replies to
different people in one group, produced within the same instant, may reach Telegram in either
order (as they would from any bot that does not wait for each reply before the next).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Hashable
from contextvars import ContextVar

_RELEASE: ContextVar[Callable[[bool], Awaitable[None]] | None] = ContextVar(
    "villagebot_chat_release", default=None)


async def committed(*, plain: bool = False) -> None:
    """Let the chat's next update start its work; return when this update may send.

    Called by the pipeline after its commit, before the held replies are sent (and before an
    apology).  ``plain``: only replies to the sender follow.  Outside :class:`ChatOrder`
    (tests calling the pipeline directly) it does nothing.
    """
    release = _RELEASE.get()
    if release is not None:
        _RELEASE.set(None)
        await release(plain)


class _Chat:
    __slots__ = ("lock", "pending", "senders", "strict", "users")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()  # held while an update of this chat does its work
        self.pending: set[asyncio.Future[None]] = set()  # updates sending (or to send)
        self.senders: dict[str, asyncio.Future[None]] = {}  # each sender's latest
        self.strict: asyncio.Future[None] | None = None  # the latest strict update
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

    def submit(self, key: Hashable, sender: str,
               work: Callable[[], Awaitable[object]]) -> asyncio.Task[None]:
        """Queue ``work`` (one update from ``sender``) behind the earlier updates of ``key``."""
        chat = self._chats.get(key)
        if chat is None:
            chat = self._chats[key] = _Chat()
        chat.users += 1
        task = asyncio.create_task(self._run(key, chat, sender, work))
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

    async def _run(self, key: Hashable, chat: _Chat, sender: str,
                   work: Callable[[], Awaitable[object]]) -> None:
        released = False
        mine: asyncio.Future[None] | None = None

        async def release(plain: bool) -> None:
            nonlocal released, mine
            if released:
                return
            # every earlier update of the chat has released already (work is in order)
            if plain:
                waits = [f for f in (chat.strict, chat.senders.get(sender)) if f is not None]
            else:
                waits = list(chat.pending)
            mine = asyncio.get_running_loop().create_future()
            chat.pending.add(mine)
            chat.senders[sender] = mine
            if not plain:
                chat.strict = mine
            released = True
            chat.lock.release()
            waits = [f for f in waits if not f.done()]
            if waits:
                await asyncio.shield(asyncio.gather(*waits))

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
            if mine is not None:
                mine.set_result(None)
                chat.pending.discard(mine)
                if chat.senders.get(sender) is mine:
                    del chat.senders[sender]
                if chat.strict is mine:
                    chat.strict = None
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
