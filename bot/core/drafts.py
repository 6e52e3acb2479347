"""``/xacnhan`` and ``/huy`` of a stored draft: the one place that runs a feature's confirm or
drop function (registered with ``Router.draft``) and re-checks the confirming person's role.

The drafts themselves (rows, numbers, expiry) live in :mod:`bot.db.drafts`.
"""

from __future__ import annotations

from bot.core.context import Context
from bot.db import drafts, repo
from bot.db.drafts import PendingDraft


async def confirm(ctx: Context, draft: PendingDraft) -> None:
    """Run the draft's confirm function if the person is *still* allowed to send it.

    Roles are those of this update (read when it arrived), so an official whose role was
    revoked after the preview is refused (audited), and the draft stays unsent.
    """
    allowed = (ctx.is_commune_official if draft.village_id is None
               else ctx.is_official_of(draft.village_id))
    kind = ctx.services.commands.drafts.get(draft.kind)
    if not allowed or kind is None:
        await repo.audit(ctx.session, now=ctx.now, action="xacnhan", allowed=False,
                         person_id=ctx.person.id, village_id=draft.village_id,
                         detail=f"{draft.kind} #{draft.number}")
        await ctx.say("error-official-only" if kind is not None else "draft-none")
        return
    draft.status = drafts.CONFIRMED
    await ctx.session.flush()
    await kind.confirm(ctx, draft)


async def drop(ctx: Context, draft: PendingDraft) -> None:
    """Mark the draft dropped (and let its feature clean up and answer)."""
    draft.status = drafts.DROPPED
    await ctx.session.flush()
    kind = ctx.services.commands.drafts.get(draft.kind)
    if kind is not None and kind.drop is not None:
        await kind.drop(ctx, draft)
    else:
        await ctx.say("draft-dropped", n=draft.number)


async def stop_flows(ctx: Context) -> bool:
    """End the person's step-by-step questions in this chat; True when there was one."""
    stopped = False
    for hook in ctx.services.commands.flow_stops:
        stopped = await hook(ctx) or stopped
    return stopped
