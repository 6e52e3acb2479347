"""Project updates: keeping incoming photos/videos, rendering an update per chat, fanning out.

Incoming Zalo photo URLs expire, so every attachment is downloaded and stored at once.  An
update goes to every chat of the village and to followers' private chats through the outbox:
Telegram re-uses the file_id it gave us (or uploads the stored file), Zalo gets the public URL
(``PUBLIC_BASE_URL/media/<name>``) or, without one, the text and a note; a video becomes a link
to the public village page where the platform cannot receive videos.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.clock import to_local
from bot.core.events import Attachment, ChatRef, Platform
from bot.core.messenger import Capabilities, Media, Messenger, OutMessage, SendError, SendErrorKind
from bot.core.services import Services
from bot.db import repo
from bot.db.models import Chat, Village
from bot.db.villages import village_chats
from bot.delivery.outbox import fan_out
from bot.media import MediaError, MediaStore
from handlers.projects import queries as projects_repo
from handlers.projects.models import ProgressUpdate, Project, UpdateMedia

log = logging.getLogger(__name__)

ALBUM_WAIT_SECONDS = 2.0
"""How long after an album's first part the update is posted (the other parts arrive within)."""
TIMELINE_MEDIA_UPDATES = 3
"""How many of the latest updates /tiendo <mã> sends with their photos."""


@dataclass(frozen=True, slots=True)
class Kept:
    """An attachment the bot stored (``name`` None: a video too big to download)."""

    name: str | None
    kind: str
    file_id: str | None


class KeepError(Exception):
    """Why an attachment was refused: ``not-image``, ``too-big`` or ``download``."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def private_chat_id(caps: Capabilities, user_id: str) -> str:
    """The private chat id of a platform user (the web chat prefixes ``dm-``)."""
    return f"{caps.private_chat_prefix}{user_id}"


def check_attachment(att: Attachment, max_bytes: int) -> None:
    """Refuse before downloading what is clearly not a photo/video or too big."""
    limit = max_bytes * 5 if att.kind == "video" else max_bytes
    if att.size is not None and att.size > limit:
        raise KeepError("too-big")
    if att.kind == "document" and not (att.mime or "").startswith("image/"):
        raise KeepError("not-image")
    if att.kind not in ("photo", "video", "document"):
        raise KeepError("not-image")


async def keep_attachment(
    messenger: Messenger, store: MediaStore, att: Attachment, max_bytes: int
) -> Kept:
    """Download and store one attachment now; raise KeepError with a reason code."""
    check_attachment(att, max_bytes)
    reuses = messenger.capabilities.reuses_file_ids
    # Telegram strips EXIF from what it receives as a photo, not from a file sent as a document
    file_id = att.ref if reuses and att.kind != "document" else None
    if att.kind == "video":
        try:
            data = await messenger.download(att, max_bytes * 5)
            return Kept(store.save_video(data).name, "video", file_id)
        except (SendError, MediaError) as exc:
            if reuses:  # the platform keeps it for us (Telegram): re-send by file_id, link nothing
                log.info("video kept by file_id only: %s", exc)
                return Kept(None, "video", file_id)
            raise KeepError("too-big") from exc
    try:
        data = await messenger.download(att, max_bytes)
    except SendError as exc:
        raise KeepError("too-big" if exc.kind is SendErrorKind.BAD_REQUEST
                        else "download") from exc
    try:
        stored = store.save_image(data)
    except MediaError as exc:
        raise KeepError(exc.code if exc.code in ("not-image", "too-big") else "download") from exc
    await asyncio.to_thread(store.make_variants, stored.name)
    return Kept(stored.name, "photo", file_id)


def _local_day(value: datetime) -> str:
    return to_local(value).strftime("%d/%m/%Y")


def page_url(services: Services, village: Village) -> str | None:
    """The public page of a village, when PUBLIC_BASE_URL is set."""
    base = services.settings.public_base_url
    return f"{base}/v/{village.code}" if base else None


def render_update(
    services: Services, chat: Chat, *, village: Village, project: Project,
    update: ProgressUpdate, media: list[UpdateMedia],
) -> OutMessage:
    """One update as an OutMessage for ``chat`` (its language and platform)."""
    i18n = services.i18n
    locale = i18n.resolve(chat.locale or services.settings.default_locale)
    store: MediaStore = services.media
    base = services.settings.public_base_url
    messenger = services.messenger(chat.platform)
    url_only = messenger is None or messenger.capabilities.photo_url_only
    videos_ok = messenger is not None and messenger.capabilities.video
    out: list[Media] = []
    notes: list[str] = []
    link = f"{page_url(services, village)}#u{update.id}" if base else None
    for item in media:
        if item.kind == "video" and not videos_ok:
            notes.append(i18n.t(locale, "projects-video-link", url=link) if link
                         else i18n.t(locale, "projects-video-on-page"))
            continue
        if url_only:
            if item.name and base:
                out.append(Media(kind=item.kind, url=store.url(store.send_name(item.name))))
            elif item.name:
                notes.append(i18n.t(locale, "projects-photo-no-url"))
            continue
        reuses = messenger is not None and messenger.capabilities.reuses_file_ids
        file_id = item.file_id if reuses else None
        path = store.send_path(item.name) if item.name and not file_id else None
        if file_id or path:
            out.append(Media(kind=item.kind, file_id=file_id,
                             path=str(path) if path and not file_id else None))
    lines = [update.text] if update.text else []
    if update.percent is not None:
        lines.append(i18n.t(locale, "projects-update-percent", percent=update.percent))
    lines.append(i18n.t(locale, "projects-update-footer", day=_local_day(update.created_at),
                        code=project.code))
    lines.extend(dict.fromkeys(notes))
    title = i18n.t(locale, "projects-update-title", project=project.name, village=village.name)
    return OutMessage(text="\n".join(lines), title=title, media=tuple(out[:10]))


async def update_recipients(
    session: AsyncSession, services: Services, *, project: Project, update: ProgressUpdate,
) -> list[Chat]:
    """Every chat of the village (except where it was posted) and followers' private chats."""
    now = services.clock.now()
    chats: dict[tuple[str, str], Chat] = {}
    for chat in await village_chats(session, project.village_id):
        chats[(chat.platform, chat.external_id)] = chat
    for row in await projects_repo.active_followers(session, project_id=project.id or 0):
        key = (row.platform, row.chat_external_id)
        if key not in chats:
            ref = ChatRef(Platform(row.platform), row.chat_external_id, is_group=False)
            chat = await repo.upsert_chat(session, ref, now)
            if chat.active:
                chats[key] = chat
    chats.pop((update.source_platform or "", update.source_chat or ""), None)
    return list(chats.values())


async def post_update(session: AsyncSession, services: Services, update_id: int) -> int:
    """Queue an update for every recipient (once); return how many chats it goes to."""
    update = await session.get(ProgressUpdate, update_id)
    if update is None or update.posted:
        return 0
    project = await session.get(Project, update.project_id)
    village = await session.get(Village, project.village_id) if project else None
    if project is None or village is None:
        return 0
    media = await projects_repo.media_of(session, update_id=update_id)
    chats = await update_recipients(session, services, project=project, update=update)
    update.posted = True
    if chats:
        await fan_out(
            session, services, chats,
            lambda chat: render_update(services, chat, village=village, project=project,
                                       update=update, media=media),
            kind="project_update", ref_id=update_id, dedupe_key=f"project-update:{update_id}",
            author_id=update.author_id)
    return len(chats)


async def post_album_later(services: Services, update_id: int) -> None:
    """Wait for the album's other parts (on the injected clock), then post the update."""
    await services.clock.sleep(ALBUM_WAIT_SECONDS)
    try:
        async with services.db.session() as session:
            await post_update(session, services, update_id)
    except Exception:
        log.exception("posting album update %s failed", update_id)
