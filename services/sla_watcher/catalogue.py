"""The small catalogue one pass of the watcher reads once: calendars, agency and category names."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shared.mongo import AGENCIES, CATEGORIES, Database
from shared.sla.calendar import WorkCalendar
from shared.sla.calendar_store import CalendarNotFoundError, load_calendars


@dataclass(frozen=True)
class Catalogue:
    calendars: dict[str, WorkCalendar]
    agencies: dict[str, dict[str, Any]]
    categories: dict[str, dict[str, Any]]
    default_timezone: str

    def calendar(self, code: str) -> WorkCalendar:
        try:
            return self.calendars[code]
        except KeyError:
            raise CalendarNotFoundError(
                f"calendar {code!r} not found; restore it or move the complaints' policies to another calendar"
            ) from None

    def agency_name(self, code: str | None) -> str:
        agency = self.agencies.get(code or "")
        return str(agency["name"]) if agency else (code or "")

    def agency_timezone(self, code: str | None) -> str:
        agency = self.agencies.get(code or "")
        return str(agency.get("timezone") or self.default_timezone) if agency else self.default_timezone

    def category_name(self, code: str | None) -> str:
        category = self.categories.get(code or "")
        return str(category["name"]) if category else (code or "")


async def load_catalogue(db: Database, default_timezone: str) -> Catalogue:
    """Read the catalogue; each pass reads it again, so edits apply from the next pass."""
    agencies = {doc["code"]: doc async for doc in db[AGENCIES].find({}, {"code": 1, "name": 1, "timezone": 1})}
    categories = {doc["code"]: doc async for doc in db[CATEGORIES].find({}, {"code": 1, "name": 1})}
    return Catalogue(
        calendars=await load_calendars(db),
        agencies=agencies,
        categories=categories,
        default_timezone=default_timezone,
    )
