"""The part of an import that needs no database: options, the mapping, the zone and the checked rows.

Every fault the operator can fix in the file, its header, the zone or the
mapping is found here, before the first write.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from shared.timeutil import clock
from tanggap.importer.errors import ImportInputError
from tanggap.importer.mapping import CatalogueMapping, load_mapping
from tanggap.importer.source import RowFault, SourceRow, read_source
from tanggap.importer.timestamps import load_zone

BATCH_SIZE = 500


@dataclass(frozen=True)
class ImportOptions:
    path: Path
    mapping_path: Path
    timezone: str | None = None
    dry_run: bool = False
    batch_size: int = BATCH_SIZE


@dataclass(frozen=True)
class PreparedImport:
    """The checked mapping and rows of an import, read before any database work."""

    options: ImportOptions
    mapping: CatalogueMapping
    results: list[SourceRow | RowFault]
    imported_at: datetime


def prepare_import(options: ImportOptions) -> PreparedImport:
    """Read the mapping and the export; raise `ImportInputError` for a fault the operator must fix."""
    imported_at = clock.now()
    mapping = load_mapping(options.mapping_path)
    zone = resolve_zone(options, mapping)
    results = read_source(options.path, zone, imported_at)
    return PreparedImport(options=options, mapping=mapping, results=results, imported_at=imported_at)


def resolve_zone(options: ImportOptions, mapping: CatalogueMapping) -> ZoneInfo:
    """Return the zone of offset-less timestamps: --timezone first, then the mapping's `timezone`."""
    if options.timezone:
        return load_zone(options.timezone, "--timezone")
    if mapping.timezone is not None:
        return mapping.timezone
    raise ImportInputError(
        f"mapping {mapping.path} sets no timezone for offset-less timestamps; give one with --timezone, e.g. --timezone UTC"
    )
