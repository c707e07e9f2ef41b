import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from pymongo.errors import BulkWriteError, DuplicateKeyError

from shared.mongo import COMPLAINT_EVENTS, COMPLAINTS, COUNTERS, Database
from shared.settings import Settings
from shared.sla.calendar import WorkCalendar
from shared.timeutil import clock
from tanggap.importer.errors import ImportInputError
from tanggap.importer.mapping import DEFAULT_MAPPING
from tanggap.importer.report import ALREADY_IMPORTED, ImportReport
from tanggap.importer.pending import pending_rows
from tanggap.importer.run import ImportOptions, import_complaints, prepare_import
from tanggap.importer.writes import batch_docs, insert_batch
from tanggap.importer.source import RESPONDED_BEFORE_SUBMITTED

from export_files import ExportWriter, export_row

SYSTEM = "surabaya-pengaduan"
IMPORT_INSTANT = datetime(2026, 1, 15, 2, 0, tzinfo=timezone.utc)
OFFICE = WorkCalendar(code="office", timezone="Asia/Makassar")


def options(path: Path, **values: object) -> ImportOptions:
    return ImportOptions(path=path, mapping_path=DEFAULT_MAPPING, **values)  # type: ignore[arg-type]


async def stored_complaint(db: Database, source_id: str) -> dict:
    doc = await db[COMPLAINTS].find_one({"source.system": SYSTEM, "source.id": source_id})
    assert doc is not None, f"complaint of source id {source_id} not stored"
    return doc


async def test_answered_row_stored_closed(seeded: Database, settings: Settings, write_export: ExportWriter) -> None:
    # given: filed Tuesday 1 March 2022 at 09:00 WITA, answered at 11:30 WITA
    clock.freeze(IMPORT_INSTANT)
    path = write_export([export_row("100", submitted_at="2022-03-01T01:00:00", responded_at="2022-03-01T03:30:00")])

    # when
    report = await import_complaints(seeded, settings, options(path))

    # then
    doc = await stored_complaint(seeded, "100")
    response = doc["clocks"]["response"]
    resolution = doc["clocks"]["resolution"]
    submitted = datetime(2022, 3, 1, 1, 0, tzinfo=timezone.utc)
    responded = datetime(2022, 3, 1, 3, 30, tzinfo=timezone.utc)
    assert report.imported == 1
    assert doc["status"] == "CLOSED"
    assert doc["imported"] is True
    assert doc["open"] is False
    assert "nextAlertAt" not in doc
    assert doc["source"]["system"] == SYSTEM
    assert doc["source"]["id"] == "100"
    assert doc["reporter"]["subject"] is None
    assert doc["reporter"]["notify"]["channels"] == []
    assert doc["agencyCode"] == "DISHUB"
    assert doc["categoryCode"] == "lampu-jalan"
    assert doc["ticketNumber"] == "MKS-2022-000001"
    assert doc["title"].startswith("Lampu penerangan jalan")
    assert doc["submittedAt"] == submitted
    assert doc["closedAt"] == responded
    assert doc["policy"]["categoryCode"] == "lampu-jalan"
    assert response["outcome"] == "responded"
    assert response["stoppedAt"] == responded
    assert response["workingMinutes"] == 150
    assert response["met"] is True
    assert response["alerted"] == []
    assert resolution["outcome"] == "cancelled"
    assert resolution["alerted"] == []


async def test_answered_row_gets_response_event(seeded: Database, settings: Settings, write_export: ExportWriter) -> None:
    path = write_export([export_row("101", responded_at="2022-03-02T05:00:00"), export_row("102")])

    await import_complaints(seeded, settings, options(path))

    answered = await stored_complaint(seeded, "101")
    unanswered = await stored_complaint(seeded, "102")
    events = await seeded[COMPLAINT_EVENTS].find({"complaintId": answered["_id"]}).to_list()
    assert [event["kind"] for event in events] == ["response"]
    assert events[0]["at"] == datetime(2022, 3, 2, 5, 0, tzinfo=timezone.utc)
    assert events[0]["actor"]["agency"] == "DISHUB"
    assert events[0]["imported"] is True
    assert await seeded[COMPLAINT_EVENTS].count_documents({"complaintId": unanswered["_id"]}) == 0


async def test_unanswered_row_counts_unresponded(seeded: Database, settings: Settings, write_export: ExportWriter) -> None:
    clock.freeze(IMPORT_INSTANT)
    path = write_export([export_row("103")])

    await import_complaints(seeded, settings, options(path))

    doc = await stored_complaint(seeded, "103")
    response = doc["clocks"]["response"]
    assert doc["closedAt"] == IMPORT_INSTANT
    assert response["outcome"] == "cancelled"
    assert response["stoppedAt"] == IMPORT_INSTANT
    assert response["met"] is False
    assert doc["clocks"]["resolution"]["outcome"] == "cancelled"
    assert "nextAlertAt" not in doc


async def test_late_answer_not_met(seeded: Database, settings: Settings, write_export: ExportWriter) -> None:
    # 48 hours is the DISHUB response target: one minute more misses it
    path = write_export([export_row("104", submitted_at="2022-03-01T01:00:00", responded_at="2022-03-03T01:01:00")])

    await import_complaints(seeded, settings, options(path))

    response = (await stored_complaint(seeded, "104"))["clocks"]["response"]
    submitted = datetime(2022, 3, 1, 1, 0, tzinfo=timezone.utc)
    responded = datetime(2022, 3, 3, 1, 1, tzinfo=timezone.utc)
    assert response["met"] is False
    assert response["workingMinutes"] == OFFICE.working_time(submitted, responded) / timedelta(minutes=1)


async def test_naive_times_read_in_timezone(seeded: Database, settings: Settings, write_export: ExportWriter) -> None:
    path = write_export(
        [
            export_row("200", submitted_at="2022-03-01T09:00:00", responded_at="2022-03-01T10:00:00"),
            export_row("201", submitted_at="2022-03-01T09:00:00+07:00"),
        ]
    )

    await import_complaints(seeded, settings, options(path, timezone="Asia/Makassar"))

    naive = await stored_complaint(seeded, "200")
    with_offset = await stored_complaint(seeded, "201")
    assert naive["submittedAt"] == datetime(2022, 3, 1, 1, 0, tzinfo=timezone.utc)
    assert naive["respondedAt"] == datetime(2022, 3, 1, 2, 0, tzinfo=timezone.utc)
    assert naive["clocks"]["response"]["workingMinutes"] == 60
    assert with_offset["submittedAt"] == datetime(2022, 3, 1, 2, 0, tzinfo=timezone.utc)


async def test_mapping_timezone_is_default(seeded: Database, settings: Settings, write_export: ExportWriter) -> None:
    path = write_export([export_row("202", submitted_at="2022-03-01T09:00:00")])

    await import_complaints(seeded, settings, options(path))

    assert (await stored_complaint(seeded, "202"))["submittedAt"] == datetime(2022, 3, 1, 9, 0, tzinfo=timezone.utc)


async def test_unknown_timezone_rejected(seeded: Database, settings: Settings, write_export: ExportWriter) -> None:
    path = write_export([export_row("203")])

    with pytest.raises(ImportInputError, match="unknown timezone 'Asia/Surabaya'"):
        await import_complaints(seeded, settings, options(path, timezone="Asia/Surabaya"))

    assert await seeded[COMPLAINTS].count_documents({}) == 0


async def test_rerun_imports_nothing(seeded: Database, settings: Settings, write_export: ExportWriter) -> None:
    path = write_export([export_row("300", responded_at="2022-03-01T02:00:00"), export_row("301")])
    first = await import_complaints(seeded, settings, options(path))
    tickets = sorted([doc["ticketNumber"] async for doc in seeded[COMPLAINTS].find({})])

    second = await import_complaints(seeded, settings, options(path))

    assert first.imported == 2
    assert second.imported == 0
    assert second.skipped[ALREADY_IMPORTED] == 2
    assert await seeded[COMPLAINTS].count_documents({}) == 2
    assert await seeded[COMPLAINT_EVENTS].count_documents({}) == 1
    assert sorted([doc["ticketNumber"] async for doc in seeded[COMPLAINTS].find({})]) == tickets


async def test_rerun_adds_only_new_rows(seeded: Database, settings: Settings, write_export: ExportWriter) -> None:
    await import_complaints(seeded, settings, options(write_export([export_row("310")])))

    report = await import_complaints(seeded, settings, options(write_export([export_row("310"), export_row("311")])))

    assert report.imported == 1
    assert report.skipped[ALREADY_IMPORTED] == 1
    assert await seeded[COMPLAINTS].count_documents({}) == 2


async def test_answer_before_filing_reported(seeded: Database, settings: Settings, write_export: ExportWriter) -> None:
    path = write_export(
        [
            export_row("400", submitted_at="2022-02-19T00:37:00", responded_at="2021-10-15T00:01:53"),
            export_row("401"),
        ]
    )

    report = await import_complaints(seeded, settings, options(path))

    assert report.rows_read == 2
    assert report.imported == 1
    assert [fault.source_id for fault in report.data_errors] == ["400"]
    assert report.data_errors[0].reason == RESPONDED_BEFORE_SUBMITTED
    assert report.data_errors[0].row_number == 1
    assert any("400" in line and "before submitted_at" in line for line in report.lines())
    assert await seeded[COMPLAINTS].count_documents({"source.id": "400"}) == 0


async def test_unmapped_topic_goes_to_triage(seeded: Database, settings: Settings, write_export: ExportWriter) -> None:
    path = write_export(
        [
            export_row("500", topic="Lowongan Pekerjaan", agency="Dinas Perindustrian dan Tenaga Kerja"),
            export_row("501", topic="Topik Baru", agency="Dinas Perhubungan"),
            export_row("502", topic="", agency="Kelurahan Dukuh Setro"),
        ]
    )

    report = await import_complaints(seeded, settings, options(path))

    triaged = await stored_complaint(seeded, "500")
    by_agency = await stored_complaint(seeded, "501")
    by_pattern = await stored_complaint(seeded, "502")
    assert (triaged["agencyCode"], triaged["categoryCode"]) == ("DISKOMINFO", "lainnya")
    assert (by_agency["agencyCode"], by_agency["categoryCode"]) == ("DISHUB", "lalu-lintas")
    assert (by_pattern["agencyCode"], by_pattern["categoryCode"]) == ("KECAMATAN", "kewilayahan")
    assert report.placed_by["triage"] == 1
    assert report.placed_by["agency"] == 2
    assert report.triaged_sources[("Lowongan Pekerjaan", "Dinas Perindustrian dan Tenaga Kerja")] == 1


async def test_ticket_year_is_local_year(seeded: Database, settings: Settings, write_export: ExportWriter) -> None:
    # 17:00 UTC on New Year's Eve is 01:00 WITA on 1 January 2022
    path = write_export([export_row("600", submitted_at="2021-12-31T17:00:00"), export_row("601", submitted_at="2021-12-31T15:00:00")])

    await import_complaints(seeded, settings, options(path))

    assert (await stored_complaint(seeded, "600"))["ticketNumber"] == "MKS-2022-000001"
    assert (await stored_complaint(seeded, "601"))["ticketNumber"] == "MKS-2021-000001"
    assert (await seeded[COUNTERS].find_one({"_id": "ticket-MKS-2022"}))["seq"] == 1


async def test_dry_run_writes_nothing(seeded: Database, settings: Settings, write_export: ExportWriter) -> None:
    path = write_export([export_row("700", responded_at="2022-03-01T02:00:00"), export_row("701")])

    report = await import_complaints(seeded, settings, options(path, dry_run=True))

    assert report.imported == 2
    assert report.events == 1
    assert await seeded[COMPLAINTS].count_documents({}) == 0
    assert await seeded[COMPLAINT_EVENTS].count_documents({}) == 0
    assert await seeded[COUNTERS].count_documents({}) == 0


async def test_catalogue_missing_rejected(db: Database, settings: Settings, write_export: ExportWriter) -> None:
    path = write_export([export_row("800")])

    with pytest.raises(ImportInputError, match="not in the catalogue"):
        await import_complaints(db, settings, options(path))

    assert await db[COMPLAINTS].count_documents({}) == 0


async def test_mapping_without_timezone_needs_option(
    seeded: Database, settings: Settings, write_export: ExportWriter, tmp_path: Path
) -> None:
    mapping = json.loads(DEFAULT_MAPPING.read_text(encoding="utf-8"))
    del mapping["timezone"]
    mapping_path = tmp_path / "mapping.json"
    mapping_path.write_text(json.dumps(mapping), encoding="utf-8")
    path = write_export([export_row("900")])

    with pytest.raises(ImportInputError, match="--timezone"):
        await import_complaints(seeded, settings, ImportOptions(path=path, mapping_path=mapping_path))


async def test_batch_skips_concurrent_import(seeded: Database, settings: Settings, write_export: ExportWriter) -> None:
    # given: a batch built while another run stores one of its source ids
    path = write_export([export_row("950", responded_at="2022-03-01T02:00:00"), export_row("951", responded_at="2022-03-01T02:00:00")])
    prepared = prepare_import(options(path))
    report = ImportReport()
    pending = await pending_rows(seeded, prepared, report)
    complaints, events = batch_docs(pending, ["MKS-2022-000901", "MKS-2022-000902"], prepared)
    await import_complaints(seeded, settings, options(write_export([export_row("950")])))

    # when
    stored = await insert_batch(seeded, SYSTEM, complaints, events)

    # then
    assert stored == (1, 1)
    assert (await stored_complaint(seeded, "951"))["ticketNumber"] == "MKS-2022-000902"
    assert await seeded[COMPLAINTS].count_documents({"source.id": "950"}) == 1
    assert await seeded[COMPLAINT_EVENTS].count_documents({}) == 1


async def test_batch_other_duplicate_raises(seeded: Database, settings: Settings, write_export: ExportWriter) -> None:
    await import_complaints(seeded, settings, options(write_export([export_row("960")])))
    prepared = prepare_import(options(write_export([export_row("961")])))
    pending = await pending_rows(seeded, prepared, ImportReport())
    complaints, events = batch_docs(pending, ["MKS-2022-000001"], prepared)

    with pytest.raises((BulkWriteError, DuplicateKeyError)):
        await insert_batch(seeded, SYSTEM, complaints, events)

    assert await seeded[COMPLAINTS].count_documents({}) == 1
