"""Small CSV exports in the shape of the shared data file, written by the tests themselves."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

from tanggap.importer.source import COLUMNS

ExportWriter = Callable[[list[dict[str, str]]], Path]


def export_row(source_id: str, /, **values: str) -> dict[str, str]:
    """Return one export row with plausible defaults; `values` override them."""
    row = {
        "source_id": source_id,
        "text": "Lampu penerangan jalan di depan gang mati sejak tiga hari, mohon segera diperbaiki.",
        "topic": "PJU",
        "agency": "Dinas Perhubungan",
        "district": "Mamajang",
        "subdistrict": "Mamajang Dalam",
        "submitted_at": "2022-03-01T01:00:00",
        "responded_at": "",
    }
    row.update(values)
    return row


def write_rows(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path
