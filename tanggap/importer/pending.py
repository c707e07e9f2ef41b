"""Placing the rows not imported before: category, agency, policy in force and calendar."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shared.mongo import CATEGORIES, COMPLAINTS, Database
from shared.sla.calendar import WorkCalendar
from shared.sla.calendar_store import load_calendars
from shared.sla.policy import PolicySnapshot
from shared.sla.policy_store import PolicyNotFoundError, policy_in_force
from tanggap.importer.errors import ImportInputError
from tanggap.importer.mapping import CatalogueMapping, CataloguePlacer, Placement
from tanggap.importer.prepare import PreparedImport
from tanggap.importer.report import ALREADY_IMPORTED, ImportReport
from tanggap.importer.source import RowFault, SourceRow


@dataclass(frozen=True)
class PendingRow:
    row: SourceRow
    placement: Placement
    policy: PolicySnapshot
    calendar: WorkCalendar


async def _placer(db: Database, mapping: CatalogueMapping) -> CataloguePlacer:
    category_agencies = {doc["code"]: doc["agencyCode"] async for doc in db[CATEGORIES].find({}, {"code": 1, "agencyCode": 1})}
    return CataloguePlacer(mapping, category_agencies)


class PolicyCache:
    """The policy in force and its calendar per (agency, category), read once per import."""

    def __init__(self, db: Database, calendars: dict[str, WorkCalendar]) -> None:
        self._db = db
        self._calendars = calendars
        self._found: dict[tuple[str, str], tuple[PolicySnapshot, WorkCalendar]] = {}

    async def get(self, placement: Placement) -> tuple[PolicySnapshot, WorkCalendar]:
        key = (placement.agency_code, placement.category_code)
        if key not in self._found:
            try:
                policy = await policy_in_force(self._db, placement.agency_code, placement.category_code)
            except PolicyNotFoundError as exc:
                raise ImportInputError(f"{exc}; or load the demo catalogue with `tanggap seed`") from exc
            calendar = self._calendars.get(policy.calendar_code)
            if calendar is None:
                raise ImportInputError(
                    f"policy {policy.policy_id} of {placement.agency_code} uses calendar {policy.calendar_code!r}, which does not exist"
                )
            self._found[key] = (policy, calendar)
        return self._found[key]


async def already_imported(db: Database, system: str, source_ids: list[str] | None = None) -> set[str]:
    """Return the source ids of `system` stored already, among `source_ids` when given."""
    query: dict[str, Any] = {"source.system": system}
    if source_ids is not None:
        query["source.id"] = {"$in": source_ids}
    cursor = db[COMPLAINTS].find(query, {"source.id": 1, "_id": 0})
    return {doc["source"]["id"] async for doc in cursor}


async def pending_rows(db: Database, prepared: PreparedImport, report: ImportReport) -> list[PendingRow]:
    """Place the good rows not imported before, with their policies; count the others as skipped."""
    placer = await _placer(db, prepared.mapping)
    policies = PolicyCache(db, await load_calendars(db))
    known = await already_imported(db, prepared.mapping.system)

    pending = []
    for row in prepared.results:
        if isinstance(row, RowFault):
            continue
        if row.source_id in known:
            report.skipped[ALREADY_IMPORTED] += 1
            continue
        placement = placer.place(row.topic, row.agency)
        report.placed_by[placement.rule] += 1
        if placement.rule == "triage":
            report.triaged_sources[(row.topic, row.agency)] += 1
        policy, calendar = await policies.get(placement)
        pending.append(PendingRow(row, placement, policy, calendar))
    return pending
