"""Builders of realistic Telegram ``Update`` dicts for FakeTelegram (mixin)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ._tg_objects import make_chat_member
from ._tg_text import auto_entities

#: Sentinel: "compute the entities the way Telegram would".
AUTO: Any = object()


class UpdateBuilders:
    """``make_*_update`` helpers. Mixed into FakeTelegram, whose state they use and update."""

    # Provided by FakeTelegram.
    bot_id: int
    bot_username: str
    bot_user: dict[str, Any]
    messages: dict[tuple[Any, int], dict[str, Any]]
    sent: list[dict[str, Any]]
    wall_clock: Callable[[], float]
    _next_update_id: int
    _pending_callbacks: set[str]
    _callback_seq: int

    if TYPE_CHECKING:  # implemented by FakeTelegram

        def add_chat(
            self, chat_id: Any, chat_type: str | None = None, **kw: Any
        ) -> dict[str, Any]: ...

        def register_user(
            self, user_id: int, first_name: str = "", **kw: Any
        ) -> dict[str, Any]: ...

        def _store_message(
            self, chat: dict[str, Any], from_user: dict[str, Any] | None, **fields: Any
        ) -> dict[str, Any]: ...

        def _note_member(self, chat_id: Any, user: dict[str, Any]) -> None: ...

        def migrate_chat(self, old_chat_id: int, new_chat_id: int) -> None: ...

        def _apply_bot_membership(self, chat_id: int, member: dict[str, Any]) -> None: ...

    # ------------------------------------------------------------------ helpers
    def new_update_id(self) -> int:
        """Allocate the next ``update_id`` (strictly increasing)."""
        self._next_update_id += 1
        return self._next_update_id

    def _chat_for(
        self,
        chat_id: int,
        chat_type: str | None,
        title: str | None,
        user: dict[str, Any],
    ) -> dict[str, Any]:
        if chat_type == "private" or (chat_type is None and chat_id > 0):
            return self.add_chat(
                chat_id,
                "private",
                first_name=user["first_name"],
                username=user.get("username"),
            )
        return self.add_chat(chat_id, chat_type, title=title)

    def _user_for(
        self,
        from_id: int,
        first_name: str | None,
        username: str | None,
        last_name: str | None = None,
        language_code: str | None = None,
        is_bot: bool = False,
    ) -> dict[str, Any]:
        return self.register_user(
            from_id,
            first_name or "Người dùng",
            username=username,
            last_name=last_name,
            language_code=language_code,
            is_bot=is_bot,
        )

    # ------------------------------------------------------------------ builders
    def make_message_update(
        self,
        chat_id: int,
        from_id: int,
        text: str | None = None,
        *,
        chat_type: str | None = None,
        chat_title: str | None = None,
        username: str | None = None,
        first_name: str | None = None,
        last_name: str | None = None,
        language_code: str | None = None,
        is_bot: bool = False,
        photo: list[dict[str, Any]] | None = None,
        caption: str | None = None,
        reply_to: dict[str, Any] | int | None = None,
        media_group_id: str | None = None,
        entities: list[dict[str, Any]] | None = AUTO,
        message_id: int | None = None,
        message_thread_id: int | None = None,
        edited: bool = False,
        extra: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """A user's message as Telegram would deliver it (``message`` or ``edited_message``).

        ``chat_type`` defaults from the id (``-100…`` supergroup, negative group, positive
        private). ``entities=AUTO`` computes ``bot_command``/``mention`` entities with Telegram's
        tokenisation (``/lich-hop`` -> ``/lich``); pass a list to force them, ``None`` for none.
        ``photo`` is a PhotoSize list (see :meth:`make_photo`); its text goes in ``caption``.
        ``reply_to`` is a message dict or a message id in the same chat. ``extra`` adds raw
        fields (e.g. ``new_chat_members``). The message is stored, so the bot may reply to it.
        """
        user = self._user_for(from_id, first_name, username, last_name, language_code, is_bot)
        chat = self._chat_for(chat_id, chat_type, chat_title, user)
        self._note_member(chat["id"], user)
        fields: dict[str, Any] = {}
        if photo is not None:
            fields["photo"] = photo
            body, body_key, ent_key = caption, "caption", "caption_entities"
        else:
            body, body_key, ent_key = text, "text", "entities"
        if body is not None:
            fields[body_key] = body
            found = auto_entities(body) if entities is AUTO else entities
            if found:
                fields[ent_key] = found
        if reply_to is not None:
            fields["reply_to_message"] = self._reply_copy(chat["id"], reply_to)
        if media_group_id is not None:
            fields["media_group_id"] = media_group_id
        if message_thread_id is not None:
            fields.update(message_thread_id=message_thread_id, is_topic_message=True)
        if edited:
            fields["edit_date"] = int(self.wall_clock())
        fields.update(extra or {})
        message = self._store_message(chat, user, message_id=message_id, **fields)
        key = "edited_message" if edited else "message"
        return {"update_id": self.new_update_id(), key: message}

    def _reply_copy(self, chat_id: int, reply_to: dict[str, Any] | int) -> dict[str, Any]:
        original = (
            reply_to if isinstance(reply_to, dict) else self.messages.get((chat_id, reply_to))
        )
        if original is None:
            raise KeyError(f"no message {reply_to} in chat {chat_id}")
        return {k: v for k, v in original.items() if k != "reply_to_message"}

    def make_callback_update(
        self,
        chat_id: int,
        from_id: int,
        data: str,
        *,
        message: dict[str, Any] | None = None,
        message_id: int | None = None,
        username: str | None = None,
        first_name: str | None = None,
        query_id: str | None = None,
    ) -> dict[str, Any]:
        """A ``callback_query`` from pressing an inline button.

        The button's message is ``message``, or the stored message ``message_id``, or else the
        bot's latest message in that chat. The query id becomes answerable once.
        """
        user = self._user_for(from_id, first_name, username)
        if message is None and message_id is not None:
            message = self.messages.get((chat_id, message_id))
        if message is None:
            latest = next((m for m in reversed(self.sent) if m["chat"]["id"] == chat_id), None)
            message = self.messages.get((chat_id, latest["message_id"])) if latest else None
        if message is None:
            raise KeyError(f"no message to attach the callback to in chat {chat_id}")
        self._callback_seq += 1
        qid = query_id or f"{4_000_000_000_000_000_000 + self._callback_seq}"
        self._pending_callbacks.add(qid)
        query = {
            "id": qid,
            "from": user,
            "message": message,
            "chat_instance": f"{abs(chat_id) * 7919 % 10**18}",
            "data": data,
        }
        return {"update_id": self.new_update_id(), "callback_query": query}

    def make_migrate_update(
        self,
        old_chat_id: int,
        new_chat_id: int,
        *,
        from_id: int = 1087968824,
        apply: bool = True,
    ) -> dict[str, Any]:
        """The service message in the old group when it becomes a supergroup.

        With ``apply`` the fake also migrates the chat: later calls to ``old_chat_id`` get
        ``400 … upgraded to a supergroup chat`` with ``parameters.migrate_to_chat_id``.
        """
        user = self._user_for(from_id, "Group", "GroupAnonymousBot", is_bot=True)
        chat = self.add_chat(old_chat_id, "group")
        message = self._store_message(chat, user, migrate_to_chat_id=new_chat_id)
        if apply:
            self.migrate_chat(old_chat_id, new_chat_id)
        return {"update_id": self.new_update_id(), "message": message}

    def make_migrate_from_update(
        self, new_chat_id: int, old_chat_id: int, *, from_id: int = 1087968824
    ) -> dict[str, Any]:
        """The matching service message in the new supergroup (``migrate_from_chat_id``)."""
        user = self._user_for(from_id, "Group", "GroupAnonymousBot", is_bot=True)
        chat = self.add_chat(new_chat_id, "supergroup")
        message = self._store_message(chat, user, migrate_from_chat_id=old_chat_id)
        return {"update_id": self.new_update_id(), "message": message}

    def make_my_chat_member_update(
        self,
        chat_id: int,
        from_id: int = 1,
        *,
        old_status: str = "left",
        new_status: str = "member",
        chat_type: str | None = None,
        chat_title: str | None = None,
        username: str | None = None,
        first_name: str | None = None,
        rights: dict[str, Any] | None = None,
        apply: bool = True,
    ) -> dict[str, Any]:
        """A ``my_chat_member`` update: the bot was added, promoted, demoted or removed.

        ``rights`` tweak the new ChatMember (e.g. ``{"can_pin_messages": False}``). With
        ``apply`` the fake adopts the new status: ``left``/``kicked`` make later sends to the
        chat answer 403, ``member``/``administrator`` make them work again.
        """
        user = self._user_for(from_id, first_name, username)
        chat = self._chat_for(chat_id, chat_type, chat_title, user)
        old = make_chat_member(self.bot_user, old_status)
        new = make_chat_member(self.bot_user, new_status, **(rights or {}))
        if apply:
            self._apply_bot_membership(chat["id"], new)
        event = {
            "chat": chat,
            "from": user,
            "date": int(self.wall_clock()),
            "old_chat_member": old,
            "new_chat_member": new,
        }
        return {"update_id": self.new_update_id(), "my_chat_member": event}
