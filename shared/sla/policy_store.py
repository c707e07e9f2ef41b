"""Finding the SLA policy version in force for an agency and a category."""

from __future__ import annotations

from typing import Any

from pymongo import DESCENDING

from shared.mongo import SLA_POLICIES, Database
from shared.sla.policy import PolicySnapshot


class PolicyNotFoundError(LookupError):
    """Neither the category nor its agency has a published SLA policy."""


def snapshot_from_policy_doc(doc: dict[str, Any]) -> PolicySnapshot:
    return PolicySnapshot.from_doc({**doc, "policyId": str(doc["_id"])})


async def policy_in_force(db: Database, agency_code: str, category_code: str | None) -> PolicySnapshot:
    """Return the latest version of the category's policy, or else of the agency's default policy."""
    candidates = [category_code, None] if category_code else [None]
    for candidate in candidates:
        doc = await db[SLA_POLICIES].find_one(
            {"agencyCode": agency_code, "categoryCode": candidate}, sort=[("version", DESCENDING)]
        )
        if doc is not None:
            return snapshot_from_policy_doc(doc)
    raise PolicyNotFoundError(
        f"agency {agency_code!r} has no SLA policy; publish one with Mutation.publishSlaPolicy"
    )
