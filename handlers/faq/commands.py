"""The FAQ / digital-services help desk.

``/hoi <câu hỏi>`` (``/faq``, ``/hoidap``; a plain question in a private chat) answers from the
shipped knowledge base plus the village's own entries; close candidates become a numbered list
(``/hoi 2``); unanswered questions go to the village's officials, who list them with ``/cauhoi``
and answer with ``/traloi <n> <text>`` (``+luu`` at the end also saves the answer as a village
entry).  Officials manage entries with ``/faq them|sua|xoa|ds``.  ``/lienhe`` lists the
village's contacts; ``/lienhe sdt <số>`` publishes an official's phone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlmodel import select

from bot.clock import to_local
from bot.core.context import Context
from bot.core.messenger import OutMessage
from bot.core.router import Role, Router
from bot.db import repo
from bot.db import villages as vl
from bot.db.models import Chat, OfficialRole, Person, Village
from bot.delivery.outbox import fan_out
from bot.i18n import format_moment
from bot.text.numbers import db_id
from handlers.faq import queries as faq_repo
from handlers.faq.desk import FaqDesk, desk_of
from handlers.faq.match import FaqEntry
from handlers.faq.models import ANSWERED, Question
from handlers.faq.parse import (
    FaqCommand,
    SmallTalk,
    parse_answer,
    parse_faq_command,
    parse_phone_command,
    parse_pick,
    small_talk,
)

router = Router("faq")

CHOICE_TTL = timedelta(days=1)
MAX_QUESTION = 2000
PREVIEW = 300
KIND_QUESTION = "faq-question"
KIND_ANSWER = "faq-answer"

Translate = Callable[..., str]


# ---------------------------------------------------------------- small helpers


def _desk(ctx: Context) -> FaqDesk:
    return desk_of(ctx.services)


def _label(person: Person | None) -> str:
    if person is None:
        return "-"
    return person.display_name or (f"@{person.username}" if person.username else
                                   f"{person.platform}:{person.external_id}")


def _chat_t(ctx: Context, locale: str | None) -> Translate:
    lang = locale or ctx.services.settings.default_locale

    def t(key: str, **args: object) -> str:
        return ctx.services.i18n.t(lang, key, **args)

    return t


def _is_manager(ctx: Context) -> bool:
    return ctx.village is not None and ctx.is_official_of(ctx.village.id)


async def _refuse(ctx: Context, action: str) -> None:
    """The standard official-only refusal, audited."""
    await repo.audit(ctx.session, now=ctx.now, action=action, allowed=False,
                     person_id=ctx.person.id,
                     village_id=ctx.village.id if ctx.village else None,
                     detail=ctx.msg.text[:500])
    await ctx.say("error-official-only")


def _official_title(ctx: Context, village_id: int | None) -> str:
    for role in ctx.roles:
        if role.village_id == village_id:
            return role.title
    if ctx.roles:
        return ctx.roles[0].title
    return ctx.t("role-admin") if ctx.is_admin else ""


# ---------------------------------------------------------------- asking


@router.command("hoi", "faq", "hoidap", "hoi_dap", help_key="help-hoi", usage_key="usage-hoi")
async def ask(ctx: Context) -> None:
    """Ask the FAQ; ``/faq them|sua|xoa|ds`` manage the village's entries (officials)."""
    args = ctx.args.strip()
    sub = parse_faq_command(args)
    if sub is not None:
        if _is_manager(ctx):
            assert ctx.village is not None
            await _manage(ctx, ctx.village, sub)
            return
        if sub.well_formed:
            if ctx.village is None and (ctx.roles or ctx.is_admin):
                await ctx.say("error-no-village")
            else:
                await _refuse(ctx, "faq")
            return
    if not args:
        if _is_manager(ctx):
            assert ctx.village is not None
            await _list_entries(ctx, ctx.village)
        else:
            await ctx.say("usage-hoi")
        return
    await _ask(ctx, args, plain=False)


@router.on_message()
async def plain_question(ctx: Context) -> bool:
    """A question without a command: private chats and messages addressed to the bot."""
    msg = ctx.msg
    text = msg.text.strip()
    if not text or text.startswith("/"):
        return False
    if msg.chat.is_group and msg.reply_to is not None and msg.reply_to.from_this_bot:
        return False  # a reply to one of our notices is not a question for the desk
    return await _ask(ctx, text, plain=True)


async def _ask(ctx: Context, text: str, *, plain: bool) -> bool:
    """Answer, offer choices, or forward to the officials.  False when ignored."""
    number = parse_pick(text)
    if number is not None:
        await _pick(ctx, number)
        return True
    talk = small_talk(text)
    if talk is not None:
        if plain and ctx.msg.chat.is_group:
            return False
        if talk is SmallTalk.THANKS:
            await ctx.say("faq-thanks")
        elif talk is SmallTalk.GREETING or not plain:
            await ctx.say("faq-hello")
        return True
    text = text[:MAX_QUESTION]
    village_id = ctx.village.id if ctx.village else None
    result = await _desk(ctx).match(ctx.session, village_id, text, ctx.locale)
    if result.kind == "answer" and result.entry is not None:
        await _send_entry(ctx, result.entry)
    elif result.kind == "choices":
        await _offer(ctx, [entry for entry, _score in result.choices])
    else:
        await _forward(ctx, text)
    return True


async def _send_entry(ctx: Context, entry: FaqEntry) -> None:
    await ctx.reply(entry.answer, title=entry.question)


async def _offer(ctx: Context, entries: list[FaqEntry]) -> None:
    """Show a numbered list and remember it for ``/hoi <n>``.

    The list is stored after it is sent, keeping the write off the reply's path; it is
    committed when this message is done, as before (on Telegram the chat's next message waits
    for that).
    """
    lines = [f"{i}. {e.question}" for i, e in enumerate(entries, 1)]
    hint = "faq-choices-hint" if ctx.msg.chat.is_group else "faq-choices-hint-private"
    lines += ["", ctx.t(hint, example=2 if len(entries) > 1 else 1)]
    await ctx.reply("\n".join(lines), title=ctx.t("faq-choices-title"))
    await faq_repo.save_choices(ctx.session, chat_id=ctx.chat.id or 0,
                                person_id=ctx.person.id or 0,
                                entry_ids=[e.id for e in entries], now=ctx.now)


async def _pick(ctx: Context, number: int) -> None:
    ids = await faq_repo.load_choices(ctx.session, chat_id=ctx.chat.id or 0,
                                      person_id=ctx.person.id or 0, since=ctx.now - CHOICE_TTL)
    if not ids:
        await ctx.say("faq-pick-none")
        return
    if not 1 <= number <= len(ids):
        await ctx.say("faq-pick-range", count=len(ids))
        return
    village_id = ctx.village.id if ctx.village else None
    entry = await _desk(ctx).entry(ctx.session, village_id, ids[number - 1], ctx.locale)
    if entry is None:
        await ctx.say("faq-pick-gone")
        return
    await _send_entry(ctx, entry)


async def _forward(ctx: Context, text: str) -> None:
    """Store the question and notify the officials in their private chats."""
    village = ctx.village
    question = await faq_repo.add_question(ctx.session, Question(
        village_id=village.id if village else None, person_id=ctx.person.id or 0,
        chat_platform=ctx.msg.platform.value, chat_external_id=ctx.msg.chat.id,
        chat_is_group=ctx.msg.chat.is_group, text=text, locale=ctx.locale, created_at=ctx.now))
    # reachable = a private chat on a platform this bot runs now, other than the asker's own
    running = {p.value for p in ctx.services.messengers}
    chats = [c for c in await vl.official_chats(ctx.session, village.id if village else None)
             if c.platform in running
             and not (c.platform == ctx.msg.platform.value and c.external_id == ctx.msg.chat.id)]
    if not chats:
        await ctx.say("faq-forwarded-nobody")
        return
    asker = _label(ctx.person)
    where_group = ctx.msg.chat.title or ctx.chat.title if ctx.msg.chat.is_group else None

    def render(chat: Chat) -> OutMessage:
        t = _chat_t(ctx, chat.locale)
        place = village.name if village else t("faq-place-none")
        where = t("faq-where-group", group=where_group) if where_group else t("faq-where-private")
        return OutMessage(
            title=t("faq-notify-title", place=place),
            text=t("faq-notify-body", name=asker, where=where, question=text[:PREVIEW * 3],
                   number=question.number))

    await fan_out(ctx.session, ctx.services, chats, render, kind=KIND_QUESTION,
                  ref_id=question.id, author_id=ctx.person.id)
    await ctx.say("faq-forwarded")


# ---------------------------------------------------------------- officials: entries


async def _manage(ctx: Context, village: Village, sub: FaqCommand) -> None:
    if not sub.well_formed:
        await ctx.say(f"usage-faq-{sub.action}")
        return
    if sub.action == "list":
        await _list_entries(ctx, village)
    elif sub.action == "add":
        await _add_entry(ctx, village, sub)
    elif sub.action == "edit":
        await _edit_entry(ctx, village, sub)
    else:
        await _delete_entry(ctx, village, sub)


async def _list_entries(ctx: Context, village: Village) -> None:
    rows = await faq_repo.village_entries(ctx.session, village_id=village.id or 0)
    if not rows:
        await ctx.say("faq-list-empty", place=village.name)
        return
    lines = [ctx.t("faq-list-line", number=r.id, question=r.question) for r in rows]
    lines += ["", ctx.t("faq-list-footer")]
    await ctx.reply("\n".join(lines), title=ctx.t("faq-list-title", place=village.name,
                                                  count=len(rows)))


async def _add_entry(ctx: Context, village: Village, sub: FaqCommand) -> None:
    vid = village.id or 0
    desk = _desk(ctx)
    before = desk.replaced_defaults(await desk.indexes(ctx.session, vid), ctx.locale)
    entry = await faq_repo.add_entry(
        ctx.session, village_id=vid, question=sub.question, answer=sub.answer,
        keywords=sub.keywords, locale=ctx.locale, created_by=ctx.person.id, now=ctx.now)
    desk.invalidate(vid)
    after = desk.replaced_defaults(await desk.indexes(ctx.session, vid), ctx.locale)
    await repo.audit(ctx.session, now=ctx.now, action="faq them", person_id=ctx.person.id,
                     village_id=vid, detail=f"#{entry.id}: {sub.question[:PREVIEW]}")
    key = "faq-added-override" if after - before else "faq-added"
    await ctx.say(key, number=entry.id, question=sub.question)


async def _edit_entry(ctx: Context, village: Village, sub: FaqCommand) -> None:
    vid = village.id or 0
    row = await faq_repo.village_entry(ctx.session, village_id=vid, entry_id=sub.number or 0)
    if row is None:
        await ctx.say("faq-entry-unknown", number=sub.number)
        return
    if sub.question:
        row.question = sub.question[:500]
    row.answer, row.updated_at = sub.answer[:4000], ctx.now
    _desk(ctx).invalidate(vid)
    await repo.audit(ctx.session, now=ctx.now, action="faq sua", person_id=ctx.person.id,
                     village_id=vid, detail=f"#{row.id}: {sub.answer[:PREVIEW]}")
    await ctx.say("faq-edited", number=row.id, question=row.question)


async def _delete_entry(ctx: Context, village: Village, sub: FaqCommand) -> None:
    vid = village.id or 0
    row = await faq_repo.village_entry(ctx.session, village_id=vid, entry_id=sub.number or 0)
    if row is None:
        await ctx.say("faq-entry-unknown", number=sub.number)
        return
    row.deleted, row.updated_at = True, ctx.now
    _desk(ctx).invalidate(vid)
    await repo.audit(ctx.session, now=ctx.now, action="faq xoa", person_id=ctx.person.id,
                     village_id=vid, detail=f"#{row.id}: {row.question[:PREVIEW]}")
    await ctx.say("faq-deleted", number=row.id, question=row.question)


# ---------------------------------------------------------------- officials: questions


@router.command("cauhoi", "cau_hoi", role=Role.OFFICIAL, help_key="help-cauhoi")
async def open_questions(ctx: Context) -> None:
    """List the unanswered questions of the village (numbered)."""
    village = ctx.village
    if village is not None:
        rows = await faq_repo.open_questions(ctx.session, village_id=village.id)
        place = village.name
    else:
        rows = [q for q in await faq_repo.open_questions(ctx.session, village_id=None,
                                                         everywhere=True)
                if ctx.is_official_of(q.village_id)]
        place = ctx.t("faq-place-all")
    if not rows:
        await ctx.say("cauhoi-none", place=place)
        return
    people = {p.id: p for p in (await ctx.session.exec(select(Person).where(
        Person.id.in_({q.person_id for q in rows}))))}  # type: ignore[union-attr]
    lines = [ctx.t("cauhoi-line", number=q.number,
                   when=format_moment(to_local(q.created_at), ctx.locale),
                   name=_label(people.get(q.person_id)), question=q.text[:PREVIEW])
             for q in rows]
    lines += ["", ctx.t("cauhoi-footer")]
    await ctx.reply("\n".join(lines), title=ctx.t("cauhoi-title", place=place, count=len(rows)))


def _pick_question(ctx: Context, found: list[Question]) -> Question | None:
    """Question n of the chat's village, else of a village this official looks after."""
    mine = [q for q in found if ctx.is_official_of(q.village_id)]
    if ctx.village is not None:
        here = [q for q in mine if q.village_id == ctx.village.id]
        mine = here or [q for q in mine if q.village_id is None] or mine
    return mine[0] if mine else None


@router.command("traloi", "tra_loi", role=Role.OFFICIAL, help_key="help-traloi",
                usage_key="usage-traloi")
async def answer(ctx: Context) -> None:
    """``/traloi <n> <text> [+luu]``: send the answer to the asker's chat (and save it)."""
    number, body, save = parse_answer(ctx.args)
    if number is None or not body:
        await ctx.say("usage-traloi")
        return
    question = _pick_question(ctx, await faq_repo.questions_numbered(ctx.session,
                                                                      number=db_id(number)))
    if question is None:
        await ctx.say("traloi-unknown", number=number)
        return
    if question.status == ANSWERED:
        await ctx.say("traloi-already", number=number)
        return
    asker = await ctx.session.get(Person, question.person_id)
    chat = (await ctx.session.exec(select(Chat).where(
        Chat.platform == question.chat_platform,
        Chat.external_id == question.chat_external_id))).first()
    if chat is None or not chat.active:
        await ctx.say("traloi-unreachable", name=_label(asker))
        return
    official = f"{_official_title(ctx, question.village_id)} {_label(ctx.person)}".strip()

    def render(target: Chat) -> OutMessage:
        t = _chat_t(ctx, target.locale or question.locale)
        return OutMessage(title=t("faq-answer-title"), text=t(
            "faq-answer-body", name=_label(asker), question=question.text[:PREVIEW * 3],
            answer=body, official=official))

    await fan_out(ctx.session, ctx.services, [chat], render, kind=KIND_ANSWER,
                  ref_id=question.id, author_id=ctx.person.id)
    await faq_repo.mark_answered(ctx.session, question, by=ctx.person.id, answer=body,
                                 now=ctx.now)
    await repo.audit(ctx.session, now=ctx.now, action="traloi", person_id=ctx.person.id,
                     village_id=question.village_id, detail=f"#{number}: {body[:PREVIEW]}")
    if not save:
        await ctx.say("traloi-sent", number=number, name=_label(asker))
        return
    if question.village_id is None:
        await ctx.say("traloi-sent-not-saved", number=number, name=_label(asker))
        return
    entry = await faq_repo.add_entry(
        ctx.session, village_id=question.village_id, question=question.text, answer=body,
        locale=question.locale, created_by=ctx.person.id, now=ctx.now)
    _desk(ctx).invalidate(question.village_id)
    await repo.audit(ctx.session, now=ctx.now, action="faq them", person_id=ctx.person.id,
                     village_id=question.village_id,
                     detail=f"#{entry.id}: {question.text[:PREVIEW]}")
    await ctx.say("traloi-sent-saved", number=number, name=_label(asker), entry=entry.id)


# ---------------------------------------------------------------- contacts


@router.command("lienhe", "lien_he", help_key="help-lienhe", usage_key="usage-lienhe")
async def contacts(ctx: Context) -> None:
    """The village's officials (titles, names, published phones); ``sdt`` sub-command."""
    phone = parse_phone_command(ctx.args)
    if phone is not None:
        await _phone(ctx, *phone)
        return
    village = ctx.village
    code = ctx.args.strip().split()[0] if ctx.args.strip() else ""
    if code:
        village = await repo.village_by_code(ctx.session, code)
        if village is None:
            await ctx.say("lienhe-unknown", code=code)
            return
    if village is None:
        await ctx.say("error-no-village")
        return
    pairs = await vl.village_officials(ctx.session, village.id)
    if not pairs:
        await ctx.say("lienhe-none", place=village.name)
        return
    lines = [_contact_line(ctx, role, person) for role, person in pairs]
    lines += ["", ctx.t("lienhe-footer")]
    await ctx.reply("\n".join(lines), title=ctx.t("lienhe-title", place=village.name))


def _contact_line(ctx: Context, role: OfficialRole, person: Person) -> str:
    title = role.title if role.village_id is not None else ctx.t("lienhe-commune",
                                                                 title=role.title)
    if role.phone:
        return ctx.t("lienhe-line-phone", title=title, name=_label(person), phone=role.phone)
    return ctx.t("lienhe-line", title=title, name=_label(person))


async def _phone(ctx: Context, action: str, number: str | None) -> None:
    """Publish, show or remove the sender's phone on all their active roles."""
    if not ctx.roles:
        await _refuse(ctx, "lienhe sdt")
        return
    if action == "bad":
        await ctx.say("usage-lienhe")
        return
    if action == "show":
        current = next((r.phone for r in ctx.roles if r.phone), None)
        if current:
            await ctx.say("lienhe-phone-current", phone=current)
        else:
            await ctx.say("lienhe-phone-unset")
        return
    for role in ctx.roles:
        role.phone = number
    await repo.audit(ctx.session, now=ctx.now, action="lienhe sdt", person_id=ctx.person.id,
                     village_id=ctx.village.id if ctx.village else None,
                     detail=number or "-")
    if number:
        await ctx.say("lienhe-phone-set", phone=number)
    else:
        await ctx.say("lienhe-phone-removed")

