"""Resident reports on PostgreSQL: migration 0010, stable numbers, the reminder claim."""

from __future__ import annotations

from tests.conftest_pg import pg_harness_factory, pg_url  # noqa: F401
from tests.test_reports import _round, open_dms, reports, settle, wait_reminders


async def test_report_flow_on_postgresql(pg_harness_factory) -> None:  # noqa: F811
    h = await pg_harness_factory("telegram")
    await open_dms(h, "official", "resident")
    before = len(h.sent("dm", user="official"))
    for n, text in ((1, "Cống tắc xóm 1"), (2, "Đèn đường xóm 2 tắt")):
        texts = await h.say(f"/phananh {text}", user="resident", chat="group1")
        assert f"phản ánh số {n}" in texts[0], texts
    await settle(h, "dm", before + 2, user="official")
    await h.clock.advance(3 * 86400)
    await _round(h)
    (digest,) = await wait_reminders(h, 1)
    assert "2 phản ánh quá 3 ngày" in digest, digest
    done = await h.say("/xong 2 Đã thay bóng", user="official", chat="dm")
    assert "đã xử lý xong" in done[0]
    assert [(r.number, r.status) for r in await reports(h)] == [(1, "new"), (2, "done")]
