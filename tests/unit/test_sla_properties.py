"""Property tests: adding a duration and then measuring it returns the same duration.

The same holds for clocks: a pause moves the due instant by the paused
time, and each stage comes at the instant its threshold names.

Start instants are drawn across 2024-2028 in several zones, so they land on
weekends, national holidays, cuti bersama and the year boundaries.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from shared.sla.calendar import WorkCalendar, always_open_calendar
from shared.sla.clocks import SlaClock
from shared.sla.policy import PolicySnapshot
from shared.sla.stages import is_stage_due, stage_threshold, stages_of
from shared.sla.targets import SlaTarget, SlaUnit, measure

OFFICE = WorkCalendar(code="office")
ALWAYS = always_open_calendar()
# Calendars in a zone with daylight saving check that time is counted in
# absolute hours, not by wall clock, across the changes.
BERLIN_OFFICE = WorkCalendar(code="office-berlin", timezone="Europe/Berlin", holiday_country=None)
BERLIN_ALWAYS = always_open_calendar("Europe/Berlin")
CALENDARS = st.sampled_from([OFFICE, ALWAYS, BERLIN_OFFICE, BERLIN_ALWAYS])
PROPERTY_SETTINGS = settings(deadline=None, max_examples=200)

ZONES = st.sampled_from(
    [timezone.utc, ZoneInfo("Asia/Makassar"), ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Jayapura"), ZoneInfo("Europe/Berlin")]
)

# Whole seconds, because MongoDB stores milliseconds, across five years of
# holidays and cuti bersama as the `holidays` package lists them.
START_INSTANTS = st.builds(
    lambda naive, zone: naive.replace(tzinfo=timezone.utc).astimezone(zone),
    st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.none()).map(
        lambda value: value.replace(microsecond=0)
    ),
    ZONES,
)

# Up to 200 working hours (about five weeks of office time), in seconds.
WORKING_AMOUNTS = st.integers(min_value=0, max_value=200 * 3600).map(lambda seconds: timedelta(seconds=seconds))

ADDED_DAYS_OFF = st.frozensets(st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31)), max_size=40)


@PROPERTY_SETTINGS
@given(calendar=CALENDARS, start=START_INSTANTS, amount=WORKING_AMOUNTS)
def test_add_then_measure_working_time(calendar: WorkCalendar, start: datetime, amount: timedelta) -> None:
    end = calendar.add_working_time(start, amount)

    assert end >= start
    assert calendar.working_time(start, end) == amount


@PROPERTY_SETTINGS
@given(calendar=CALENDARS, start=START_INSTANTS, amount=WORKING_AMOUNTS.filter(lambda value: value > timedelta(0)))
def test_added_working_time_ends_earliest(calendar: WorkCalendar, start: datetime, amount: timedelta) -> None:
    # The end is the first instant with `amount` counted: one second earlier
    # falls short, and the last second before it was office time.
    end = calendar.add_working_time(start, amount)
    second = timedelta(seconds=1)

    assert calendar.working_time(start, end - second) == amount - second
    assert calendar.is_open(end - second)


@PROPERTY_SETTINGS
@given(calendar=CALENDARS, start=START_INSTANTS, first=WORKING_AMOUNTS, second=WORKING_AMOUNTS)
def test_working_time_additive(calendar: WorkCalendar, start: datetime, first: timedelta, second: timedelta) -> None:
    # Due instants after a pause are worked out as "due + paused working time",
    # which must equal adding both amounts at once.
    step = calendar.add_working_time(start, first)

    assert calendar.add_working_time(step, second) == calendar.add_working_time(start, first + second)


@PROPERTY_SETTINGS
@given(days_off=ADDED_DAYS_OFF, start=START_INSTANTS, amount=WORKING_AMOUNTS)
def test_add_then_measure_with_days_off(days_off: frozenset[date], start: datetime, amount: timedelta) -> None:
    calendar = OFFICE.with_days_off(added=days_off)

    end = calendar.add_working_time(start, amount)

    assert calendar.working_time(start, end) == amount
    assert calendar.local_date(end) not in days_off or amount == timedelta(0)


@PROPERTY_SETTINGS
@given(calendar=CALENDARS, start=START_INSTANTS, amount=st.integers(min_value=1, max_value=200))
def test_working_hours_target_round_trip(calendar: WorkCalendar, start: datetime, amount: int) -> None:
    due = SlaTarget(amount, SlaUnit.WORKING_HOURS).end(calendar, start)

    assert measure(calendar, SlaUnit.WORKING_HOURS, start, due) == timedelta(hours=amount)


@PROPERTY_SETTINGS
@given(
    calendar=CALENDARS,
    start=START_INSTANTS,
    unit=st.sampled_from([SlaUnit.MINUTES, SlaUnit.HOURS, SlaUnit.DAYS]),
    amount=st.integers(min_value=1, max_value=10_000),
)
def test_calendar_units_round_trip(calendar: WorkCalendar, start: datetime, unit: SlaUnit, amount: int) -> None:
    length = {SlaUnit.MINUTES: timedelta(minutes=1), SlaUnit.HOURS: timedelta(hours=1), SlaUnit.DAYS: timedelta(days=1)}[unit]

    due = SlaTarget(amount, unit).end(calendar, start)

    assert due.astimezone(timezone.utc) - start.astimezone(timezone.utc) == amount * length
    assert measure(calendar, unit, start, due) == amount * length


@PROPERTY_SETTINGS
@given(calendar=CALENDARS, start=START_INSTANTS, days=st.integers(min_value=1, max_value=30))
def test_working_days_target_counts_days(calendar: WorkCalendar, start: datetime, days: int) -> None:
    # The due instant closes a working day, and exactly `days` working days
    # lie after the start's local date up to and including that day.
    due = SlaTarget(days, SlaUnit.WORKING_DAYS).end(calendar, start)
    first = calendar.local_date(start) + timedelta(days=1)
    last = calendar.local_date(due - timedelta(seconds=1))

    interval = calendar.office_interval(last)
    assert interval is not None
    assert interval[1] == due

    counted = sum(1 for offset in range((last - first).days + 1) if calendar.is_working_day(first + timedelta(days=offset)))
    assert counted == days


PAUSE_OFFSETS = st.integers(min_value=0, max_value=20 * 24 * 3600).map(lambda seconds: timedelta(seconds=seconds))


def paused_once(calendar: WorkCalendar, start: datetime, target: SlaTarget, before: timedelta, length: timedelta) -> SlaClock:
    clock = SlaClock.start(calendar, "resolution", 1, target, start)
    return clock.pause(start + before).resume(calendar, start + before + length)


@PROPERTY_SETTINGS
@given(
    calendar=CALENDARS,
    start=START_INSTANTS,
    unit=st.sampled_from(list(SlaUnit)),
    amount=st.integers(min_value=1, max_value=40),
    before=PAUSE_OFFSETS,
    length=PAUSE_OFFSETS,
)
def test_pause_moves_due_by_paused_time(
    calendar: WorkCalendar, start: datetime, unit: SlaUnit, amount: int, before: timedelta, length: timedelta
) -> None:
    # After a pause, the counted time from the start to the new due instant,
    # minus the pause, is the whole budget again: the ratio there is 1.
    clock = paused_once(calendar, start, SlaTarget(amount, unit), before, length)
    resumed_at = start + before + length

    assert clock.due_at >= clock.base_due_at
    if clock.due_at >= resumed_at:
        assert clock.elapsed(calendar, clock.due_at) == clock.total(calendar)
        assert clock.stop(calendar, clock.due_at, "resolved").met is True


@PROPERTY_SETTINGS
@given(
    calendar=CALENDARS,
    start=START_INSTANTS,
    unit=st.sampled_from(list(SlaUnit)),
    amount=st.integers(min_value=1, max_value=40),
    before=PAUSE_OFFSETS,
    length=PAUSE_OFFSETS,
)
def test_stage_due_at_its_threshold(
    calendar: WorkCalendar, start: datetime, unit: SlaUnit, amount: int, before: timedelta, length: timedelta
) -> None:
    # Each stage still ahead after the pause is due at its threshold instant.
    # It is not due a second earlier, unless that second held no counted time
    # (a working-unit threshold at an office closing stays put overnight).
    target = SlaTarget(amount, unit)
    policy = PolicySnapshot("p", 1, "DLH", None, target, target, calendar.code)
    clock = paused_once(calendar, start, target, before, length)
    resumed_at = start + before + length
    second = timedelta(seconds=1)

    for stage in stages_of(policy):
        threshold = stage_threshold(calendar, policy, clock, stage)
        if threshold - second <= resumed_at:
            continue
        assert is_stage_due(calendar, policy, clock, stage, threshold), stage.key
        counted = measure(calendar, unit, threshold - second, threshold)
        if stage.kind == "escalation" or counted > timedelta(0):
            assert not is_stage_due(calendar, policy, clock, stage, threshold - second), stage.key
