"""Recipients of SLA alerts and the notification documents built for them.

- warnings: the assigned officer, or the agency's officers when none is assigned;
- the breach: the agency's supervisors and the assigned officer;
- an escalation step: the step's role (`head` of the agency, or the city's `admin`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shared.mongo import Database
from shared.notify.create import notification_doc
from shared.notify.events import SLA_BREACH, SLA_ESCALATION, SLA_WARNING
from shared.notify.recipients import Recipient, official_recipients
from shared.notify.schedule import official_not_before
from shared.sla.calendar import ALWAYS_OPEN_CODE, WorkCalendar
from shared.sla.clocks import SlaClock
from shared.sla.policy import PolicySnapshot
from shared.sla.stages import Stage

from services.sla_watcher.catalogue import Catalogue
from services.sla_watcher.stages_due import DueStage

log = logging.getLogger(__name__)

EVENT_BY_STAGE_KIND = {"warning": SLA_WARNING, "breach": SLA_BREACH, "escalation": SLA_ESCALATION}


@dataclass(frozen=True)
class Audience:
    roles: tuple[str, ...]
    subjects: tuple[str, ...]


def stage_audience(stage: Stage, assigned_to: str | None) -> Audience:
    """Return the roles of the complaint's agency and the named officials who get `stage`."""
    assigned = (assigned_to,) if assigned_to else ()
    if stage.kind == "warning":
        return Audience(roles=(), subjects=assigned) if assigned else Audience(roles=("officer",), subjects=())
    if stage.kind == "breach":
        return Audience(roles=("supervisor",), subjects=assigned)
    return Audience(roles=(alerted_role(stage),), subjects=())


async def stage_recipients(db: Database, complaint: dict[str, Any], stage: Stage) -> list[Recipient]:
    """Return the addresses `stage` goes to under the complaint's current agency."""
    agency = complaint.get("agencyCode")
    audience = stage_audience(stage, complaint.get("assignedTo"))
    recipients = await official_recipients(db, agency, audience.roles, audience.subjects)

    # An assigned officer who left or has no address must not swallow a warning.
    if not recipients and stage.kind == "warning" and audience.subjects:
        log.warning(
            "Assigned officer has no active address; warning goes to the agency's officers.",
            extra={"complaintId": str(complaint["_id"]), "assignedTo": complaint.get("assignedTo"), "stage": stage.key},
        )
        recipients = await official_recipients(db, agency, ("officer",))
    return recipients


def is_urgent(calendar: WorkCalendar) -> bool:
    """Return whether alerts go out at once, day or night: policies on the 24x7 calendar."""
    return calendar.always_open or calendar.code == ALWAYS_OPEN_CODE


def alert_context(
    complaint: dict[str, Any], catalogue: Catalogue, calendar: WorkCalendar, clock: SlaClock, due: DueStage, now: datetime
) -> dict[str, Any]:
    """Return the template context of an alert; instants are ISO 8601 in the calendar's timezone."""
    return {
        "ticketNumber": complaint.get("ticketNumber"),
        "title": complaint.get("title"),
        "agencyName": catalogue.agency_name(complaint.get("agencyCode")),
        "categoryName": catalogue.category_name(complaint.get("categoryCode")),
        "timezone": calendar.timezone,
        "clock": clock.kind,
        "cycle": clock.cycle,
        "stage": due.stage.key,
        "stageKind": due.stage.kind,
        "ratio": round(clock.ratio(calendar, now), 3),
        "dueAt": clock.due_at.astimezone(calendar.zone).isoformat(),
        "thresholdAt": due.threshold.astimezone(calendar.zone).isoformat(),
        "escalationRole": alerted_role(due.stage),
    }


def alerted_role(stage: Stage) -> str:
    """Return the role a stage is addressed to: officer (warnings), supervisor (breach) or the step's role."""
    if stage.kind == "warning":
        return "officer"
    if stage.kind == "breach":
        return "supervisor"
    if stage.role is None:
        raise ValueError(f"escalation stage {stage.key!r} has no role; the policy's escalation steps each need one")
    return stage.role


def alert_key(complaint_id: Any, clock: SlaClock, stage: Stage) -> str:
    return f"alert:{complaint_id}:{clock.kind}:{clock.cycle}:{stage.key}"


def alert_notifications(
    *,
    complaint: dict[str, Any],
    catalogue: Catalogue,
    policy: PolicySnapshot,
    calendar: WorkCalendar,
    clock: SlaClock,
    due: DueStage,
    recipients: list[Recipient],
    alert_id: Any,
    now: datetime,
) -> list[dict[str, Any]]:
    """Build one pending notification per recipient address, held until office hours unless urgent."""
    # Held from the claim instant, not the threshold: after downtime, a threshold
    # that fell in yesterday's office hours must not send an alert out at night.
    not_before = official_not_before(now, calendar, urgent=is_urgent(calendar))
    context = alert_context(complaint, catalogue, calendar, clock, due, now)
    alert = {
        "alertId": alert_id,
        "clock": clock.kind,
        "cycle": clock.cycle,
        "stage": due.stage.key,
        "severity": due.stage.severity,
        "policyId": policy.policy_id,
        "policyVersion": policy.version,
    }
    return [
        notification_doc(
            event=EVENT_BY_STAGE_KIND[due.stage.kind],
            complaint=complaint,
            recipient=recipient,
            context=context,
            key=alert_key(complaint["_id"], clock, due.stage),
            not_before=not_before,
            now=now,
            alert=alert,
        )
        for recipient in recipients
    ]
