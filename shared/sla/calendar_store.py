"""Calendars as stored in MongoDB, turned into `WorkCalendar` objects."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from shared.sla.calendar import ALWAYS_OPEN_CODE, DEFAULT_OFFICE_HOURS, WorkCalendar

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class CalendarNotFoundError(LookupError):
    """No calendar with the given code exists."""


def _parse_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def office_hours_to_doc(hours: dict[int, tuple[time, time]]) -> dict[str, list[str]]:
    return {WEEKDAY_NAMES[day]: [start.strftime("%H:%M"), end.strftime("%H:%M")] for day, (start, end) in sorted(hours.items())}


def calendar_from_doc(doc: dict[str, Any]) -> WorkCalendar:
    """Build a `WorkCalendar` from a `calendars` document."""
    hours = {
        WEEKDAY_NAMES.index(day): (time.fromisoformat(span[0]), time.fromisoformat(span[1]))
        for day, span in (doc.get("officeHours") or {}).items()
    }
    return WorkCalendar(
        code=doc["code"],
        timezone=doc.get("timezone", "Asia/Makassar"),
        always_open=bool(doc.get("alwaysOpen", False)),
        office_hours=hours,
        holiday_country=doc.get("holidayCountry"),
        holiday_categories=tuple(doc.get("holidayCategories", ("public", "government"))),
        added_days_off=frozenset(_parse_date(d) for d in doc.get("addedDaysOff", [])),
        removed_days_off=frozenset(_parse_date(d) for d in doc.get("removedDaysOff", [])),
    )


def default_calendar_docs(timezone: str) -> list[dict[str, Any]]:
    """Return the two calendars every deployment starts with: office days and 24x7."""
    return [
        {
            "code": "office",
            "name": "Hari kerja kantor (Senin-Jumat)",
            "timezone": timezone,
            "alwaysOpen": False,
            "officeHours": office_hours_to_doc(dict(DEFAULT_OFFICE_HOURS)),
            "holidayCountry": "ID",
            "holidayCategories": ["public", "government"],
            "addedDaysOff": [],
            "removedDaysOff": [],
        },
        {
            "code": ALWAYS_OPEN_CODE,
            "name": "Layanan darurat 24 jam, 7 hari",
            "timezone": timezone,
            "alwaysOpen": True,
            "officeHours": {},
            "holidayCountry": None,
            "holidayCategories": [],
            "addedDaysOff": [],
            "removedDaysOff": [],
        },
    ]


async def load_calendar(db: AsyncDatabase[dict[str, Any]], code: str) -> WorkCalendar:
    """Read one calendar by code; raise `CalendarNotFoundError` when it does not exist."""
    doc = await db.calendars.find_one({"code": code})
    if doc is None:
        raise CalendarNotFoundError(f"calendar {code!r} not found; list calendars with Query.calendars")
    return calendar_from_doc(doc)


async def load_calendars(db: AsyncDatabase[dict[str, Any]]) -> dict[str, WorkCalendar]:
    """Read every calendar, keyed by code; scans use this once per pass instead of one read per complaint."""
    return {doc["code"]: calendar_from_doc(doc) async for doc in db.calendars.find({})}
