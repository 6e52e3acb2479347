"""Meeting texts (announcement, list item, reminder) built from locale keys, per chat language."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from bot.core.messenger import Button, OutMessage
from bot.text.lunar import format_lunar
from bot.text.timeparse import VN_TZ, format_when
from handlers.meetings.models import Meeting

Translate = Callable[..., str]  # t(key, **args) already bound to one locale


def rsvp_buttons(t: Translate, meeting_id: int, yes: int, no: int) -> tuple[tuple[Button, ...]]:
    """The "Tham dự (n)" / "Vắng (n)" row."""
    return ((Button(t("meeting-btn-yes", n=yes), f"rsvp:yes:{meeting_id}"),
             Button(t("meeting-btn-no", n=no), f"rsvp:no:{meeting_id}")),)


def when_with_lunar(t: Translate, locale: str, starts_at: datetime) -> str:
    """ "Thứ Bảy, 20/02/2027 lúc 19:00 (Rằm tháng Giêng)": both calendars."""
    local_day = starts_at.astimezone(VN_TZ).date()
    return t("when-lunar", when=format_when(starts_at, locale),
             lunar=format_lunar(local_day, locale))


def meeting_fields(t: Translate, locale: str, meeting: Meeting) -> list[str]:
    """Time, place and topic lines."""
    lines = [t("meeting-field-when", when=when_with_lunar(t, locale, meeting.starts_at))]
    if meeting.place:
        lines.append(t("meeting-field-place", place=meeting.place))
    if meeting.topic:
        lines.append(t("meeting-field-topic", topic=meeting.topic))
    return lines


def announcement(
    t: Translate, locale: str, meeting: Meeting, *, village: str, number: int | None,
    counts: tuple[int, int], buttons: bool,
) -> OutMessage:
    """A new meeting, with RSVP buttons where the platform has them, else the commands."""
    lines = meeting_fields(t, locale, meeting)
    yes, no = counts
    if number is not None:  # the stable number and the commands, also beside the buttons
        lines.append(t("meeting-rsvp-hint", n=number))
    return OutMessage(text="\n".join(lines), title=t("meeting-announce-title", village=village),
                      buttons=rsvp_buttons(t, meeting.id or 0, yes, no) if buttons else ())


def cancelled(t: Translate, locale: str, meeting: Meeting, *, village: str) -> OutMessage:
    """A cancelled meeting."""
    return OutMessage(
        text=t("meeting-cancelled-body", topic=meeting.topic or "-", place=meeting.place or "-",
               when=format_when(meeting.starts_at, locale), n=meeting.number or "-"),
        title=t("meeting-cancelled-title", village=village))


def moved(
    t: Translate, locale: str, meeting: Meeting, *, village: str, old: str, number: int | None,
    counts: tuple[int, int], buttons: bool,
) -> OutMessage:
    """A rescheduled meeting (``old`` is the previous start, already formatted)."""
    lines = [t("meeting-moved-body", topic=meeting.topic or "-", old=old,
               when=format_when(meeting.starts_at, locale))]
    lines += meeting_fields(t, locale, meeting)[1:]
    if number is not None:  # the stable number and the commands, also beside the buttons
        lines.append(t("meeting-rsvp-hint", n=number))
    yes, no = counts
    return OutMessage(text="\n".join(lines), title=t("meeting-moved-title", village=village),
                      buttons=rsvp_buttons(t, meeting.id or 0, yes, no) if buttons else ())


def duration(t: Translate, delta: timedelta) -> str:
    """``1 ngày 2 giờ``, ``15 phút``."""
    minutes = max(0, round(delta.total_seconds() / 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(t("dur-days", n=days))
    if hours:
        parts.append(t("dur-hours", n=hours))
    if mins or not parts:
        parts.append(t("dur-minutes", n=mins))
    return " ".join(parts)


def reminder(
    t: Translate, locale: str, meeting: Meeting, *, village: str, left: timedelta, late: bool,
    number: int | None, buttons: bool, counts: tuple[int, int],
) -> OutMessage:
    """A reminder, marked "(nhắc muộn)" when sent after a downtime."""
    lines = [t("reminder-left", left=duration(t, left))]
    lines += meeting_fields(t, locale, meeting)
    if number is not None:  # the stable number and the commands, also beside the buttons
        lines.append(t("meeting-rsvp-hint", n=number))
    title = t("reminder-title-late" if late else "reminder-title", village=village)
    yes, no = counts
    return OutMessage(text="\n".join(lines), title=title,
                      buttons=rsvp_buttons(t, meeting.id or 0, yes, no) if buttons else ())


def recurring(t: Translate, text: str, *, village: str, late: bool) -> OutMessage:
    """One occurrence of a recurring notice."""
    title = t("recurring-title-late" if late else "recurring-title", village=village)
    return OutMessage(text=text, title=title)
