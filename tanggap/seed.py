"""Load the Makassar demo catalogue: agencies, categories, calendars, SLA policies and officials.

Every write is an upsert keyed by code or subject, and a policy is only
published when its agency and category have none yet, so running the seed
again changes nothing.
"""

from __future__ import annotations

import json
import zlib
import logging
from dataclasses import dataclass, field
from datetime import datetime
from importlib import resources
from typing import Any

from shared.mongo import AGENCIES, CALENDARS, CATEGORIES, OFFICIALS, SLA_POLICIES, Database, ensure_indexes
from shared.settings import Settings
from shared.sla.calendar_store import default_calendar_docs
from shared.sla.policy import DEFAULT_ESCALATION, DEFAULT_WARN_AT
from shared.timeutil import clock

log = logging.getLogger(__name__)


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, created: bool) -> None:
        if created:
            self.created[kind] = self.created.get(kind, 0) + 1


def load_catalogue() -> dict[str, Any]:
    text = resources.files("tanggap.data").joinpath("makassar.json").read_text(encoding="utf-8")
    return json.loads(text)


async def _upsert(db: Database, collection: str, key: dict[str, Any], doc: dict[str, Any], now: datetime) -> bool:
    result = await db[collection].update_one(
        key, {"$setOnInsert": {**doc, "createdAt": now, "updatedAt": now}}, upsert=True
    )
    return result.upserted_id is not None


def official_docs(agency_code: str, roles: list[dict[str, Any]], agency_name: str) -> list[dict[str, Any]]:
    """Return the demo officials of one agency, with `.example` contacts."""
    docs = []
    lower = agency_code.lower()
    for role in roles:
        for number in range(1, role["count"] + 1):
            subject = f"{lower}-{role['role']}-{number}"
            docs.append(
                {
                    "subject": subject,
                    "agencyCode": agency_code,
                    "role": role["role"],
                    "name": f"{role['title']} {number} {agency_name}",
                    "email": f"{subject}@pemkot-makassar.example",
                    "phone": f"+62811{zlib.crc32(subject.encode()) % 10_000_000:07d}",
                    "active": True,
                    "notify": {"channels": ["email", "sms"], "locale": "id"},
                }
            )
    return docs


def policy_doc(spec: dict[str, Any], agency_code: str, now: datetime) -> dict[str, Any]:
    escalation = spec.get("escalation") or [step.to_doc() for step in DEFAULT_ESCALATION]
    return {
        "agencyCode": agency_code,
        "categoryCode": spec.get("category"),
        "version": 1,
        "responseTarget": spec["responseTarget"],
        "resolutionTarget": spec["resolutionTarget"],
        "calendarCode": spec["calendar"],
        "warnAt": list(spec.get("warnAt", DEFAULT_WARN_AT)),
        "escalation": escalation,
        "publishedAt": now,
        "publishedBy": "seed",
    }


async def seed_demo(db: Database, settings: Settings) -> SeedReport:
    """Load the demo catalogue into `db`; safe to run any number of times."""
    await ensure_indexes(db)
    catalogue = load_catalogue()
    now = clock.now()
    report = SeedReport()

    for calendar in default_calendar_docs(settings.timezone):
        report.count("calendars", await _upsert(db, CALENDARS, {"code": calendar["code"]}, calendar, now))

    for agency in catalogue["agencies"]:
        doc = {"code": agency["code"], "name": agency["name"], "timezone": settings.timezone, "triage": agency.get("triage", False)}
        report.count("agencies", await _upsert(db, AGENCIES, {"code": agency["code"]}, doc, now))
        for official in official_docs(agency["code"], catalogue["officialRoles"], agency["name"]):
            report.count("officials", await _upsert(db, OFFICIALS, {"subject": official["subject"]}, official, now))

    for category in catalogue["categories"]:
        doc = {
            "code": category["code"],
            "name": category["name"],
            "agencyCode": category["agency"],
            "triageDefault": category.get("triageDefault", False),
            "active": True,
        }
        report.count("categories", await _upsert(db, CATEGORIES, {"code": category["code"]}, doc, now))

    for admin in catalogue["cityAdmins"]:
        doc = {**admin, "agencyCode": None, "role": "admin", "active": True, "notify": {"channels": ["email", "sms"], "locale": "id"}}
        report.count("officials", await _upsert(db, OFFICIALS, {"subject": admin["subject"]}, doc, now))

    agency_codes = [agency["code"] for agency in catalogue["agencies"]]
    for spec in catalogue["policies"]:
        targets = agency_codes if spec["agency"] == "*" else [spec["agency"]]
        for agency_code in targets:
            if spec["agency"] == "*" and any(p["agency"] == agency_code and p.get("category") is None for p in catalogue["policies"]):
                continue
            key = {"agencyCode": agency_code, "categoryCode": spec.get("category")}
            exists = await db[SLA_POLICIES].find_one(key)
            if exists is None:
                await db[SLA_POLICIES].insert_one(policy_doc(spec, agency_code, now))
                report.count("policies", True)

    log.info("Demo data loaded.", extra={"created": report.created})
    return report
