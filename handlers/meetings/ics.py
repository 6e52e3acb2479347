"""A village's meetings as an iCalendar (RFC 5545) feed, built with the ``icalendar`` library.

The library does the escaping (commas, semicolons, newlines), CRLF line endings and folding at
75 octets; UTC datetimes come out as ``…Z``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from handlers.meetings.models import MEETING_CANCELLED, Meeting

PRODID = "-//villagebot//lich-hop//VI"
DEFAULT_LENGTH = timedelta(hours=1, minutes=30)


def meeting_uid(meeting: Meeting, host: str) -> str:
    """A UID that never changes for a meeting (moves keep it; SEQUENCE tells them apart)."""
    return f"meeting-{meeting.id}@{host}"


def build_calendar(
    meetings: list[Meeting], *, name: str, host: str, summary_default: str
) -> bytes:
    """The VCALENDAR bytes for ``meetings`` (cancelled ones carry STATUS:CANCELLED)."""
    from icalendar import Calendar, Event  # on the first feed request, not at start-up

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    for meeting in meetings:
        start = meeting.starts_at.astimezone(UTC)
        event = Event()
        event.add("uid", meeting_uid(meeting, host))
        event.add("dtstamp", meeting.updated_at.astimezone(UTC))
        event.add("dtstart", start)
        event.add("dtend", start + DEFAULT_LENGTH)
        event.add("sequence", meeting.version - 1)
        event.add("summary", meeting.topic or summary_default)
        if meeting.place:
            event.add("location", meeting.place)
        event.add("status", "CANCELLED" if meeting.status == MEETING_CANCELLED else "CONFIRMED")
        cal.add_component(event)
    return bytes(cal.to_ical())


def feed_window_start(now: datetime) -> datetime:
    """Meetings older than this are left out of the feed."""
    return now - timedelta(days=90)
