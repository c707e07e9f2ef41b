"""SLA targets: an amount and a unit, measured in plain or working time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Any

from shared.sla.calendar import WorkCalendar
from shared.timeutil import require_aware


class SlaUnit(str, Enum):
    MINUTES = "MINUTES"
    HOURS = "HOURS"
    DAYS = "DAYS"
    WORKING_HOURS = "WORKING_HOURS"
    WORKING_DAYS = "WORKING_DAYS"

    @property
    def is_working(self) -> bool:
        return self in (SlaUnit.WORKING_HOURS, SlaUnit.WORKING_DAYS)


_PLAIN_LENGTH = {
    SlaUnit.MINUTES: timedelta(minutes=1),
    SlaUnit.HOURS: timedelta(hours=1),
    SlaUnit.DAYS: timedelta(days=1),
}


@dataclass(frozen=True)
class SlaTarget:
    amount: int
    unit: SlaUnit

    def __post_init__(self) -> None:
        if self.amount < 1:
            raise ValueError(f"SLA target amount {self.amount} is invalid; use a whole number of at least 1")

    def end(self, calendar: WorkCalendar, start: datetime) -> datetime:
        """Return the instant at which this target, started at `start`, runs out."""
        require_aware(start, "start")
        if self.unit is SlaUnit.WORKING_DAYS:
            return calendar.add_working_days(start, self.amount)
        if self.unit is SlaUnit.WORKING_HOURS:
            return calendar.add_working_time(start, timedelta(hours=self.amount))
        # In UTC, so that a day is 24 hours even across a DST change.
        return start.astimezone(UTC) + self.amount * _PLAIN_LENGTH[self.unit]

    def to_doc(self) -> dict[str, Any]:
        return {"amount": self.amount, "unit": self.unit.value}

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> SlaTarget:
        return cls(amount=int(doc["amount"]), unit=SlaUnit(doc["unit"]))

    def describe(self) -> str:
        return f"{self.amount} {self.unit.value}"


def measure(calendar: WorkCalendar, unit: SlaUnit, start: datetime, end: datetime) -> timedelta:
    """Return the time between two instants as a clock with `unit` counts it."""
    require_aware(start, "start")
    require_aware(end, "end")
    if unit.is_working:
        return calendar.working_time(start, end)
    return max(end.astimezone(UTC) - start.astimezone(UTC), timedelta(0))


def advance(calendar: WorkCalendar, unit: SlaUnit, start: datetime, amount: timedelta) -> datetime:
    """Return the instant at which a clock with `unit` has counted `amount` since `start`."""
    require_aware(start, "start")
    if unit.is_working:
        return calendar.add_working_time(start, amount)
    return start.astimezone(UTC) + amount
