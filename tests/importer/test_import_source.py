from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tanggap.importer.errors import ImportInputError
from tanggap.importer.source import (
    DUPLICATE_SOURCE_ID,
    EMPTY_TEXT,
    INVALID_RESPONDED_AT,
    INVALID_SUBMITTED_AT,
    MISSING_SOURCE_ID,
    RESPONDED_BEFORE_SUBMITTED,
    SUBMITTED_IN_FUTURE,
    RowFault,
    SourceRow,
    read_source,
)
from tanggap.importer.timestamps import parse_instant
from tanggap.importer.titles import title_from_text

from export_files import ExportWriter, export_row

NOW = datetime(2026, 1, 15, tzinfo=timezone.utc)
UTC = ZoneInfo("UTC")
WITA = ZoneInfo("Asia/Makassar")


def test_naive_timestamp_read_in_zone() -> None:
    assert parse_instant("2022-03-01T09:00:00", WITA) == datetime(2022, 3, 1, 1, 0, tzinfo=timezone.utc)
    assert parse_instant("2022-03-01T09:00:00", UTC) == datetime(2022, 3, 1, 9, 0, tzinfo=timezone.utc)


def test_timestamp_offset_is_kept() -> None:
    assert parse_instant("2022-03-01T09:00:00+07:00", WITA) == datetime(2022, 3, 1, 2, 0, tzinfo=timezone.utc)
    assert parse_instant("2022-03-01T09:00:00Z", WITA) == datetime(2022, 3, 1, 9, 0, tzinfo=timezone.utc)


def test_rows_read_with_instants(write_export: ExportWriter) -> None:
    path = write_export([export_row("1", submitted_at="2022-03-01T01:00:00", responded_at="2022-03-01T03:30:00")])

    [row] = read_source(path, UTC, NOW)

    assert isinstance(row, SourceRow)
    assert row.row_number == 1
    assert row.submitted_at == datetime(2022, 3, 1, 1, 0, tzinfo=timezone.utc)
    assert row.responded_at == datetime(2022, 3, 1, 3, 30, tzinfo=timezone.utc)


def test_multiline_text_kept(write_export: ExportWriter) -> None:
    text = "Baris pertama, dengan koma.\nBaris kedua \"dikutip\".\n\nBaris keempat 😀"
    path = write_export([export_row("1", text=text)])

    [row] = read_source(path, UTC, NOW)

    assert isinstance(row, SourceRow)
    assert row.text == text


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        ({"source_id": " "}, MISSING_SOURCE_ID),
        ({"text": "   "}, EMPTY_TEXT),
        ({"submitted_at": "01/03/2022 09:00"}, INVALID_SUBMITTED_AT),
        ({"submitted_at": ""}, INVALID_SUBMITTED_AT),
        ({"responded_at": "kemarin"}, INVALID_RESPONDED_AT),
        ({"submitted_at": "2022-03-02T00:00:00", "responded_at": "2022-03-01T00:00:00"}, RESPONDED_BEFORE_SUBMITTED),
        ({"submitted_at": "2027-01-01T00:00:00"}, SUBMITTED_IN_FUTURE),
    ],
)
def test_bad_row_becomes_fault(write_export: ExportWriter, values: dict[str, str], reason: str) -> None:
    path = write_export([export_row("7", **values), export_row("8")])

    faulty, good = read_source(path, UTC, NOW)

    assert isinstance(faulty, RowFault)
    assert faulty.reason == reason
    assert faulty.row_number == 1
    assert isinstance(good, SourceRow)


def test_duplicate_source_id_becomes_fault(write_export: ExportWriter) -> None:
    path = write_export([export_row("5"), export_row("5", text="lain")])

    first, second = read_source(path, UTC, NOW)

    assert isinstance(first, SourceRow)
    assert isinstance(second, RowFault)
    assert second.reason == DUPLICATE_SOURCE_ID


def test_missing_file_rejected(tmp_path: Path) -> None:
    with pytest.raises(ImportInputError, match="not found"):
        read_source(tmp_path / "nope.csv", UTC, NOW)


def test_header_without_columns_rejected(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("source_id,text,topic\n1,teks,PJU\n", encoding="utf-8")

    with pytest.raises(ImportInputError, match="lacks the columns agency, district"):
        read_source(path, UTC, NOW)


def test_non_utf8_file_rejected(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("source_id,text,topic,agency,district,subdistrict,submitted_at,responded_at\n1,caf\xe9".encode("latin-1"))

    with pytest.raises(ImportInputError, match="not UTF-8"):
        read_source(path, UTC, NOW)


def test_title_takes_first_words() -> None:
    text = "Lampu jalan mati di depan rumah saya sejak tiga hari yang lalu mohon diperbaiki"

    title = title_from_text(text)

    assert title == "Lampu jalan mati di depan rumah saya sejak tiga hari…"
    assert title_from_text("  Sampah   menumpuk ") == "Sampah menumpuk"
    assert len(title_from_text("x" * 500)) == 80
