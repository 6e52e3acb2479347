"""The update pipeline: every adapter hands its normalised messages to :meth:`Pipeline.handle`.

Order: drop bots and redeliveries → load chat, sender, roles, village, language → route
(button, command, private-chat words, message hooks) → check the role → run the handler →
commit → send the replies the handler queued (:meth:`Context.send_held`).  Any exception is
logged with its context and answered with one polite sentence.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from sqlalchemy.exc import OperationalError

from bot.core.commands import match_words, parse_command
from bot.core.context import Context
from bot.core.events import IncomingMessage
from bot.core.messenger import Messenger, OutMessage, SendError
from bot.core.ordering import committed
from bot.core.roles import extra_official
from bot.core.router import Command, CommandTable, Role, Router
from bot.core.services import Services
from bot.db import repo
from bot.db.engine import idle
from bot.db.models import Village
from bot.db.read_cache import KNOWN_TABLES
from bot.db.seen_batch import Key, SeenBatch

log = logging.getLogger(__name__)


def _is_busy(exc: OperationalError) -> bool:
    """True for SQLite's "database is locked/busy" (a fault to report, not a bug)."""
    text = str(exc.orig).lower()
    return "database is locked" in text or "database is busy" in text


class Pipeline:
    """Routes normalised messages to feature handlers, written once for every platform."""

    def __init__(self, services: Services, routers: list[Router]) -> None:
        self.services = services
        self.routers = routers
        self.table = CommandTable(routers)
        services.commands = self.table
        self.handled = 0
        self._write_lock = asyncio.Lock() if services.db.is_sqlite else None
        # PostgreSQL: live while other processes' changes are heard (bot/db/read_cache.py)
        self.known_cache = services.db.read_cache(KNOWN_TABLES)
        self._progress = asyncio.Event()
        # PostgreSQL: redelivery checks batched on a connection of their own, started on arrival
        self.seen = None if services.db.is_sqlite else SeenBatch(services.db.engine)
        self._early: dict[Key, asyncio.Future[bool | None]] = {}

    def admit(self, msg: IncomingMessage) -> None:
        """Start the message's redelivery check now, before it waits for its chat's turn
        (adapters call this as a message arrives; :meth:`handle` then awaits the answer)."""
        if (self.seen is None or (msg.sender.is_bot and not msg.migrated_to)
                or not self._needs_dedupe(msg)):
            return
        key = self._seen_key(msg)
        if key not in self._early:
            self._early[key] = self.seen.submit(*key, self.services.clock.now())

    async def close(self) -> None:
        """End the redelivery checker's connection (after the adapters have stopped)."""
        for future in self._early.values():
            future.cancel()
        self._early.clear()
        if self.seen is not None:
            await self.seen.close()

    @staticmethod
    def _seen_key(msg: IncomingMessage) -> Key:
        seen_id = f"cb:{msg.callback_id}" if msg.callback_id else msg.message_id
        return (msg.platform.value, msg.chat.id, seen_id)

    async def handle(self, msg: IncomingMessage, messenger: Messenger) -> Context | None:
        """Process one message; never raises."""
        started = time.perf_counter()
        outcome = "ignored"
        try:
            if msg.sender.is_bot and not msg.migrated_to:
                return None
            ctx = await self._handle(msg, messenger)
            if ctx is not None:
                outcome = "handled"
            return ctx
        except Exception as exc:
            outcome = "error"
            if isinstance(exc, OperationalError) and _is_busy(exc):
                # an expected fault (another writer held the database past the busy timeout):
                # one line, and the sender is asked to send the message again
                log.warning("database busy: platform=%s chat=%s message=%s not processed (%s)",
                            msg.platform, msg.chat.id, msg.message_id, exc.orig)
                await self._apologise(msg, messenger, "error-busy")
            else:
                log.exception("update failed: platform=%s chat=%s message=%s", msg.platform,
                              msg.chat.id, msg.message_id)
                await self._apologise(msg, messenger)
            return None
        finally:
            metrics = self.services.metrics
            platform = msg.platform.value
            metrics.updates.labels(platform, outcome).inc()
            metrics.handler_seconds.labels(platform).observe(time.perf_counter() - started)
            self.handled += 1
            self._progress.set()
            self._progress = asyncio.Event()

    async def wait_handled(self, count: int, timeout: float = 10.0) -> None:
        """Wait until ``count`` messages have been handled in total (for tests and tools)."""
        async with asyncio.timeout(timeout):
            while self.handled < count:
                await self._progress.wait()

    async def _handle(self, msg: IncomingMessage, messenger: Messenger) -> Context | None:
        services = self.services
        now = services.clock.now()
        seen_key = self._seen_key(msg)
        dedupe = self._needs_dedupe(msg)
        if dedupe and self.seen is not None:
            early = self._early.pop(seen_key, None)
            fresh = await (early if early is not None else self.seen.submit(*seen_key, now))
            if fresh is False:
                log.info("dropped duplicate %s message %s", msg.platform, msg.message_id)
                return None
            dedupe = fresh is None  # unknown (no connection): checked through the session
        async with services.db.session() as session:
            seen_id = seen_key[2]
            known = None if msg.migrated_to else await repo.load_known(
                session, msg.chat, msg.sender, self.known_cache)
            if known is not None and not dedupe and known.member and not session.dirty:
                # nothing to write before the handler: no lock, no commit, no round trip
                chat, person, roles, village = (known.chat, known.person, known.roles,
                                                known.village)
            else:
                # The bookkeeping writes (seen id, first-seen chat/person, a new title) are
                # committed at once, before the handler runs: SQLite has one writer, and
                # holding its lock while a handler waits on the network would serialise every
                # chat.  On SQLite, updates also queue here in order instead of sleeping in
                # SQLite's busy handler.  Lock order: connection, then lock.  A cache miss
                # above already holds a pooled connection, so check one out here too before
                # waiting: a lock holder that still needed one would wait on the pool while
                # the pool's connections wait on the lock (a burst stalled in pool timeouts).
                if self._write_lock is not None:
                    await session.connection()
                async with self._write_lock or contextlib.nullcontext():
                    if dedupe and not await repo.mark_seen(session, msg.platform.value,
                                                           msg.chat.id, seen_id, now):
                        log.info("dropped duplicate %s message %s", msg.platform,
                                 msg.message_id)
                        return None
                    if known is None:
                        chat = await repo.upsert_chat(session, msg.chat, now)
                        if msg.migrated_to:
                            await repo.migrate_chat(session, chat.platform, chat.external_id,
                                                    msg.migrated_to)
                            log.info("chat %s:%s migrated to %s", chat.platform, msg.chat.id,
                                     msg.migrated_to)
                            return None
                        person = await repo.upsert_person(session, msg.sender, now)
                        roles = await repo.active_roles(session, person.id or 0)
                        village = None
                    else:
                        chat, person, roles, village = (known.chat, known.person, known.roles,
                                                        known.village)
                    if known is None or not known.member:
                        await repo.add_member(session, chat, person, now)
                    await session.commit()
            ctx = Context(
                msg=msg, services=services, messenger=messenger, session=session, chat=chat,
                person=person, locale=services.i18n.resolve(chat.locale or person.locale
                                                             or services.settings.default_locale),
                roles=roles,
                is_admin=(msg.platform.value, msg.sender.id) in services.admins,
            )
            ctx.village = village
            if village is None:
                ctx.village = await self._village(ctx)
            await self._route(ctx)
            # say it only when it is saved: commit, then send what the handler said (the
            # chat's next update may start its work now; its replies wait for these)
            if not idle(session):
                await session.commit()
            await committed(plain=ctx.only_replies)
            await ctx.send_held()
            return ctx

    def _needs_dedupe(self, msg: IncomingMessage) -> bool:
        """Whether to record the message id to drop redeliveries (``msg.may_redeliver``).

        An adapter marks messages its platform never redelivers (Telegram polling: PTB confirms
        each batch's offset with its next ``getUpdates``, before the batch is handled).  That
        holds for one polling process, i.e. on SQLite; several processes sharing PostgreSQL
        could fetch the same batch, so there every message id is still recorded.
        """
        return msg.may_redeliver or not self.services.db.is_sqlite

    async def _village(self, ctx: Context) -> Village | None:
        """The chat's village; in a private chat, the subscription or the official's village."""
        village_id = ctx.chat.village_id
        if village_id is None and ctx.msg.is_private:
            ids = {r.village_id for r in ctx.roles if r.village_id is not None}
            if len(ids) == 1:
                village_id = ids.pop()
        if village_id is None:
            return None
        return await ctx.session.get(Village, village_id)

    async def _route(self, ctx: Context) -> None:
        msg = ctx.msg
        if msg.button is not None:
            prefix = msg.button.split(":", 1)[0]
            hook = self.table.buttons.get(prefix)
            if hook is not None and await self._permit(ctx, hook.role, msg.button):
                await hook.handler(ctx)
            return
        parsed = None
        if msg.text.startswith("/"):
            parsed = parse_command(msg.text, bot_username=self.services.username_of(
                msg.platform, msg.chat.bot))
            if parsed is None:
                return  # a command for another bot
        elif msg.is_private or msg.addressed:
            parsed = match_words(msg.text, self.table.words) if msg.text else None
        if parsed is not None:
            command = self.table.get(parsed.key)
            if command is None:
                if msg.is_private or msg.addressed:
                    await ctx.say("error-unknown-command", command=parsed.typed)
                return
            ctx.command, ctx.args = command, parsed.args
            await self._run_command(ctx, command)
            return
        for router in self.routers:
            for on_message, sees_groups in router.message_hooks:
                if (msg.is_private or msg.addressed or sees_groups) and await on_message(ctx):
                    return

    async def _run_command(self, ctx: Context, command: Command) -> None:
        if command.private_only and not ctx.msg.is_private:
            await ctx.say("error-private-only", command=command.name)
            return
        if command.group_only and ctx.msg.is_private:
            await ctx.say("error-group-only", command=command.name)
            return
        if await self._permit(ctx, command.role, command.name):
            await command.handler(ctx)
            for router in self.routers:
                for hook in router.after_command_hooks:
                    await hook(ctx)

    async def _permit(self, ctx: Context, role: Role, action: str) -> bool:
        """Whether the sender holds ``role`` now; a refusal is audited and answered.

        The one check for commands and button presses alike (a button is checked when pressed,
        so a role revoked after the button was sent no longer works).
        """
        if self._allowed(ctx, role) or (role is Role.OFFICIAL and await extra_official(ctx)):
            return True
        await repo.audit(ctx.session, now=ctx.now, action=action[:64], allowed=False,
                         person_id=ctx.person.id,
                         village_id=ctx.village.id if ctx.village else None,
                         detail=(ctx.msg.button or ctx.msg.text)[:500])
        key = "error-admin-only" if role is Role.ADMIN else "error-official-only"
        callback_id = ctx.msg.callback_id
        if callback_id:
            ctx.after_commit(lambda: ctx.messenger.answer_button(callback_id, ctx.t(key)))
        await ctx.say(key)
        return False

    @staticmethod
    def _allowed(ctx: Context, role: Role) -> bool:
        if role is Role.RESIDENT:
            return True
        if role is Role.ADMIN:
            return ctx.is_admin
        if ctx.village is None:
            return ctx.is_admin or bool(ctx.roles)
        return ctx.is_official_of(ctx.village.id)

    async def _apologise(self, msg: IncomingMessage, messenger: Messenger,
                         key: str = "error-internal") -> None:
        await committed(plain=True)  # after the earlier replies to this sender
        try:
            text = self.services.i18n.t(self.services.settings.default_locale, key)
            await messenger.send(msg.chat.id, OutMessage(text=text))
        except (SendError, Exception):
            log.warning("could not apologise to %s:%s", msg.platform, msg.chat.id)
