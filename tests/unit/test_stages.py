"""Alert stages: warnings at 50/75/90 %, the breach, escalations after it.

Office hours are Mon-Thu 08:00-16:00 and Fri 08:00-16:30 WITA; 5 Jan 2026
is a Monday. Escalation delays count working days from the breach instant.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from shared.sla.calendar import WorkCalendar, always_open_calendar
from shared.sla.clocks import SlaClock
from shared.sla.policy import EscalationStep, PolicySnapshot
from shared.sla.stages import is_stage_due, next_threshold, pending_stages, stage_threshold, stages_of
from shared.sla.targets import SlaTarget, SlaUnit

WITA = ZoneInfo("Asia/Makassar")
OFFICE = WorkCalendar(code="office")
ALWAYS = always_open_calendar()

POLICY = PolicySnapshot(
    policy_id="p1",
    version=1,
    agency_code="DLH",
    category_code=None,
    response=SlaTarget(4, SlaUnit.WORKING_HOURS),
    resolution=SlaTarget(8, SlaUnit.WORKING_HOURS),
    calendar_code="office",
)


def wita(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WITA)


def resolution_from(calendar: WorkCalendar, start: datetime, hours: int = 8) -> SlaClock:
    return SlaClock.start(calendar, "resolution", 1, SlaTarget(hours, SlaUnit.WORKING_HOURS), start)


def thresholds(calendar: WorkCalendar, clock: SlaClock) -> dict[str, datetime]:
    return {stage.key: stage_threshold(calendar, POLICY, clock, stage) for stage in stages_of(POLICY)}


def test_default_stages() -> None:
    stages = stages_of(POLICY)

    assert [stage.key for stage in stages] == ["warn-50", "warn-75", "warn-90", "breach", "escalation-1", "escalation-2"]
    assert [stage.kind for stage in stages] == ["warning", "warning", "warning", "breach", "escalation", "escalation"]
    assert [stage.severity for stage in stages] == [0, 1, 2, 3, 4, 5]
    assert [stage.ratio for stage in stages] == [0.5, 0.75, 0.9, 1.0, None, None]
    assert [stage.role for stage in stages][3:] == ["supervisor", "head", "admin"]


def test_custom_warnings_sorted() -> None:
    policy = PolicySnapshot(
        policy_id="p2",
        version=1,
        agency_code="DLH",
        category_code=None,
        response=SlaTarget(1, SlaUnit.WORKING_DAYS),
        resolution=SlaTarget(3, SlaUnit.WORKING_DAYS),
        calendar_code="office",
        warn_at=(0.6, 0.25),
        escalation=(),
    )

    assert [stage.key for stage in stages_of(policy)] == ["warn-25", "warn-60", "breach"]


def test_thresholds_working_hours() -> None:
    # 8 working hours from Mon 10:00, due Tue 10:00.
    # warn-50: 4 h -> Mon 14:00; warn-75: 6 h -> Mon 16:00 (closing);
    # warn-90: 7.2 h -> Mon 6 h + Tue 1.2 h -> Tue 09:12; breach: Tue 10:00.
    # escalation-1: 1 working day after the breach's date (Tue) -> Wed 16:00.
    # escalation-2: Wed(1), Thu(2), Fri(3) -> Fri 9 Jan 16:30.
    clock = resolution_from(OFFICE, wita(2026, 1, 5, 10))

    assert thresholds(OFFICE, clock) == {
        "warn-50": wita(2026, 1, 5, 14),
        "warn-75": wita(2026, 1, 5, 16),
        "warn-90": wita(2026, 1, 6, 9, 12),
        "breach": wita(2026, 1, 6, 10),
        "escalation-1": wita(2026, 1, 7, 16),
        "escalation-2": wita(2026, 1, 9, 16, 30),
    }


def test_escalations_skip_holidays() -> None:
    # 4 working hours from Fri 14 Aug 2026 10:00 -> breach Fri 14:00.
    # escalation-1: Mon 17 Aug is Independence Day -> Tue 18 Aug 16:00.
    # escalation-2: Tue(1), Wed 19(2), Thu 20(3) -> Thu 20 Aug 16:00.
    clock = resolution_from(OFFICE, wita(2026, 8, 14, 10), hours=4)
    found = thresholds(OFFICE, clock)

    assert found["breach"] == wita(2026, 8, 14, 14)
    assert found["escalation-1"] == wita(2026, 8, 18, 16)
    assert found["escalation-2"] == wita(2026, 8, 20, 16)


def test_escalations_across_year_boundary() -> None:
    # 4 working hours from Thu 31 Dec 2026 10:00 -> breach Thu 14:00.
    # escalation-1: Fri 1 Jan New Year, weekend -> Mon 4 Jan 2027 16:00.
    # escalation-2: Mon 4(1), Tue 5 Jan is Isra' Mi'raj, Wed 6(2), Thu 7(3) -> 16:00.
    clock = resolution_from(OFFICE, wita(2026, 12, 31, 10), hours=4)
    found = thresholds(OFFICE, clock)

    assert found["breach"] == wita(2026, 12, 31, 14)
    assert found["escalation-1"] == wita(2027, 1, 4, 16)
    assert found["escalation-2"] == wita(2027, 1, 7, 16)


def test_escalations_always_open() -> None:
    # 24x7, 4 hours from Sat 10 Jan 22:00 -> breach Sun 02:00. The breach's
    # date is Sunday, so escalation-1 ends with Monday: Tue 00:00, and
    # escalation-2 with Wednesday: Thu 15 Jan 00:00.
    clock = resolution_from(ALWAYS, wita(2026, 1, 10, 22), hours=4)
    found = thresholds(ALWAYS, clock)

    assert found["warn-50"] == wita(2026, 1, 11, 0)
    assert found["breach"] == wita(2026, 1, 11, 2)
    assert found["escalation-1"] == wita(2026, 1, 13, 0)
    assert found["escalation-2"] == wita(2026, 1, 15, 0)


def test_next_threshold_walks_stages() -> None:
    clock = resolution_from(OFFICE, wita(2026, 1, 5, 10))
    expected = [
        ("warn-50", wita(2026, 1, 5, 14)),
        ("warn-75", wita(2026, 1, 5, 16)),
        ("warn-90", wita(2026, 1, 6, 9, 12)),
        ("breach", wita(2026, 1, 6, 10)),
        ("escalation-1", wita(2026, 1, 7, 16)),
        ("escalation-2", wita(2026, 1, 9, 16, 30)),
    ]

    for key, instant in expected:
        assert next_threshold(OFFICE, POLICY, clock) == instant
        assert pending_stages(POLICY, clock)[0].key == key
        clock = clock.with_alerted(key)

    assert pending_stages(POLICY, clock) == []
    assert next_threshold(OFFICE, POLICY, clock) is None


def test_next_threshold_after_skipped_stages() -> None:
    # After catching up, warn-50 and warn-75 are recorded as skipped with
    # warn-90: the breach comes next.
    clock = resolution_from(OFFICE, wita(2026, 1, 5, 10)).with_alerted("warn-50", "warn-75", "warn-90")

    assert next_threshold(OFFICE, POLICY, clock) == wita(2026, 1, 6, 10)


def test_next_threshold_after_pause() -> None:
    # 16 h from Thu 8 Jan 09:00, paused Fri 15:00 (14 h worked, 0.875) and
    # resumed Mon 10:00 with 3.5 h paused. warn-90 is at 14.4 h worked:
    # 0.4 h after the resume -> Mon 10:24. The breach is the new due, Mon 12:00.
    clock = resolution_from(OFFICE, wita(2026, 1, 8, 9), hours=16)
    clock = clock.with_alerted("warn-50", "warn-75")
    paused = clock.pause(wita(2026, 1, 9, 15))
    resumed = paused.resume(OFFICE, wita(2026, 1, 12, 10))

    assert next_threshold(OFFICE, POLICY, paused) is None
    assert next_threshold(OFFICE, POLICY, resumed) == wita(2026, 1, 12, 10, 24)
    assert next_threshold(OFFICE, POLICY, resumed.with_alerted("warn-90")) == wita(2026, 1, 12, 12)


def test_next_threshold_none_when_stopped() -> None:
    clock = resolution_from(OFFICE, wita(2026, 1, 5, 10)).stop(OFFICE, wita(2026, 1, 5, 11), "resolved")

    assert next_threshold(OFFICE, POLICY, clock) is None


@pytest.mark.parametrize(
    ("key", "before", "at"),
    [
        ("warn-50", wita(2026, 1, 5, 13, 59), wita(2026, 1, 5, 14)),
        ("warn-75", wita(2026, 1, 5, 15, 59), wita(2026, 1, 5, 16)),
        ("warn-90", wita(2026, 1, 6, 9, 11), wita(2026, 1, 6, 9, 12)),
        ("breach", wita(2026, 1, 6, 9, 59), wita(2026, 1, 6, 10)),
        ("escalation-1", wita(2026, 1, 7, 15, 59), wita(2026, 1, 7, 16)),
        ("escalation-2", wita(2026, 1, 9, 16, 29), wita(2026, 1, 9, 16, 30)),
    ],
)
def test_stage_due_from_its_instant(key: str, before: datetime, at: datetime) -> None:
    clock = resolution_from(OFFICE, wita(2026, 1, 5, 10))
    stage = next(stage for stage in stages_of(POLICY) if stage.key == key)

    assert not is_stage_due(OFFICE, POLICY, clock, stage, before)
    assert is_stage_due(OFFICE, POLICY, clock, stage, at)


def test_warning_not_due_overnight() -> None:
    # warn-75 comes at Monday's closing; warn-90 (Tue 09:12) does not come
    # during the night, because no working time passes.
    clock = resolution_from(OFFICE, wita(2026, 1, 5, 10))
    warn_90 = stages_of(POLICY)[2]

    assert not is_stage_due(OFFICE, POLICY, clock, warn_90, wita(2026, 1, 6, 7, 59))


def test_no_stage_due_while_paused() -> None:
    clock = resolution_from(OFFICE, wita(2026, 1, 5, 10)).pause(wita(2026, 1, 5, 11))

    for stage in stages_of(POLICY):
        assert not is_stage_due(OFFICE, POLICY, clock, stage, wita(2026, 1, 20, 12))


def test_escalation_delay_in_working_hours() -> None:
    # A policy whose single escalation comes 2 working hours after the
    # breach: breach Tue 10:00 -> escalation Tue 12:00.
    policy = PolicySnapshot(
        policy_id="p3",
        version=1,
        agency_code="DLH",
        category_code=None,
        response=SlaTarget(4, SlaUnit.WORKING_HOURS),
        resolution=SlaTarget(8, SlaUnit.WORKING_HOURS),
        calendar_code="office",
        escalation=(EscalationStep(SlaTarget(2, SlaUnit.WORKING_HOURS), "head"),),
    )
    clock = resolution_from(OFFICE, wita(2026, 1, 5, 10))
    escalation = stages_of(policy)[-1]

    assert stage_threshold(OFFICE, policy, clock, escalation) == wita(2026, 1, 6, 12)
