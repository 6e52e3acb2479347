"""Construction projects: /congtrinh, progress updates (#mã captions, /capnhat, albums),
/tiendo, /theodoi, /botheodoi, the donation ledger (/ungho, /danhsachungho), VietQR, and the
public village page (/v/<mã thôn>).

Platform reach: on Telegram a captioned photo that is not a command reaches the bot only when
privacy mode is off or the bot is a group admin; on Zalo a group message reaches it only when it
@mentions the bot or replies to it.  ``/capnhat`` (with or replying to a photo) works everywhere.
"""

from __future__ import annotations

import asyncio
import logging

from bot.core.context import Context
from bot.core.events import Attachment
from bot.core.messenger import Media
from bot.core.router import Role, Router
from bot.db import drafts, repo
from bot.db.models import Village
from bot.media import MediaError, MediaStore
from bot.qrimage import qr_png
from bot.text.command_vocab import NO_WORDS
from bot.text.fold import fold
from bot.text.money import format_vnd, parse_amount
from bot.text.numbers import parse_number
from handlers.projects import queries as projects_repo
from handlers.projects.media import (
    TIMELINE_MEDIA_UPDATES,
    KeepError,
    Kept,
    keep_attachment,
    page_url,
    post_album_later,
    post_update,
    private_chat_id,
    render_update,
)
from handlers.projects.models import Donation, ProgressUpdate, Project, UpdateMedia
from handlers.projects.page import percent_text
from handlers.projects.parse import (
    ACCOUNT_WORDS,
    CREATE_WORDS,
    BankPart,
    ParseError,
    UpdateArgs,
    normalize_code,
    parse_bank_part,
    parse_caption_tag,
    parse_create,
    parse_gift,
    parse_update,
)
from handlers.projects.vietqr import VietQRError, build_vietqr_payload, find_bank

log = logging.getLogger(__name__)

router = Router("projects")

LEDGER_PAGE_SIZE = 15
TIMELINE_LINES = 10
_TASKS: set[asyncio.Task[None]] = set()


# ---------------------------------------------------------------- shared helpers


async def _refuse(ctx: Context, action: str, village_id: int | None) -> None:
    """Audit a refused attempt and say why (the pipeline does the same for whole commands)."""
    await repo.audit(ctx.session, now=ctx.now, action=action, allowed=False,
                     person_id=ctx.person.id, village_id=village_id, detail=ctx.msg.text[:500])
    await ctx.say("error-official-only")


async def _codes_text(ctx: Context, village_id: int) -> str:
    projects = await projects_repo.projects_of(ctx.session, village_id=village_id)
    return ", ".join(p.code for p in projects) or ctx.t("projects-none-short")


async def _project(ctx: Context, text: str) -> Project | None:
    """The project named by ``text`` (``nvh`` or ``thanhbinh/nvh``), or answer why not."""
    village_part, _, code_part = text.strip().rpartition("/")
    code = normalize_code(code_part)
    village = ctx.village
    if village_part:
        village = await repo.village_by_code(ctx.session, village_part)
    if code is not None and village is not None:
        project = await projects_repo.project_by_code(ctx.session, village_id=village.id or 0,
                                                      code=code)
        if project is not None:
            return project
    elif code is not None and not village_part:
        found = await projects_repo.projects_with_code(ctx.session, code=code)
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            villages = [await ctx.session.get(Village, p.village_id) for p in found]
            await ctx.say("projects-ambiguous", code=code, examples=", ".join(
                f"{v.code}/{code}" for v in villages if v is not None))
            return None
    if village is None:
        await ctx.say("projects-unknown-anywhere", code=code_part.strip() or text.strip())
        return None
    await ctx.say("projects-unknown", code=code_part.strip() or text.strip(),
                  codes=await _codes_text(ctx, village.id or 0))
    return None


def _percent_of(total: int, target: int | None) -> str:
    """``12``, ``<1`` for a little above nothing (never ``0`` for 2 tr of 500 tr), ``-``."""
    return percent_text(total, target) or "-"


# ---------------------------------------------------------------- /congtrinh


@router.command("congtrinh", "cong_trinh", role=Role.OFFICIAL, help_key="help-congtrinh",
                usage_key="usage-congtrinh")
async def congtrinh(ctx: Context) -> None:
    """List the village's projects, create one (``tao``) or set its account (``taikhoan``)."""
    if ctx.village is None:
        await ctx.say("error-no-village")
        return
    word, _, rest = ctx.args.strip().partition(" ")
    folded = fold(word)
    if not word:
        await _list_projects(ctx, ctx.village)
    elif folded in CREATE_WORDS and not rest.strip():
        await _ask_step(ctx, FLOW_CREATE, [])
    elif folded in CREATE_WORDS:
        await _create(ctx, ctx.village, rest)
    elif folded in ACCOUNT_WORDS:
        await _set_account_cmd(ctx, ctx.village, rest)
    else:
        await ctx.say("usage-congtrinh")


async def _list_projects(ctx: Context, village: Village) -> None:
    projects = await projects_repo.projects_of(ctx.session, village_id=village.id or 0)
    if not projects:
        await ctx.say("projects-none", village=village.name)
        return
    totals = await projects_repo.totals_of(ctx.session, project_ids=[p.id or 0 for p in projects])
    lines = []
    for p in projects:
        account = ctx.t("projects-account-set") if p.bank_account else ctx.t(
            "projects-account-unset")
        lines.append(ctx.t("projects-list-line", code=p.code, name=p.name, percent=p.progress,
                           raised=format_vnd(totals.get(p.id or 0, 0), ctx.locale),
                           account=account))
    lines.append(ctx.t("projects-reach-note"))
    await ctx.reply("\n".join(lines), title=ctx.t("projects-list-title", village=village.name))


async def _create(ctx: Context, village: Village, text: str) -> None:
    try:
        args = parse_create(text)
    except ParseError as exc:
        await ctx.say(f"projects-create-{exc.code}")
        return
    if await projects_repo.project_by_code(ctx.session, village_id=village.id or 0,
                                           code=args.code):
        await ctx.say("projects-code-taken", code=args.code)
        return
    project = Project(village_id=village.id or 0, code=args.code, name=args.name,
                      budget_target=args.budget, created_by=ctx.person.id, created_at=ctx.now)
    if args.bank is not None and not await _apply_account(ctx, project, args.bank):
        return
    ctx.session.add(project)
    await ctx.session.flush()
    await repo.audit(ctx.session, now=ctx.now, action="congtrinh-tao", person_id=ctx.person.id,
                     village_id=village.id, detail=f"{args.code} {args.name} {args.budget}")
    if args.bank is not None:
        await _audit_account(ctx, project)
    budget = format_vnd(args.budget, ctx.locale) if args.budget else ctx.t("projects-no-budget")
    await ctx.say("projects-created", name=project.name, code=project.code, budget=budget,
                  account=_account_text(ctx, project))


async def _apply_account(ctx: Context, project: Project, bank_part: BankPart) -> bool:
    """Validate and set the account on ``project``; answer and return False when it is bad."""
    bank = find_bank(bank_part.bank)
    if bank is None:
        await ctx.say("projects-bad-bank", bank=bank_part.bank)
        return False
    try:
        build_vietqr_payload(bank.bin, bank_part.account)
    except VietQRError:
        await ctx.say("projects-bad-account", account=bank_part.account)
        return False
    project.bank_bin, project.bank_account = bank.bin, bank_part.account
    project.account_holder = bank_part.holder.upper()[:120]
    project.account_set_by, project.account_set_at = ctx.person.id, ctx.now
    return True


async def _audit_account(ctx: Context, project: Project) -> None:
    await repo.audit(ctx.session, now=ctx.now, action="congtrinh-taikhoan",
                     person_id=ctx.person.id, village_id=project.village_id,
                     detail=f"{project.code} {project.bank_bin} {project.bank_account} "
                            f"{project.account_holder}")


def _account_text(ctx: Context, project: Project) -> str:
    if not project.bank_bin:
        return ctx.t("projects-account-unset")
    bank = find_bank(project.bank_bin)
    return ctx.t("projects-account-line", bank=bank.short_name if bank else project.bank_bin,
                 account=project.bank_account or "", holder=project.account_holder or "")


async def _set_account_cmd(ctx: Context, village: Village, text: str) -> None:
    code_text, sep, bank_text = text.partition("|")
    bank_part = parse_bank_part(bank_text) if sep else None
    if not code_text.strip() or bank_part is None:
        await ctx.say("usage-congtrinh")
        return
    project = await _project(ctx, code_text)
    if project is None:
        return
    if project.village_id != village.id or not ctx.is_official_of(project.village_id):
        await _refuse(ctx, "congtrinh-taikhoan", project.village_id)
        return
    if await _apply_account(ctx, project, bank_part):
        await _audit_account(ctx, project)
        await ctx.say("projects-account-saved", name=project.name,
                      account=_account_text(ctx, project))


# ---------------------------------------------------------------- progress updates


@router.command("capnhat", "cap_nhat", role=Role.OFFICIAL, help_key="help-capnhat",
                usage_key="usage-capnhat")
async def capnhat(ctx: Context) -> None:
    """``/capnhat <code> [40%] <text>`` with photos, replying to a photo, or text only."""
    try:
        parsed = parse_update(ctx.args)
    except ParseError:
        await ctx.say("projects-bad-percent")
        return
    if parsed is None and not ctx.args.strip() and not ctx.msg.attachments and (
            ctx.village is not None):
        await _ask_step(ctx, FLOW_UPDATE, [])
        return
    if parsed is None:
        await ctx.say("usage-capnhat")
        return
    attachments = ctx.msg.attachments
    if not attachments and ctx.msg.reply_to is not None:
        attachments = ctx.msg.reply_to.attachments
    if not attachments and not parsed.text and parsed.percent is None:
        await ctx.say("usage-capnhat")
        return
    await _new_update(ctx, parsed, attachments)


@router.on_message(groups=True)
async def captioned_photo(ctx: Context) -> bool:
    """A photo captioned ``#nvh …`` (or a later part of an album that started one)."""
    msg = ctx.msg
    if not msg.attachments or ctx.village is None:
        return False
    try:
        parsed = parse_caption_tag(msg.text) if msg.text else None
    except ParseError:
        if not ctx.is_official_of(ctx.village.id):
            return False
        await ctx.say("projects-bad-percent")
        return True
    if parsed is None:
        return await _album_part(ctx) if msg.album_id else False
    code = normalize_code(parsed.code)
    known = code is not None and await projects_repo.project_by_code(
        ctx.session, village_id=ctx.village.id or 0, code=code) is not None
    if not known and not ctx.is_official_of(ctx.village.id):
        return False  # a resident's own hashtag: not for us
    await _new_update(ctx, parsed, msg.attachments)
    return True


def _album_key(ctx: Context) -> str | None:
    if not ctx.msg.album_id:
        return None
    return f"{ctx.msg.platform.value}:{ctx.msg.chat.id}:{ctx.msg.album_id}"


async def _keep_all(ctx: Context, attachments: tuple[Attachment, ...]) -> list[Kept] | None:
    """Store every attachment now, or answer why not (and keep nothing)."""
    store: MediaStore = ctx.services.media
    limit = ctx.services.settings.max_photo_bytes
    kept: list[Kept] = []
    for att in attachments:
        try:
            kept.append(await keep_attachment(ctx.messenger, store, att, limit))
        except KeepError as exc:
            await ctx.say(f"projects-media-{exc.code}", mb=limit // (1024 * 1024))
            return None
    return kept


def _add_media(ctx: Context, update_id: int, kept: list[Kept], caption: str) -> None:
    for item in kept:
        ctx.session.add(UpdateMedia(update_id=update_id, name=item.name, kind=item.kind,
                                    file_id=item.file_id, caption=caption[:1000],
                                    created_at=ctx.now))


async def _new_update(
    ctx: Context, parsed: UpdateArgs, attachments: tuple[Attachment, ...]
) -> None:
    village = ctx.village
    if village is None:
        await ctx.say("error-no-village")
        return
    if not ctx.is_official_of(village.id):
        await _refuse(ctx, "capnhat", village.id)
        return
    project = await _project(ctx, parsed.code)
    if project is None:
        return
    if project.village_id != village.id:
        await _refuse(ctx, "capnhat", project.village_id)
        return
    kept = await _keep_all(ctx, attachments)
    if kept is None:
        return
    album_key = _album_key(ctx)
    if album_key is not None:
        existing = await projects_repo.update_by_album(ctx.session, album_key=album_key)
        if existing is not None and existing.author_id == ctx.person.id:
            _add_media(ctx, existing.id or 0, kept, parsed.text)
            existing.text = existing.text or parsed.text
            return
    update = ProgressUpdate(project_id=project.id or 0, author_id=ctx.person.id,
                            text=parsed.text[:2000], percent=parsed.percent, created_at=ctx.now,
                            album_key=album_key, source_platform=ctx.msg.platform.value,
                            source_chat=ctx.msg.chat.id)
    ctx.session.add(update)
    await ctx.session.flush()
    _add_media(ctx, update.id or 0, kept, parsed.text)
    if parsed.percent is not None:
        project.progress = parsed.percent
    await repo.audit(ctx.session, now=ctx.now, action="capnhat", person_id=ctx.person.id,
                     village_id=village.id, detail=f"{project.code} {parsed.text}"[:500])
    if album_key is not None:
        task = asyncio.create_task(post_album_later(ctx.services, update.id or 0))
        _TASKS.add(task)
        task.add_done_callback(_TASKS.discard)
        await ctx.say("projects-update-saved-album", name=project.name)
        return
    count = await post_update(ctx.session, ctx.services, update.id or 0)
    await ctx.say("projects-update-saved", name=project.name, photos=len(kept), chats=count)


ALBUM_LOOKS = 15
ALBUM_LOOK_SECONDS = 0.2


async def _album_part(ctx: Context) -> bool:
    """Attach a caption-less album part to the update its first part created."""
    key = _album_key(ctx)
    if key is None:
        return False
    update = await projects_repo.update_by_album(ctx.session, album_key=key)
    if update is None and ctx.village is not None and ctx.is_official_of(ctx.village.id):
        update = await _await_first_part(ctx, key)
    if update is None or update.author_id != ctx.person.id:
        return False
    kept = await _keep_all(ctx, ctx.msg.attachments)
    if kept is not None:
        _add_media(ctx, update.id or 0, kept, "")
    return True


async def _await_first_part(ctx: Context, key: str) -> ProgressUpdate | None:
    """Behind a load balancer the album's first part may still be committing in another
    process (it downloads its photo first): look again for a few seconds.  In one process the
    chat's updates are handled in order, so the first look already finds it."""
    for _ in range(ALBUM_LOOKS):
        await ctx.session.commit()  # end the read transaction to see the other commit
        await ctx.services.clock.sleep(ALBUM_LOOK_SECONDS)
        update = await projects_repo.update_by_album(ctx.session, album_key=key)
        if update is not None:
            return update
    return None


# ---------------------------------------------------------------- /tiendo, follow


@router.command("tiendo", "tien_do", help_key="help-tiendo", usage_key="usage-tiendo")
async def tiendo(ctx: Context) -> None:
    """Projects with % and last update, or one project's timeline with its latest photos."""
    if ctx.args.strip():
        project = await _project(ctx, ctx.args.split()[0])
        if project is not None:
            await _timeline(ctx, project)
        return
    if ctx.village is None:
        await ctx.say("error-no-village")
        return
    projects = await projects_repo.projects_of(ctx.session, village_id=ctx.village.id or 0)
    if not projects:
        await ctx.say("projects-none", village=ctx.village.name)
        return
    ids = [p.id or 0 for p in projects]
    last = await projects_repo.last_update_times(ctx.session, project_ids=ids)
    lines = []
    for p in projects:
        when = last.get(p.id or 0)
        day = _day(when) if when else ctx.t("projects-never-updated")
        lines.append(ctx.t("projects-progress-line", code=p.code, name=p.name,
                           percent=p.progress, day=day))
    lines.append(ctx.t("projects-progress-hint", code=projects[0].code))
    await ctx.reply("\n".join(lines), title=ctx.t("projects-progress-title",
                                                   village=ctx.village.name))


def _day(value) -> str:  # type: ignore[no-untyped-def]
    from bot.clock import to_local

    return to_local(value).strftime("%d/%m/%Y")


async def _timeline(ctx: Context, project: Project) -> None:
    views = await projects_repo.timeline(ctx.session, project_id=project.id or 0,
                                         limit=TIMELINE_LINES)
    title = ctx.t("projects-timeline-title", name=project.name, percent=project.progress)
    if not views:
        await ctx.reply(ctx.t("projects-timeline-empty", code=project.code), title=title)
        return
    lines = [ctx.t("projects-timeline-line", day=_day(v.update.created_at),
                   percent=ctx.t("projects-timeline-percent", percent=v.update.percent)
                   if v.update.percent is not None else "",
                   text=v.update.text or "-",
                   photos=ctx.t("projects-timeline-photos", photos=len(v.media))
                   if v.media else "") for v in views]
    village = await ctx.session.get(Village, project.village_id)
    url = page_url(ctx.services, village) if village else None
    if url:
        lines.append(ctx.t("projects-page-link", url=url))
    await ctx.reply("\n".join(lines), title=title)
    with_media = [v for v in views if v.media][:TIMELINE_MEDIA_UPDATES]
    for view in reversed(with_media):
        out = render_update(ctx.services, ctx.chat, village=village or Village(
            code="", name="", created_at=ctx.now), project=project, update=view.update,
            media=view.media)
        await ctx.reply(out.text, title=out.title, media=out.media)


@router.command("theodoi", "theo_doi", help_key="help-theodoi", usage_key="usage-theodoi",
                private_only=True)
async def theodoi(ctx: Context) -> None:
    """Follow a project's updates in this private chat."""
    await _follow(ctx, active=True)


@router.command("botheodoi", "bo_theo_doi", help_key="help-botheodoi",
                usage_key="usage-theodoi", private_only=True)
async def botheodoi(ctx: Context) -> None:
    """Stop following (also: do not follow when a donation is recorded later)."""
    await _follow(ctx, active=False)


async def _follow(ctx: Context, *, active: bool) -> None:
    if not ctx.args.strip():
        await ctx.say("usage-theodoi")
        return
    project = await _project(ctx, ctx.args.split()[0])
    if project is None:
        return
    await projects_repo.set_follow(
        ctx.session, project_id=project.id or 0, platform=ctx.msg.platform.value,
        chat_external_id=ctx.msg.chat.id, person_id=ctx.person.id, active=active, now=ctx.now)
    await ctx.say("projects-followed" if active else "projects-unfollowed", name=project.name,
                  code=project.code)


# ---------------------------------------------------------------- ledger


@router.command("ungho", "ung_ho", help_key="help-ungho", usage_key="usage-ungho")
async def ungho(ctx: Context) -> None:
    """``/ungho <code>``: the VietQR code; officials: ``/ungho <code> <amount> <name>``."""
    code, _, rest = ctx.args.strip().partition(" ")
    if not code and ctx.village is not None and ctx.is_official_of(ctx.village.id):
        await _ask_step(ctx, FLOW_GIFT, [])
        return
    if not code:
        await ctx.say("usage-ungho")
        return
    project = await _project(ctx, code)
    if project is None:
        return
    if not rest.strip():
        await _send_qr(ctx, project)
        return
    if not ctx.is_official_of(project.village_id):
        await _refuse(ctx, "ungho", project.village_id)
        return
    await _record(ctx, project, rest)


async def _record(ctx: Context, project: Project, text: str) -> None:
    reply = ctx.msg.reply_to
    donor = reply.sender if reply is not None and not reply.from_this_bot else None
    try:
        try:
            gift = parse_gift(text)
        except ParseError as exc:
            if exc.code != "no-name" or donor is None or not donor.name:
                raise
            gift = parse_gift(f"{text} {donor.name}")
    except ParseError as exc:
        await ctx.say(f"projects-gift-{exc.code}", code=project.code)
        return
    if gift.amount < 0:
        await _correct(ctx, project, gift.amount, gift.name, gift.ref)
        return
    platform, external_id = gift.platform, gift.external_id
    if platform is None and donor is not None:
        platform, external_id = ctx.msg.platform.value, donor.id
    entry = Donation(project_id=project.id or 0, amount=gift.amount,
                     donor_name="" if gift.anonymous else gift.name, anonymous=gift.anonymous,
                     donor_platform=platform, donor_external_id=external_id,
                     recorded_by=ctx.person.id, created_at=ctx.now)
    ctx.session.add(entry)
    await ctx.session.flush()
    if platform and external_id:
        await projects_repo.set_follow(
            ctx.session, project_id=project.id or 0, platform=platform,
            chat_external_id=private_chat_id(ctx.services.capabilities(platform), external_id),
            person_id=None,
            active=True, now=ctx.now, keep_decline=True)
    await repo.audit(ctx.session, now=ctx.now, action="ungho", person_id=ctx.person.id,
                     village_id=project.village_id,
                     detail=f"{project.code} {gift.amount} {gift.name}"[:500])
    total = await projects_repo.ledger_total(ctx.session, project_id=project.id or 0)
    name = ctx.t("projects-anonymous") if gift.anonymous else gift.name
    await ctx.say("projects-gift-recorded", amount=format_vnd(gift.amount, ctx.locale),
                  donor=name, name=project.name, total=format_vnd(total, ctx.locale),
                  percent=_percent_of(total, project.budget_target), code=project.code)


async def _correct(
    ctx: Context, project: Project, amount: int, reason: str, ref: int | None
) -> None:
    """A correction: a new negative entry, linked to the entry it takes back when known."""
    lines = await projects_repo.ledger(ctx.session, project_id=project.id or 0)
    total = sum(line.donation.amount for line in lines)
    target: Donation | None = None
    if ref is not None:
        if not 1 <= ref <= len(lines) or lines[ref - 1].donation.amount <= 0:
            await ctx.say("projects-correction-bad-ref", ref=ref, code=project.code)
            return
        target = lines[ref - 1].donation
        left = target.amount - await projects_repo.reversed_amount(
            ctx.session, donation_id=target.id or 0)
        if -amount > left:
            await ctx.say("projects-correction-too-big", amount=format_vnd(-amount, ctx.locale),
                          left=format_vnd(left, ctx.locale))
            return
    else:
        for line in reversed(lines):
            d = line.donation
            if d.amount == -amount and await projects_repo.reversed_amount(
                    ctx.session, donation_id=d.id or 0) == 0:
                target = d
                break
    if total + amount < 0:
        await ctx.say("projects-correction-too-big", amount=format_vnd(-amount, ctx.locale),
                      left=format_vnd(total, ctx.locale))
        return
    entry = Donation(project_id=project.id or 0, amount=amount, note=reason[:500],
                     reverses_id=target.id if target else None, recorded_by=ctx.person.id,
                     created_at=ctx.now)
    ctx.session.add(entry)
    await ctx.session.flush()
    await repo.audit(ctx.session, now=ctx.now, action="ungho-dieuchinh", person_id=ctx.person.id,
                     village_id=project.village_id,
                     detail=f"{project.code} {amount} reverses={entry.reverses_id} {reason}"[:500])
    number = next((line.number for line in lines if target and line.donation.id == target.id),
                  None)
    await ctx.say("projects-correction-recorded", amount=format_vnd(amount, ctx.locale),
                  ref=number if number is not None else "-", reason=reason,
                  total=format_vnd(total + amount, ctx.locale),
                  percent=_percent_of(total + amount, project.budget_target))


@router.command("danhsachungho", "ds_ungho", "dsungho", help_key="help-danhsachungho",
                usage_key="usage-danhsachungho")
async def danhsachungho(ctx: Context) -> None:
    """The ledger with total and % of the target, paginated."""
    parts = ctx.args.split()
    if not parts:
        await ctx.say("usage-danhsachungho")
        return
    project = await _project(ctx, parts[0])
    if project is None:
        return
    page = (parse_number(parts[1]) if len(parts) > 1 else None) or 1
    lines = await projects_repo.ledger(ctx.session, project_id=project.id or 0)
    title = ctx.t("projects-ledger-title", name=project.name)
    if not lines:
        await ctx.reply(ctx.t("projects-ledger-empty", code=project.code), title=title)
        return
    pages = (len(lines) + LEDGER_PAGE_SIZE - 1) // LEDGER_PAGE_SIZE
    if not 1 <= page <= pages:
        await ctx.say("projects-page-out", pages=pages, code=project.code)
        return
    chunk = lines[(page - 1) * LEDGER_PAGE_SIZE: page * LEDGER_PAGE_SIZE]
    body = [_ledger_line(ctx, line) for line in chunk]
    total = sum(line.donation.amount for line in lines)
    body.append(ctx.t("projects-ledger-total", total=format_vnd(total, ctx.locale),
                      count=sum(1 for line in lines if line.donation.amount > 0)))
    if project.budget_target:
        body.append(ctx.t("projects-ledger-target",
                          target=format_vnd(project.budget_target, ctx.locale),
                          percent=_percent_of(total, project.budget_target)))
    if pages > 1:
        body.append(ctx.t("projects-ledger-page", page=page, pages=pages, code=project.code,
                          next=page % pages + 1))
    await ctx.reply("\n".join(body), title=title)


def _ledger_line(ctx: Context, line: projects_repo.LedgerLine) -> str:
    d = line.donation
    amount = format_vnd(d.amount, ctx.locale)
    if d.amount < 0:
        return ctx.t("projects-ledger-correction", n=line.number, day=_day(d.created_at),
                     amount=amount, ref=line.reverses_number or "-", reason=d.note)
    name = ctx.t("projects-anonymous") if d.anonymous else d.donor_name
    return ctx.t("projects-ledger-line", n=line.number, day=_day(d.created_at), name=name,
                 amount=amount)


async def _send_qr(ctx: Context, project: Project) -> None:
    """The project's VietQR image, only for an account an official of the village set."""
    admins = ctx.services.admins
    if not await projects_repo.account_trusted(ctx.session, project=project, admins=admins):
        await ctx.say("projects-qr-no-account", name=project.name)
        return
    assert project.bank_bin and project.bank_account
    bank = find_bank(project.bank_bin)
    memo = f"UNG HO {project.code.upper()}"
    payload = build_vietqr_payload(project.bank_bin, project.bank_account, None, memo)
    bank_name = bank.short_name if bank else project.bank_bin
    png = qr_png(payload, scale=8, caption_lines=[
        bank_name, project.bank_account, project.account_holder or "", memo])
    store: MediaStore = ctx.services.media
    text = ctx.t("projects-qr-text", name=project.name, bank=bank_name,
                 account=project.bank_account, holder=project.account_holder or "", memo=memo)
    try:
        stored = store.save_image(png)
    except MediaError:
        await ctx.reply(text)
        return
    base = ctx.services.settings.public_base_url
    if ctx.messenger.capabilities.photo_url_only:
        if not base:
            await ctx.reply(text + "\n" + ctx.t("projects-photo-no-url"))
            return
        media = Media(kind="photo", url=store.url(stored.name))
    else:
        media = Media(kind="photo", path=str(stored.path))
    await ctx.reply(text, media=(media,))


# ---------------------------------------------------------------- step by step

FLOW_CREATE = "ask-congtrinh"  # name, code, budget
FLOW_GIFT = "ask-ungho"  # project code, amount, donor name
FLOW_UPDATE = "ask-capnhat"  # project code, then the news (text and/or photos)
STEPS = {FLOW_CREATE: ("projects-ask-name", "projects-ask-code", "projects-ask-budget"),
         FLOW_GIFT: ("projects-ask-project", "projects-ask-amount", "projects-ask-donor"),
         FLOW_UPDATE: ("projects-ask-update-project", "projects-ask-update")}


async def _ask_step(ctx: Context, kind: str, answers: list[str]) -> None:
    """Store the answers so far and ask the next question (a ForceReply on Telegram)."""
    assert ctx.village is not None
    await drafts.ask(ctx.session, chat_id=ctx.chat.id or 0, person_id=ctx.person.id or 0,
                     village_id=ctx.village.id, kind=kind, payload={"answers": answers},
                     now=ctx.now)
    await ctx.reply(ctx.t(STEPS[kind][len(answers)]), force_reply=True)


async def _step_error(ctx: Context, kind: str, step: int, text: str) -> str | None:
    """Why this answer cannot be taken (a locale key), or None."""
    if kind == FLOW_CREATE and step == 1 and normalize_code(text) is None:
        return "projects-create-bad-code"
    if kind == FLOW_CREATE and step == 2 and fold(text) not in NO_WORDS and (
            (parse_amount(text) or 0) <= 0):
        return "projects-create-bad-budget"
    if kind in (FLOW_GIFT, FLOW_UPDATE) and step == 0:
        village_id = ctx.village.id if ctx.village is not None else None
        project = await projects_repo.project_by_code(
            ctx.session, village_id=village_id or 0, code=normalize_code(text) or "")
        return None if project is not None else "projects-ask-unknown"
    if kind == FLOW_GIFT and step == 1 and (parse_amount(text) or 0) == 0:
        return "projects-ask-bad-amount"
    return None


@router.on_message(groups=False)
async def step_answer(ctx: Context) -> bool:
    """An answer to this person's ``/congtrinh tao`` or ``/ungho`` questions."""
    if not (ctx.roles or ctx.is_admin) or ctx.person.id is None or ctx.msg.text.startswith("/"):
        return False
    flow = await drafts.asking(ctx.session, chat_id=ctx.chat.id, person_id=ctx.person.id,
                               now=ctx.now)
    if flow is None and ctx.msg.is_private:
        flow = await drafts.asking(ctx.session, chat_id=None, person_id=ctx.person.id,
                                   now=ctx.now)
    if flow is None or flow.kind not in STEPS or not ctx.is_official_of(flow.village_id):
        return False
    if ctx.village is None or ctx.village.id != flow.village_id:
        ctx.village = await ctx.session.get(Village, flow.village_id)
    assert ctx.village is not None
    text = ctx.msg.text.strip()
    answers = [str(a) for a in flow.payload.get("answers", [])]
    if flow.kind == FLOW_UPDATE and len(answers) == 1 and (text or ctx.msg.attachments):
        await drafts.end_question(ctx.session, flow)
        try:
            parsed = parse_update(f"{answers[0]} {text}")
        except ParseError:
            await ctx.say("projects-bad-percent")
            return True
        if parsed is not None:
            await _new_update(ctx, parsed, ctx.msg.attachments)
        return True
    error = await _step_error(ctx, flow.kind, len(answers), text) if text else None
    if not text or error:
        if error:
            await ctx.say(error, code=text)
        await ctx.reply(ctx.t(STEPS[flow.kind][len(answers)]), force_reply=True)
        return True
    answers.append(text)
    if len(answers) < len(STEPS[flow.kind]):
        await _ask_step(ctx, flow.kind, answers)
        return True
    await drafts.end_question(ctx.session, flow)
    if flow.kind == FLOW_CREATE:
        name, code, budget = answers
        budget = "" if fold(budget) in NO_WORDS else budget
        await _create(ctx, ctx.village, f"{name} | {code} | {budget}")
        return True
    project = await _project(ctx, answers[0])
    if project is not None:
        await _record(ctx, project, f"{answers[1]} {answers[2]}")
    return True


@router.stop_flow
async def stop_step(ctx: Context) -> bool:
    """``/huy`` ends unfinished ``/congtrinh tao`` or ``/ungho`` questions."""
    flow = await drafts.asking(ctx.session, chat_id=ctx.chat.id, person_id=ctx.person.id or 0,
                               now=ctx.now)
    if flow is None or flow.kind not in STEPS:
        return False
    await drafts.end_question(ctx.session, flow)
    return True
