"""Villages, chats and roles: /taothon, /ketnoi, /ngatketnoi, /dangky, /huydangky, /canbo,
/capquyen, /thuhoiquyen, /nhatky and the shared /caidat (with its ``quantri`` setting)."""

from __future__ import annotations

from bot.clock import to_local
from bot.core.context import Context
from bot.core.router import Role, Router
from bot.core.who import resolve_who
from bot.db import repo
from bot.db import villages as vl
from bot.db.models import OfficialRole, Person, Village
from bot.delivery.outbox import rebind_chat
from bot.i18n import format_moment
from bot.text.fold import fold
from bot.text.numbers import parse_number

router = Router("villages")

MAX_TITLE = 120
NHATKY_DEFAULT, NHATKY_MAX = 10, 50
DETAIL_CHARS = 160


# ---------------------------------------------------------------- small helpers


async def _village_list(ctx: Context) -> str:
    """``code (name), code (name)…`` of every village, or the 'no village yet' sentence."""
    villages = await vl.all_villages(ctx.session)
    if not villages:
        return ctx.t("villages-none-yet")
    return ", ".join(f"{v.code} ({v.name})" for v in villages)


async def _unknown_village(ctx: Context, code: str) -> None:
    await ctx.say("villages-unknown", code=code, codes=await _village_list(ctx))


async def _usage_with_codes(ctx: Context, usage_key: str) -> None:
    await ctx.reply(ctx.t(usage_key) + "\n" + ctx.t("villages-valid",
                                                     codes=await _village_list(ctx)))


def _person_label(person: Person | None) -> str:
    if person is None:
        return "-"
    return person.display_name or (f"@{person.username}" if person.username else
                                   f"{person.platform}:{person.external_id}")


def _place(ctx: Context, village: Village | None) -> str:
    return village.name if village is not None else ctx.t("villages-commune")


async def _audit(ctx: Context, action: str, detail: str, village_id: int | None) -> None:
    await repo.audit(ctx.session, now=ctx.now, action=action, person_id=ctx.person.id,
                     village_id=village_id, detail=detail)


# ---------------------------------------------------------------- villages and chats


@router.command("taothon", role=Role.ADMIN, help_key="help-taothon", usage_key="usage-taothon")
async def create_village(ctx: Context) -> None:
    """Create a village: ``/taothon <code> <village name>``."""
    parts = ctx.args.split(None, 1)
    if len(parts) < 2:
        await ctx.say("usage-taothon")
        return
    code = vl.normalize_code(parts[0])
    if code is None:
        await ctx.say("taothon-bad-code", code=parts[0])
        return
    name = " ".join(parts[1].split())[:200]
    village = await vl.create_village(ctx.session, code=code, name=name, now=ctx.now)
    if village is None:
        await ctx.say("taothon-exists", code=code)
        return
    await _audit(ctx, "taothon", f"{code} {name}", village.id)
    await ctx.say("taothon-done", code=code, name=name)


@router.command("ketnoi", role=Role.ADMIN, help_key="help-ketnoi", usage_key="usage-ketnoi",
                group_only=True)
async def link_chat(ctx: Context) -> None:
    """Link this group to a village, with optional tags: ``/ketnoi <code> [tag ...]``."""
    tokens = ctx.args.split()
    if not tokens:
        await _usage_with_codes(ctx, "usage-ketnoi")
        return
    village = await repo.village_by_code(ctx.session, tokens[0])
    if village is None:
        await _unknown_village(ctx, tokens[0])
        return
    tags, bad = vl.parse_tags(tokens[1:])
    if bad:
        await ctx.say("ketnoi-bad-tags", tags=" ".join(bad))
        return
    chat = ctx.chat
    previous = chat.village_id
    chat.village_id, chat.tags = village.id, ",".join(tags)
    chat.active, chat.inactive_reason = True, None
    # several bots on the platform: the group is served by the bot that got the command
    await rebind_chat(ctx.session, ctx.services, chat, ctx.msg.chat.bot)
    await _audit(ctx, "ketnoi", f"{chat.platform}:{chat.external_id} → {village.code}"
                 + (f" #{' #'.join(tags)}" if tags else ""), village.id)
    tag_text = ", ".join(tags) if tags else ctx.t("ketnoi-no-tags")
    if previous is not None and previous != village.id:
        old = await ctx.session.get(Village, previous)
        await ctx.say("ketnoi-moved", village=village.name, old=old.name if old else "-",
                      tags=tag_text)
    else:
        await ctx.say("ketnoi-done", village=village.name, tags=tag_text)


@router.command("ngatketnoi", role=Role.ADMIN, help_key="help-ngatketnoi", group_only=True)
async def unlink_chat(ctx: Context) -> None:
    """Unlink this group from its village."""
    chat = ctx.chat
    if chat.village_id is None:
        await ctx.say("ngatketnoi-not-linked")
        return
    village = await ctx.session.get(Village, chat.village_id)
    await _audit(ctx, "ngatketnoi", f"{chat.platform}:{chat.external_id} ✕ "
                 f"{village.code if village else chat.village_id}", chat.village_id)
    chat.village_id, chat.tags = None, ""
    await ctx.say("ngatketnoi-done", village=village.name if village else "-")


@router.command("dangky", help_key="help-dangky", usage_key="usage-dangky")
async def subscribe(ctx: Context) -> None:
    """Subscribe this private chat to a village: ``/dangky <village code>``."""
    if ctx.msg.chat.is_group:
        await ctx.say("dangky-group")
        return
    code = ctx.args.split()[0] if ctx.args.split() else ""
    if not code:
        await _usage_with_codes(ctx, "usage-dangky")
        return
    village = await repo.village_by_code(ctx.session, code)
    if village is None:
        await _unknown_village(ctx, code)
        return
    previous = ctx.chat.village_id
    if previous == village.id:
        await ctx.say("dangky-already", village=village.name)
        return
    ctx.chat.village_id, ctx.chat.active, ctx.chat.inactive_reason = village.id, True, None
    if previous is not None:
        old = await ctx.session.get(Village, previous)
        await ctx.say("dangky-moved", village=village.name, old=old.name if old else "-")
    else:
        await ctx.say("dangky-done", village=village.name)


@router.command("huydangky", help_key="help-huydangky")
async def unsubscribe(ctx: Context) -> None:
    """Stop this private chat's subscription."""
    if ctx.msg.chat.is_group:
        await ctx.say("dangky-group")
        return
    if ctx.chat.village_id is None:
        await ctx.say("huydangky-none")
        return
    village = await ctx.session.get(Village, ctx.chat.village_id)
    ctx.chat.village_id = None
    await ctx.say("huydangky-done", village=village.name if village else "-")


# ---------------------------------------------------------------- officials


@router.command("canbo", help_key="help-canbo")
async def officials(ctx: Context) -> None:
    """List a village's officials (and the commune's): ``/canbo [code]``.

    Titles and names are what a village's notice board shows, so everyone may read them; the
    platform ids and usernames (what ``/thuhoiquyen`` needs) only officials and admins see.
    """
    code = ctx.args.split()[0] if ctx.args.split() else ""
    village: Village | None
    if code and fold(code) == vl.COMMUNE:
        village = None
    elif code:
        village = await repo.village_by_code(ctx.session, code)
        if village is None:
            await _unknown_village(ctx, code)
            return
    elif ctx.village is not None:
        village = ctx.village
    else:
        await ctx.say("canbo-which", codes=await _village_list(ctx))
        return
    pairs = await vl.village_officials(ctx.session, village.id if village else None)
    if not pairs:
        await ctx.say("canbo-none", place=_place(ctx, village))
        return
    lines = [_official_line(ctx, role, person) for role, person in pairs]
    await ctx.reply("\n".join(lines), title=ctx.t("canbo-title", place=_place(ctx, village)))


def _official_line(ctx: Context, role: OfficialRole, person: Person) -> str:
    key = "canbo-line-commune" if role.village_id is None else "canbo-line"
    if ctx.is_admin or ctx.roles:
        name = _person_label(person)
    else:  # residents: the name only, never a platform id or username
        name = person.display_name or ctx.t("canbo-unnamed")
    return ctx.t(key, title=role.title, name=name)


@router.command("capquyen", role=Role.ADMIN, help_key="help-capquyen",
                usage_key="usage-capquyen")
async def grant(ctx: Context) -> None:
    """Grant an official role: ``/capquyen <who> <village code|xa> <title>``."""
    tokens = ctx.args.split()
    person, rest = await resolve_who(ctx, tokens)
    if person is None:
        if not (tokens and vl.parse_who(tokens[0])):
            await ctx.say("usage-capquyen")
        return
    if len(rest) < 2:
        await ctx.say("usage-capquyen")
        return
    village: Village | None = None
    if fold(rest[0]) != vl.COMMUNE:
        village = await repo.village_by_code(ctx.session, rest[0])
        if village is None:
            await _unknown_village(ctx, rest[0])
            return
    title = " ".join(rest[1:])[:MAX_TITLE]
    role, created = await vl.grant_role(
        ctx.session, person_id=person.id or 0, village_id=village.id if village else None,
        title=title, granted_by=ctx.person.id, now=ctx.now)
    await _audit(ctx, "capquyen", f"{person.platform}:{person.external_id} "
                 f"{village.code if village else vl.COMMUNE} {title}", role.village_id)
    await ctx.say("capquyen-done" if created else "capquyen-updated",
                  name=_person_label(person), title=title, place=_place(ctx, village))


@router.command("thuhoiquyen", role=Role.ADMIN, help_key="help-thuhoiquyen",
                usage_key="usage-thuhoiquyen")
async def revoke(ctx: Context) -> None:
    """Revoke a person's roles: ``/thuhoiquyen <who> [village code|xa]``."""
    tokens = ctx.args.split()
    person, rest = await resolve_who(ctx, tokens)
    if person is None:
        if not (tokens and vl.parse_who(tokens[0])):
            await ctx.say("usage-thuhoiquyen")
        return
    only_place, village = False, None
    if rest:
        only_place = True
        if fold(rest[0]) != vl.COMMUNE:
            village = await repo.village_by_code(ctx.session, rest[0])
            if village is None:
                await _unknown_village(ctx, rest[0])
                return
    roles = await vl.revoke_roles(ctx.session, person_id=person.id or 0, now=ctx.now,
                                  village_id=village.id if village else None,
                                  only_place=only_place)
    if not roles:
        await ctx.say("thuhoiquyen-none", name=_person_label(person))
        return
    for vid in dict.fromkeys(r.village_id for r in roles):
        v = await ctx.session.get(Village, vid) if vid is not None else None
        await _audit(ctx, "thuhoiquyen", f"{person.platform}:{person.external_id} "
                     f"{v.code if v else vl.COMMUNE} "
                     + ", ".join(r.title for r in roles if r.village_id == vid), vid)
    await ctx.say("thuhoiquyen-done", name=_person_label(person),
                  titles=", ".join(r.title for r in roles))


@router.command("nhatky", role=Role.ADMIN, help_key="help-nhatky")
async def audit_log(ctx: Context) -> None:
    """Show the latest audit entries: ``/nhatky [n]``."""
    arg = ctx.args.split()[0] if ctx.args.split() else ""
    limit = parse_number(arg) or NHATKY_DEFAULT
    limit = max(1, min(limit, NHATKY_MAX))
    rows = await vl.recent_audit(ctx.session, limit=limit)
    if not rows:
        await ctx.say("nhatky-empty")
        return
    lines = []
    for entry, person, village in rows:
        detail = " ".join(entry.detail.split())
        if len(detail) > DETAIL_CHARS:
            detail = detail[:DETAIL_CHARS - 1] + "…"
        lines.append(ctx.t(
            "nhatky-line" if entry.allowed else "nhatky-line-refused",
            at=format_moment(to_local(entry.at), ctx.locale), name=_person_label(person),
            action=entry.action, village=village.code if village else "-", detail=detail))
    await ctx.reply("\n".join(lines), title=ctx.t("nhatky-title", count=len(rows)))


# ---------------------------------------------------------------- /caidat


def _caidat_key(word: str) -> str:
    return fold(word).replace(" ", "")


@router.command("caidat", role=Role.OFFICIAL, help_key="help-caidat")
async def settings_(ctx: Context) -> None:
    """Village settings: ``/caidat <name> ...``; each feature adds ``@router.setting``s."""
    parts = ctx.args.split(None, 1)
    table = ctx.services.commands
    handler = table.settings.get(_caidat_key(parts[0])) if parts else None
    if handler is None:
        lines = []
        for name in sorted(table.settings):
            key = f"caidat-{name}-help"
            lines.append(ctx.t(key) if ctx.services.i18n.has(key, ctx.locale)
                         else f"/caidat {name}")
        await ctx.reply("\n".join(lines), title=ctx.t("caidat-title"))
        return
    await handler(ctx, parts[1].strip() if len(parts) > 1 else "")


@router.setting("quantri")
async def caidat_quantri(ctx: Context, rest: str) -> None:
    """``/caidat quantri bat|tat``: Telegram group admins count as officials in this village."""
    village = ctx.village
    if village is None:
        await ctx.say("error-no-village")
        return
    if not ctx.is_official_of(village.id):  # stored roles only, never the hook itself
        await repo.audit(ctx.session, now=ctx.now, action="caidat", allowed=False,
                         person_id=ctx.person.id, village_id=village.id,
                         detail=f"quantri {rest}"[:500])
        await ctx.say("error-official-only")
        return
    value = vl.parse_switch(rest) if rest else None
    if value is None:
        current = vl.telegram_admins_are_officials(village)
        await ctx.say("caidat-quantri-status", village=village.name,
                      state=ctx.t("caidat-on" if current else "caidat-off"))
        return
    village.settings = {**(village.settings or {}), vl.SETTING_TG_ADMINS: value}
    ctx.session.add(village)
    await _audit(ctx, "caidat", f"quantri={'on' if value else 'off'}", village.id)
    await ctx.say("caidat-quantri-on" if value else "caidat-quantri-off", village=village.name)

