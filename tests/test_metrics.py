"""``/metrics``: Prometheus text that prometheus-client parses; protected off loopback."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


async def test_metrics_count_updates_sends_and_outbox(harness_factory) -> None:
    h = await harness_factory("telegram")
    await h.say("/thongbao Họp thôn tối nay lúc 19h30.", user="official", chat="group1")
    await h.say("/xacnhan", user="official", chat="group1")
    await h.services.outbox.quiet()
    http = await h.http()
    async with http.get(f"{h.base_url}/metrics") as resp:
        assert resp.status == 200
        assert resp.headers["Content-Type"].startswith("text/plain")
        samples = _samples(await resp.text())
    assert samples[("villagebot_updates_total",
                    (("outcome", "handled"), ("platform", "telegram")))] >= 2
    assert samples[("villagebot_handler_seconds_count", (("platform", "telegram"),))] >= 2
    assert samples[("villagebot_sends_total", (("platform", "telegram"), ("result", "ok")))] >= 2
    assert samples[("villagebot_outbox_rows", (("platform", "telegram"), ("status", "sent")))] >= 2
    assert samples[("villagebot_scheduler_leader", ())] == 1


async def test_metrics_need_a_token_off_loopback(harness_factory) -> None:
    h = await harness_factory("telegram", web_host="0.0.0.0")
    http = await h.http()
    async with http.get(f"{h.base_url}/metrics") as resp:
        assert resp.status == 404  # no token configured: not served at all
    h2 = await harness_factory("telegram", web_host="0.0.0.0", metrics_token="s3cret-scrape")
    async with http.get(f"{h2.base_url}/metrics") as resp:
        assert resp.status == 401
    async with http.get(f"{h2.base_url}/metrics",
                        headers={"Authorization": "Bearer wrong\xff"}) as resp:
        assert resp.status == 401
    async with http.get(f"{h2.base_url}/metrics",
                        headers={"Authorization": "Bearer s3cret-scrape"}) as resp:
        assert resp.status == 200
        assert "villagebot_updates_total" in await resp.text()
