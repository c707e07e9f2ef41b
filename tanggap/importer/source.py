"""Reading the export CSV into checked rows.

The file is read whole before anything is written, so a file that cannot be
read, or whose header lacks a column, stops the import with nothing stored.
A row with a bad field does not stop it: it becomes a `RowFault`, which
the import report counts by reason and lists.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from tanggap.importer.errors import ImportInputError
from tanggap.importer.timestamps import parse_instant

COLUMNS = ("source_id", "text", "topic", "agency", "district", "subdistrict", "submitted_at", "responded_at")

# Reasons a row is a data error; the report counts rows under these names.
MISSING_SOURCE_ID = "missing source_id"
EMPTY_TEXT = "empty text"
INVALID_SUBMITTED_AT = "invalid submitted_at"
INVALID_RESPONDED_AT = "invalid responded_at"
RESPONDED_BEFORE_SUBMITTED = "responded before submitted"
SUBMITTED_IN_FUTURE = "submitted in the future"
DUPLICATE_SOURCE_ID = "duplicate source_id in file"


@dataclass(frozen=True)
class SourceRow:
    """One complaint of the export, with its timestamps read as UTC instants."""

    row_number: int
    source_id: str
    text: str
    topic: str
    agency: str
    district: str
    subdistrict: str
    submitted_at: datetime
    responded_at: datetime | None


@dataclass(frozen=True)
class RowFault:
    """A row that cannot be imported: the reason (one of the constants above) and what was wrong."""

    row_number: int
    source_id: str
    reason: str
    detail: str


def _records(path: Path) -> Iterator[dict[str, str]]:
    """Yield the CSV's records as dicts; raise `ImportInputError` for an unreadable file or a bad header."""
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except FileNotFoundError as exc:
        raise ImportInputError(f"file {path} not found; give the path of an export CSV") from exc
    except OSError as exc:
        raise ImportInputError(f"file {path} cannot be opened: {exc.strerror}") from exc

    with handle:
        reader = csv.DictReader(handle)
        try:
            header = reader.fieldnames
            missing = [column for column in COLUMNS if column not in (header or [])]
            if missing:
                raise ImportInputError(
                    f"file {path} lacks the columns {', '.join(missing)}; "
                    f"its first line must be the header {','.join(COLUMNS)}"
                )
            yield from reader
        except UnicodeDecodeError as exc:
            raise ImportInputError(f"file {path} is not UTF-8 text: {exc}") from exc
        except csv.Error as exc:
            raise ImportInputError(f"file {path} is not valid CSV near line {reader.line_num}: {exc}") from exc


def _check_row(number: int, record: dict[str, str | None], zone: ZoneInfo, now: datetime) -> SourceRow | RowFault:
    values = {column: (record.get(column) or "") for column in COLUMNS}
    source_id = values["source_id"].strip()

    def fault(reason: str, detail: str) -> RowFault:
        return RowFault(row_number=number, source_id=source_id, reason=reason, detail=detail)

    if not source_id:
        return fault(MISSING_SOURCE_ID, "source_id is empty")
    if not values["text"].strip():
        return fault(EMPTY_TEXT, "text is empty")

    try:
        submitted = parse_instant(values["submitted_at"], zone)
    except ValueError:
        return fault(INVALID_SUBMITTED_AT, f"submitted_at {values['submitted_at']!r} is not an ISO 8601 timestamp")
    if submitted > now:
        return fault(SUBMITTED_IN_FUTURE, f"submitted_at {submitted.isoformat()} is after the import")

    responded: datetime | None = None
    if values["responded_at"].strip():
        try:
            responded = parse_instant(values["responded_at"], zone)
        except ValueError:
            return fault(INVALID_RESPONDED_AT, f"responded_at {values['responded_at']!r} is not an ISO 8601 timestamp")
        if responded < submitted:
            return fault(
                RESPONDED_BEFORE_SUBMITTED,
                f"responded_at {responded.isoformat()} is before submitted_at {submitted.isoformat()}",
            )

    return SourceRow(
        row_number=number,
        source_id=source_id,
        text=values["text"].strip(),
        topic=values["topic"].strip(),
        agency=values["agency"].strip(),
        district=values["district"].strip(),
        subdistrict=values["subdistrict"].strip(),
        submitted_at=submitted,
        responded_at=responded,
    )


def read_source(path: Path, zone: ZoneInfo, now: datetime) -> list[SourceRow | RowFault]:
    """Read and check every row of the export; rows are numbered from 1 after the header.

    A row whose `source_id` appeared on an earlier row becomes a fault too,
    so each source complaint is imported once.
    """
    results: list[SourceRow | RowFault] = []
    seen: set[str] = set()
    for number, record in enumerate(_records(path), start=1):
        checked = _check_row(number, record, zone, now)
        if isinstance(checked, SourceRow):
            if checked.source_id in seen:
                checked = RowFault(number, checked.source_id, DUPLICATE_SOURCE_ID, "an earlier row has the same source_id")
            else:
                seen.add(checked.source_id)
        results.append(checked)
    return results
