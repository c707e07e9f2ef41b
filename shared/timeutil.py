"""Timezone-aware time: the injectable clock and the checks at boundaries.

Every "now" in Tanggap comes from `clock.now()`, so tests about office hours
and deadlines set the instant instead of depending on when they run.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone


class NaiveDatetimeError(ValueError):
    """A datetime without a UTC offset reached a boundary that needs one."""


def require_aware(value: datetime, name: str = "datetime") -> datetime:
    """Return `value` unchanged, or raise when it carries no UTC offset."""
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise NaiveDatetimeError(
            f"{name} {value.isoformat()} has no UTC offset; give one, e.g. {value.isoformat()}+08:00"
        )
    return value


def utc(value: datetime) -> datetime:
    """Convert an aware datetime to UTC."""
    return require_aware(value).astimezone(timezone.utc)


class Clock:
    """The source of the current instant; tests replace `source` or call `freeze`."""

    def __init__(self, source: Callable[[], datetime] | None = None) -> None:
        self._source = source or (lambda: datetime.now(timezone.utc))

    def now(self) -> datetime:
        return utc(self._source())

    def freeze(self, instant: datetime) -> None:
        fixed = utc(instant)
        self._source = lambda: fixed

    def set_source(self, source: Callable[[], datetime]) -> None:
        self._source = source

    def reset(self) -> None:
        """Go back to the real current time."""
        self._source = lambda: datetime.now(timezone.utc)


clock = Clock()
