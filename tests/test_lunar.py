"""The Vietnamese lunar calendar (lunar-vn, UTC+7) against published Vietnamese calendars."""

from __future__ import annotations

from datetime import date

import pytest

from bot.text.lunar import Lunar, format_lunar, next_lunar, to_lunar, to_solar


@pytest.mark.parametrize(("year", "tet"), [
    (2007, date(2007, 2, 17)),  # Vietnam; the Chinese calendar says 18/02
    (2030, date(2030, 2, 2)),  # Vietnam (new moon 23:07 UTC+7 on 02/02); China: 03/02
    (2026, date(2026, 2, 17)),
    (2027, date(2027, 2, 6)),
])
def test_tet(year: int, tet: date) -> None:
    assert to_solar(1, 1, year) == tet
    assert to_lunar(tet) == Lunar(1, 1, year)


def test_leap_months() -> None:
    # 2025: a leap 6th month (from 25/07/2025); 2023: a leap 2nd month (from 22/03/2023)
    assert to_lunar(date(2025, 7, 25)) == Lunar(1, 6, 2025, leap=True)
    assert to_lunar(date(2023, 3, 22)) == Lunar(1, 2, 2023, leap=True)
    assert to_solar(1, 6, 2024, leap=True) is None  # 2024 has no leap 6th month
    assert to_solar(15, 6, 2025) == date(2025, 7, 9)  # the regular month comes first


def test_format_lunar() -> None:
    assert format_lunar(date(2027, 2, 20)) == "Rằm tháng Giêng"
    assert format_lunar(date(2027, 4, 16)) == "mùng 10 tháng 3 âm lịch"
    assert format_lunar(date(2025, 8, 8)) == "Rằm tháng 6 nhuận âm lịch"
    assert format_lunar(date(2027, 2, 20), "en") == "15/1 lunar"


def test_next_lunar() -> None:
    assert next_lunar(15, 8, date(2026, 12, 2)) == date(2027, 9, 15)  # Trung thu 2027
    assert next_lunar(15, None, date(2026, 12, 2)) == date(2026, 12, 23)  # the next rằm


async def test_village_page_shows_both_dates(harness_factory) -> None:
    from datetime import UTC, datetime

    from bot.db import repo
    from handlers.meetings.models import Meeting

    h = await harness_factory("web")
    at = datetime(2027, 2, 20, 12, 0, tzinfo=UTC)  # 19:00 in Vietnam, Rằm tháng Giêng
    async with h.services.db.session() as s:
        village = await repo.village_by_code(s, "thanhbinh")
        assert village is not None and village.id is not None
        s.add(Meeting(village_id=village.id, starts_at=at, place="Nhà văn hóa", topic="Họp",
                      created_at=h.clock.now(), updated_at=h.clock.now()))
        await s.commit()
    http = await h.http()
    async with http.get(f"{h.base_url}/v/thanhbinh") as resp:
        page = await resp.text()
    assert "20/02/2027" in page and "Rằm tháng Giêng" in page
