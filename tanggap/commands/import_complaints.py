"""`tanggap import-complaints FILE`: load another system's complaints as closed history.

Exit codes: 0 when the import ran (rows with data errors are skipped and
listed in the report), 2 for invalid input (missing file, bad header,
unknown timezone, invalid mapping, catalogue not loaded), 1 when the
database failed.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tanggap.commands import CommandError, load_settings

if TYPE_CHECKING:
    from shared.settings import Settings
    from tanggap.importer.report import ImportReport
    from tanggap.importer.run import PreparedImport


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    from tanggap.importer.mapping import DEFAULT_MAPPING

    parser = subparsers.add_parser(
        "import-complaints",
        help="load complaints from a CSV export as closed history",
        description=(
            "Load complaints from a CSV with the columns source_id, text, topic, agency, district, "
            "subdistrict, submitted_at, responded_at. They are stored closed and marked as imported, "
            "keep their original instants and are never alerted on. Rows already imported "
            "(same source system and source_id) are skipped, so running it again imports nothing twice. "
            "Load the catalogue first with `tanggap seed`."
        ),
        epilog="Exit codes: 0 imported (data errors are listed), 2 invalid input, 1 database failure.",
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="the CSV export to load")
    parser.add_argument(
        "--timezone",
        metavar="ZONE",
        help=(
            "IANA zone of timestamps written without a UTC offset, e.g. UTC or Asia/Makassar; "
            "defaults to the mapping file's `timezone` (UTC for the bundled mapping)"
        ),
    )
    parser.add_argument(
        "--mapping",
        type=Path,
        metavar="PATH",
        default=DEFAULT_MAPPING,
        help="JSON file mapping the source's topics and agencies onto the catalogue (default: the bundled 2022 mapping)",
    )
    parser.add_argument("--dry-run", action="store_true", help="check and count the rows without writing anything")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tanggap.devstack.database import DatabaseUnavailable, embedded_database_for_command, redact_uri
    from tanggap.importer.errors import ImportInputError
    from tanggap.importer.run import ImportOptions, prepare_import

    settings = load_settings()
    options = ImportOptions(path=args.file, mapping_path=args.mapping, timezone=args.timezone, dry_run=args.dry_run)
    started = time.perf_counter()
    try:
        prepared = prepare_import(options)
        with embedded_database_for_command(settings, notice=lambda text: print(text, file=sys.stderr)):
            report = asyncio.run(_store(settings, prepared))
    except ImportInputError as exc:
        raise CommandError(str(exc)) from exc
    except DatabaseUnavailable as exc:
        raise CommandError(str(exc), exit_code=1) from exc
    report.seconds = time.perf_counter() - started

    print(f"Import of {args.file} into database {settings.mongodb_database!r} at {redact_uri(settings.effective_mongodb_uri)}.")
    for line in report.lines():
        print(line)
    return 0


async def _store(settings: Settings, prepared: PreparedImport) -> ImportReport:
    from pymongo.errors import PyMongoError

    from shared.mongo import database, make_client
    from tanggap.devstack.database import DatabaseUnavailable, ping, redact_uri
    from tanggap.importer.run import run_import

    client = make_client(settings)
    try:
        db = database(client, settings)
        await ping(db, settings)
        try:
            return await run_import(db, settings, prepared)
        except PyMongoError as exc:
            uri = redact_uri(settings.effective_mongodb_uri)
            raise DatabaseUnavailable(
                f"the import failed on MongoDB at {uri}: {exc}; rows stored so far stay, and running the command again skips them"
            ) from exc
    finally:
        await client.close()
