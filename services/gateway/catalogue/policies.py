"""Publishing SLA policy versions.

A new version is a new document; complaints keep the snapshot they were
filed (or transferred) under, so publishing never moves a due instant that
already exists. The unique (agency, category, version) index settles two
administrators publishing at once: the loser reads the new latest version
and tries again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from bson import ObjectId
from pymongo import DESCENDING
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.errors import DuplicateKeyError

from services.gateway.details import detail
from services.gateway.auth import ADMIN, OFFICIAL_ROLES
from services.gateway.catalogue.audit import record_audit
from services.gateway.complaints.writes import run_in_transaction
from services.gateway.context import GatewayContext
from services.gateway.errors import UserInputError
from shared.mongo import SLA_POLICIES
from shared.sla.policy import DEFAULT_ESCALATION, DEFAULT_WARN_AT, EscalationStep, PolicySnapshot
from shared.sla.stages import warning_percent
from shared.sla.targets import SlaTarget, SlaUnit
from shared.timeutil import clock

log = logging.getLogger(__name__)

MAX_PUBLISH_ATTEMPTS = 5
MAX_WARNINGS = 5
MAX_ESCALATION_STEPS = 5
MAX_TARGET_AMOUNT = 10_000
DEFAULT_CALENDAR = "office"


@dataclass
class PolicyDraft:
    agency_code: str
    category_code: str | None
    response: tuple[int, SlaUnit]
    resolution: tuple[int, SlaUnit]
    calendar_code: str | None = None
    warn_at: list[float] | None = None
    escalation: list[tuple[int, SlaUnit, str]] | None = field(default=None)


def _target(amount: int, unit: SlaUnit, path: list[str]) -> SlaTarget:
    if not 1 <= amount <= MAX_TARGET_AMOUNT:
        raise UserInputError("VALUE_OUT_OF_RANGE", [*path, "amount"], value=amount, minimum=1, maximum=MAX_TARGET_AMOUNT)
    return SlaTarget(amount, unit)


def _warn_at(values: list[float] | None) -> tuple[float, ...]:
    """Return the ratios in ascending order; each must lie strictly between 0 and 1 and name its own stage.

    A warning's stage key is its whole percent (warn-50), and alerts are
    keyed on it, so 0.5 and 0.504 would be one stage alerted once.
    """
    if values is None:
        return DEFAULT_WARN_AT
    if len(values) > MAX_WARNINGS:
        raise UserInputError("VALUE_OUT_OF_RANGE", ["input", "warnAt"], value=len(values), minimum=0, maximum=MAX_WARNINGS)

    by_percent: dict[int, float] = {}
    for index, ratio in enumerate(values):
        path = ["input", "warnAt", str(index)]
        if not 0 < ratio < 1:
            raise UserInputError(
                "VALUE_OUT_OF_RANGE", path, message_key="VALUE_OUT_OF_OPEN_RANGE", value=ratio, minimum="0", maximum="1"
            )
        percent = warning_percent(ratio)
        if percent in by_percent:
            raise UserInputError("DUPLICATE_WARN_AT", path, value=ratio, other=by_percent[percent], percent=percent)
        by_percent[percent] = ratio
    return tuple(sorted(values))


def _escalation(steps: list[tuple[int, SlaUnit, str]] | None) -> tuple[EscalationStep, ...]:
    if steps is None:
        return DEFAULT_ESCALATION
    if len(steps) > MAX_ESCALATION_STEPS:
        raise UserInputError("VALUE_OUT_OF_RANGE", ["input", "escalation"], value=len(steps), minimum=0, maximum=MAX_ESCALATION_STEPS)
    result = []
    for index, (amount, unit, role) in enumerate(steps):
        if role not in OFFICIAL_ROLES | {ADMIN}:
            raise UserInputError("INVALID_VALUE", ["input", "escalation", str(index), "role"], detail=detail("ROLE_UNKNOWN", value=repr(role), allowed=", ".join(sorted(OFFICIAL_ROLES | {ADMIN}))))
        result.append(EscalationStep(_target(amount, unit, ["input", "escalation", str(index), "delay"]), role))
    _check_escalation_order(result)
    return tuple(result)


def _check_escalation_order(steps: list[EscalationStep]) -> None:
    """Reject steps unless they share one unit and their amounts strictly increase.

    The watcher alerts the steps in the order listed. Delays in one unit
    keep that order wherever the breach falls, but mixed units do not: on
    the office calendar 30 HOURS ends before 1 WORKING_DAYS after a breach
    at 08:00 and after it for a breach at 15:00.
    """
    if not steps:
        return
    first_unit = steps[0].delay.unit
    for index in range(1, len(steps)):
        step, previous = steps[index], steps[index - 1]
        path = ["input", "escalation", str(index), "delay"]
        if step.delay.unit is not first_unit:
            raise UserInputError(
                "ESCALATION_UNITS_DIFFER", [*path, "unit"], step=index + 1, unit=step.delay.unit.value, first_unit=first_unit.value
            )
        if step.delay.amount <= previous.delay.amount:
            raise UserInputError(
                "ESCALATION_NOT_INCREASING", [*path, "amount"],
                step=index + 1, delay=step.delay.describe(), previous_step=index, previous_delay=previous.delay.describe(),
            )


async def _latest(ctx: GatewayContext, agency_code: str, category_code: str | None) -> dict[str, Any] | None:
    return await ctx.db[SLA_POLICIES].find_one(
        {"agencyCode": agency_code, "categoryCode": category_code}, sort=[("version", DESCENDING)]
    )


async def _check_scope(ctx: GatewayContext, draft: PolicyDraft) -> str:
    """Check the agency, category and calendar exist and fit together; return the calendar's code."""
    if await ctx.loaders.agency.load(draft.agency_code) is None:
        raise UserInputError("NOT_FOUND", ["input", "agencyId"], what="Agency")
    if draft.category_code is not None:
        category = await ctx.loaders.category.load(draft.category_code)
        if category is None:
            raise UserInputError("NOT_FOUND", ["input", "categoryId"], what="ServiceCategory")
        if category["agencyCode"] != draft.agency_code:
            raise UserInputError("CATEGORY_NOT_IN_AGENCY", ["input", "categoryId"], category=category["name"], agency=draft.agency_code)
    calendar_code = draft.calendar_code
    if calendar_code is None:
        previous = await _latest(ctx, draft.agency_code, draft.category_code)
        calendar_code = previous["calendarCode"] if previous else DEFAULT_CALENDAR
    if await ctx.loaders.calendar_doc.load(calendar_code) is None:
        raise UserInputError("NOT_FOUND", ["input", "calendarId"], what="Calendar")
    return calendar_code


async def publish_policy(ctx: GatewayContext, draft: PolicyDraft) -> dict[str, Any]:
    """Store the next version of the policy for (agency, category) and return its document."""
    principal = ctx.require_principal()
    calendar_code = await _check_scope(ctx, draft)
    snapshot = PolicySnapshot(
        policy_id="",
        version=0,
        agency_code=draft.agency_code,
        category_code=draft.category_code,
        response=_target(*draft.response, ["input", "responseTarget"]),
        resolution=_target(*draft.resolution, ["input", "resolutionTarget"]),
        calendar_code=calendar_code,
        warn_at=_warn_at(draft.warn_at),
        escalation=_escalation(draft.escalation),
    )

    for attempt in range(1, MAX_PUBLISH_ATTEMPTS + 1):
        previous = await _latest(ctx, draft.agency_code, draft.category_code)
        doc = {
            **{key: value for key, value in snapshot.to_doc().items() if key != "policyId"},
            "_id": ObjectId(),
            "version": (previous["version"] if previous else 0) + 1,
            "publishedAt": clock.now(),
            "publishedBy": principal.subject,
        }

        async def work(session: AsyncClientSession, doc: dict[str, Any] = doc, previous: dict[str, Any] | None = previous) -> None:
            await ctx.db[SLA_POLICIES].insert_one(doc, session=session)
            await record_audit(ctx.db, principal, "SlaPolicy", str(doc["_id"]), "publish", previous, doc, doc["publishedAt"], session=session)

        try:
            await run_in_transaction(ctx.services, work)
        except DuplicateKeyError:
            log.info("Policy version %d was published meanwhile; retrying (attempt %d).", doc["version"], attempt)
            continue
        log.info(
            "SLA policy %s v%d published for %s/%s by %s.",
            doc["_id"], doc["version"], draft.agency_code, draft.category_code, principal.subject,
        )
        return doc
    raise RuntimeError(f"could not publish a policy for {draft.agency_code}/{draft.category_code} after {MAX_PUBLISH_ATTEMPTS} attempts")
