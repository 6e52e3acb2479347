"""Reports as messages: the officials' alert, the reporter's updates, the group's line, lists.

Every function renders for ONE chat (its language and platform): Telegram re-uses the file_id
it gave us, the web chat gets the stored file, Zalo the public URL (or a note without one).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.clock import to_local
from bot.core.messenger import Button, Media, OutMessage
from bot.core.services import Services
from bot.db.models import Chat, Person, Village
from handlers.reports.models import DOING, DONE, NEW, REJECTED, Report, ReportPhoto

T = Callable[..., str]
MAX_MEDIA = 10
STATUS_KEYS = {NEW: "reports-status-new", DOING: "reports-status-doing",
               DONE: "reports-status-done", REJECTED: "reports-status-rejected"}


def translator(services: Services, chat: Chat) -> T:
    """``t(key, **args)`` in the chat's language."""
    locale = services.i18n.resolve(chat.locale or services.settings.default_locale)
    return lambda key, **args: services.i18n.t(locale, key, **args)


def status_text(t: T, status: str) -> str:
    """The status in words."""
    return t(STATUS_KEYS.get(status, "reports-status-new"))


def age_text(t: T, since: datetime, now: datetime) -> str:
    """How long ago: "3 ngày", "5 giờ"."""
    if since.tzinfo is None:
        from datetime import UTC

        since = since.replace(tzinfo=UTC)
    delta = now - since
    if delta.days >= 1:
        return t("reports-age-days", days=delta.days)
    return t("reports-age-hours", hours=max(0, int(delta.total_seconds() // 3600)))


def day_text(value: datetime) -> str:
    """dd/mm/yyyy in Vietnam."""
    return to_local(value).strftime("%d/%m/%Y")


def place_text(t: T, report: Report) -> str:
    """The typed place, the xóm, or "—"."""
    return report.place or report.area or t("reports-no-place")


def map_link(report: Report) -> str | None:
    """A map link for a Telegram location."""
    if report.latitude is None or report.longitude is None:
        return None
    return f"https://maps.google.com/?q={report.latitude:.6f},{report.longitude:.6f}"


def photo_media(
    services: Services, chat: Chat, photos: list[ReportPhoto], t: T
) -> tuple[tuple[Media, ...], list[str]]:
    """The photos as Media for ``chat``, and notes for what cannot be sent there."""
    messenger = services.messenger(chat.platform)
    url_only = messenger is None or messenger.capabilities.photo_url_only
    base = services.settings.public_base_url
    store = services.media
    out: list[Media] = []
    notes: list[str] = []
    for photo in photos[:MAX_MEDIA]:
        if url_only:
            if base:
                out.append(Media(kind="photo", url=store.url(photo.name)))
            else:
                notes.append(t("reports-photo-no-url"))
            continue
        reuses = messenger is not None and messenger.capabilities.reuses_file_ids
        file_id = photo.file_id if reuses else None
        path = None if file_id else store.path(photo.name)
        if file_id or path:
            out.append(Media(kind="photo", file_id=file_id, path=str(path) if path else None))
    return tuple(out), list(dict.fromkeys(notes))


def _buttons(services: Services, chat: Chat, rows: tuple[tuple[Button, ...], ...]
             ) -> tuple[tuple[Button, ...], ...]:
    messenger = services.messenger(chat.platform)
    return rows if messenger is not None and messenger.capabilities.buttons else ()


def official_alert(
    services: Services, chat: Chat, *, report: Report, village: Village, reporter: Person,
    photos: list[ReportPhoto], source: str,
) -> OutMessage:
    """A new report, to an official's private chat, with what to do next."""
    t = translator(services, chat)
    media, notes = photo_media(services, chat, photos, t)
    lines = [report.text or t("reports-no-text"),
             t("reports-alert-place", place=place_text(t, report)),
             t("reports-alert-from", name=reporter.display_name or t("reports-someone"),
               source=source)]
    if link := map_link(report):
        lines.append(t("reports-alert-map", url=link))
    if photos:
        lines.append(t("reports-alert-photos", count=len(photos)))
    lines.extend(notes)
    lines.append(t("reports-alert-commands", n=report.number))
    buttons = _buttons(services, chat, ((
        Button(t("reports-button-doing"), f"rp:doing:{report.id}"),
        Button(t("reports-button-hide"), f"rp:hide:{report.id}")),))
    return OutMessage(text="\n".join(lines), media=media, buttons=buttons,
                      title=t("reports-alert-title", n=report.number, village=village.name))


def reporter_update(
    services: Services, chat: Chat, *, report: Report, village: Village,
    photos: list[ReportPhoto],
) -> OutMessage:
    """The reporter's news: in progress, done (with the result photo) or rejected."""
    t = translator(services, chat)
    media, notes = photo_media(services, chat, photos, t)
    key = {DOING: "reports-you-doing", DONE: "reports-you-done",
           REJECTED: "reports-you-rejected"}.get(report.status, "reports-you-doing")
    lines = [t(key, n=report.number, text=_short(report.text), village=village.name)]
    if report.note:
        lines.append(t("reports-you-note", note=report.note))
    lines.extend(notes)
    lines.append(t("reports-you-footer"))
    return OutMessage(text="\n".join(lines), media=media)


def group_done(services: Services, chat: Chat, *, report: Report) -> OutMessage:
    """The one short line the group where it was reported gets when it is done."""
    t = translator(services, chat)
    return OutMessage(text=t("reports-group-done", n=report.number, text=_short(report.text),
                             area=report.area or t("reports-no-place")))


def stale_digest(
    services: Services, chat: Chat, *, village: Village, reports: list[Report], now: datetime,
    days: int,
) -> OutMessage:
    """The daily reminder of the reports nobody acted on for ``days`` days."""
    t = translator(services, chat)
    lines = [t("reports-stale-line", n=r.number, age=age_text(t, r.acted_at, now),
               status=status_text(t, r.status), text=_short(r.text)) for r in reports]
    lines.append(t("reports-stale-footer", n=reports[0].number))
    return OutMessage(text="\n".join(lines), title=t(
        "reports-stale-title", count=len(reports), days=days, village=village.name))


def list_line(t: T, report: Report, now: datetime) -> str:
    """One line of the officials' list of open reports."""
    return t("reports-open-line", n=report.number, age=age_text(t, report.created_at, now),
             status=status_text(t, report.status), area=report.area or t("reports-no-place"),
             text=_short(report.text))


def mine_line(t: T, report: Report) -> str:
    """One line of a resident's own reports."""
    return t("reports-mine-line", n=report.number, day=day_text(report.created_at),
             status=status_text(t, report.status), text=_short(report.text))


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
