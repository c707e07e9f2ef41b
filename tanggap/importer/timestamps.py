"""Reading the export's timestamps as instants.

A timestamp with a UTC offset keeps it. One without an offset is read as a
wall-clock time in the zone the import was given (`--timezone`, or the
mapping file's `timezone`). In a zone with daylight saving, a wall-clock time
that occurs twice is read as its first occurrence (`fold=0`).
"""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tanggap.importer.errors import ImportInputError


def load_zone(name: str, where: str) -> ZoneInfo:
    """Return the IANA zone `name`; raise `ImportInputError` naming `where` it came from when it is unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ImportInputError(
            f"{where}: unknown timezone {name!r}; use an IANA name such as UTC or Asia/Makassar"
        ) from exc


def parse_instant(value: str, zone: ZoneInfo) -> datetime:
    """Parse an ISO 8601 timestamp into an aware UTC datetime; raise ValueError when it is not one."""
    parsed = datetime.fromisoformat(value.strip())
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    return parsed.astimezone(timezone.utc)
