"""/start, /trogiup (/help), /toi (/whoami), /ngonngu (/language)."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.router import Role, Router
from bot.i18n import SUPPORTED
from bot.text.command_vocab import HELP_WORDS

router = Router("basics")


@router.command("start", help_key="help-start")
async def start(ctx: Context) -> None:
    """Greet and say what the bot does."""
    await ctx.reply(ctx.t("start-body"), title=ctx.t("start-title"))


@router.command("trogiup", "help", help_key="help-help", words=HELP_WORDS)
async def help_(ctx: Context) -> None:
    """List the commands this person may use here, in this chat's language."""
    table = ctx.services.commands
    role = ctx.role
    sections: dict[Role, list[tuple[str, str]]] = {Role.RESIDENT: [], Role.OFFICIAL: [],
                                                   Role.ADMIN: []}
    for cmd in table.commands:
        if cmd.help_key is None or cmd.role > role:
            continue
        if cmd.private_only and not ctx.msg.is_private:
            continue
        sections[cmd.role].append((cmd.name, ctx.t(cmd.help_key)))
    titles = {Role.RESIDENT: "help-section-everyone", Role.OFFICIAL: "help-section-officials",
              Role.ADMIN: "help-section-admins"}

    def render(compact: set[Role]) -> str:
        parts = [ctx.t("help-intro")]
        for level, items in sections.items():
            if not items:
                continue
            body = (", ".join(f"/{name}" for name, _ in items) if level in compact
                    else "\n".join(f"/{name} — {text}" for name, text in items))
            parts.append(ctx.t(titles[level]) + "\n" + body)
        if compact:
            parts.append(ctx.t("help-compact-hint"))
        return "\n\n".join(parts)

    # one message even on Zalo (2,000 characters): officials' and admins' commands by name
    # only when the full list would not fit (each answers its own usage when typed alone)
    text = render(set())
    limit = ctx.messenger.capabilities.max_text - 200
    if len(text) > limit:
        text = render({Role.ADMIN})
    if len(text) > limit:
        text = render({Role.ADMIN, Role.OFFICIAL})
    await ctx.reply(text, title=ctx.t("help-title"))


@router.command("toi", "whoami", help_key="help-toi")
async def whoami(ctx: Context) -> None:
    """Show the sender's platform id and roles, so an admin can grant a role."""
    roles = [r.title for r in ctx.roles]
    if ctx.is_admin:
        roles.insert(0, ctx.t("role-admin"))
    await ctx.say("toi-body", platform=ctx.msg.platform.value, id=ctx.msg.sender.id,
                  name=ctx.msg.sender.name or "-",
                  roles=", ".join(roles) if roles else ctx.t("role-resident"),
                  village=ctx.village.name if ctx.village else ctx.t("toi-no-village"))


@router.command("ngonngu", "language", help_key="help-ngonngu", usage_key="usage-ngonngu")
async def language(ctx: Context) -> None:
    """Switch this chat's language (vi or en)."""
    choice = ctx.args.strip().lower()[:2]
    if choice not in SUPPORTED:
        await ctx.say("usage-ngonngu")
        return
    if ctx.chat.is_group and not (ctx.is_admin or ctx.roles):
        await ctx.say("error-official-only")
        return
    ctx.chat.locale = choice
    ctx.locale = choice
    await ctx.say("ngonngu-done")
