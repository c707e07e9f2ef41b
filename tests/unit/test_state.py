"""A complaint's SLA state and elapsed ratio as read at a given instant.

The complaint is filed Mon 5 Jan 2026 10:00 WITA with a response target of
4 working hours (due Mon 14:00) and a resolution target of 2 working days
(Tue(1), Wed(2): due Wed 7 Jan 16:00). The resolution budget is Mon 10-16
(6 h) + Tue (8 h) + Wed (8 h) = 22 working hours.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from shared.sla.calendar import WorkCalendar
from shared.sla.clocks import SlaClock
from shared.sla.lifecycle import Clocks, record_response, start_clocks
from shared.sla.policy import PolicySnapshot
from shared.sla.state import SlaReading, SlaState, read_sla
from shared.sla.targets import SlaTarget, SlaUnit
from shared.timeutil import NaiveDatetimeError

WITA = ZoneInfo("Asia/Makassar")
OFFICE = WorkCalendar(code="office")
POLICY = PolicySnapshot(
    policy_id="p1",
    version=1,
    agency_code="DLH",
    category_code=None,
    response=SlaTarget(4, SlaUnit.WORKING_HOURS),
    resolution=SlaTarget(2, SlaUnit.WORKING_DAYS),
    calendar_code="office",
)


def wita(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WITA)


def filed() -> Clocks:
    return start_clocks(OFFICE, POLICY, wita(2026, 1, 5, 10))


def responded(at: datetime) -> Clocks:
    return record_response(OFFICE, filed(), at)


def with_resolution(clocks: Clocks, resolution: SlaClock) -> Clocks:
    return clocks.replace_clock(resolution)


def read(clocks: Clocks, now: datetime, policy: PolicySnapshot = POLICY) -> SlaReading:
    return read_sla(OFFICE, policy, {"response": clocks.response, "resolution": clocks.resolution}, now)


def test_due_instants() -> None:
    clocks = filed()

    assert clocks.response.due_at == wita(2026, 1, 5, 14)
    assert clocks.resolution.due_at == wita(2026, 1, 7, 16)
    assert clocks.resolution.total(OFFICE).total_seconds() == 22 * 3600


@pytest.mark.parametrize(
    ("now", "state", "ratio"),
    [
        # Mon 11:00: response 1/4, resolution 1/22; the higher one shows.
        (wita(2026, 1, 5, 11), SlaState.ON_TRACK, 0.25),
        # Mon 12:00: response 2/4 reaches the first warning (0.5).
        (wita(2026, 1, 5, 12), SlaState.AT_RISK, 0.5),
        # Mon 13:30: response 3.5/4.
        (wita(2026, 1, 5, 13, 30), SlaState.AT_RISK, 0.875),
        # Mon 14:00 exactly: due, not yet passed.
        (wita(2026, 1, 5, 14), SlaState.AT_RISK, 1.0),
        # Mon 14:30: response 4.5/4, past its due instant.
        (wita(2026, 1, 5, 14, 30), SlaState.BREACHED, 1.125),
    ],
)
def test_unanswered_complaint(now: datetime, state: SlaState, ratio: float) -> None:
    reading = read(filed(), now)

    assert reading.state is state
    assert reading.elapsed_ratio == pytest.approx(ratio)


@pytest.mark.parametrize(
    ("now", "state", "ratio"),
    [
        # Responded Mon 13:00, in time. Mon 15:00: resolution 5/22.
        (wita(2026, 1, 5, 15), SlaState.ON_TRACK, 5 / 22),
        # Tue 13:00: Mon 6 h + Tue 5 h = 11/22, the first warning.
        (wita(2026, 1, 6, 13), SlaState.AT_RISK, 0.5),
        # Wed 16:00: 22/22, due but not past.
        (wita(2026, 1, 7, 16), SlaState.AT_RISK, 1.0),
        # Wed 16:01: past due; no working time passed after closing, so 1.0.
        (wita(2026, 1, 7, 16, 1), SlaState.BREACHED, 1.0),
        # Thu 12:00: 26/22, not capped.
        (wita(2026, 1, 8, 12), SlaState.BREACHED, 26 / 22),
    ],
)
def test_answered_complaint(now: datetime, state: SlaState, ratio: float) -> None:
    reading = read(responded(wita(2026, 1, 5, 13)), now)

    assert reading.state is state
    assert reading.elapsed_ratio == pytest.approx(ratio)


def test_paused_state_and_ratio() -> None:
    # Paused Tue 10:00 with Mon 6 h + Tue 2 h = 8/22 worked; the ratio stays
    # there while paused, whatever the time.
    clocks = responded(wita(2026, 1, 5, 13))
    clocks = with_resolution(clocks, clocks.resolution.pause(wita(2026, 1, 6, 10)))

    for now in (wita(2026, 1, 6, 12), wita(2026, 1, 10, 9), wita(2026, 1, 20, 9)):
        reading = read(clocks, now)
        assert reading.state is SlaState.PAUSED
        assert reading.elapsed_ratio == pytest.approx(8 / 22)


def test_resumed_due_moves() -> None:
    # Paused Tue 10:00, resumed Tue 14:00: 4 working hours paused, so due
    # moves from Wed 16:00 to Thu 8 Jan 12:00. Tue 15:00: Mon 6 + Tue 7 - 4 = 9/22.
    clocks = responded(wita(2026, 1, 5, 13))
    resolution = clocks.resolution.pause(wita(2026, 1, 6, 10)).resume(OFFICE, wita(2026, 1, 6, 14))
    clocks = with_resolution(clocks, resolution)

    assert resolution.due_at == wita(2026, 1, 8, 12)
    assert read(clocks, wita(2026, 1, 6, 15)).state is SlaState.ON_TRACK
    assert read(clocks, wita(2026, 1, 6, 15)).elapsed_ratio == pytest.approx(9 / 22)
    # Wed 16:30 would have breached without the pause; now it is at risk.
    assert read(clocks, wita(2026, 1, 7, 16, 30)).state is SlaState.AT_RISK
    assert read(clocks, wita(2026, 1, 8, 12, 1)).state is SlaState.BREACHED


def test_paused_shown_before_breach() -> None:
    # The resolution clock passed its due (Wed 16:00) and was paused Thu 09:00.
    clocks = responded(wita(2026, 1, 5, 13))
    clocks = with_resolution(clocks, clocks.resolution.pause(wita(2026, 1, 8, 9)))

    assert read(clocks, wita(2026, 1, 8, 10)).state is SlaState.PAUSED


def test_met_after_resolution_in_time() -> None:
    # Responded Mon 13:00, resolved Wed 10:00 after a 4 h pause on Tuesday:
    # Mon 6 + Tue 8 + Wed 2 - 4 = 12/22, the final ratio.
    clocks = responded(wita(2026, 1, 5, 13))
    resolution = clocks.resolution.pause(wita(2026, 1, 6, 10)).resume(OFFICE, wita(2026, 1, 6, 14))
    resolution = resolution.stop(OFFICE, wita(2026, 1, 7, 10), "resolved")
    clocks = with_resolution(clocks, resolution)

    for now in (wita(2026, 1, 7, 11), wita(2026, 3, 1, 9)):
        reading = read(clocks, now)
        assert reading.state is SlaState.MET
        assert reading.elapsed_ratio == pytest.approx(12 / 22)


def test_late_response_stays_breached() -> None:
    # Responded Mon 15:00, an hour past due; resolved Tue 10:00 in time:
    # the response clock of this cycle breached, so the complaint did.
    clocks = responded(wita(2026, 1, 5, 15))
    clocks = with_resolution(clocks, clocks.resolution.stop(OFFICE, wita(2026, 1, 6, 10), "resolved"))

    reading = read(clocks, wita(2026, 1, 6, 11))

    assert reading.state is SlaState.BREACHED
    assert reading.elapsed_ratio == pytest.approx(8 / 22)


def test_late_resolution_breached() -> None:
    # Resolved Thu 09:00: Mon 6 + Tue 8 + Wed 8 + Thu 1 = 23/22.
    clocks = responded(wita(2026, 1, 5, 13))
    clocks = with_resolution(clocks, clocks.resolution.stop(OFFICE, wita(2026, 1, 8, 9), "resolved"))

    reading = read(clocks, wita(2026, 1, 8, 10))

    assert reading.state is SlaState.BREACHED
    assert reading.elapsed_ratio == pytest.approx(23 / 22)


def test_later_first_warning() -> None:
    # With warnings at 0.8 only, Mon 12:00 (response 0.5) is still on track.
    policy = PolicySnapshot(
        policy_id="p2",
        version=1,
        agency_code="DLH",
        category_code=None,
        response=POLICY.response,
        resolution=POLICY.resolution,
        calendar_code="office",
        warn_at=(0.8,),
    )

    assert read(filed(), wita(2026, 1, 5, 12), policy).state is SlaState.ON_TRACK
    assert read(filed(), wita(2026, 1, 5, 13, 30), policy).state is SlaState.AT_RISK


def test_naive_now_rejected() -> None:
    clocks = responded(wita(2026, 1, 5, 13))
    clocks = with_resolution(clocks, clocks.resolution.stop(OFFICE, wita(2026, 1, 6, 10), "resolved"))

    with pytest.raises(NaiveDatetimeError, match="now 2026-01-06T11:00:00 has no UTC offset"):
        read(clocks, datetime(2026, 1, 6, 11))
