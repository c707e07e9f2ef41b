"""The full shared export imported once, and the performance figures it implies.

The expected figures are computed here from the CSV itself: plain Python
over its rows, the mapping file's rules applied by hand, the response
target of the demo policies, and working time from `WorkCalendar`. They
are compared with what the importer stored and with what the gateway's
`agencyPerformance` returns.
"""

from __future__ import annotations

import csv
import json
import os
import re
import statistics
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import jwt
import pytest
from pymongo import AsyncMongoClient

from services.gateway.app import create_app
from services.gateway.performance import agency_performance
from shared.mongo import COMPLAINT_EVENTS, COMPLAINTS, Database, ensure_indexes
from shared.settings import Settings
from shared.sla.calendar import WorkCalendar
from tanggap.importer.mapping import DEFAULT_MAPPING
from tanggap.importer.report import ALREADY_IMPORTED, ImportReport
from tanggap.importer.run import ImportOptions, import_complaints
from tanggap.seed import load_catalogue, seed_demo

WITA = ZoneInfo("Asia/Makassar")
PERIOD_FROM = datetime(2022, 1, 1, tzinfo=WITA)
PERIOD_TO = datetime(2022, 7, 1, tzinfo=WITA)
AGENCY = "DISHUB"
PLAIN_UNITS = {"MINUTES": timedelta(minutes=1), "HOURS": timedelta(hours=1), "DAYS": timedelta(days=1)}

PERFORMANCE_QUERY = """
query Performance($from: DateTime!, $to: DateTime!) {
  agencyPerformance(from: $from, to: $to) {
    agency { code }
    received
    responded
    resolved
    responseMetRatio
    medianResponseMinutes
  }
}
"""


@dataclass
class Figures:
    received: int = 0
    responded: int = 0
    met: int = 0
    minutes: list[float] = field(default_factory=list)


def collapse(name: str) -> str:
    return " ".join(name.split()).casefold()


def category_of(row: dict[str, str], mapping: dict[str, Any]) -> str:
    """Apply the mapping file's rules by hand: topic, then agency name, then agency pattern, then triage."""
    for category, topics in mapping["topics"].items():
        if collapse(row["topic"]) in {collapse(topic) for topic in topics}:
            return str(category)
    for category, agencies in mapping["agencies"].items():
        if collapse(row["agency"]) in {collapse(agency) for agency in agencies}:
            return str(category)
    for rule in mapping["agencyPatterns"]:
        if re.search(rule["pattern"], collapse(row["agency"]), re.IGNORECASE):
            return str(rule["category"])
    return str(mapping["triageCategory"])


def response_target(catalogue: dict[str, Any], agency: str, category: str) -> timedelta:
    """Return the demo policy's response target for a category, which must be in plain time units."""
    policies = catalogue["policies"]
    candidates = [
        *(p for p in policies if p["agency"] == agency and p.get("category") == category),
        *(p for p in policies if p["agency"] == agency and p.get("category") is None),
        *(p for p in policies if p["agency"] == "*"),
    ]
    target = candidates[0]["responseTarget"]
    assert target["unit"] in PLAIN_UNITS, f"{agency}/{category}: this check counts plain units only, not {target['unit']}"
    return int(target["amount"]) * PLAIN_UNITS[target["unit"]]


def utc_instant(value: str) -> datetime:
    """Read one of the export's offset-less timestamps, which are UTC."""
    return datetime.fromisoformat(value).replace(tzinfo=timezone.utc)


def expected_figures(path: Path, agency: str) -> Figures:
    mapping = json.loads(DEFAULT_MAPPING.read_text(encoding="utf-8"))
    catalogue = load_catalogue()
    agency_of = {category["code"]: category["agency"] for category in catalogue["categories"]}
    office = WorkCalendar(code="office", timezone="Asia/Makassar")

    figures = Figures()
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            submitted = utc_instant(row["submitted_at"])
            responded = utc_instant(row["responded_at"]) if row["responded_at"] else None
            if responded is not None and responded < submitted:
                continue
            if not PERIOD_FROM <= submitted < PERIOD_TO:
                continue
            category = category_of(row, mapping)
            if agency_of[category] != agency:
                continue

            figures.received += 1
            if responded is None:
                continue
            figures.responded += 1
            figures.minutes.append(office.working_time(submitted, responded) / timedelta(minutes=1))
            if responded - submitted <= response_target(catalogue, agency, category):
                figures.met += 1
    return figures


def export_row_count(path: Path) -> tuple[int, int]:
    """Return the export's rows and how many of them were answered before they were filed."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    answered_early = sum(1 for row in rows if row["responded_at"] and row["responded_at"] < row["submitted_at"])
    return len(rows), answered_early


@pytest.fixture(scope="module")
def import_settings(mongodb_uri: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(
        environment="test",
        mongodb_uri=mongodb_uri,
        broker_url=redis_url,
        mongodb_database=f"test_import_{uuid.uuid4().hex[:12]}",
        var_dir=tmp_path_factory.mktemp("import-var"),
        log_format="text",
    )


@pytest.fixture(scope="module")
async def imported(import_settings: Settings, shared_export: Path) -> AsyncIterator[tuple[Database, ImportReport]]:
    """Seed a database and import the whole shared export into it once for this module."""
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        import_settings.effective_mongodb_uri, tz_aware=True, w=1, journal=True
    )
    db = client[import_settings.mongodb_database]
    await ensure_indexes(db)
    await seed_demo(db, import_settings)
    report = await import_complaints(db, import_settings, ImportOptions(path=shared_export, mapping_path=DEFAULT_MAPPING))
    yield db, report
    # Dropping 8,000 documents takes SecantusDB 10 s or more, and the session's
    # own server is thrown away with its data, so only an external one is cleaned.
    if os.environ.get("TANGGAP_TEST_MONGODB_URI"):
        await client.drop_database(import_settings.mongodb_database)
    await client.close()


async def test_full_export_counts(imported: tuple[Database, ImportReport], shared_export: Path) -> None:
    db, report = imported
    rows, answered_early = export_row_count(shared_export)

    assert report.rows_read == rows
    assert report.imported == rows - answered_early
    assert len(report.data_errors) == answered_early
    assert {fault.reason for fault in report.data_errors} == {"responded before submitted"}
    assert await db[COMPLAINTS].count_documents({"imported": True}) == report.imported
    assert await db[COMPLAINT_EVENTS].count_documents({"kind": "response"}) == report.events


async def test_full_import_never_alerted(imported: tuple[Database, ImportReport]) -> None:
    db, report = imported

    assert await db[COMPLAINTS].count_documents({"nextAlertAt": {"$exists": True}}) == 0
    assert await db[COMPLAINTS].count_documents({"status": "CLOSED", "open": False}) == report.imported
    assert await db[COMPLAINTS].count_documents({"clocks.resolution.outcome": "resolved"}) == 0


async def test_stored_figures_match_export(imported: tuple[Database, ImportReport], shared_export: Path) -> None:
    db, _ = imported
    expected = expected_figures(shared_export, AGENCY)
    window = {"agencyCode": AGENCY, "submittedAt": {"$gte": PERIOD_FROM, "$lt": PERIOD_TO}}

    docs = await db[COMPLAINTS].find(window, {"clocks.response": 1}).to_list()
    responses = [doc["clocks"]["response"] for doc in docs if doc["clocks"]["response"]["outcome"] == "responded"]

    assert expected.received > 300
    assert len(docs) == expected.received
    assert len(responses) == expected.responded
    assert sum(1 for clock in responses if clock["met"]) == expected.met
    assert statistics.median(clock["workingMinutes"] for clock in responses) == pytest.approx(
        statistics.median(expected.minutes), abs=0.01
    )


async def test_performance_aggregation_matches_export(imported: tuple[Database, ImportReport], shared_export: Path) -> None:
    db, _ = imported
    expected = expected_figures(shared_export, AGENCY)

    rows = await agency_performance(db, PERIOD_FROM, PERIOD_TO, datetime.now(timezone.utc))

    figures = {row.agency_code: row for row in rows}[AGENCY]
    assert figures.received == expected.received
    assert figures.responded == expected.responded
    assert figures.resolved == 0
    assert figures.response_met_ratio == pytest.approx(expected.met / expected.responded, abs=1e-6)
    assert figures.median_response_minutes == pytest.approx(statistics.median(expected.minutes), abs=0.01)


async def test_agency_performance_matches_export(
    imported: tuple[Database, ImportReport], import_settings: Settings, shared_export: Path
) -> None:
    expected = expected_figures(shared_export, AGENCY)
    app = create_app(import_settings)
    variables = {"from": PERIOD_FROM.isoformat(), "to": PERIOD_TO.isoformat()}

    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            response = await client.post("/graphql", json={"query": PERFORMANCE_QUERY, "variables": variables})

    body = response.json()
    assert response.status_code == 200, body
    assert "errors" not in body, body["errors"]
    rows = {row["agency"]["code"]: row for row in body["data"]["agencyPerformance"]}
    figures = rows[AGENCY]
    assert figures["received"] == expected.received
    assert figures["responded"] == expected.responded
    assert figures["resolved"] == 0
    assert figures["responseMetRatio"] == pytest.approx(expected.met / expected.responded, abs=1e-6)
    assert figures["medianResponseMinutes"] == pytest.approx(statistics.median(expected.minutes), abs=0.01)


async def test_full_rerun_imports_nothing(
    imported: tuple[Database, ImportReport], import_settings: Settings, shared_export: Path
) -> None:
    db, first = imported

    again = await import_complaints(db, import_settings, ImportOptions(path=shared_export, mapping_path=DEFAULT_MAPPING))

    assert again.imported == 0
    assert again.skipped[ALREADY_IMPORTED] == first.imported
    assert await db[COMPLAINTS].count_documents({}) == first.imported
    assert await db[COMPLAINT_EVENTS].count_documents({}) == first.events


IMPORTED_COMPLAINT_QUERY = """
query Imported($ticket: String!) {
  complaint(ticketNumber: $ticket) {
    ticketNumber
    status
    channel
    sla { responseDueAt resolutionDueAt state elapsedRatio }
    timeline { __typename }
  }
}
"""


async def test_imported_complaint_reads_through_graphql(
    imported: tuple[Database, ImportReport], import_settings: Settings
) -> None:
    db, _ = imported
    answered = await db[COMPLAINTS].find_one({"imported": True, "clocks.response.outcome": "responded"})
    assert answered is not None
    app = create_app(import_settings)
    token = jwt.encode(
        {"sub": "admin-kota", "role": "admin", "iss": import_settings.jwt_issuer},
        import_settings.jwt_secret.get_secret_value(),
        algorithm=import_settings.jwt_algorithm,
    )

    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            response = await client.post(
                "/graphql",
                json={"query": IMPORTED_COMPLAINT_QUERY, "variables": {"ticket": answered["ticketNumber"]}},
                headers={"Authorization": f"Bearer {token}"},
            )

    body = response.json()
    assert "errors" not in body, body["errors"]
    complaint = body["data"]["complaint"]
    assert complaint["status"] == "CLOSED"
    assert complaint["channel"] == "IMPORT"
    assert complaint["sla"]["state"] in {"MET", "BREACHED"}
    assert len(complaint["timeline"]) >= 1
