"""Working calendars: office hours, holidays, cuti bersama, added days off and 24x7.

Every expected value below was worked out by hand from a wall calendar and
the office hours (Mon-Thu 08:00-16:00, Fri 08:00-16:30 WITA). The comment on
each case shows the counting.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from shared.sla.calendar import CalendarError, WorkCalendar, always_open_calendar
from shared.timeutil import NaiveDatetimeError

WITA = ZoneInfo("Asia/Makassar")


def wita(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WITA)


def hours(value: float) -> timedelta:
    return timedelta(hours=value)


@pytest.fixture(scope="module")
def office() -> WorkCalendar:
    return WorkCalendar(code="office")


@pytest.fixture(scope="module")
def always() -> WorkCalendar:
    return always_open_calendar()


# --- working days ------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 1, 5), True),  # Monday, no holiday
        (date(2026, 1, 9), True),  # Friday, no holiday
        (date(2026, 1, 10), False),  # Saturday
        (date(2026, 1, 11), False),  # Sunday
        (date(2026, 8, 17), False),  # Monday, Independence Day (public)
        (date(2026, 8, 18), True),  # Tuesday after it
        (date(2026, 12, 24), False),  # Thursday, Christmas joint leave (government)
        (date(2026, 12, 25), False),  # Friday, Christmas Day (public)
        (date(2026, 12, 31), True),  # Thursday, last working day of 2026
        (date(2027, 1, 1), False),  # Friday, New Year's Day
        (date(2027, 1, 4), True),  # Monday, first working day of 2027
        (date(2025, 3, 31), False),  # Monday, Eid al-Fitr
        (date(2025, 4, 1), False),  # Tuesday, Eid al-Fitr second day
        (date(2025, 4, 2), False),  # Wednesday, Eid joint leave
        (date(2025, 4, 3), False),  # Thursday, Eid joint leave
        (date(2025, 4, 4), False),  # Friday, Eid joint leave
        (date(2025, 4, 7), False),  # Monday, Eid joint leave
        (date(2025, 4, 8), True),  # Tuesday, offices open again
    ],
)
def test_office_working_days(office: WorkCalendar, day: date, working: bool) -> None:
    assert office.is_working_day(day) is working


def test_holiday_names(office: WorkCalendar) -> None:
    assert office.holiday_name(date(2026, 8, 17)) == "Independence Day"
    assert office.holiday_name(date(2026, 12, 24)) == "Christmas Joint Holiday"
    assert office.holiday_name(date(2025, 4, 7)) == "Eid al-Fitr Joint Holiday"
    assert office.holiday_name(date(2026, 1, 5)) is None


def test_joint_leave_comes_from_government_category() -> None:
    # Cuti bersama is in the `government` category only: a calendar with
    # public holidays alone keeps offices open on 2026-12-24 (a Thursday).
    public_only = WorkCalendar(code="public-only", holiday_categories=("public",))

    assert public_only.is_working_day(date(2026, 12, 24))
    assert not public_only.is_working_day(date(2026, 12, 25))


def test_office_interval_friday_longer(office: WorkCalendar) -> None:
    thursday = office.office_interval(date(2026, 1, 8))
    friday = office.office_interval(date(2026, 1, 9))

    assert thursday == (wita(2026, 1, 8, 8), wita(2026, 1, 8, 16))
    assert friday == (wita(2026, 1, 9, 8), wita(2026, 1, 9, 16, 30))
    assert office.office_interval(date(2026, 1, 10)) is None
    assert office.office_interval(date(2026, 8, 17)) is None


def test_local_date_uses_calendar_zone(office: WorkCalendar) -> None:
    # 2026-01-05 16:30 UTC is 2026-01-06 00:30 WITA (UTC+8).
    instant = datetime(2026, 1, 5, 16, 30, tzinfo=timezone.utc)

    assert office.local_date(instant) == date(2026, 1, 6)


@pytest.mark.parametrize(
    ("instant", "open_"),
    [
        (wita(2026, 1, 5, 7, 59), False),  # Monday before opening
        (wita(2026, 1, 5, 8, 0), True),  # Monday opening
        (wita(2026, 1, 5, 15, 59), True),
        (wita(2026, 1, 5, 16, 0), False),  # Monday closing is exclusive
        (wita(2026, 1, 9, 16, 15), True),  # Friday stays open until 16:30
        (wita(2026, 1, 9, 16, 30), False),
        (wita(2026, 1, 10, 10, 0), False),  # Saturday
        (wita(2026, 8, 17, 10, 0), False),  # Independence Day
        (datetime(2026, 1, 5, 0, 0, tzinfo=timezone.utc), True),  # 08:00 WITA Monday
    ],
)
def test_is_open(office: WorkCalendar, instant: datetime, open_: bool) -> None:
    assert office.is_open(instant) is open_


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        (wita(2026, 1, 5, 10), wita(2026, 1, 5, 10)),  # open now: itself
        (wita(2026, 1, 5, 6), wita(2026, 1, 5, 8)),  # before Monday's opening
        (wita(2026, 1, 9, 17), wita(2026, 1, 12, 8)),  # Friday evening -> Monday
        (wita(2026, 1, 10, 9), wita(2026, 1, 12, 8)),  # Saturday -> Monday
        (wita(2026, 8, 16, 9), wita(2026, 8, 18, 8)),  # Sunday, Monday 17 Aug off -> Tuesday
        # Wed 23 Dec evening; Thu 24 joint leave, Fri 25 Christmas, weekend -> Mon 28.
        (wita(2026, 12, 23, 17), wita(2026, 12, 28, 8)),
    ],
)
def test_next_opening(office: WorkCalendar, instant: datetime, expected: datetime) -> None:
    assert office.next_opening(instant) == expected


# --- working time ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # Monday 09:00-11:00, all inside office hours.
        (wita(2026, 1, 5, 9), wita(2026, 1, 5, 11), hours(2)),
        # Monday 07:00-09:00: only 08:00-09:00 counts.
        (wita(2026, 1, 5, 7), wita(2026, 1, 5, 9), hours(1)),
        # Monday 17:00-23:00: after closing, nothing counts.
        (wita(2026, 1, 5, 17), wita(2026, 1, 5, 23), hours(0)),
        # Thu 15:00 -> Fri 09:00: Thu 15-16 (1 h) + Fri 08-09 (1 h).
        (wita(2026, 1, 8, 15), wita(2026, 1, 9, 9), hours(2)),
        # Fri 15:00 -> Mon 09:00: Fri 15:00-16:30 (1.5 h) + Mon 08-09 (1 h).
        (wita(2026, 1, 9, 15), wita(2026, 1, 12, 9), hours(2.5)),
        # A whole week, Mon 00:00 -> next Mon 00:00: 4 x 8 h + 8.5 h on Friday.
        (wita(2026, 1, 5), wita(2026, 1, 12), hours(40.5)),
        # Fri 14 Aug 16:00 -> Tue 18 Aug 09:00: Fri 16:00-16:30 (0.5 h),
        # weekend and Mon 17 Aug off, Tue 08-09 (1 h).
        (wita(2026, 8, 14, 16), wita(2026, 8, 18, 9), hours(1.5)),
        # Wed 23 Dec 15:00 -> Mon 28 Dec 10:00: Wed 15-16 (1 h); Thu 24 joint
        # leave, Fri 25 Christmas, weekend; Mon 08-10 (2 h).
        (wita(2026, 12, 23, 15), wita(2026, 12, 28, 10), hours(3)),
        # Year boundary, Thu 31 Dec 15:00 -> Mon 4 Jan 09:00: Thu 15-16 (1 h),
        # Fri 1 Jan New Year, weekend, Mon 08-09 (1 h).
        (wita(2026, 12, 31, 15), wita(2027, 1, 4, 9), hours(2)),
        # Eid 2025, Thu 27 Mar 15:00 -> Tue 8 Apr 09:00: Thu 15-16 (1 h); every
        # weekday from Fri 28 Mar to Mon 7 Apr is a holiday or joint leave;
        # Tue 08-09 (1 h).
        (wita(2025, 3, 27, 15), wita(2025, 4, 8, 9), hours(2)),
        # End before start: zero.
        (wita(2026, 1, 5, 11), wita(2026, 1, 5, 9), hours(0)),
    ],
)
def test_working_time(office: WorkCalendar, start: datetime, end: datetime, expected: timedelta) -> None:
    assert office.working_time(start, end) == expected


def test_working_time_mixed_zones(office: WorkCalendar) -> None:
    # Mon 08:00 WITA is Mon 00:00 UTC; to Mon 10:30 WITA is 2.5 h of office time.
    start = datetime(2026, 1, 5, 0, 0, tzinfo=timezone.utc)

    assert office.working_time(start, wita(2026, 1, 5, 10, 30)) == hours(2.5)


@pytest.mark.parametrize(
    ("start", "amount", "expected"),
    [
        # Mon 10:00 + 3 h, all on Monday.
        (wita(2026, 1, 5, 10), hours(3), wita(2026, 1, 5, 13)),
        # Mon 15:00 + 3 h: Mon 15-16 (1 h), Tue 08-10 (2 h).
        (wita(2026, 1, 5, 15), hours(3), wita(2026, 1, 6, 10)),
        # Mon 15:00 + 1 h ends exactly at closing, not at Tuesday's opening.
        (wita(2026, 1, 5, 15), hours(1), wita(2026, 1, 5, 16)),
        # Before opening, Mon 06:00 + 1 h: counting starts at 08:00.
        (wita(2026, 1, 5, 6), hours(1), wita(2026, 1, 5, 9)),
        # Friday's longer day, Fri 15:00 + 3 h: Fri 15:00-16:30 (1.5 h), Mon 08:00-09:30.
        (wita(2026, 1, 9, 15), hours(3), wita(2026, 1, 12, 9, 30)),
        # Saturday 10:00 + 8 h: Monday 08:00-16:00.
        (wita(2026, 1, 10, 10), hours(8), wita(2026, 1, 12, 16)),
        # Fri 14 Aug 16:00 + 2 h: Fri 0.5 h, Mon 17 Aug off, Tue 08:00-09:30.
        (wita(2026, 8, 14, 16), hours(2), wita(2026, 8, 18, 9, 30)),
        # Thu 31 Dec 15:00 + 2 h: Thu 1 h, Fri 1 Jan off, weekend, Mon 4 Jan 08-09.
        (wita(2026, 12, 31, 15), hours(2), wita(2027, 1, 4, 9)),
        # Zero adds nothing, even outside office hours.
        (wita(2026, 1, 10, 10), hours(0), wita(2026, 1, 10, 10)),
    ],
)
def test_add_working_time(office: WorkCalendar, start: datetime, amount: timedelta, expected: datetime) -> None:
    assert office.add_working_time(start, amount) == expected


def test_add_working_time_rejects_negative(office: WorkCalendar) -> None:
    with pytest.raises(CalendarError, match="negative"):
        office.add_working_time(wita(2026, 1, 5, 10), hours(-1))


# --- working days ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        # Saturday: Monday is the 1st working day, due at its 16:00 closing.
        (wita(2026, 1, 10, 10), 1, wita(2026, 1, 12, 16)),
        # Thursday morning: Friday is the 1st working day, due at 16:30.
        (wita(2026, 1, 8, 9), 1, wita(2026, 1, 9, 16, 30)),
        # Thursday after closing: the start's day still never counts -> Friday 16:30.
        (wita(2026, 1, 8, 20), 1, wita(2026, 1, 9, 16, 30)),
        # Thursday before opening: same.
        (wita(2026, 1, 8, 6), 1, wita(2026, 1, 9, 16, 30)),
        # Mon 5 Jan + 5: Tue(1) Wed(2) Thu(3) Fri(4) Mon 12(5) -> 16:00.
        (wita(2026, 1, 5, 10), 5, wita(2026, 1, 12, 16)),
        # Fri 14 Aug + 1: Mon 17 Aug is Independence Day -> Tue 18 16:00.
        (wita(2026, 8, 14, 10), 1, wita(2026, 8, 18, 16)),
        # Wed 23 Dec + 1: Thu 24 joint leave, Fri 25 Christmas, weekend -> Mon 28 16:00.
        (wita(2026, 12, 23, 10), 1, wita(2026, 12, 28, 16)),
        # Year boundary, Wed 30 Dec + 2: Thu 31(1), Fri 1 Jan off, weekend, Mon 4 Jan(2).
        (wita(2026, 12, 30, 10), 2, wita(2027, 1, 4, 16)),
        # Thu 31 Dec + 1 -> Mon 4 Jan 16:00.
        (wita(2026, 12, 31, 10), 1, wita(2027, 1, 4, 16)),
        # Eid 2025, Wed 26 Mar + 2: Thu 27(1), then Fri 28 Mar to Mon 7 Apr all off,
        # Tue 8 Apr(2) -> 16:00.
        (wita(2025, 3, 26, 10), 2, wita(2025, 4, 8, 16)),
    ],
)
def test_add_working_days(office: WorkCalendar, start: datetime, days: int, expected: datetime) -> None:
    assert office.add_working_days(start, days) == expected


def test_working_days_from_local_date_not_utc(office: WorkCalendar) -> None:
    # Tue 6 Jan 00:30 WITA is Mon 5 Jan 16:30 UTC. Counting from the local
    # date (Tuesday) gives Wednesday 16:00; counting from the UTC date
    # (Monday) would wrongly give Tuesday 16:00.
    filed = datetime(2026, 1, 5, 16, 30, tzinfo=timezone.utc)

    assert filed == wita(2026, 1, 6, 0, 30)
    assert office.add_working_days(filed, 1) == wita(2026, 1, 7, 16)


def test_working_days_monday_after_midnight(office: WorkCalendar) -> None:
    # Mon 12 Jan 00:30 WITA is Sun 11 Jan 16:30 UTC: the local Monday never
    # counts, so 1 working day ends Tuesday 16:00, not Monday 16:00.
    filed = datetime(2026, 1, 11, 16, 30, tzinfo=timezone.utc)

    assert office.add_working_days(filed, 1) == wita(2026, 1, 13, 16)


def test_add_working_days_zero_and_negative(office: WorkCalendar) -> None:
    start = wita(2026, 1, 5, 10)

    assert office.add_working_days(start, 0) == start
    with pytest.raises(CalendarError, match="negative"):
        office.add_working_days(start, -1)


# --- days off edited by administrators -------------------------------------------


def test_added_day_off(office: WorkCalendar) -> None:
    # Wed 7 Jan 2026 declared off: Tue 6 Jan + 1 working day skips it -> Thu 8 Jan 16:00.
    edited = office.with_days_off(added=[date(2026, 1, 7)])

    assert not edited.is_working_day(date(2026, 1, 7))
    assert edited.holiday_name(date(2026, 1, 7)) == "added day off"
    assert edited.added_days_off == frozenset({date(2026, 1, 7)})
    assert edited.add_working_days(wita(2026, 1, 6, 10), 1) == wita(2026, 1, 8, 16)
    # Tue 15:00 -> Thu 09:00: Tue 1 h, Wed off, Thu 1 h.
    assert edited.working_time(wita(2026, 1, 6, 15), wita(2026, 1, 8, 9)) == hours(2)


def test_removed_holiday(office: WorkCalendar) -> None:
    # 17 Aug 2026 (Monday) made a working day: Fri 14 Aug + 1 -> Mon 17 Aug 16:00.
    edited = office.with_days_off(removed=[date(2026, 8, 17)])

    assert edited.is_working_day(date(2026, 8, 17))
    assert edited.holiday_name(date(2026, 8, 17)) is None
    assert edited.removed_days_off == frozenset({date(2026, 8, 17)})
    assert edited.add_working_days(wita(2026, 8, 14, 10), 1) == wita(2026, 8, 17, 16)


def test_days_off_edit_leaves_original(office: WorkCalendar) -> None:
    office.with_days_off(added=[date(2026, 1, 7)], removed=[date(2026, 8, 17)])

    assert office.is_working_day(date(2026, 1, 7))
    assert not office.is_working_day(date(2026, 8, 17))
    assert office.added_days_off == frozenset()
    assert office.removed_days_off == frozenset()


def test_removing_added_day_off(office: WorkCalendar) -> None:
    # An administrator adds Mon 4 May 2026 by mistake, then removes it.
    added = office.with_days_off(added=[date(2026, 5, 4)])
    undone = added.with_days_off(removed=[date(2026, 5, 4)])

    assert not added.is_working_day(date(2026, 5, 4))
    assert undone.is_working_day(date(2026, 5, 4))
    assert date(2026, 5, 4) not in undone.added_days_off


def test_adding_back_removed_holiday(office: WorkCalendar) -> None:
    removed = office.with_days_off(removed=[date(2026, 8, 17)])
    restored = removed.with_days_off(added=[date(2026, 8, 17)])

    assert removed.is_working_day(date(2026, 8, 17))
    assert not restored.is_working_day(date(2026, 8, 17))
    assert date(2026, 8, 17) not in restored.removed_days_off


def test_days_off_edit_rejects_same_date_twice(office: WorkCalendar) -> None:
    with pytest.raises(CalendarError, match="2026-05-04"):
        office.with_days_off(added=[date(2026, 5, 4)], removed=[date(2026, 5, 4)])


# --- the 24x7 calendar -----------------------------------------------------------


def test_always_open_every_day(always: WorkCalendar) -> None:
    for day in (date(2026, 1, 10), date(2026, 1, 11), date(2026, 8, 17), date(2026, 12, 25), date(2027, 1, 1)):
        assert always.is_working_day(day)
        assert always.office_interval(day) == (
            datetime.combine(day, time(0), WITA),
            datetime.combine(day + timedelta(days=1), time(0), WITA),
        )


def test_always_open_ignores_added_days(always: WorkCalendar) -> None:
    edited = always.with_days_off(added=[date(2026, 1, 7)])

    assert edited.is_working_day(date(2026, 1, 7))


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        # Mon 5 Jan 10:00 + 1: Tuesday is the 1st day, ends at midnight after it.
        (wita(2026, 1, 5, 10), 1, wita(2026, 1, 7)),
        # Sat 10 Jan 23:00 + 2: Sun(1), Mon(2) -> midnight starting Tuesday.
        (wita(2026, 1, 10, 23), 2, wita(2026, 1, 13)),
        # Thu 31 Dec + 1: New Year's Day counts too -> midnight starting 2 Jan.
        (wita(2026, 12, 31, 10), 1, wita(2027, 1, 2)),
        # 00:30 WITA on Tue 6 Jan is Mon 16:30 UTC; the local Tuesday never
        # counts, Wednesday is day 1 -> midnight starting Thursday.
        (datetime(2026, 1, 5, 16, 30, tzinfo=timezone.utc), 1, wita(2026, 1, 8)),
    ],
)
def test_always_open_working_days(always: WorkCalendar, start: datetime, days: int, expected: datetime) -> None:
    assert always.add_working_days(start, days) == expected


def test_always_open_working_time_is_plain(always: WorkCalendar) -> None:
    # Fri 15:00 -> Mon 09:00 is 66 plain hours: 9 + 24 + 24 + 9.
    assert always.working_time(wita(2026, 1, 9, 15), wita(2026, 1, 12, 9)) == hours(66)
    assert always.add_working_time(wita(2026, 1, 9, 15), hours(3)) == wita(2026, 1, 9, 18)
    assert always.add_working_time(wita(2026, 12, 31, 22), hours(4)) == wita(2027, 1, 1, 2)


def test_always_open_is_open_at_night(always: WorkCalendar) -> None:
    sunday_night = wita(2026, 1, 11, 3)

    assert always.is_open(sunday_night)
    assert always.next_opening(sunday_night) == sunday_night


# --- invalid calendars and inputs ------------------------------------------------


def test_closing_before_opening_rejected() -> None:
    with pytest.raises(CalendarError, match="weekday 0"):
        WorkCalendar(code="bad", office_hours={0: (time(16), time(8))})


def test_bad_weekday_rejected() -> None:
    with pytest.raises(CalendarError, match="weekday 7 is invalid"):
        WorkCalendar(code="bad", office_hours={7: (time(8), time(16))})


def test_unknown_timezone_rejected() -> None:
    with pytest.raises(CalendarError, match="unknown timezone 'Mars/Olympus'"):
        WorkCalendar(code="bad", timezone="Mars/Olympus")


def test_calendar_without_working_time_fails_clearly() -> None:
    closed = WorkCalendar(code="closed", office_hours={}, holiday_country=None)

    with pytest.raises(CalendarError, match="no working time"):
        closed.add_working_days(wita(2026, 1, 5, 10), 1)
    with pytest.raises(CalendarError, match="no working time"):
        closed.add_working_time(wita(2026, 1, 5, 10), hours(1))


def test_other_timezone_office_hours() -> None:
    # A Jakarta (WIB, UTC+7) calendar: 08:00 WIB is 09:00 WITA, so a complaint
    # filed Monday 08:30 WITA (07:30 WIB) counts from 08:00 WIB.
    jakarta = WorkCalendar(code="jakarta", timezone="Asia/Jakarta")

    assert jakarta.add_working_time(wita(2026, 1, 5, 8, 30), hours(1)) == wita(2026, 1, 5, 10)


def test_always_open_counts_absolute_hours_across_dst() -> None:
    # Berlin moves from 02:00 CET to 03:00 CEST on Sun 29 Mar 2026. From
    # 01:00 CET (00:00 UTC), 3 hours later is 03:00 UTC, i.e. 05:00 CEST.
    berlin = ZoneInfo("Europe/Berlin")
    calendar = always_open_calendar("Europe/Berlin")
    start = datetime(2026, 3, 29, 1, 0, tzinfo=berlin)

    assert calendar.add_working_time(start, hours(3)) == datetime(2026, 3, 29, 5, 0, tzinfo=berlin)
    assert calendar.working_time(start, datetime(2026, 3, 29, 5, 0, tzinfo=berlin)) == hours(3)
    # That Sunday has 23 hours: midnight to midnight.
    assert calendar.working_time(datetime(2026, 3, 29, tzinfo=berlin), datetime(2026, 3, 30, tzinfo=berlin)) == hours(23)


NAIVE = datetime(2026, 1, 5, 10, 0)


@pytest.mark.parametrize(
    "call",
    [
        lambda cal: cal.local_date(NAIVE),
        lambda cal: cal.is_open(NAIVE),
        lambda cal: cal.next_opening(NAIVE),
        lambda cal: cal.working_time(NAIVE, wita(2026, 1, 6)),
        lambda cal: cal.working_time(wita(2026, 1, 4), NAIVE),
        lambda cal: cal.add_working_time(NAIVE, hours(1)),
        lambda cal: cal.add_working_days(NAIVE, 1),
        lambda cal: cal.add_working_days(NAIVE, 0),
    ],
    ids=["local_date", "is_open", "next_opening", "working_time_start", "working_time_end", "add_working_time", "add_working_days", "add_zero_days"],
)
def test_naive_datetime_rejected(office: WorkCalendar, always: WorkCalendar, call) -> None:  # type: ignore[no-untyped-def]
    for calendar in (office, always):
        with pytest.raises(NaiveDatetimeError, match=r"2026-01-05T10:00:00 has no UTC offset; give one"):
            call(calendar)
