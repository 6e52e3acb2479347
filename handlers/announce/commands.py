"""/announce (/thongbao) with preview and confirmation, read acknowledgements, /daxem, /tinmoi.

A notice is stored as a draft (so confirmation survives restarts and works across processes),
previewed to its author when it would reach more than the current chat, and on confirmation
queued through the outbox to every chat of the audience, each rendered in that chat's
language.  Telegram and the web chat get a "read ✓ (n)" button with a live count; on Zalo
(no buttons, no reply field) residents send ``/dadoc <n>``; a reply to the notice also counts.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import func
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core import drafts as confirming
from bot.core.context import Context
from bot.core.events import Attachment
from bot.core.messenger import Button, Media, OutMessage, SendError
from bot.core.router import ReachQuery, Role, Router
from bot.core.services import Services
from bot.db import drafts, repo
from bot.db.models import Chat, Person, Village
from bot.db.sequences import next_number
from bot.db.villages import commune_chats, private_chat_of, village_chats, village_tags
from bot.delivery.outbox import fan_out, find_sent
from bot.media import MediaError
from bot.text.command_vocab import NEWS_WORDS, NO_WORDS
from bot.text.fold import fold
from bot.text.numbers import db_id, parse_number
from handlers.announce.models import CANCELLED, DRAFT, SENT, Notice, NoticeAck

router = Router("announce")
log = logging.getLogger(__name__)

KIND = "announce"
FLOW = "ask-announce"  # /thongbao step by step: the text, then an optional photo
DRAFT_TTL = timedelta(hours=1)
LATEST = 5
PIN_WORDS = {"ghim", "pin"}
COMMUNE_TAGS = {"xa", "toanxa"}


# ---------------------------------------------------------------- parsing


@dataclass
class AnnounceArgs:
    """What ``/announce [ghim] [#tag …] <text>`` asked for."""

    text: str
    tags: list[str] = field(default_factory=list)
    commune: bool = False
    pin: bool = False


def parse_announce(args: str) -> AnnounceArgs:
    """Leading ``ghim``/``#ghim``, ``#xa``/``#toanxa`` and ``#tag`` tokens, then the text."""
    parsed = AnnounceArgs(text="")
    rest = args.strip()
    while rest:
        head, _, tail = rest.partition(" ")
        if "\n" in head:
            head, _, more = head.partition("\n")
            tail = more + (" " + tail if tail else "")
        tag = head.lstrip("#").lower()
        word = fold(tag).replace(" ", "")
        if (head.startswith("#") and word in PIN_WORDS) or fold(head) in PIN_WORDS:
            parsed.pin = True
        elif head.startswith("#") and word in COMMUNE_TAGS:
            parsed.commune = True
        elif head.startswith("#") and len(head) > 1:
            if tag not in parsed.tags:
                parsed.tags.append(tag)
        else:
            break
        rest = tail.strip()
    parsed.text = rest
    return parsed


# ---------------------------------------------------------------- queries


async def latest_notices(
    session: AsyncSession, village_id: int, limit: int = LATEST
) -> list[Notice]:
    """The village's latest sent notices (and commune-wide ones), newest first."""
    return list((await session.exec(select(Notice).where(
        Notice.status == SENT,
        (col(Notice.village_id) == village_id) | col(Notice.commune).is_(True),
    ).order_by(col(Notice.sent_at).desc(), col(Notice.id).desc()).limit(limit))).all())


async def notice_by_number(ctx: Context, number: int) -> Notice | None:
    """Sent notice ``number`` of the chat's village, else the commune-wide one of that number."""
    vid = ctx.village.id if ctx.village is not None else None
    for village_id in ([vid] if vid is not None else []) + [None]:
        stmt = select(Notice).where(Notice.number == db_id(number), Notice.status == SENT)
        stmt = stmt.where(col(Notice.village_id).is_(None) if village_id is None
                          else Notice.village_id == village_id)
        found = (await ctx.session.exec(stmt)).first()
        if found is not None:
            return found
    return None


async def add_ack(
    session: AsyncSession, *, notice_id: int, person_id: int, platform: str, now: object
) -> bool:
    """Record one person's read; False when they had already acknowledged."""
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    result = await session.exec(insert(NoticeAck).values(
        notice_id=notice_id, person_id=person_id, platform=platform, at=now,
    ).on_conflict_do_nothing())
    return bool(result.rowcount)


async def ack_count(session: AsyncSession, notice_id: int) -> int:
    """How many people acknowledged a notice."""
    return int((await session.exec(select(func.count()).select_from(NoticeAck).where(
        NoticeAck.notice_id == notice_id))).one())


async def ackers(session: AsyncSession, notice_id: int) -> list[tuple[NoticeAck, Person]]:
    """Who acknowledged a notice, in order."""
    rows = (await session.exec(select(NoticeAck, Person).join(
        Person, col(Person.id) == NoticeAck.person_id).where(
        NoticeAck.notice_id == notice_id).order_by(col(NoticeAck.at), col(NoticeAck.id)))).all()
    return [(a, p) for a, p in rows]


async def audience(session: AsyncSession, notice: Notice) -> list[Chat]:
    """Every active chat the notice goes to."""
    tags = [t for t in notice.tags.split(",") if t] or None
    if notice.commune:
        return await commune_chats(session, tags=tags)
    assert notice.village_id is not None
    return await village_chats(session, notice.village_id, tags=tags)


# ---------------------------------------------------------------- rendering


def _ack_button(services: Services, locale: str, notice_id: int, count: int) -> Button:
    return Button(services.i18n.t(locale, "announce-ack-button", count=count), f"ack:{notice_id}")


def _media_for(notice: Notice, services: Services, platform: str) -> tuple[Media, ...]:
    data = notice.media or {}
    name = data.get("name")
    if not name:
        return ()
    store = services.media
    caps = services.capabilities(platform)
    file_id = data.get("file_id") if caps.reuses_file_ids else None
    if caps.photo_url_only:  # a clean copy: no EXIF (GPS) leaves the bot
        return (Media(url=store.url(store.send_name(name))),)
    path = None if file_id else store.send_path(name)
    return (Media(file_id=file_id, path=str(path) if path else None,
                  url=store.url(store.send_name(name))),)


def render_notice(
    services: Services, notice: Notice, village: Village | None, platform: str, locale: str,
    *, with_ack: bool = True,
) -> OutMessage:
    """The notice as one chat sees it: title, body, footer, ack button or hint, photo."""
    t = services.i18n.t
    if notice.commune or village is None:
        title = t(locale, "announce-title-commune")
    else:
        title = t(locale, "announce-title", village=village.name)
    sent = notice.sent_at or notice.created_at
    date = sent.astimezone(services.settings.tz).strftime("%d/%m/%Y")
    footer = t(locale, "announce-footer", title=notice.author_title, name=notice.author_name,
               date=date)
    text = f"{notice.text}\n\n{footer}"
    buttons: tuple[tuple[Button, ...], ...] = ()
    if with_ack and notice.id is not None:
        if services.capabilities(platform).buttons:
            buttons = ((_ack_button(services, locale, notice.id, 0),),)
        else:
            text += "\n\n" + t(locale, "announce-ack-hint", id=notice.number)
    return OutMessage(text=text, title=title, buttons=buttons,
                      media=_media_for(notice, services, platform))


# ---------------------------------------------------------------- /announce


def _author_title(ctx: Context, village_id: int | None) -> str:
    for role in ctx.roles:
        if role.village_id == village_id:
            return role.title
    for role in ctx.roles:
        if role.village_id is None:
            return role.title
    if ctx.roles:
        return ctx.roles[0].title
    return ctx.t("role-admin") if ctx.is_admin else ""


def _photo(ctx: Context) -> Attachment | bool | None:
    """The photo to attach (message or replied-to message); False for a non-image file."""
    found = list(ctx.msg.attachments) or (list(ctx.msg.reply_to.attachments)
                                          if ctx.msg.reply_to else [])
    if not found:
        return None
    att = found[0]
    if att.kind == "photo" or (att.mime or "").startswith("image/"):
        return att
    return False


async def _store_photo(ctx: Context, att: Attachment) -> dict[str, str] | str:
    """Download and keep the photo now (Zalo URLs expire); an error key on failure."""
    settings = ctx.services.settings
    try:
        data = await ctx.messenger.download(att, settings.max_photo_bytes)
        stored = ctx.services.media.save_image(data)
    except MediaError as exc:
        return {"too-big": "announce-photo-too-big", "not-image": "announce-photo-not-image"
                }.get(exc.code, "announce-photo-failed")
    except SendError as exc:
        return "announce-photo-too-big" if "too big" in exc.detail else "announce-photo-failed"
    media = {"name": stored.name}
    if ctx.messenger.capabilities.reuses_file_ids and att.kind == "photo":  # a document keeps EXIF
        media["file_id"] = att.ref
    return media


@router.command("announce", "thongbao", role=Role.OFFICIAL, help_key="help-announce",
                usage_key="usage-announce")
async def announce(ctx: Context) -> None:
    """Draft a notice, preview it with its audience, or send at once to this chat only;
    alone, ask for the text, then an optional photo, one question at a time."""
    if not ctx.args.strip() and not ctx.msg.attachments and ctx.village is not None:
        await drafts.ask(ctx.session, chat_id=ctx.chat.id or 0, person_id=ctx.person.id or 0,
                         village_id=ctx.village.id, kind=FLOW, payload={}, now=ctx.now)
        await ctx.reply(ctx.t("announce-ask-text"), force_reply=True)
        return
    await _announce(ctx, ctx.args)


async def _announce(ctx: Context, args: str) -> None:
    parsed = parse_announce(args)
    if not parsed.text:
        await ctx.say("usage-announce")
        return
    if parsed.commune and not ctx.is_commune_official:
        await ctx.say("announce-commune-only")
        return
    village = ctx.village
    if not parsed.commune and village is None:
        await ctx.say("error-no-village")
        return
    if parsed.tags:
        known = (sorted({t for c in await commune_chats(ctx.session, include_private=False)
                         for t in c.tag_list}) if parsed.commune or village is None
                 else await village_tags(ctx.session, village.id or 0))
        unknown = [t for t in parsed.tags if t not in known]
        if unknown:
            await ctx.say("announce-unknown-tag", tags=", ".join(f"#{t}" for t in unknown),
                          known=", ".join(f"#{t}" for t in known) or "-")
            return
    photo = _photo(ctx)
    if photo is False:
        await ctx.say("announce-photo-not-image")
        return
    media: dict[str, str] = {}
    if isinstance(photo, Attachment):
        stored = await _store_photo(ctx, photo)
        if isinstance(stored, str):
            await ctx.say(stored, max=ctx.services.settings.max_photo_bytes // (1024 * 1024))
            return
        media = stored
    vid = village.id if village is not None else None
    notice = Notice(
        village_id=vid, author_id=ctx.person.id or 0,
        author_title=_author_title(ctx, None if parsed.commune else vid),
        author_name=ctx.person.display_name or ctx.msg.sender.name, text=parsed.text,
        tags=",".join(parsed.tags), commune=parsed.commune, pin=parsed.pin, media=media,
        origin_platform=ctx.msg.platform.value, origin_chat=ctx.msg.chat.id, locale=ctx.locale,
        created_at=ctx.now, expires_at=ctx.now + DRAFT_TTL)
    ctx.session.add(notice)
    await ctx.session.flush()
    chats = await audience(ctx.session, notice)
    if not chats:
        notice.status = CANCELLED
        await ctx.say("announce-no-audience")
        return
    if len(chats) == 1 and chats[0].id == ctx.chat.id:
        await _send(ctx, notice, village, chats)
        return
    groups = sum(1 for c in chats if c.is_group)
    preview = render_notice(ctx.services, notice, village, ctx.msg.platform.value, ctx.locale,
                            with_ack=False)
    draft = await drafts.put(ctx.session, village_id=notice.village_id,
                             person_id=ctx.person.id or 0, kind=KIND, ref_id=notice.id,
                             payload={}, now=ctx.now)
    notice.expires_at = draft.expires_at
    hint = ctx.t("announce-preview", groups=groups, people=len(chats) - groups, id=draft.number,
                 until=drafts.expires_text(draft, ctx.services.settings.tz))
    buttons: tuple[tuple[Button, ...], ...] = ()
    if ctx.messenger.capabilities.buttons:
        buttons = ((Button(ctx.t("announce-button-send"), f"ann:ok:{notice.id}"),
                    Button(ctx.t("announce-button-cancel"), f"ann:no:{notice.id}")),)
    await ctx.reply(f"{preview.text}\n\n{hint}", title=preview.title, media=preview.media,
                    buttons=buttons)


async def _send(ctx: Context, notice: Notice, village: Village | None,
                chats: list[Chat]) -> None:
    """Queue the notice to every chat, mark it sent, audit, and tell the author."""
    services = ctx.services
    notice.status, notice.sent_at = SENT, ctx.now
    if notice.number is None:
        notice.number = await next_number(ctx.session, village_id=notice.village_id,
                                          kind="notice")
    await ctx.session.flush()
    default = services.settings.default_locale

    def render(chat: Chat) -> OutMessage:
        return render_notice(services, notice, village, chat.platform, chat.locale or default)

    report_chat = await private_chat_of(ctx.session, ctx.person)
    report_to = ((report_chat.platform, report_chat.external_id, report_chat.locale or ctx.locale)
                 if report_chat is not None else
                 (ctx.msg.platform.value, ctx.msg.chat.id, ctx.locale))
    notice.batch_id = await fan_out(ctx.session, services, chats, render, kind=KIND,
                                    ref_id=notice.id, report_to=report_to,
                                    author_id=ctx.person.id, pin=notice.pin)
    await repo.audit(ctx.session, now=ctx.now, action="announce", person_id=ctx.person.id,
                     village_id=notice.village_id,
                     detail=f"#{notice.number} -> {len(chats)}: {notice.text[:300]}")
    groups = sum(1 for c in chats if c.is_group)
    await ctx.say("announce-queued", id=notice.number, groups=groups, people=len(chats) - groups)


def _number(text: str) -> int | None:
    return parse_number(text)


async def _confirm_notice(ctx: Context, draft: drafts.PendingDraft) -> None:
    """``/xacnhan`` of a notice preview: still allowed now? then send it to its audience."""
    notice = await ctx.session.get(Notice, draft.ref_id or 0)
    if notice is None or notice.status != DRAFT:
        await ctx.say("announce-no-draft")
        return
    if notice.commune and not ctx.is_commune_official:
        draft.status = drafts.PENDING  # not theirs to confirm any more: leave it untouched
        await ctx.say("announce-commune-only")
        return
    village = (await ctx.session.get(Village, notice.village_id)
               if notice.village_id is not None else None)
    chats = await audience(ctx.session, notice)
    if not chats:
        notice.status = CANCELLED
        await ctx.say("announce-no-audience")
        return
    await _send(ctx, notice, village, chats)


async def _drop_notice(ctx: Context, draft: drafts.PendingDraft) -> None:
    notice = await ctx.session.get(Notice, draft.ref_id or 0)
    if notice is not None and notice.status == DRAFT:
        notice.status = CANCELLED
    await repo.audit(ctx.session, now=ctx.now, action="announce-cancel",
                     person_id=ctx.person.id, village_id=draft.village_id,
                     detail=f"#{draft.number}")
    await ctx.say("announce-cancelled", id=draft.number)


router.draft(KIND, confirm=_confirm_notice, drop=_drop_notice)


async def _pending(ctx: Context, number: int | None,
                   draft_id: int | None = None) -> drafts.PendingDraft | None:
    """The person's pending draft (numbered, or the latest), answering why when there is none."""
    draft = await drafts.find(ctx.session, person_id=ctx.person.id or 0, now=ctx.now,
                              number=number, draft_id=draft_id,
                              village_id=ctx.village.id if ctx.village else None)
    if draft is None and number is not None:  # a commune-wide draft has no village
        draft = await drafts.find(ctx.session, person_id=ctx.person.id or 0, now=ctx.now,
                                  number=number, village_id=None)
    if draft is None:
        await ctx.say("draft-none")
    return draft


@router.command("xacnhan", role=Role.OFFICIAL, help_key="help-xacnhan")
async def confirm(ctx: Context) -> None:
    """Send what the person's pending preview (notice, meeting, recurring notice) shows."""
    draft = await _pending(ctx, _number(ctx.args))
    if draft is not None:
        await confirming.confirm(ctx, draft)


@router.command("huy", role=Role.OFFICIAL, help_key="help-huy")
async def cancel(ctx: Context) -> None:
    """End the person's step-by-step questions here, else drop their pending preview."""
    if not ctx.args.strip() and await confirming.stop_flows(ctx):
        await ctx.say("flow-stopped")
        return
    draft = await _pending(ctx, _number(ctx.args))
    if draft is not None:
        await confirming.drop(ctx, draft)


@router.on_button("draft", role=Role.OFFICIAL)
async def draft_button(ctx: Context) -> None:
    """``draft:ok:<id>`` / ``draft:no:<id>``: the preview's Send / Cancel buttons."""
    parts = (ctx.msg.button or "").split(":")
    action = parts[1] if len(parts) > 1 else ""
    draft_id = _number(parts[2]) if len(parts) > 2 else None
    if ctx.msg.callback_id:
        await ctx.messenger.answer_button(ctx.msg.callback_id)
    draft = await _pending(ctx, None, draft_id=draft_id or 0)
    if draft is None:
        return
    await (confirming.confirm if action == "ok" else confirming.drop)(ctx, draft)


@router.on_button("ann", role=Role.OFFICIAL)
async def confirm_button(ctx: Context) -> None:
    """A notice preview's Send / Cancel buttons (``ann:ok:<notice id>``; only the author)."""
    parts = (ctx.msg.button or "").split(":")
    action = parts[1] if len(parts) > 1 else ""
    notice_id = _number(parts[2]) if len(parts) > 2 else None
    if ctx.msg.callback_id:
        await ctx.messenger.answer_button(ctx.msg.callback_id)
    found = await drafts.by_ref(ctx.session, kind=KIND, ref_id=notice_id or 0)
    if found is not None and found.person_id != ctx.person.id:
        await ctx.say("announce-not-author")
        return
    draft = await _pending(ctx, None, draft_id=found.id if found else 0)
    if draft is None:
        return
    await (confirming.confirm if action == "ok" else confirming.drop)(ctx, draft)


@router.on_message(groups=False)
async def announce_answer(ctx: Context) -> bool:
    """An answer to this person's ``/thongbao`` questions (here, or in the DM for a group)."""
    if not (ctx.roles or ctx.is_admin) or ctx.person.id is None or ctx.msg.text.startswith("/"):
        return False
    flow = await drafts.asking(ctx.session, chat_id=ctx.chat.id, person_id=ctx.person.id,
                               now=ctx.now)
    if flow is None and ctx.msg.is_private:
        flow = await drafts.asking(ctx.session, chat_id=None, person_id=ctx.person.id,
                                   now=ctx.now)
    if flow is None or flow.kind != FLOW or not ctx.is_official_of(flow.village_id):
        return False
    if ctx.village is None or ctx.village.id != flow.village_id:
        ctx.village = await ctx.session.get(Village, flow.village_id)
    text = ctx.msg.text.strip()
    if "text" not in flow.payload:
        if not text:
            await ctx.reply(ctx.t("announce-ask-text"), force_reply=True)
            return True
        if ctx.msg.attachments:  # the text came with its photo: nothing more to ask
            await drafts.end_question(ctx.session, flow)
            await _announce(ctx, text)
            return True
        await drafts.ask(ctx.session, chat_id=flow.ref_id or 0, person_id=ctx.person.id,
                         village_id=flow.village_id, kind=FLOW, payload={"text": text},
                         now=ctx.now)
        await ctx.reply(ctx.t("announce-ask-photo"), force_reply=True)
        return True
    if not ctx.msg.attachments and fold(text) not in NO_WORDS:
        await ctx.reply(ctx.t("announce-ask-photo"), force_reply=True)
        return True
    await drafts.end_question(ctx.session, flow)
    await _announce(ctx, str(flow.payload["text"]))
    return True


@router.stop_flow
async def stop_announce_question(ctx: Context) -> bool:
    """``/huy`` ends an unfinished ``/thongbao`` question."""
    flow = await drafts.asking(ctx.session, chat_id=ctx.chat.id, person_id=ctx.person.id or 0,
                               now=ctx.now)
    if flow is None or flow.kind != FLOW:
        return False
    await drafts.end_question(ctx.session, flow)
    return True


# ---------------------------------------------------------------- acknowledgements


async def _ack(ctx: Context, notice: Notice) -> tuple[bool, int]:
    added = await add_ack(ctx.session, notice_id=notice.id or 0, person_id=ctx.person.id or 0,
                          platform=ctx.msg.platform.value, now=ctx.now)
    return added, await ack_count(ctx.session, notice.id or 0)


@router.on_button("ack")
async def ack_button(ctx: Context) -> None:
    """The read-acknowledgement button: count the person once and show the new count."""
    notice = await ctx.session.get(Notice, db_id(_number(
        (ctx.msg.button or "").partition(":")[2])))
    if notice is None or notice.status != SENT:
        await ctx.messenger.answer_button(ctx.msg.callback_id or "")
        return
    added, count = await _ack(ctx, notice)
    buttons = ((_ack_button(ctx.services, ctx.locale, notice.id or 0, count),),)

    async def show() -> None:  # after the commit: the count shown is the saved one
        try:
            await ctx.messenger.edit_buttons(ctx.msg.chat.id, ctx.msg.message_id, buttons)
        except SendError as exc:
            log.info("could not update the read count in %s: %s", ctx.msg.chat.id, exc)
        if ctx.msg.callback_id:
            await ctx.messenger.answer_button(
                ctx.msg.callback_id,
                ctx.t("announce-ack-thanks" if added else "announce-ack-again"))

    ctx.after_commit(show)


@router.command("dadoc", help_key="help-dadoc", usage_key="usage-dadoc")
async def read_command(ctx: Context) -> None:
    """``/dadoc <n>``: acknowledge notice n (Zalo has no buttons); default the latest."""
    notice_id = _number(ctx.args)
    notice = await notice_by_number(ctx, notice_id) if notice_id is not None else None
    if notice_id is None and ctx.village is not None:
        latest = await latest_notices(ctx.session, ctx.village.id or 0, limit=1)
        notice = latest[0] if latest else None
    if notice is None or notice.status != SENT:
        await ctx.say("usage-dadoc")
        return
    added, count = await _ack(ctx, notice)
    await ctx.say("announce-ack-done" if added else "announce-ack-again-full",
                  id=notice.number, count=count)


@router.on_message(groups=True)
async def ack_by_reply(ctx: Context) -> bool:
    """A reply to a notice counts as read (web chat, Telegram; Zalo has no reply field)."""
    reply = ctx.msg.reply_to
    if reply is None or ctx.msg.text.startswith("/"):
        return False
    item = await find_sent(ctx.session, platform=ctx.msg.platform.value,
                           chat_external_id=ctx.msg.chat.id, message_id=reply.message_id,
                           kind=KIND)
    if item is None or item.ref_id is None:
        return False
    notice = await ctx.session.get(Notice, item.ref_id)
    if notice is None:
        return False
    added, count = await _ack(ctx, notice)
    if ctx.msg.is_private:
        await ctx.say("announce-ack-done" if added else "announce-ack-again-full",
                      id=notice.number, count=count)
    return True


@router.command("daxem", role=Role.OFFICIAL, help_key="help-daxem", usage_key="usage-daxem")
async def who_read(ctx: Context) -> None:
    """``/daxem <n>``: who acknowledged notice n."""
    notice_id = _number(ctx.args)
    notice = await notice_by_number(ctx, notice_id) if notice_id is not None else None
    if notice is None or notice.status != SENT:
        await ctx.say("usage-daxem")
        return
    allowed = notice.author_id == ctx.person.id or ctx.is_commune_official or (
        notice.village_id is not None and ctx.is_official_of(notice.village_id))
    if not allowed:
        await ctx.say("announce-daxem-not-yours")
        return
    rows = await ackers(ctx.session, notice.id or 0)
    tz = ctx.services.settings.tz
    lines = [ctx.t("announce-daxem-line", name=p.display_name or p.external_id,
                   platform=p.platform, time=a.at.astimezone(tz).strftime("%d/%m %H:%M"))
             for a, p in rows]
    head = ctx.t("announce-daxem-head" if lines else "announce-daxem-none", id=notice.number,
                 count=len(rows))
    reach = await ctx.services.commands.reach_lines(ctx.session, ctx.services, ReachQuery(
        kind=KIND, ref_id=notice.id or 0, batch_id=notice.batch_id, locale=ctx.locale))
    await ctx.reply("\n".join([head, *reach, *lines]))


# ---------------------------------------------------------------- /tinmoi


@router.command("tinmoi", "tin_moi", help_key="help-tinmoi", words=NEWS_WORDS)
async def latest(ctx: Context) -> None:
    """The village's latest notices, in groups and private chats."""
    if ctx.village is None:
        await ctx.say("error-no-village")
        return
    notices = await latest_notices(ctx.session, ctx.village.id or 0)
    if not notices:
        await ctx.say("announce-latest-none", village=ctx.village.name)
        return
    tz = ctx.services.settings.tz
    lines = []
    for n in notices:
        first = n.text.strip().splitlines()[0] if n.text.strip() else ""
        short = first if len(first) <= 120 else first[:117] + "…"
        lines.append(ctx.t("announce-latest-line", id=n.number,
                           date=(n.sent_at or n.created_at).astimezone(tz).strftime("%d/%m/%Y"),
                           title=n.author_title, text=short))
    await ctx.reply("\n".join(lines) + "\n\n" + ctx.t("announce-latest-hint"),
                    title=ctx.t("announce-latest-title", village=ctx.village.name))
