"""How workflow moves, transfers and calendar edits change a complaint's clocks.

The complaint is filed Mon 5 Jan 2026 10:00 WITA under a policy of 1 working
day to respond (Tue(1): due Tue 6 Jan 16:00) and 3 working days to resolve
(Tue(1), Wed(2), Thu(3): due Thu 8 Jan 16:00). Office hours are Mon-Thu
08:00-16:00 and Fri 08:00-16:30.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from shared.sla.calendar import WorkCalendar, always_open_calendar
from shared.sla.clocks import ClockStateError
from shared.sla.lifecycle import Clocks, apply_effect, next_alert_at, recompute_clocks, start_clocks, transfer_clocks
from shared.sla.policy import PolicySnapshot
from shared.sla.targets import SlaTarget, SlaUnit
from shared.timeutil import NaiveDatetimeError
from shared.workflow import Actor, ComplaintStatus, SlaEffect, find_transition

WITA = ZoneInfo("Asia/Makassar")
OFFICE = WorkCalendar(code="office")
ALWAYS = always_open_calendar()
POLICY = PolicySnapshot(
    policy_id="p1",
    version=1,
    agency_code="DLH",
    category_code=None,
    response=SlaTarget(1, SlaUnit.WORKING_DAYS),
    resolution=SlaTarget(3, SlaUnit.WORKING_DAYS),
    calendar_code="office",
)
URGENT_POLICY = PolicySnapshot(
    policy_id="p9",
    version=2,
    agency_code="DAMKAR",
    category_code="kebakaran",
    response=SlaTarget(2, SlaUnit.HOURS),
    resolution=SlaTarget(1, SlaUnit.DAYS),
    calendar_code="24x7",
)


def wita(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WITA)


def filed() -> Clocks:
    return start_clocks(OFFICE, POLICY, wita(2026, 1, 5, 10))


def apply(clocks: Clocks, effect: SlaEffect, at: datetime) -> Clocks:
    return apply_effect(OFFICE, POLICY, clocks, effect, at)


def test_start_both_clocks() -> None:
    clocks = filed()

    assert clocks.response.due_at == wita(2026, 1, 6, 16)
    assert clocks.resolution.due_at == wita(2026, 1, 8, 16)
    assert (clocks.response.cycle, clocks.resolution.cycle) == (1, 1)
    assert clocks["response"] is clocks.response
    assert clocks["resolution"] is clocks.resolution


def test_respond_stops_response_only() -> None:
    # Verified Mon 11:00: one working hour after filing.
    clocks = apply(filed(), SlaEffect.RESPOND, wita(2026, 1, 5, 11))

    assert clocks.response.stopped_at == wita(2026, 1, 5, 11)
    assert clocks.response.outcome == "responded"
    assert clocks.response.working_minutes == 60
    assert clocks.response.met is True
    assert clocks.resolution.is_running


def test_later_actions_keep_first_response() -> None:
    first = apply(filed(), SlaEffect.RESPOND, wita(2026, 1, 5, 11))

    again = apply(first, SlaEffect.RESPOND, wita(2026, 1, 6, 9))

    assert again.response == first.response


def test_reject_stops_both() -> None:
    # Rejected Mon 12:00: the rejection is the response (120 min) and ends
    # the resolution clock.
    clocks = apply(filed(), SlaEffect.REJECT, wita(2026, 1, 5, 12))

    assert clocks.response.outcome == "responded"
    assert clocks.response.working_minutes == 120
    assert clocks.resolution.outcome == "rejected"
    assert clocks.resolution.stopped_at == wita(2026, 1, 5, 12)


def test_pause_resume_moves_resolution_due() -> None:
    # Paused Tue 10:00, resumed Wed 09:00: Tue 10-16 (6 h) + Wed 08-09 (1 h)
    # = 7 working hours, so due moves from Thu 16:00 to Fri 08:00 + 7 h = Fri 15:00.
    clocks = apply(filed(), SlaEffect.RESPOND, wita(2026, 1, 5, 11))

    paused = apply(clocks, SlaEffect.PAUSE, wita(2026, 1, 6, 10))
    resumed = apply(paused, SlaEffect.RESUME, wita(2026, 1, 7, 9))

    assert paused.resolution.is_paused
    assert resumed.resolution.is_running
    assert resumed.resolution.due_at == wita(2026, 1, 9, 15)
    assert resumed.response == clocks.response


def test_pause_stopped_resolution_rejected() -> None:
    rejected = apply(filed(), SlaEffect.REJECT, wita(2026, 1, 5, 12))

    with pytest.raises(ClockStateError):
        apply(rejected, SlaEffect.PAUSE, wita(2026, 1, 5, 13))


def test_resolve_stops_resolution() -> None:
    clocks = apply(filed(), SlaEffect.RESPOND, wita(2026, 1, 5, 11))

    resolved = apply(clocks, SlaEffect.RESOLVE, wita(2026, 1, 7, 10))

    assert resolved.resolution.outcome == "resolved"
    assert resolved.resolution.met is True
    # Mon 6 h + Tue 8 h + Wed 2 h = 16 h = 960 min.
    assert resolved.resolution.working_minutes == 960
    assert resolved.response == clocks.response


def test_resolve_also_answers() -> None:
    resolved = apply(filed(), SlaEffect.RESOLVE, wita(2026, 1, 5, 15))

    assert resolved.response.outcome == "responded"
    assert resolved.resolution.outcome == "resolved"


def test_reopen_starts_new_resolution_cycle() -> None:
    # Resolved Wed 10:00, reopened Thu 8 Jan 11:00: cycle 2 gets the full
    # 3 working days from the reopening: Fri(1), Mon 12(2), Tue 13(3) -> 16:00.
    clocks = apply(filed(), SlaEffect.RESPOND, wita(2026, 1, 5, 11))
    resolved = apply(clocks, SlaEffect.RESOLVE, wita(2026, 1, 7, 10))
    resolved = resolved.replace_clock(resolved.resolution.with_alerted("warn-50"))

    reopened = apply(resolved, SlaEffect.REOPEN_RESOLUTION, wita(2026, 1, 8, 11))

    assert reopened.resolution.cycle == 2
    assert reopened.resolution.started_at == wita(2026, 1, 8, 11)
    assert reopened.resolution.due_at == wita(2026, 1, 13, 16)
    assert reopened.resolution.is_running
    assert reopened.resolution.alerted == ()
    assert reopened.response == resolved.response


def test_admin_reopen_starts_both_cycles() -> None:
    # Rejected Mon 12:00, reopened by an administrator Wed 7 Jan 09:00:
    # response Thu(1) -> Thu 8 Jan 16:00; resolution Thu(1), Fri(2), Mon(3) -> Mon 12 Jan 16:00.
    rejected = apply(filed(), SlaEffect.REJECT, wita(2026, 1, 5, 12))

    reopened = apply(rejected, SlaEffect.REOPEN_ALL, wita(2026, 1, 7, 9))

    assert (reopened.response.cycle, reopened.resolution.cycle) == (2, 2)
    assert reopened.response.due_at == wita(2026, 1, 8, 16)
    assert reopened.resolution.due_at == wita(2026, 1, 12, 16)
    assert reopened.response.is_running
    assert reopened.resolution.is_running


def test_transfer_restarts_under_new_policy() -> None:
    # Transferred Mon 15:00 to a 24x7 policy of 2 hours to respond and 1 day
    # to resolve: due Mon 17:00 and Tue 15:00, in cycle 2.
    transferred = transfer_clocks(ALWAYS, URGENT_POLICY, filed(), wita(2026, 1, 5, 15))

    assert (transferred.response.cycle, transferred.resolution.cycle) == (2, 2)
    assert transferred.response.target == SlaTarget(2, SlaUnit.HOURS)
    assert transferred.response.started_at == wita(2026, 1, 5, 15)
    assert transferred.response.due_at == wita(2026, 1, 5, 17)
    assert transferred.resolution.due_at == wita(2026, 1, 6, 15)

    again = transfer_clocks(OFFICE, POLICY, transferred, wita(2026, 1, 5, 16))
    assert (again.response.cycle, again.resolution.cycle) == (3, 3)
    # Back to 1 working day from Monday: Tue 16:00.
    assert again.response.due_at == wita(2026, 1, 6, 16)


def test_close_cancels_what_runs() -> None:
    resolved = apply(apply(filed(), SlaEffect.RESPOND, wita(2026, 1, 5, 11)), SlaEffect.RESOLVE, wita(2026, 1, 6, 10))

    closed = apply(resolved, SlaEffect.CLOSE, wita(2026, 1, 13, 16))
    cancelled = apply(filed(), SlaEffect.CLOSE, wita(2026, 1, 5, 11))

    assert closed == resolved
    assert cancelled.response.outcome == "cancelled"
    assert cancelled.resolution.outcome == "cancelled"


def test_no_effect_changes_nothing() -> None:
    clocks = filed()

    assert apply(clocks, SlaEffect.NONE, wita(2026, 1, 5, 12)) == clocks


def test_recompute_after_day_off_added() -> None:
    # Wed 7 Jan declared off after filing: the stopped response clock stays as it
    # was; the resolution becomes Tue(1), Thu(2), Fri(3) -> Fri 9 Jan 16:30.
    clocks = apply(filed(), SlaEffect.RESPOND, wita(2026, 1, 5, 11))
    edited = OFFICE.with_days_off(added=[date(2026, 1, 7)])

    recomputed = recompute_clocks(edited, clocks)

    assert recomputed.response == clocks.response
    assert recomputed.resolution.due_at == wita(2026, 1, 9, 16, 30)


def test_recompute_after_holiday_removed() -> None:
    # Filed Fri 14 Aug 2026 10:00: 1 working day to respond skips Mon 17 Aug
    # -> Tue 18 Aug 16:00. With 17 Aug made a working day: Mon 17 Aug 16:00.
    clocks = start_clocks(OFFICE, POLICY, wita(2026, 8, 14, 10))
    edited = OFFICE.with_days_off(removed=[date(2026, 8, 17)])

    recomputed = recompute_clocks(edited, clocks)

    assert clocks.response.due_at == wita(2026, 8, 18, 16)
    assert recomputed.response.due_at == wita(2026, 8, 17, 16)


def test_recompute_keeps_stopped_clocks() -> None:
    rejected = apply(filed(), SlaEffect.REJECT, wita(2026, 1, 5, 12))
    edited = OFFICE.with_days_off(added=[date(2026, 1, 6)])

    assert recompute_clocks(edited, rejected) == rejected


def test_next_alert_at_earliest_clock() -> None:
    # Response budget: Mon 10-16 (6 h) + Tue (8 h) = 14 h; warn-50 at 7 h ->
    # Tue 09:00. Resolution budget: 6 + 8 + 8 + 8 = 30 h; warn-50 at 15 h ->
    # Wed 09:00. The earlier one comes first; once responded, the other.
    clocks = filed()
    answered = apply(clocks, SlaEffect.RESPOND, wita(2026, 1, 5, 11))
    resolved = apply(answered, SlaEffect.RESOLVE, wita(2026, 1, 6, 10))

    assert next_alert_at(OFFICE, POLICY, clocks) == wita(2026, 1, 6, 9)
    assert next_alert_at(OFFICE, POLICY, answered) == wita(2026, 1, 7, 9)
    assert next_alert_at(OFFICE, POLICY, resolved) is None


def test_clocks_document_round_trip() -> None:
    clocks = apply(apply(filed(), SlaEffect.RESPOND, wita(2026, 1, 5, 11)), SlaEffect.PAUSE, wita(2026, 1, 6, 10))

    assert Clocks.from_doc(clocks.to_doc()) == clocks


def test_workflow_drives_clocks() -> None:
    # One complaint through the table, each move applying its row's effect.
    # Filed Mon 10:00, verified Mon 11:00, in progress Mon 13:00, waiting for
    # the reporter Tue 10:00 to Wed 09:00 (7 h paused: due Fri 15:00),
    # resolved Thu 10:00, reopened by the reporter Fri 9 Jan 09:00 (new
    # cycle: Mon 12(1), Tue(2), Wed 14(3) -> Wed 14 Jan 16:00), resolved
    # again Mon 12 Jan 10:00, confirmed closed by the reporter.
    steps = [
        (ComplaintStatus.VERIFIED, Actor.OFFICIAL, wita(2026, 1, 5, 11)),
        (ComplaintStatus.IN_PROGRESS, Actor.OFFICIAL, wita(2026, 1, 5, 13)),
        (ComplaintStatus.WAITING_FOR_REPORTER, Actor.OFFICIAL, wita(2026, 1, 6, 10)),
        (ComplaintStatus.IN_PROGRESS, Actor.REPORTER, wita(2026, 1, 7, 9)),
        (ComplaintStatus.RESOLVED, Actor.OFFICIAL, wita(2026, 1, 8, 10)),
        (ComplaintStatus.IN_PROGRESS, Actor.REPORTER, wita(2026, 1, 9, 9)),
        (ComplaintStatus.RESOLVED, Actor.OFFICIAL, wita(2026, 1, 12, 10)),
        (ComplaintStatus.CLOSED, Actor.REPORTER, wita(2026, 1, 12, 11)),
    ]
    status = ComplaintStatus.SUBMITTED
    clocks = filed()
    history: list[Clocks] = []

    for target, actor, at in steps:
        transition = find_transition(status, target, actor)
        clocks = apply(clocks, transition.effect, at)
        status = target
        history.append(clocks)

    first_cycle = history[4].resolution
    assert history[3].resolution.due_at == wita(2026, 1, 9, 15)
    assert first_cycle.outcome == "resolved"
    # Mon 6 + Tue 8 + Wed 8 + Thu 2 working hours, minus 7 paused = 17 h.
    assert first_cycle.working_minutes == 17 * 60
    assert history[5].resolution.cycle == 2
    assert history[5].resolution.due_at == wita(2026, 1, 14, 16)
    assert clocks.resolution.cycle == 2
    assert clocks.resolution.outcome == "resolved"
    # Fri 08:00-16:30 minus 08:00-09:00, + Mon 08-10: 7.5 + 2 = 9.5 h.
    assert clocks.resolution.working_minutes == 9.5 * 60
    assert clocks.response.cycle == 1
    assert clocks.response.working_minutes == 60
    assert status is ComplaintStatus.CLOSED
    assert clocks.resolution.stopped_at == wita(2026, 1, 12, 10)
    assert clocks.resolution.due_at - clocks.resolution.started_at == timedelta(days=5, hours=7)


@pytest.mark.parametrize("effect", [SlaEffect.RESPOND, SlaEffect.REJECT, SlaEffect.PAUSE, SlaEffect.RESOLVE, SlaEffect.CLOSE, SlaEffect.REOPEN_ALL])
def test_naive_instant_rejected(effect: SlaEffect) -> None:
    with pytest.raises(NaiveDatetimeError, match="2026-01-05T11:00:00 has no UTC offset"):
        apply(filed(), effect, datetime(2026, 1, 5, 11))


def test_naive_transfer_rejected() -> None:
    with pytest.raises(NaiveDatetimeError, match="has no UTC offset"):
        transfer_clocks(ALWAYS, URGENT_POLICY, filed(), datetime(2026, 1, 5, 15))
