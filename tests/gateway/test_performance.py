"""agencyPerformance: counts, met ratios, medians and p90 of working minutes, open breaches; public."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from shared.timeutil import clock
from tests.gateway.conftest import Gateway
from tests.gateway.documents import move, official_token, submit

WITA = ZoneInfo("Asia/Makassar")
MONDAY_9 = datetime(2026, 3, 2, 9, 0, tzinfo=WITA)

PERFORMANCE = """
query Performance($from: DateTime!, $to: DateTime!) {
  agencyPerformance(from: $from, to: $to) {
    agency { code }
    received responded resolved responseMetRatio resolutionMetRatio
    medianResponseMinutes p90ResponseMinutes medianResolutionMinutes p90ResolutionMinutes openBreached
  }
}
"""


async def test_performance_figures_per_agency(gateway: Gateway) -> None:
    # given: five DLH complaints on Monday 09:00; four get a response after 10, 20, 30 and 40 minutes
    clock.freeze(MONDAY_9)
    complaints = [await submit(gateway) for _ in range(5)]
    await submit(gateway, category="lampu-jalan")
    officer = official_token(gateway, "DLH")
    for minutes, complaint in zip((10, 20, 30, 40), complaints, strict=False):
        clock.freeze(MONDAY_9 + timedelta(minutes=minutes))
        await move(gateway, officer, complaint, "VERIFIED")
    # two resolved, after 60 and 120 working minutes
    for minutes, complaint in zip((60, 120), complaints, strict=False):
        clock.freeze(MONDAY_9 + timedelta(minutes=minutes))
        await move(gateway, officer, complaint, "IN_PROGRESS")
        await move(gateway, officer, complaint, "RESOLVED")
    # a week later, the rest are past their due instants
    clock.freeze(MONDAY_9 + timedelta(days=7))

    # when: an anonymous caller requests the figures
    body = await gateway.execute(PERFORMANCE, {"from": "2026-03-01T00:00:00+08:00", "to": "2026-04-01T00:00:00+08:00"})

    # then
    rows = {row["agency"]["code"]: row for row in body["data"]["agencyPerformance"]}
    assert len(rows) == 13
    assert rows["DLH"] == {
        "agency": {"code": "DLH"},
        "received": 5,
        "responded": 4,
        "resolved": 2,
        "responseMetRatio": 1.0,
        "resolutionMetRatio": 1.0,
        "medianResponseMinutes": 25.0,
        "p90ResponseMinutes": 40.0,
        "medianResolutionMinutes": 90.0,
        "p90ResolutionMinutes": 120.0,
        "openBreached": 3,
    }
    assert rows["DISHUB"]["received"] == 1
    assert rows["DISHUB"]["responseMetRatio"] is None
    assert rows["DISHUB"]["openBreached"] == 1
    assert rows["DAMKAR"]["received"] == 0
    assert rows["DAMKAR"]["medianResponseMinutes"] is None


async def test_performance_period_excludes_other_months(gateway: Gateway) -> None:
    clock.freeze(MONDAY_9)
    await submit(gateway)

    body = await gateway.execute(PERFORMANCE, {"from": "2026-02-01T00:00:00+08:00", "to": "2026-03-02T09:00:00+08:00"})

    rows = {row["agency"]["code"]: row for row in body["data"]["agencyPerformance"]}
    assert rows["DLH"]["received"] == 0


async def test_performance_rejects_empty_period(gateway: Gateway) -> None:
    body = await gateway.execute(PERFORMANCE, {"from": "2026-03-01T00:00:00+08:00", "to": "2026-03-01T00:00:00+08:00"})

    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
