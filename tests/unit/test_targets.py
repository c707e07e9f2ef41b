"""SLA targets: calendar units ignore office hours, working units follow them."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from shared.sla.calendar import WorkCalendar, always_open_calendar
from shared.sla.targets import SlaTarget, SlaUnit, advance, measure
from shared.timeutil import NaiveDatetimeError

WITA = ZoneInfo("Asia/Makassar")
OFFICE = WorkCalendar(code="office")
ALWAYS = always_open_calendar()


def wita(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WITA)


@pytest.mark.parametrize(
    ("target", "start", "expected"),
    [
        # Calendar units on the office calendar run around the clock.
        # Fri 16:00 + 90 min -> Fri 17:30, after closing.
        (SlaTarget(90, SlaUnit.MINUTES), wita(2026, 1, 9, 16), wita(2026, 1, 9, 17, 30)),
        # Sat 10:00 + 48 h -> Mon 10:00, through the weekend.
        (SlaTarget(48, SlaUnit.HOURS), wita(2026, 1, 10, 10), wita(2026, 1, 12, 10)),
        # Wed 30 Dec 10:00 + 3 days -> Sat 2 Jan 10:00, New Year's Day included.
        (SlaTarget(3, SlaUnit.DAYS), wita(2026, 12, 30, 10), wita(2027, 1, 2, 10)),
        # Sun 16 Aug 2026 + 1 day -> Mon 17 Aug, a holiday, still counts.
        (SlaTarget(1, SlaUnit.DAYS), wita(2026, 8, 16, 9), wita(2026, 8, 17, 9)),
        # Working hours: Fri 14:00 + 4 h -> Fri 14:00-16:30 (2.5 h), Mon 08:00-09:30.
        (SlaTarget(4, SlaUnit.WORKING_HOURS), wita(2026, 1, 9, 14), wita(2026, 1, 12, 9, 30)),
        # Sat + 8 working hours -> all of Monday, due at 16:00.
        (SlaTarget(8, SlaUnit.WORKING_HOURS), wita(2026, 1, 10, 11), wita(2026, 1, 12, 16)),
        # Working days: Thursday morning + 1 -> Friday 16:30.
        (SlaTarget(1, SlaUnit.WORKING_DAYS), wita(2026, 1, 8, 9), wita(2026, 1, 9, 16, 30)),
        # Saturday + 1 -> Monday 16:00.
        (SlaTarget(1, SlaUnit.WORKING_DAYS), wita(2026, 1, 10, 9), wita(2026, 1, 12, 16)),
    ],
)
def test_target_end_office(target: SlaTarget, start: datetime, expected: datetime) -> None:
    assert target.end(OFFICE, start) == expected


@pytest.mark.parametrize(
    ("target", "start", "expected"),
    [
        # 24x7: working hours are plain hours. Fri 22:00 + 10 h -> Sat 08:00.
        (SlaTarget(10, SlaUnit.WORKING_HOURS), wita(2026, 1, 9, 22), wita(2026, 1, 10, 8)),
        # 24x7: Sat 10 Jan + 1 working day -> Sunday is day 1 -> Mon 00:00.
        (SlaTarget(1, SlaUnit.WORKING_DAYS), wita(2026, 1, 10, 10), wita(2026, 1, 12)),
        # 24x7 and calendar units agree: + 2 h.
        (SlaTarget(2, SlaUnit.HOURS), wita(2026, 8, 17, 23), wita(2026, 8, 18, 1)),
    ],
)
def test_target_end_always_open(target: SlaTarget, start: datetime, expected: datetime) -> None:
    assert target.end(ALWAYS, start) == expected


def test_plain_units_absolute_across_dst() -> None:
    # Berlin: 28 Mar 2026 12:00 CET + 1 day is 29 Mar 13:00 CEST (24 real
    # hours, because clocks moved forward that night).
    berlin = ZoneInfo("Europe/Berlin")
    start = datetime(2026, 3, 28, 12, 0, tzinfo=berlin)
    due = SlaTarget(1, SlaUnit.DAYS).end(OFFICE, start)

    assert due == datetime(2026, 3, 29, 13, 0, tzinfo=berlin)
    assert measure(OFFICE, SlaUnit.HOURS, start, due) == timedelta(hours=24)
    assert advance(OFFICE, SlaUnit.HOURS, start, timedelta(hours=24)) == due


def test_measure_plain_and_working() -> None:
    # Fri 15:00 -> Mon 09:00 is 66 plain hours but only 2.5 working hours
    # (Fri 15:00-16:30 and Mon 08:00-09:00); working days count the same way.
    start = wita(2026, 1, 9, 15)
    end = wita(2026, 1, 12, 9)

    assert measure(OFFICE, SlaUnit.HOURS, start, end) == timedelta(hours=66)
    assert measure(OFFICE, SlaUnit.MINUTES, start, end) == timedelta(hours=66)
    assert measure(OFFICE, SlaUnit.DAYS, start, end) == timedelta(hours=66)
    assert measure(OFFICE, SlaUnit.WORKING_HOURS, start, end) == timedelta(hours=2.5)
    assert measure(OFFICE, SlaUnit.WORKING_DAYS, start, end) == timedelta(hours=2.5)
    assert measure(ALWAYS, SlaUnit.WORKING_HOURS, start, end) == timedelta(hours=66)


def test_measure_backwards_is_zero() -> None:
    assert measure(OFFICE, SlaUnit.HOURS, wita(2026, 1, 5, 12), wita(2026, 1, 5, 10)) == timedelta(0)
    assert measure(OFFICE, SlaUnit.WORKING_HOURS, wita(2026, 1, 5, 12), wita(2026, 1, 5, 10)) == timedelta(0)


def test_advance_plain_and_working() -> None:
    # Fri 15:00 + 3 h: plain -> Fri 18:00; working -> Fri 1.5 h, Mon 08:00-09:30.
    start = wita(2026, 1, 9, 15)

    assert advance(OFFICE, SlaUnit.HOURS, start, timedelta(hours=3)) == wita(2026, 1, 9, 18)
    assert advance(OFFICE, SlaUnit.WORKING_HOURS, start, timedelta(hours=3)) == wita(2026, 1, 12, 9, 30)
    assert advance(OFFICE, SlaUnit.WORKING_DAYS, start, timedelta(hours=3)) == wita(2026, 1, 12, 9, 30)


def test_target_amount_validated() -> None:
    with pytest.raises(ValueError, match="amount 0 is invalid"):
        SlaTarget(0, SlaUnit.HOURS)
    with pytest.raises(ValueError, match="amount -2 is invalid"):
        SlaTarget(-2, SlaUnit.WORKING_DAYS)


def test_target_document_round_trip() -> None:
    target = SlaTarget(3, SlaUnit.WORKING_DAYS)

    assert target.to_doc() == {"amount": 3, "unit": "WORKING_DAYS"}
    assert SlaTarget.from_doc(target.to_doc()) == target
    assert target.describe() == "3 WORKING_DAYS"


def test_unit_is_working() -> None:
    assert [unit.value for unit in SlaUnit if unit.is_working] == ["WORKING_HOURS", "WORKING_DAYS"]


NAIVE = datetime(2026, 1, 5, 10, 0)
AWARE = datetime(2026, 1, 5, 2, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("unit", list(SlaUnit))
def test_naive_start_rejected_every_unit(unit: SlaUnit) -> None:
    with pytest.raises(NaiveDatetimeError, match="has no UTC offset"):
        SlaTarget(1, unit).end(OFFICE, NAIVE)
    with pytest.raises(NaiveDatetimeError, match="has no UTC offset"):
        measure(OFFICE, unit, NAIVE, AWARE)
    with pytest.raises(NaiveDatetimeError, match="has no UTC offset"):
        measure(OFFICE, unit, AWARE, NAIVE)
    with pytest.raises(NaiveDatetimeError, match="has no UTC offset"):
        advance(OFFICE, unit, NAIVE, timedelta(hours=1))
