"""SLA clocks: due instants, pauses, elapsed ratios and stops, worked out by hand.

Office hours are Mon-Thu 08:00-16:00 and Fri 08:00-16:30 WITA. January 2026
has no holiday after New Year's Day: 5 Jan is a Monday, 9 Jan a Friday.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from shared.sla.calendar import WorkCalendar, always_open_calendar
from shared.sla.clocks import ClockStateError, Pause, SlaClock
from shared.sla.targets import SlaTarget, SlaUnit
from shared.timeutil import NaiveDatetimeError

WITA = ZoneInfo("Asia/Makassar")
OFFICE = WorkCalendar(code="office")
ALWAYS = always_open_calendar()


def wita(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WITA)


def eight_hours_from_monday() -> SlaClock:
    # 8 working hours from Mon 10:00: Mon 10-16 (6 h), Tue 08-10 (2 h) -> Tue 10:00.
    return SlaClock.start(OFFICE, "resolution", 1, SlaTarget(8, SlaUnit.WORKING_HOURS), wita(2026, 1, 5, 10))


def sixteen_hours_from_thursday() -> SlaClock:
    # 16 working hours from Thu 09:00: Thu 09-16 (7 h), Fri 08:00-16:30 (8.5 h),
    # Mon 08:00-08:30 (0.5 h) -> Mon 12 Jan 08:30.
    return SlaClock.start(OFFICE, "resolution", 1, SlaTarget(16, SlaUnit.WORKING_HOURS), wita(2026, 1, 8, 9))


def two_days_from_wednesday() -> SlaClock:
    # 2 working days from Wed 10:00: Thu(1), Fri(2) -> Fri 16:30. Its budget is
    # Wed 10-16 (6 h) + Thu (8 h) + Fri (8.5 h) = 22.5 working hours.
    return SlaClock.start(OFFICE, "resolution", 1, SlaTarget(2, SlaUnit.WORKING_DAYS), wita(2026, 1, 7, 10))


def day_from_friday() -> SlaClock:
    # 24 plain hours from Fri 10:00 -> Sat 10:00; office hours do not matter.
    return SlaClock.start(OFFICE, "resolution", 1, SlaTarget(24, SlaUnit.HOURS), wita(2026, 1, 9, 10))


# --- start ---------------------------------------------------------------------


def test_start_sets_due() -> None:
    clock = eight_hours_from_monday()

    assert clock.due_at == wita(2026, 1, 6, 10)
    assert clock.base_due_at == clock.due_at
    assert clock.total(OFFICE) == timedelta(hours=8)
    assert clock.is_running
    assert not clock.is_paused
    assert not clock.is_stopped
    assert clock.met is None


def test_start_working_days_budget() -> None:
    clock = two_days_from_wednesday()

    assert clock.due_at == wita(2026, 1, 9, 16, 30)
    assert clock.total(OFFICE) == timedelta(hours=22.5)


def test_start_saturday_working_day() -> None:
    # Filed Saturday with 1 working day: due Monday 16:00, budget Monday's 8 h.
    clock = SlaClock.start(OFFICE, "response", 1, SlaTarget(1, SlaUnit.WORKING_DAYS), wita(2026, 1, 10, 11))

    assert clock.due_at == wita(2026, 1, 12, 16)
    assert clock.total(OFFICE) == timedelta(hours=8)


# --- elapsed ratio --------------------------------------------------------------


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (wita(2026, 1, 5, 10), 0.0),  # at the start
        (wita(2026, 1, 5, 9), 0.0),  # before the start
        (wita(2026, 1, 5, 14), 0.5),  # Mon 10-14: 4/8
        (wita(2026, 1, 5, 20), 0.75),  # after closing: Mon 10-16, 6/8
        (wita(2026, 1, 6, 7), 0.75),  # the night does not count
        (wita(2026, 1, 6, 9), 0.875),  # + Tue 08-09: 7/8
        (wita(2026, 1, 6, 10), 1.0),  # due
        (wita(2026, 1, 6, 12), 1.25),  # 10/8: not capped at 1
        (wita(2026, 1, 7, 8), 1.75),  # Mon 6 + Tue 8 = 14/8
    ],
)
def test_ratio_working_hours(at: datetime, expected: float) -> None:
    assert eight_hours_from_monday().ratio(OFFICE, at) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (wita(2026, 1, 7, 13), 3 / 22.5),  # Wed 10-13
        (wita(2026, 1, 8, 16), 14 / 22.5),  # Wed 6 h + Thu 8 h
        (wita(2026, 1, 9, 16, 30), 1.0),  # due at Friday's closing
        (wita(2026, 1, 10, 12), 1.0),  # Saturday adds nothing
        (wita(2026, 1, 12, 12), 26.5 / 22.5),  # + Mon 08-12
    ],
)
def test_ratio_working_days(at: datetime, expected: float) -> None:
    assert two_days_from_wednesday().ratio(OFFICE, at) == pytest.approx(expected)


def test_ratio_calendar_hours() -> None:
    clock = day_from_friday()

    # Fri 10:00 -> Sat 04:00 is 18 plain hours of 24.
    assert clock.ratio(OFFICE, wita(2026, 1, 10, 4)) == pytest.approx(0.75)
    # Sun 10:00 is 48 hours: 2.0.
    assert clock.ratio(OFFICE, wita(2026, 1, 11, 10)) == pytest.approx(2.0)


def test_instant_at_ratio() -> None:
    # 0.5 -> 4 h -> Mon 14:00; 0.75 -> 6 h -> Mon 16:00 (closing);
    # 0.9 -> 7.2 h -> Mon 6 h + Tue 1.2 h -> Tue 09:12; 1.0 -> due Tue 10:00.
    clock = eight_hours_from_monday()

    assert clock.instant_at_ratio(OFFICE, 0.5) == wita(2026, 1, 5, 14)
    assert clock.instant_at_ratio(OFFICE, 0.75) == wita(2026, 1, 5, 16)
    assert clock.instant_at_ratio(OFFICE, 0.9) == wita(2026, 1, 6, 9, 12)
    assert clock.instant_at_ratio(OFFICE, 1.0) == wita(2026, 1, 6, 10)


# --- pauses ---------------------------------------------------------------------


def test_pause_across_weekend_working_hours() -> None:
    # Paused Fri 15:00, resumed Mon 10:00: Fri 15:00-16:30 (1.5 h) + Mon 08-10
    # (2 h) = 3.5 working hours, so due moves from Mon 08:30 to Mon 12:00.
    # Check: worked Thu 7 h + Fri 08-15 7 h = 14 h, 2 h left from Mon 10:00.
    clock = sixteen_hours_from_thursday()
    assert clock.due_at == wita(2026, 1, 12, 8, 30)

    paused = clock.pause(wita(2026, 1, 9, 15))
    assert paused.is_paused
    assert not paused.is_running
    assert paused.due_at == wita(2026, 1, 12, 8, 30)

    resumed = paused.resume(OFFICE, wita(2026, 1, 12, 10))
    assert resumed.is_running
    assert resumed.base_due_at == wita(2026, 1, 12, 8, 30)
    assert resumed.due_at == wita(2026, 1, 12, 12)
    assert resumed.closed_pause_amount(OFFICE) == timedelta(hours=3.5)


def test_ratio_frozen_while_paused() -> None:
    # 14 of 16 hours worked when paused on Fri 15:00: 0.875, whenever it is read.
    paused = sixteen_hours_from_thursday().pause(wita(2026, 1, 9, 15))

    assert paused.ratio(OFFICE, wita(2026, 1, 9, 16)) == pytest.approx(0.875)
    assert paused.ratio(OFFICE, wita(2026, 1, 10, 12)) == pytest.approx(0.875)
    assert paused.ratio(OFFICE, wita(2026, 1, 12, 9)) == pytest.approx(0.875)


def test_ratio_after_pause() -> None:
    resumed = sixteen_hours_from_thursday().pause(wita(2026, 1, 9, 15)).resume(OFFICE, wita(2026, 1, 12, 10))

    # Mon 11:00: 14 h before the pause + 1 h after it = 15/16.
    assert resumed.ratio(OFFICE, wita(2026, 1, 12, 11)) == pytest.approx(15 / 16)
    assert resumed.ratio(OFFICE, wita(2026, 1, 12, 12)) == pytest.approx(1.0)
    assert resumed.ratio(OFFICE, wita(2026, 1, 12, 13)) == pytest.approx(17 / 16)
    # The instant of a ratio counts the closed pause: 15/16 -> Mon 11:00.
    assert resumed.instant_at_ratio(OFFICE, 15 / 16) == wita(2026, 1, 12, 11)
    assert resumed.instant_at_ratio(OFFICE, 1.0) == wita(2026, 1, 12, 12)


def test_pause_across_weekend_working_days() -> None:
    # 2 working days from Wed 10:00, due Fri 16:30. Paused Fri 14:00, resumed
    # Mon 09:00: Fri 14:00-16:30 (2.5 h) + Mon 08-09 (1 h) = 3.5 h, so due is
    # Mon 08:00 + 3.5 h = Mon 11:30. Check: worked Wed 6 + Thu 8 + Fri 6 = 20 h
    # of 22.5, 2.5 h left from Mon 09:00.
    resumed = two_days_from_wednesday().pause(wita(2026, 1, 9, 14)).resume(OFFICE, wita(2026, 1, 12, 9))

    assert resumed.due_at == wita(2026, 1, 12, 11, 30)
    assert resumed.ratio(OFFICE, wita(2026, 1, 12, 10)) == pytest.approx(21 / 22.5)
    assert resumed.ratio(OFFICE, wita(2026, 1, 12, 11, 30)) == pytest.approx(1.0)


def test_pause_outside_office_hours_moves_nothing() -> None:
    # 3 working days from Thu 8 Jan: Fri(1), Mon(2), Tue 13 Jan(3) -> 16:00.
    # A pause from Saturday to Sunday contains no working time.
    clock = SlaClock.start(OFFICE, "resolution", 1, SlaTarget(3, SlaUnit.WORKING_DAYS), wita(2026, 1, 8, 10))

    resumed = clock.pause(wita(2026, 1, 10, 10)).resume(OFFICE, wita(2026, 1, 11, 18))

    assert clock.due_at == wita(2026, 1, 13, 16)
    assert resumed.due_at == wita(2026, 1, 13, 16)


def test_two_pauses() -> None:
    # 8 h from Mon 10:00. Pauses Mon 11-12 (1 h) and Mon 15:00 -> Tue 09:00
    # (Mon 1 h + Tue 1 h): due Tue 10:00 + 3 h = Tue 13:00. Check: worked
    # Mon 10-11 and 12-15 (4 h), 4 h left from Tue 09:00.
    clock = eight_hours_from_monday()
    clock = clock.pause(wita(2026, 1, 5, 11)).resume(OFFICE, wita(2026, 1, 5, 12))
    clock = clock.pause(wita(2026, 1, 5, 15)).resume(OFFICE, wita(2026, 1, 6, 9))

    assert clock.due_at == wita(2026, 1, 6, 13)
    assert len(clock.pauses) == 2
    # Tue 11:00: Mon 10 -> Tue 11 is 9 working hours, minus 3 paused: 6/8.
    assert clock.ratio(OFFICE, wita(2026, 1, 6, 11)) == pytest.approx(0.75)


def test_pause_calendar_hours() -> None:
    # 24 h from Fri 10:00. Paused Fri 12:00 -> Sat 12:00 (24 plain hours):
    # due Sat 10:00 + 24 h = Sun 10:00.
    paused = day_from_friday().pause(wita(2026, 1, 9, 12))

    # Fri 20:00 while paused: 10 h gross - 8 h paused = 2/24.
    assert paused.ratio(OFFICE, wita(2026, 1, 9, 20)) == pytest.approx(2 / 24)

    resumed = paused.resume(OFFICE, wita(2026, 1, 10, 12))
    assert resumed.due_at == wita(2026, 1, 11, 10)
    # Sat 18:00: 32 h gross - 24 h paused = 8/24.
    assert resumed.ratio(OFFICE, wita(2026, 1, 10, 18)) == pytest.approx(8 / 24)
    # Sun 12:00: 50 - 24 = 26/24, past due.
    assert resumed.ratio(OFFICE, wita(2026, 1, 11, 12)) == pytest.approx(26 / 24)


def test_pause_state_errors() -> None:
    clock = eight_hours_from_monday()
    paused = clock.pause(wita(2026, 1, 5, 11))
    stopped = clock.stop(OFFICE, wita(2026, 1, 5, 12), "resolved")

    with pytest.raises(ClockStateError, match="cannot pause"):
        paused.pause(wita(2026, 1, 5, 12))
    with pytest.raises(ClockStateError, match="cannot resume"):
        clock.resume(OFFICE, wita(2026, 1, 5, 12))
    with pytest.raises(ClockStateError, match="cannot pause"):
        stopped.pause(wita(2026, 1, 5, 13))
    with pytest.raises(ClockStateError, match="already stopped"):
        stopped.stop(OFFICE, wita(2026, 1, 5, 13), "resolved")


# --- stop -----------------------------------------------------------------------


def test_stop_in_time() -> None:
    # Stopped Mon 15:00: 5 working hours = 300 min, ratio 5/8.
    stopped = eight_hours_from_monday().stop(OFFICE, wita(2026, 1, 5, 15), "resolved")

    assert stopped.is_stopped
    assert not stopped.is_running
    assert stopped.outcome == "resolved"
    assert stopped.working_minutes == 300
    assert stopped.final_ratio == pytest.approx(0.625)
    assert stopped.met is True
    # The final ratio no longer moves.
    assert stopped.ratio(OFFICE, wita(2026, 1, 20, 12)) == pytest.approx(0.625)


def test_stop_late() -> None:
    # Stopped Tue 12:00: Mon 6 h + Tue 4 h = 600 min, ratio 10/8.
    stopped = eight_hours_from_monday().stop(OFFICE, wita(2026, 1, 6, 12), "resolved")

    assert stopped.working_minutes == 600
    assert stopped.final_ratio == pytest.approx(1.25)
    assert stopped.met is False


def test_stop_at_due_is_met() -> None:
    stopped = eight_hours_from_monday().stop(OFFICE, wita(2026, 1, 6, 10), "resolved")

    assert stopped.met is True
    assert stopped.final_ratio == pytest.approx(1.0)


def test_stop_while_paused() -> None:
    # Paused Fri 15:00, stopped Mon 09:00 while still paused: the pause closes
    # at Mon 09:00 (Fri 1.5 h + Mon 1 h = 2.5 h), so due is Mon 08:30 + 2.5 h =
    # Mon 11:00. Working time Thu 09:00 -> Mon 09:00 is 16.5 h, minus 2.5 h
    # paused = 14 h = 840 min; ratio 14/16.
    paused = sixteen_hours_from_thursday().pause(wita(2026, 1, 9, 15))

    stopped = paused.stop(OFFICE, wita(2026, 1, 12, 9), "transferred")

    assert not stopped.is_paused
    assert stopped.pauses[-1] == Pause(wita(2026, 1, 9, 15), wita(2026, 1, 12, 9))
    assert stopped.due_at == wita(2026, 1, 12, 11)
    assert stopped.working_minutes == 840
    assert stopped.final_ratio == pytest.approx(0.875)
    assert stopped.met is True


def test_stop_calendar_unit_stores_working_minutes() -> None:
    # 24 plain hours from Fri 10:00, stopped Sat 09:00: ratio 23/24, but the
    # stored working duration is office time only, Fri 10:00-16:30 = 390 min.
    stopped = day_from_friday().stop(OFFICE, wita(2026, 1, 10, 9), "resolved")

    assert stopped.final_ratio == pytest.approx(23 / 24)
    assert stopped.working_minutes == 390


def test_stop_always_open() -> None:
    # 24x7, 4 working hours from Sat 22:00, stopped Sun 01:30: 210 min, 3.5/4.
    clock = SlaClock.start(ALWAYS, "resolution", 1, SlaTarget(4, SlaUnit.WORKING_HOURS), wita(2026, 1, 10, 22))

    stopped = clock.stop(ALWAYS, wita(2026, 1, 11, 1, 30), "resolved")

    assert clock.due_at == wita(2026, 1, 11, 2)
    assert stopped.working_minutes == 210
    assert stopped.final_ratio == pytest.approx(0.875)


# --- recompute after a calendar edit --------------------------------------------


def test_recompute_added_day_off() -> None:
    # Thu 8 Jan declared off: 2 working days from Wed 7 Jan become Fri(1),
    # Mon 12(2) -> Mon 16:00.
    edited = OFFICE.with_days_off(added=[date(2026, 1, 8)])

    recomputed = two_days_from_wednesday().recompute(edited)

    assert recomputed.base_due_at == wita(2026, 1, 12, 16)
    assert recomputed.due_at == wita(2026, 1, 12, 16)


def test_recompute_keeps_pauses() -> None:
    # 16 h from Thu 09:00, paused Fri 15:00 -> Mon 10:00, then Mon 12 Jan is
    # declared off. Base due: Thu 7 h + Fri 8.5 h, Mon off, Tue 08:00-08:30.
    # The pause now holds only Fri 15:00-16:30 (1.5 h): due Tue 10:00.
    # Check: 14 h worked, 2 h left, next office time after Mon 10:00 is Tue 08:00.
    resumed = sixteen_hours_from_thursday().pause(wita(2026, 1, 9, 15)).resume(OFFICE, wita(2026, 1, 12, 10))
    edited = OFFICE.with_days_off(added=[date(2026, 1, 12)])

    recomputed = resumed.recompute(edited)

    assert recomputed.base_due_at == wita(2026, 1, 13, 8, 30)
    assert recomputed.due_at == wita(2026, 1, 13, 10)


# --- documents and alerted stages -----------------------------------------------


def test_clock_document_round_trip() -> None:
    clock = sixteen_hours_from_thursday().pause(wita(2026, 1, 9, 15)).resume(OFFICE, wita(2026, 1, 12, 10))
    clock = clock.with_alerted("warn-50").stop(OFFICE, wita(2026, 1, 12, 11), "resolved")

    doc = clock.to_doc()

    assert doc["kind"] == "resolution"
    assert doc["paused"] is False
    assert doc["met"] is True
    assert doc["workingMinutes"] == 900  # 14 h + Mon 10-11
    assert doc["alerted"] == ["warn-50"]
    assert SlaClock.from_doc(doc) == clock


def test_with_alerted_keeps_order_once() -> None:
    clock = eight_hours_from_monday().with_alerted("warn-50", "warn-75").with_alerted("warn-50", "warn-90")

    assert clock.alerted == ("warn-50", "warn-75", "warn-90")


# --- naive datetimes ------------------------------------------------------------


NAIVE = datetime(2026, 1, 5, 12, 0)


@pytest.mark.parametrize("unit", list(SlaUnit))
def test_start_rejects_naive(unit: SlaUnit) -> None:
    with pytest.raises(NaiveDatetimeError, match="has no UTC offset"):
        SlaClock.start(OFFICE, "response", 1, SlaTarget(1, unit), NAIVE)


def test_clock_operations_reject_naive() -> None:
    clock = day_from_friday()
    paused = clock.pause(wita(2026, 1, 9, 12))
    stopped = clock.stop(OFFICE, wita(2026, 1, 9, 13), "resolved")

    with pytest.raises(NaiveDatetimeError, match="pause instant"):
        clock.pause(NAIVE)
    with pytest.raises(NaiveDatetimeError, match="resume instant"):
        paused.resume(OFFICE, NAIVE)
    with pytest.raises(NaiveDatetimeError, match="stop instant"):
        clock.stop(OFFICE, NAIVE, "resolved")
    with pytest.raises(NaiveDatetimeError, match="has no UTC offset"):
        clock.ratio(OFFICE, NAIVE)
    with pytest.raises(NaiveDatetimeError, match="has no UTC offset"):
        stopped.elapsed(OFFICE, NAIVE)
