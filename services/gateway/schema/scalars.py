"""The DateTime scalar: ISO 8601 with a UTC offset, both ways.

A value without an offset, or a bare date, is rejected: "2026-03-05 09:30"
could mean WITA or UTC, eight hours apart, and a deadline computed from
the wrong one is wrong for everyone.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

import strawberry

from shared.timeutil import NaiveDatetimeError, require_aware

_HAS_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
# Instants far outside these years are mistakes, and adding an SLA target
# or a UTC offset to one near year 1 or 9999 overflows Python's datetime.
MIN_YEAR = 1900
MAX_YEAR = 2999


class DateTimeInputError(ValueError):
    """A DateTime input that is not an ISO 8601 instant with a UTC offset."""

    def __init__(self, value: object, reason: str) -> None:
        self.value = value
        self.reason = reason
        super().__init__(f"{value!r} is not a DateTime: {reason}; use e.g. 2026-03-05T09:30:00+08:00")


def parse_datetime(value: object) -> datetime:
    if not isinstance(value, str):
        raise DateTimeInputError(value, "expected a string")
    text = value.strip()
    if not _HAS_TIME.match(text):
        raise DateTimeInputError(value, "a date alone is not an instant, add a time and an offset")
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError as exc:
        raise DateTimeInputError(value, "not ISO 8601") from exc
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        raise DateTimeInputError(value, f"the year must be between {MIN_YEAR} and {MAX_YEAR}")
    try:
        return require_aware(parsed, "DateTime").astimezone(timezone.utc)
    except NaiveDatetimeError as exc:
        raise DateTimeInputError(value, "no UTC offset") from exc


def serialize_datetime(value: datetime) -> str:
    return require_aware(value, "DateTime").astimezone(timezone.utc).isoformat()


DATETIME_SCALAR = strawberry.scalar(
    name="DateTime",
    description=(
        "An instant as ISO 8601 with a UTC offset, e.g. 2026-03-05T09:30:00+08:00. "
        "Inputs without an offset, and bare dates, are rejected."
    ),
    serialize=serialize_datetime,
    parse_value=parse_datetime,
)
"""Mapped to Python's `datetime` through the schema's `scalar_map`, so fields are annotated `datetime`."""
