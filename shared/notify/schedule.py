"""Not-before instants: citizens' quiet hours and officials' office hours."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from shared.sla.calendar import WorkCalendar


def in_quiet_hours(local: time, start: time, end: time) -> bool:
    if start <= end:
        return start <= local < end
    return local >= start or local < end


def citizen_not_before(at: datetime, timezone: str, quiet_start: time, quiet_end: time) -> datetime:
    """Return `at`, or the end of the quiet hours that `at` falls in, in the citizen's local time."""
    local = at.astimezone(ZoneInfo(timezone))
    if not in_quiet_hours(local.timetz().replace(tzinfo=None), quiet_start, quiet_end):
        return at
    release = local.replace(hour=quiet_end.hour, minute=quiet_end.minute, second=0, microsecond=0)
    if release <= local:
        release += timedelta(days=1)
    return release


def official_not_before(at: datetime, calendar: WorkCalendar, urgent: bool) -> datetime:
    """Return `at` for urgent (24x7) alerts, else the next opening of office hours."""
    if urgent or calendar.always_open:
        return at
    return calendar.next_opening(at)
