"""The claim: one transaction that records a complaint's due alerts completely or not at all.

It writes, together:
- one `alerts` document per stage (status `sent` or `skipped`); the unique
  index on (complaintId, clock, cycle, stage) lets only one watcher claim a stage;
- one `sla_alert` timeline event per sent stage;
- the pending notification documents of each sent stage;
- `superseded` on held notifications (and their alerts) of less severe stages
  of the same clock and cycle, which have not gone out and are stale now;
- the complaint's clocks (`alerted`) and `nextAlertAt`, with a filter on
  every field the plan was made from, so a concurrent change by the gateway
  or another watcher makes the claim fail as `ClaimConflict` instead of
  writing over it.

Nothing is enqueued here: the caller hands the new notification ids to the
broker after the commit. A crash between the two leaves pending
notifications that the resend sweep hands to the broker later.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bson import ObjectId
from pymongo.asynchronous.client_session import AsyncClientSession

from shared.complaints import clock_update, clocks_of, policy_of
from shared.mongo import ALERTS, COMPLAINT_EVENTS, COMPLAINTS, NOTIFICATIONS, Database
from shared.notify.create import insert_notifications
from shared.notify.recipients import Recipient
from shared.notify.schedule import official_not_before
from shared.sla.calendar import WorkCalendar
from shared.workflow import ComplaintStatus

from services.sla_watcher.catalogue import Catalogue
from services.sla_watcher.recipients import alert_notifications, alerted_role, is_urgent
from services.sla_watcher.stages_due import AlertPlan, ClockPlan, DueStage
from services.sla_watcher.transaction import run_transaction

# The timeline's actor of system events, shaped like the gateway's (`complaint_events`: `kind`, `at`,
# `actor` {subject, role, agency, name}, and per kind `fromStatus`/`toStatus`, `note`, `internal`).
SYSTEM_ACTOR = {"subject": None, "role": "system", "agency": None, "name": None}


class ClaimConflict(Exception):
    """The complaint changed after it was read; read it again and plan anew."""


@dataclass(frozen=True)
class SentAlert:
    complaint_id: ObjectId
    ticket_number: str | None
    clock: str
    cycle: int
    stage: str
    threshold: datetime
    not_before: datetime
    notifications: int
    skipped: tuple[str, ...]


@dataclass
class ClaimWrites:
    """Every write of one claim, built before the transaction so the transaction only writes."""

    complaint_filter: dict[str, Any]
    complaint_update: dict[str, Any]
    alerts: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    notifications: list[dict[str, Any]] = field(default_factory=list)
    supersede: list[tuple[ClockPlan, DueStage]] = field(default_factory=list)
    sent: list[SentAlert] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class ClaimOutcome:
    sent: list[SentAlert]
    skipped: list[tuple[str, str]]
    notifications: list[dict[str, Any]]
    superseded: int


def complaint_guard(complaint: dict[str, Any]) -> dict[str, Any]:
    """Return a filter that matches the complaint only while every field the plan read is unchanged."""
    return {
        "_id": complaint["_id"],
        "status": complaint["status"],
        "agencyCode": complaint.get("agencyCode"),
        "assignedTo": complaint.get("assignedTo"),
        "policy": complaint["policy"],
        "clocks": complaint["clocks"],
        "nextAlertAt": complaint.get("nextAlertAt"),
    }


def _alert_doc(
    complaint: dict[str, Any], plan: ClockPlan, due: DueStage, status: str, now: datetime, claimed_by: str
) -> dict[str, Any]:
    policy = complaint["policy"]
    return {
        "_id": ObjectId(),
        "complaintId": complaint["_id"],
        "ticketNumber": complaint.get("ticketNumber"),
        "agencyCode": complaint.get("agencyCode"),
        "clock": plan.kind,
        "cycle": plan.cycle,
        "stage": due.stage.key,
        "stageKind": due.stage.kind,
        "severity": due.stage.severity,
        "status": status,
        "threshold": due.threshold,
        "claimedAt": now,
        "claimedBy": claimed_by,
        "policyId": policy.get("policyId"),
        "policyVersion": policy.get("version"),
    }


def _event_doc(complaint: dict[str, Any], plan: ClockPlan, due: DueStage, alert: dict[str, Any], now: datetime) -> dict[str, Any]:
    return {
        "_id": ObjectId(),
        "complaintId": complaint["_id"],
        "kind": "sla_alert",
        "at": now,
        "actor": SYSTEM_ACTOR,
        "internal": True,
        "alertId": alert["_id"],
        "clock": plan.kind,
        "cycle": plan.cycle,
        "stage": due.stage.key,
        "stageKind": due.stage.kind,
        "threshold": due.threshold,
        "dueAt": plan.clock.due_at,
        "escalationRole": alerted_role(due.stage),
        "skipped": [item.stage.key for item in plan.skipped],
        "notBefore": alert["notBefore"],
        "recipients": len(alert["notificationIds"]),
    }


def build_claim(
    *,
    complaint: dict[str, Any],
    catalogue: Catalogue,
    calendar: WorkCalendar,
    plan: AlertPlan,
    recipients: dict[str, list[Recipient]],
    now: datetime,
    claimed_by: str,
) -> ClaimWrites:
    """Build the writes of a claim; `recipients` maps a clock kind to the addresses of its sent stage."""
    policy = policy_of(complaint)
    new_clocks = plan.apply(clocks_of(complaint))
    writes = ClaimWrites(
        complaint_filter=complaint_guard(complaint),
        complaint_update=clock_update(calendar, policy, new_clocks, ComplaintStatus(complaint["status"])),
    )

    for clock_plan in plan.clocks:
        for due in clock_plan.skipped:
            alert = _alert_doc(complaint, clock_plan, due, "skipped", now, claimed_by)
            alert["skippedFor"] = clock_plan.sent.stage.key if clock_plan.sent else None
            writes.alerts.append(alert)
            writes.skipped.append((clock_plan.kind, due.stage.key))

        if clock_plan.sent is None:
            continue
        due = clock_plan.sent
        alert = _alert_doc(complaint, clock_plan, due, "sent", now, claimed_by)
        notifications = alert_notifications(
            complaint=complaint,
            catalogue=catalogue,
            policy=policy,
            calendar=calendar,
            clock=clock_plan.clock,
            due=due,
            recipients=recipients.get(clock_plan.kind, []),
            alert_id=alert["_id"],
            now=now,
        )
        not_before = official_not_before(now, calendar, urgent=is_urgent(calendar))
        alert["notBefore"] = not_before
        alert["notificationIds"] = [doc["_id"] for doc in notifications]
        alert["lagSeconds"] = max((now - due.threshold).total_seconds(), 0.0)
        writes.alerts.append(alert)
        writes.events.append(_event_doc(complaint, clock_plan, due, alert, now))
        writes.notifications.extend(notifications)
        # Only stages claimed earlier in this cycle can have held notifications.
        if clock_plan.clock.alerted or clock_plan.recovered:
            writes.supersede.append((clock_plan, due))
        writes.sent.append(
            SentAlert(
                complaint_id=complaint["_id"],
                ticket_number=complaint.get("ticketNumber"),
                clock=clock_plan.kind,
                cycle=clock_plan.cycle,
                stage=due.stage.key,
                threshold=due.threshold,
                not_before=not_before,
                notifications=len(notifications),
                skipped=tuple(item.stage.key for item in clock_plan.skipped),
            )
        )
    return writes


async def _supersede_held(
    db: Database, complaint_id: ObjectId, plan: ClockPlan, due: DueStage, now: datetime, session: AsyncClientSession
) -> int:
    """Mark held notifications and alerts of less severe stages of the same clock and cycle as superseded."""
    superseded = {"$set": {"status": "superseded", "supersededBy": due.stage.key, "updatedAt": now}}
    notifications = await db[NOTIFICATIONS].update_many(
        {
            "complaintId": complaint_id,
            "alert.clock": plan.kind,
            "alert.cycle": plan.cycle,
            "alert.severity": {"$lt": due.stage.severity},
            "status": "pending",
            "notBefore": {"$gt": now},
        },
        superseded,
        session=session,
    )
    await db[ALERTS].update_many(
        {
            "complaintId": complaint_id,
            "clock": plan.kind,
            "cycle": plan.cycle,
            "severity": {"$lt": due.stage.severity},
            "status": "sent",
            "notBefore": {"$gt": now},
        },
        {"$set": {"status": "superseded", "supersededBy": due.stage.key, "supersededAt": now}},
        session=session,
    )
    return notifications.modified_count


async def commit_claim(db: Database, writes: ClaimWrites, now: datetime) -> ClaimOutcome:
    """Write the claim in one transaction, retried on transient errors.

    Raises `ClaimConflict` when the complaint changed since it was read.
    Raises `DuplicateKeyError` (or `BulkWriteError`) when another watcher
    claimed one of the stages first, and `TransactionBusyError` when another
    transaction kept the complaint locked. In each case nothing is written.
    """
    complaint_id = writes.complaint_filter["_id"]

    async def write_all(session: AsyncClientSession) -> int:
        # The guarded update goes first, so a claim that lost the race stops at once.
        result = await db[COMPLAINTS].update_one(writes.complaint_filter, writes.complaint_update, session=session)
        if result.matched_count == 0:
            raise ClaimConflict(f"complaint {complaint_id} changed while it was being claimed")
        if writes.alerts:
            await db[ALERTS].insert_many(writes.alerts, ordered=True, session=session)
        if writes.events:
            await db[COMPLAINT_EVENTS].insert_many(writes.events, ordered=True, session=session)
        await insert_notifications(db, writes.notifications, session=session)
        superseded = 0
        for plan, due in writes.supersede:
            superseded += await _supersede_held(db, complaint_id, plan, due, now, session)
        return superseded

    superseded = await run_transaction(db, write_all)
    return ClaimOutcome(sent=writes.sent, skipped=writes.skipped, notifications=writes.notifications, superseded=superseded)
