"""One import run: read the export, place its rows, and store the new ones in batches.

`prepare` reads the file and the mapping without a database, `pending`
places the rows not imported before, and `writes` stores them. Every step
that can fail for a reason the operator can fix (file, header, zone,
mapping, catalogue) runs before the first write.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from typing import TextIO

from shared.mongo import Database
from shared.settings import Settings
from tanggap.importer.pending import PendingRow, pending_rows
from tanggap.importer.prepare import ImportOptions, PreparedImport, prepare_import
from tanggap.importer.progress import ProgressBar
from tanggap.importer.report import ALREADY_IMPORTED, ImportReport
from tanggap.importer.source import RowFault
from tanggap.importer.writes import batch_docs, insert_batch, reserve_tickets

log = logging.getLogger(__name__)

LOGGED_FAULTS = 20

__all__ = ["ImportOptions", "PreparedImport", "import_complaints", "prepare_import", "run_import"]


def _log_faults(faults: Sequence[RowFault]) -> None:
    for fault in faults[:LOGGED_FAULTS]:
        log.warning(
            "Row %d (source_id %s) is skipped as a data error: %s.", fault.row_number, fault.source_id or "-", fault.detail
        )
    if len(faults) > LOGGED_FAULTS:
        log.warning("%d more rows are skipped as data errors; the import report counts them by reason.", len(faults) - LOGGED_FAULTS)


async def _store(db: Database, settings: Settings, pending: list[PendingRow], prepared: PreparedImport, report: ImportReport, stream: TextIO | None) -> None:
    options = prepared.options
    numbers = [""] * len(pending) if options.dry_run else await reserve_tickets(db, settings, pending)
    progress = ProgressBar(len(pending), "Checking" if options.dry_run else "Importing", stream)

    for start in range(0, len(pending), options.batch_size):
        end = start + options.batch_size
        complaints, events = batch_docs(pending[start:end], numbers[start:end], prepared)

        if options.dry_run:
            stored, stored_events = len(complaints), len(events)
        else:
            stored, stored_events = await insert_batch(db, prepared.mapping.system, complaints, events)
        report.imported += stored
        report.events += stored_events
        if stored < len(complaints):
            report.skipped[ALREADY_IMPORTED] += len(complaints) - stored
        progress.advance(len(complaints))
    progress.close()


async def run_import(db: Database, settings: Settings, prepared: PreparedImport, stream: TextIO | None = None) -> ImportReport:
    """Store the prepared rows not imported before; with `dry_run`, count them without writing."""
    started = time.perf_counter()
    options = prepared.options
    report = ImportReport(dry_run=options.dry_run, rows_read=len(prepared.results))
    report.data_errors = [item for item in prepared.results if isinstance(item, RowFault)]
    _log_faults(report.data_errors)

    pending = await pending_rows(db, prepared, report)
    log.info("Import of %s started: %d rows read, %d to import.", options.path, report.rows_read, len(pending))

    await _store(db, settings, pending, prepared, report, stream)

    report.seconds = time.perf_counter() - started
    log.info(
        "Import of %s finished: %d imported, %d skipped, %d data errors in %.1f s.",
        options.path, report.imported, sum(report.skipped.values()), len(report.data_errors), report.seconds,
    )
    return report


async def import_complaints(
    db: Database, settings: Settings, options: ImportOptions, stream: TextIO | None = None
) -> ImportReport:
    """Import the export at `options.path` into `db`; with `dry_run`, check and count without writing."""
    started = time.perf_counter()
    report = await run_import(db, settings, prepare_import(options), stream)
    report.seconds = time.perf_counter() - started
    return report
