"""Working calendars: office hours per weekday, holidays and added days off.

Days and office hours are taken in the calendar's own timezone, never in UTC:
a complaint filed at 00:30 WITA belongs to that local day although its UTC
date is the day before. Durations between instants are absolute time. A
24x7 calendar treats every day as a working day whose office hours are the
whole day.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

from shared.timeutil import require_aware

ALWAYS_OPEN_CODE = "24x7"

# Monday is 0, as in `date.weekday()`. Fridays close later in Makassar's
# offices because of the shorter midday break kept for Friday prayers.
DEFAULT_OFFICE_HOURS: Mapping[int, tuple[time, time]] = {
    0: (time(8, 0), time(16, 0)),
    1: (time(8, 0), time(16, 0)),
    2: (time(8, 0), time(16, 0)),
    3: (time(8, 0), time(16, 0)),
    4: (time(8, 0), time(16, 30)),
}

# A calendar with no working day at all would make every search below run
# forever; ten years is far beyond any SLA target or escalation delay.
SEARCH_LIMIT_DAYS = 3660


class CalendarError(ValueError):
    """A calendar is invalid or cannot answer a question."""


@dataclass(frozen=True)
class WorkCalendar:
    """A working calendar in one timezone."""

    code: str
    timezone: str = "Asia/Makassar"
    always_open: bool = False
    office_hours: Mapping[int, tuple[time, time]] = field(default_factory=lambda: dict(DEFAULT_OFFICE_HOURS))
    holiday_country: str | None = "ID"
    holiday_categories: tuple[str, ...] = ("public", "government")
    added_days_off: frozenset[date] = frozenset()
    removed_days_off: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise CalendarError(
                f"calendar {self.code!r} has an unknown timezone {self.timezone!r}; use an IANA name such as Asia/Makassar"
            ) from exc
        for weekday, (opening, closing) in self.office_hours.items():
            if not 0 <= weekday <= 6:
                raise CalendarError(f"weekday {weekday} is invalid; use 0 (Monday) to 6 (Sunday)")
            if closing <= opening:
                raise CalendarError(f"office hours on weekday {weekday} close at {closing} before opening at {opening}")

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @cached_property
    def _holidays(self) -> holidays.HolidayBase | None:
        if self.holiday_country is None:
            return None
        return holidays.country_holidays(self.holiday_country, categories=self.holiday_categories)

    def holiday_name(self, day: date) -> str | None:
        """Return why `day` is off (a holiday's name or an added day off), or None."""
        if day in self.added_days_off:
            return "added day off"
        if day in self.removed_days_off or self._holidays is None:
            return None
        return self._holidays.get(day)

    def is_working_day(self, day: date) -> bool:
        if self.always_open:
            return True
        if day in self.added_days_off:
            return False
        if day.weekday() not in self.office_hours:
            return False
        return day in self.removed_days_off or self.holiday_name(day) is None

    def office_interval(self, day: date) -> tuple[datetime, datetime] | None:
        """Return the aware opening and closing instants of `day`, or None on a day off."""
        if not self.is_working_day(day):
            return None
        if self.always_open:
            opening = datetime.combine(day, time(0), self.zone)
            return opening, datetime.combine(day + timedelta(days=1), time(0), self.zone)
        start, end = self.office_hours[day.weekday()]
        return datetime.combine(day, start, self.zone), datetime.combine(day, end, self.zone)

    def local_date(self, instant: datetime) -> date:
        return require_aware(instant, "instant").astimezone(self.zone).date()

    def _intervals_from(self, day: date) -> Iterator[tuple[datetime, datetime]]:
        for offset in range(SEARCH_LIMIT_DAYS):
            interval = self.office_interval(day + timedelta(days=offset))
            if interval is not None:
                yield interval
        raise CalendarError(f"calendar {self.code!r} has no working time within {SEARCH_LIMIT_DAYS} days of {day}")

    def is_open(self, instant: datetime) -> bool:
        interval = self.office_interval(self.local_date(instant))
        return interval is not None and interval[0] <= instant < interval[1]

    def next_opening(self, instant: datetime) -> datetime:
        """Return `instant` when offices are open then, else the next opening."""
        for opening, closing in self._intervals_from(self.local_date(instant)):
            if instant < closing:
                return max(opening, instant)
        raise AssertionError("unreachable: _intervals_from raises when exhausted")

    def working_time(self, start: datetime, end: datetime) -> timedelta:
        """Return the working time between two instants (zero when end <= start)."""
        # UTC instants make the arithmetic absolute: two datetimes sharing a
        # tzinfo subtract by wall clock, which is wrong across a DST change.
        start = require_aware(start, "start").astimezone(UTC)
        end = require_aware(end, "end").astimezone(UTC)
        if end <= start:
            return timedelta(0)
        if self.always_open:
            return end - start

        total = timedelta(0)
        day = self.local_date(start)
        last = self.local_date(end)
        while day <= last:
            interval = self.office_interval(day)
            if interval is not None:
                overlap = min(end, interval[1]) - max(start, interval[0])
                if overlap > timedelta(0):
                    total += overlap
            day += timedelta(days=1)
        return total

    def add_working_time(self, start: datetime, amount: timedelta) -> datetime:
        """Return the first instant at which `amount` of working time has passed since `start`."""
        start = require_aware(start, "start").astimezone(UTC)
        if amount < timedelta(0):
            raise CalendarError(f"working time to add is negative: {amount}")
        if amount == timedelta(0):
            return start
        if self.always_open:
            return start + amount

        remaining = amount
        for opening, closing in self._intervals_from(self.local_date(start)):
            begin = max(opening, start)
            if begin >= closing:
                continue
            available = closing - begin
            if remaining <= available:
                return begin + remaining
            remaining -= available
        raise AssertionError("unreachable: _intervals_from raises when exhausted")

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """Return the close of the `days`-th working day after the local date of `start`.

        The start's own day never counts: a Thursday-morning start with one
        working day ends at Friday's closing time.
        """
        if days < 0:
            raise CalendarError(f"working days to add is negative: {days}")
        if days == 0:
            return require_aware(start, "start")

        counted = 0
        for _opening, closing in self._intervals_from(self.local_date(start) + timedelta(days=1)):
            counted += 1
            if counted == days:
                return closing
        raise AssertionError("unreachable: _intervals_from raises when exhausted")

    def with_days_off(self, added: Iterable[date] = (), removed: Iterable[date] = ()) -> WorkCalendar:
        """Return a copy with more days off added and holidays removed.

        The latest edit of a date wins: removing a date that an earlier edit
        added makes it a working day again, and adding back a removed
        holiday makes it a day off again.
        """
        added_now = frozenset(added)
        removed_now = frozenset(removed)
        both = added_now & removed_now
        if both:
            dates = ", ".join(sorted(day.isoformat() for day in both))
            raise CalendarError(f"dates {dates} are both added and removed as days off; give each date once")

        return WorkCalendar(
            code=self.code,
            timezone=self.timezone,
            always_open=self.always_open,
            office_hours=self.office_hours,
            holiday_country=self.holiday_country,
            holiday_categories=self.holiday_categories,
            added_days_off=(self.added_days_off - removed_now) | added_now,
            removed_days_off=(self.removed_days_off - added_now) | removed_now,
        )


def always_open_calendar(timezone: str = "Asia/Makassar") -> WorkCalendar:
    """Return the 24x7 calendar used by fire, flood and disaster categories."""
    return WorkCalendar(code=ALWAYS_OPEN_CODE, timezone=timezone, always_open=True, office_hours={}, holiday_country=None)
