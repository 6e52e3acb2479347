"""``/ho`` (the household list and its edits and import), ``/hocuatoi``, ``/chuanhan``.

Phone numbers and the list are shown to the village's officials only, in a private chat.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core import drafts as confirming
from bot.core.context import Context
from bot.core.messenger import Button, OutMessage
from bot.core.router import ReachQuery, Role, Router
from bot.core.services import Services
from bot.core.who import resolve_who
from bot.db import drafts, repo
from bot.db.models import Chat, Person
from bot.db.villages import official_chats
from bot.delivery.outbox import fan_out
from bot.media import MediaError
from bot.text.fold import fold
from bot.text.numbers import db_id, parse_number
from handlers.announce.models import Notice
from handlers.households import queries as hq
from handlers.households.importer import MAX_BYTES, Row, normalise_phone, read_households
from handlers.households.models import (
    LINKED,
    PENDING,
    Household,
    HouseholdImport,
    HouseholdMember,
)
from handlers.meetings.models import Meeting

router = Router("households")

PAGE = 20
IMPORT_KIND = "ho-import"
ANNOUNCE_KIND = "announce"  # the kind of a notice's fan-out (handlers/announce)
SHOW_ERRORS = 15
SUB_WORDS = {"them": "add", "sua": "edit", "xoa": "remove", "duyet": "approve",
             "lienket": "link", "nhap": "import", "xacnhan": "confirm", "huy": "cancel",
             "trang": "page"}


def _split(text: str) -> list[str]:
    return [p.strip() for p in text.split("|")]


def _label(h: Household) -> str:
    return f"{h.head_name} ({h.hamlet})"


async def _audit(ctx: Context, action: str, detail: str) -> None:
    await repo.audit(ctx.session, now=ctx.now, action=action, person_id=ctx.person.id,
                     village_id=ctx.village.id if ctx.village else None, detail=detail[:500])


async def _private(ctx: Context) -> bool:
    """Phones and the list never go to a group (the role check, audited, comes first)."""
    if not ctx.msg.is_private:
        await ctx.say("ho-private-only")
        return False
    return True


@router.command("ho", "households", role=Role.OFFICIAL, help_key="help-ho", usage_key="usage-ho")
async def ho(ctx: Context) -> None:
    """``/ho [trang n] | them | sua | xoa | duyet | lienket | nhap | xacnhan | huy``."""
    if not await _private(ctx):
        return
    if ctx.village is None:
        await ctx.say("error-no-village")
        return
    word, _, rest = ctx.args.strip().partition(" ")
    sub = SUB_WORDS.get(fold(word)) if word else "page"
    if sub is None and word.isdigit():
        sub, rest = "page", word
    handler = {"add": _add, "edit": _edit, "remove": _remove, "approve": _approve,
               "link": _link, "import": _import, "confirm": _confirm_import,
               "cancel": _cancel_import, "page": _list}.get(sub or "")
    if handler is None:
        await ctx.say("usage-ho")
        return
    await handler(ctx, rest.strip())


# ---------------------------------------------------------------- list


async def _list(ctx: Context, rest: str) -> None:
    assert ctx.village is not None and ctx.village.id is not None
    page = max(1, parse_number(rest) or 1)
    homes = await hq.households(ctx.session, ctx.village.id)
    if not homes:
        await ctx.say("ho-empty")
        return
    pages = (len(homes) + PAGE - 1) // PAGE
    page = min(page, pages)
    shown = homes[(page - 1) * PAGE: page * PAGE]
    linked = await hq.members(ctx.session, [h.id for h in shown if h.id is not None])
    latest = await hq.latest_sent_notice(ctx.session, ctx.village.id)
    reach = await hq.notice_reach(ctx.session, ctx.village.id, latest) if latest else None
    lines = []
    for h in shown:
        people = ", ".join(p.display_name or p.external_id for p in linked.get(h.id or 0, []))
        state = ""
        if reach is not None and latest is not None:
            state = ctx.t("ho-line-reached" if h.id in reach.reached else "ho-line-not-reached",
                          notice=latest.id)
        lines.append(ctx.t("ho-line", n=h.number, head=h.head_name, hamlet=h.hamlet,
                           phone=h.phone or "-", members=people or ctx.t("ho-no-members"),
                           state=state))
    if page < pages:
        lines.append(ctx.t("ho-more", next=page + 1))
    await ctx.reply("\n".join(lines), title=ctx.t("ho-title", village=ctx.village.name,
                                                  count=len(homes), page=page, pages=pages))


# ---------------------------------------------------------------- edits


async def _fields(ctx: Context, text: str) -> tuple[str, str, str | None] | None:
    parts = _split(text)
    if len(parts) < 2 or not parts[0] or not parts[1]:
        await ctx.say("usage-ho-them")
        return None
    phone = None
    if len(parts) > 2 and parts[2]:
        phone = normalise_phone(parts[2])
        if phone is None:
            await ctx.say("ho-bad-phone", phone=parts[2])
            return None
    return parts[0][:80], parts[1][:160], phone


async def _add(ctx: Context, rest: str) -> None:
    assert ctx.village is not None and ctx.village.id is not None
    fields = await _fields(ctx, rest)
    if fields is None:
        return
    hamlet, head, phone = fields
    for h in await hq.households(ctx.session, ctx.village.id):
        if (fold(h.hamlet), fold(h.head_name)) == (fold(hamlet), fold(head)):
            await ctx.say("ho-exists", n=h.number, head=h.head_name, hamlet=h.hamlet)
            return
    home = await hq.add(ctx.session, village_id=ctx.village.id, hamlet=hamlet, head=head,
                        phone=phone, now=ctx.now)
    await _audit(ctx, "ho-them", f"#{home.number} {hamlet} | {head}")
    await ctx.session.commit()
    await ctx.say("ho-added", n=home.number, head=head, hamlet=hamlet)


async def _household(ctx: Context, text: str) -> tuple[Household | None, str]:
    assert ctx.village is not None and ctx.village.id is not None
    word, _, rest = text.strip().partition(" ")
    number = parse_number(word)
    if number is None:
        await ctx.say("usage-ho")
        return None, rest
    home = await hq.by_number(ctx.session, ctx.village.id, number)
    if home is None or home.removed:
        await ctx.say("ho-not-found" if home is None else "ho-removed", n=number)
        return None, rest
    return home, rest


async def _edit(ctx: Context, rest: str) -> None:
    home, rest = await _household(ctx, rest)
    if home is None:
        return
    fields = await _fields(ctx, rest)
    if fields is None:
        return
    home.hamlet, home.head_name, home.phone = fields
    home.updated_at = ctx.now
    ctx.session.add(home)
    await _audit(ctx, "ho-sua", f"#{home.number} {home.hamlet} | {home.head_name}")
    await ctx.session.commit()
    await ctx.say("ho-edited", n=home.number, head=home.head_name, hamlet=home.hamlet)


async def _remove(ctx: Context, rest: str) -> None:
    home, _ = await _household(ctx, rest)
    if home is None:
        return
    home.removed, home.updated_at = True, ctx.now
    ctx.session.add(home)
    await _audit(ctx, "ho-xoa", f"#{home.number} {_label(home)}")
    await ctx.session.commit()
    await ctx.say("ho-removed-done", n=home.number, head=home.head_name)


# ---------------------------------------------------------------- links


async def _approve(ctx: Context, rest: str) -> None:
    home, _ = await _household(ctx, rest)
    if home is None:
        return
    waiting = await hq.pending_for(ctx.session, home.id or 0)
    if not waiting:
        await ctx.say("ho-nothing-to-approve", n=home.number)
        return
    names = []
    for link in waiting:
        link.status, link.linked_at, link.linked_by = LINKED, ctx.now, ctx.person.id
        ctx.session.add(link)
        person = await ctx.session.get(Person, link.person_id)
        names.append(person.display_name if person else str(link.person_id))
    await _audit(ctx, "ho-duyet", f"#{home.number} {', '.join(names)}")
    await ctx.session.commit()
    await ctx.say("ho-approved", n=home.number, names=", ".join(names))


@router.on_button("hoduyet", role=Role.OFFICIAL)
async def approve_button(ctx: Context) -> None:
    """The "Xác nhận" button sent to officials with a resident's /hocuatoi request."""
    link_id = parse_number((ctx.msg.button or "").partition(":")[2]) or 0
    link = await ctx.session.get(HouseholdMember, db_id(link_id))
    if ctx.msg.callback_id:
        await ctx.messenger.answer_button(ctx.msg.callback_id)
    if link is None or not ctx.is_official_of(link.village_id):
        await ctx.say("ho-request-gone")
        return
    home = await ctx.session.get(Household, link.household_id)
    if link.status != PENDING or home is None:
        await ctx.say("ho-request-gone")
        return
    link.status, link.linked_at, link.linked_by = LINKED, ctx.now, ctx.person.id
    ctx.session.add(link)
    person = await ctx.session.get(Person, link.person_id)
    name = person.display_name if person else str(link.person_id)
    await repo.audit(ctx.session, now=ctx.now, action="ho-duyet", person_id=ctx.person.id,
                     village_id=link.village_id, detail=f"#{home.number} {name}")
    await ctx.session.commit()
    await ctx.say("ho-approved", n=home.number, names=name)


async def _link(ctx: Context, rest: str) -> None:
    home, rest = await _household(ctx, rest)
    if home is None:
        return
    person, _ = await resolve_who(ctx, rest.split())
    if person is None:
        await ctx.say("usage-ho-lienket")
        return
    link = await hq.link_of(ctx.session, home.village_id, person.id or 0)
    if link is not None and link.status == LINKED and link.household_id != home.id:
        other = await ctx.session.get(Household, link.household_id)
        await ctx.say("ho-other-household", name=person.display_name,
                      n=other.number if other else "?")
        return
    if link is None:
        link = HouseholdMember(village_id=home.village_id, household_id=home.id or 0,
                               person_id=person.id or 0, requested_at=ctx.now)
    link.household_id, link.status = home.id or 0, LINKED
    link.linked_at, link.linked_by = ctx.now, ctx.person.id
    ctx.session.add(link)
    await _audit(ctx, "ho-lienket", f"#{home.number} {person.platform}:{person.external_id}")
    await ctx.session.commit()
    await ctx.say("ho-approved", n=home.number, names=person.display_name)


@router.command("hocuatoi", "myhousehold", help_key="help-hocuatoi",
                usage_key="usage-hocuatoi")
async def my_household(ctx: Context) -> None:
    """``/hocuatoi``: my household; ``/hocuatoi <n>``: ask to be linked to household n."""
    village = ctx.village
    if village is None or village.id is None:
        await ctx.say("error-no-village")
        return
    link = await hq.link_of(ctx.session, village.id, ctx.person.id or 0)
    number = parse_number(ctx.args) if ctx.args.strip() else None
    if ctx.args.strip() and number is None:
        await ctx.say("usage-hocuatoi")
        return
    if number is None:
        if link is None:
            await ctx.say("hocuatoi-none")
            return
        home = await ctx.session.get(Household, link.household_id)
        key = "hocuatoi-linked" if link.status == LINKED else "hocuatoi-pending"
        await ctx.say(key, n=home.number if home else "?", head=home.head_name if home else "")
        return
    home = await hq.by_number(ctx.session, village.id, number)
    if home is None or home.removed:
        await ctx.say("ho-not-found", n=number)
        return
    if link is not None and link.status == LINKED:
        current = await ctx.session.get(Household, link.household_id)
        await ctx.say("hocuatoi-already", n=current.number if current else "?")
        return
    if link is None:
        link = HouseholdMember(village_id=village.id, household_id=home.id or 0,
                               person_id=ctx.person.id or 0, requested_at=ctx.now)
    link.household_id, link.requested_at = home.id or 0, ctx.now
    ctx.session.add(link)
    await ctx.session.flush()
    officials = await official_chats(ctx.session, village.id)
    name = ctx.person.display_name or ctx.person.external_id

    def render(chat: Chat) -> OutMessage:
        locale = chat.locale or ctx.services.settings.default_locale
        t = ctx.services.i18n.t
        return OutMessage(
            text=t(locale, "ho-request", name=name, n=home.number, head=home.head_name,
                   hamlet=home.hamlet),
            buttons=((Button(t(locale, "ho-request-button"), f"hoduyet:{link.id}"),),))

    if officials:
        await fan_out(ctx.session, ctx.services, officials, render, kind="ho-request",
                      ref_id=link.id, dedupe_key=f"ho-request:{link.id}:{ctx.now.isoformat()}")
    await repo.audit(ctx.session, now=ctx.now, action="hocuatoi", person_id=ctx.person.id,
                     village_id=village.id, detail=f"#{home.number}")
    await ctx.session.commit()
    await ctx.say("hocuatoi-asked" if officials else "hocuatoi-asked-no-official",
                  n=home.number, head=home.head_name)


# ---------------------------------------------------------------- import


def _preview_rows(
    rows: list[Row], existing: list[Household]
) -> tuple[list[Any], list[Any], list[Any]]:
    by_key = {(fold(h.hamlet), fold(h.head_name)): h for h in existing}
    added, changed, same = [], [], []
    for row in rows:
        home = by_key.get((fold(row.hamlet), fold(row.head)))
        if home is None:
            added.append(row)
        elif row.phone and row.phone != home.phone:
            changed.append((row, home))
        else:
            same.append(row)
    return added, changed, same


async def _import(ctx: Context, rest: str) -> None:
    assert ctx.village is not None and ctx.village.id is not None
    files = [a for a in ctx.msg.attachments if a.kind == "document"]
    if not files and ctx.msg.reply_to is not None:
        files = [a for a in ctx.msg.reply_to.attachments if a.kind == "document"]
    if not files:
        await ctx.say("ho-import-no-file")
        return
    att = files[0]
    if att.size is not None and att.size > MAX_BYTES:
        await ctx.say("import-error-too-big", mb=MAX_BYTES // (1024 * 1024))
        return
    try:
        data = await ctx.messenger.download(att, MAX_BYTES)
    except (MediaError, Exception):
        await ctx.say("import-error-too-big", mb=MAX_BYTES // (1024 * 1024))
        return
    result = read_households(data, att.file_name or "")
    if result.fatal is not None:
        await ctx.say(result.fatal, mb=MAX_BYTES // (1024 * 1024))
        return
    if result.errors:
        lines = [ctx.t(reason, line=line, detail=detail)
                 for line, reason, detail in result.errors[:SHOW_ERRORS]]
        if len(result.errors) > SHOW_ERRORS:
            lines.append(ctx.t("import-more-errors", count=len(result.errors) - SHOW_ERRORS))
        await ctx.reply("\n".join(lines), title=ctx.t("import-bad-rows",
                                                      count=len(result.errors)))
        return
    existing = await hq.households(ctx.session, ctx.village.id)
    added, changed, same = _preview_rows(result.rows, existing)
    rows = HouseholdImport(
        village_id=ctx.village.id, author_id=ctx.person.id or 0,
        rows=[{"hamlet": r.hamlet, "head": r.head, "phone": r.phone} for r in result.rows],
        created_at=ctx.now, expires_at=ctx.now + drafts.DRAFT_TTL)
    ctx.session.add(rows)
    await ctx.session.flush()
    draft = await drafts.put(ctx.session, village_id=ctx.village.id,
                             person_id=ctx.person.id or 0, kind=IMPORT_KIND, ref_id=rows.id,
                             payload={}, now=ctx.now)
    lines = [ctx.t("import-summary", added=len(added), changed=len(changed), same=len(same),
                   untouched=len(existing) - len(changed) - len(same))]
    lines += [ctx.t("import-add-line", hamlet=r.hamlet, head=r.head) for r in added[:10]]
    lines += [ctx.t("import-change-line", n=h.number, head=h.head_name, old=h.phone or "-",
                    new=r.phone) for r, h in changed[:10]]
    lines.append(ctx.t("import-confirm-hint", n=draft.number,
                       until=drafts.expires_text(draft, ctx.services.settings.tz)))
    buttons: tuple[tuple[Button, ...], ...] = ()
    if ctx.messenger.capabilities.buttons:
        buttons = ((Button(ctx.t("import-button-ok"), f"hoimp:ok:{rows.id}"),
                    Button(ctx.t("import-button-cancel"), f"hoimp:no:{rows.id}")),)
    await ctx.reply("\n".join(lines), title=ctx.t("import-title", count=len(result.rows)),
                    buttons=buttons)


async def _pending_import(ctx: Context, *, import_id: int | None = None
                          ) -> drafts.PendingDraft | None:
    """The person's pending import draft (of one file, or the latest), else say there is none."""
    draft = None
    if import_id is not None:
        draft = await drafts.by_ref(ctx.session, kind=IMPORT_KIND, ref_id=import_id)
        if draft is not None and draft.person_id != ctx.person.id:
            draft = None
        if draft is not None:
            draft = await drafts.find(ctx.session, person_id=ctx.person.id or 0, now=ctx.now,
                                      draft_id=draft.id)
    else:
        draft = await drafts.find(ctx.session, person_id=ctx.person.id or 0, now=ctx.now,
                                  kind=IMPORT_KIND)
    if draft is None:
        await ctx.say("import-no-draft")
    return draft


async def _confirm_import(ctx: Context, rest: str, import_id: int | None = None) -> None:
    """``/ho xacnhan`` (kept beside the shared ``/xacnhan``)."""
    draft = await _pending_import(ctx, import_id=import_id)
    if draft is not None:
        await confirming.confirm(ctx, draft)


async def _cancel_import(ctx: Context, rest: str, import_id: int | None = None) -> None:
    """``/ho huy`` (kept beside the shared ``/huy``)."""
    draft = await _pending_import(ctx, import_id=import_id)
    if draft is not None:
        await confirming.drop(ctx, draft)


async def _apply_import(ctx: Context, draft: drafts.PendingDraft) -> None:
    """``/xacnhan`` of an import: add and update the households the preview showed."""
    stored = await ctx.session.get(HouseholdImport, draft.ref_id or 0)
    if stored is None or stored.status != "draft":
        await ctx.say("import-no-draft")
        return
    existing = await hq.households(ctx.session, stored.village_id)
    rows = [Row(0, r["hamlet"], r["head"], r["phone"]) for r in stored.rows]
    added, changed, _same = _preview_rows(rows, existing)
    for row in added:
        await hq.add(ctx.session, village_id=stored.village_id, hamlet=row.hamlet,
                     head=row.head, phone=row.phone, now=ctx.now)
    for row, home in changed:
        home.phone, home.updated_at = row.phone, ctx.now
        ctx.session.add(home)
    stored.status = "applied"
    ctx.session.add(stored)
    await repo.audit(ctx.session, now=ctx.now, action="ho-nhap", person_id=ctx.person.id,
                     village_id=stored.village_id,
                     detail=f"+{len(added)} ~{len(changed)} of {len(rows)}")
    await ctx.say("import-done", added=len(added), changed=len(changed))


async def _drop_import(ctx: Context, draft: drafts.PendingDraft) -> None:
    stored = await ctx.session.get(HouseholdImport, draft.ref_id or 0)
    if stored is not None and stored.status == "draft":
        stored.status = "cancelled"
        ctx.session.add(stored)
    await repo.audit(ctx.session, now=ctx.now, action="ho-nhap-huy", person_id=ctx.person.id,
                     village_id=draft.village_id, detail=f"#{draft.number}")
    await ctx.say("import-cancelled")


router.draft(IMPORT_KIND, confirm=_apply_import, drop=_drop_import)


@router.on_button("hoimp", role=Role.OFFICIAL)
async def import_button(ctx: Context) -> None:
    """The import preview's Apply / Cancel buttons (``hoimp:ok:<import id>``): the same as
    ``/xacnhan`` / ``/huy`` of that preview's draft."""
    parts = (ctx.msg.button or "").split(":")
    if ctx.msg.callback_id:
        await ctx.messenger.answer_button(ctx.msg.callback_id)
    import_id = parse_number(parts[2]) if len(parts) > 2 else None
    if import_id is None:
        return
    if parts[1] == "ok":
        await _confirm_import(ctx, "", import_id)
    else:
        await _cancel_import(ctx, "", import_id)


# ---------------------------------------------------------------- reach


MEETING_WORDS = {"hop", "cuochop", "meeting"}


@router.command("chuanhan", role=Role.OFFICIAL, help_key="help-chuanhan",
                usage_key="usage-chuanhan")
async def not_reached(ctx: Context) -> None:
    """``/chuanhan <n> [trang]``: households no member of received (then read) notice n;
    ``/chuanhan hop <n> [trang]``: the same for meeting n (read = answered /thamdu, /vang)."""
    if not await _private(ctx):
        return
    village = ctx.village
    if village is None or village.id is None:
        await ctx.say("error-no-village")
        return
    words = ctx.args.split()
    meeting = bool(words) and fold(words[0]) in MEETING_WORDS
    if meeting:
        words = words[1:]
    number = parse_number(words[0]) if words else None
    if number is None:
        await ctx.say("usage-chuanhan")
        return
    page = parse_number(words[1]) if len(words) == 2 else (1 if len(words) == 1 else None)
    if page is None:  # no word is ignored: "/chuanhan 3 abc" is asked, not read as page 1
        await ctx.say("usage-chuanhan")
        return
    page = max(1, page)
    if meeting:
        found = await hq.meeting_of_village(ctx.session, village.id, number)
        if found is None:
            await ctx.say("chuanhan-no-meeting", n=number)
            return
        reach = await hq.meeting_reach(ctx.session, found)
    else:
        notice = await hq.notice_of_village(ctx.session, village.id, number)
        if notice is None or notice.sent_at is None:
            await ctx.say("chuanhan-no-notice", n=number)
            return
        reach = await hq.notice_reach(ctx.session, village.id, notice)
    homes = await hq.households(ctx.session, village.id)
    if not homes:
        await ctx.say("ho-empty")
        return
    missing = [h for h in homes if h.id not in reach.reached]
    unread = [h for h in homes if h.id in reach.reached and h.id not in reach.read]
    ordered = [(h, "chuanhan-not-reached") for h in missing] + [
        (h, "chuanhan-not-read") for h in unread]
    pages = max(1, (len(ordered) + PAGE - 1) // PAGE)
    page = min(page, pages)
    suffix = "-meeting" if meeting else ""
    lines = [_summary(ctx.t, reach, meeting=meeting)]
    hamlet = None
    for home, key in ordered[(page - 1) * PAGE: page * PAGE]:
        if key == "chuanhan-not-reached" and fold(home.hamlet) != hamlet:
            hamlet = fold(home.hamlet)
            lines.append(ctx.t("chuanhan-hamlet", hamlet=home.hamlet))
        if key == "chuanhan-not-read" and hamlet != "\x00read":
            hamlet = "\x00read"
            lines.append(ctx.t("chuanhan-read-header" + suffix))
        lines.append(ctx.t(key, n=home.number, head=home.head_name, hamlet=home.hamlet,
                           phone=home.phone or "-"))
    if not ordered:
        lines.append(ctx.t("chuanhan-all" + suffix))
    if page < pages:
        lines.append(ctx.t("chuanhan-more" + suffix, n=number, next=page + 1))
    await ctx.reply("\n".join(lines), title=ctx.t("chuanhan-title" + suffix, n=number,
                                                  page=page, pages=pages))


def _summary(t: Callable[..., str], reach: hq.Reach, *, meeting: bool) -> str:
    """"96/125 hộ đã nhận, 71 hộ đã xem." (a meeting: "… đã trả lời")."""
    return t("reach-summary-meeting" if meeting else "reach-summary",
             reached=len(reach.reached), total=reach.total, read=len(reach.read))


@router.reach
async def reach_line(session: AsyncSession, services: Services, query: ReachQuery
                     ) -> list[str]:
    """The reach line of a notice or a meeting, when its village keeps a household list.

    Counts only (no names, no phones): it may be read in a group.
    """
    if query.kind == ANNOUNCE_KIND:
        notice = await session.get(Notice, db_id(query.ref_id))
        if notice is None or notice.village_id is None or notice.sent_at is None:
            return []
        reach = await hq.notice_reach(session, notice.village_id, notice)
    elif query.kind in hq.MEETING_KINDS:
        found = await session.get(Meeting, db_id(query.ref_id))
        if found is None:
            return []
        reach = await hq.meeting_reach(session, found)
    else:
        return []
    if not reach.total:
        return []

    def t(key: str, **args: Any) -> str:
        return services.i18n.t(query.locale, key, **args)

    return [_summary(t, reach, meeting=query.kind != ANNOUNCE_KIND)]
