"""The DateTime scalar: ISO 8601 with a UTC offset, both ways.

A value without an offset, or a bare date, is rejected: "2026-03-05 09:30"
could mean WITA or UTC, eight hours apart, and a deadline computed from
the wrong one is wrong for everyone.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

import strawberry

from services.gateway.details import Detail, detail
from services.gateway.messages import render_detail
from shared.timeutil import NaiveDatetimeError, require_aware

_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_HAS_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
# Instants far outside these years are mistakes, and adding an SLA target
# or a UTC offset to one near year 1 or 9999 overflows Python's datetime.
MIN_YEAR = 1900
MAX_YEAR = 2999


class DateTimeInputError(ValueError):
    """A DateTime input that is not an ISO 8601 instant with a UTC offset."""

    def __init__(self, value: object, reason: Detail) -> None:
        self.value = value
        self.reason = reason
        english = render_detail(reason, "en")
        super().__init__(f"{value!r} is not a DateTime: {english}; use e.g. 2026-03-05T09:30:00+08:00")


REASONS = (
    detail("DATETIME_NOT_A_STRING"),
    detail("DATETIME_NOT_ISO_8601"),
    detail("DATETIME_DATE_ONLY"),
    detail("DATETIME_YEAR_OUT_OF_RANGE", minimum=MIN_YEAR, maximum=MAX_YEAR),
    detail("DATETIME_NO_OFFSET"),
)


def reason_from_text(english: str) -> Detail | str:
    """Return the reason whose English text graphql-core kept from a DateTimeInputError, or the text itself."""
    for reason in REASONS:
        if render_detail(reason, "en") == english.strip():
            return reason
    return english


def parse_datetime(value: object) -> datetime:
    not_a_string, not_iso, date_only, year_out_of_range, no_offset = REASONS
    if not isinstance(value, str):
        raise DateTimeInputError(value, not_a_string)

    text = value.strip()
    if _DATE_ONLY.match(text):
        raise DateTimeInputError(value, date_only)
    if not _HAS_TIME.match(text):
        raise DateTimeInputError(value, not_iso)
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError as exc:
        raise DateTimeInputError(value, not_iso) from exc

    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        raise DateTimeInputError(value, year_out_of_range)
    try:
        return require_aware(parsed, "DateTime").astimezone(timezone.utc)
    except NaiveDatetimeError as exc:
        raise DateTimeInputError(value, no_offset) from exc


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
