"""Closing resolved complaints the citizen neither confirmed nor reopened in time.

The gateway sets `autoCloseAt` when a complaint is resolved (a set number of
working days later) and removes it on reopening. The watcher moves
complaints whose instant has passed to CLOSED as the system, through the
workflow table. The status, the timeline event and the citizen's
notification are written in one transaction. Its update is guarded, so a
concurrent reopening or confirmation wins cleanly.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import dramatiq
from bson import ObjectId
from pymongo.asynchronous.client_session import AsyncClientSession

from shared.complaints import clock_update, clocks_of, policy_of
from shared.mongo import COMPLAINT_EVENTS, COMPLAINTS, DATE_FLOOR, Database
from shared.notify.create import insert_notifications, notification_doc
from shared.notify.events import COMPLAINT_CLOSED
from shared.notify.recipients import citizen_recipients
from shared.notify.schedule import citizen_not_before
from shared.settings import Settings
from shared.sla.lifecycle import apply_effect
from shared.workflow import STATUS_LABELS_EN, STATUS_LABELS_ID, Actor, ComplaintStatus, find_transition

from services.sla_watcher.catalogue import Catalogue
from services.sla_watcher.claim import SYSTEM_ACTOR
from services.sla_watcher.enqueue import enqueue_new_notifications
from services.sla_watcher.transaction import TransactionBusyError, run_transaction

log = logging.getLogger(__name__)

AUTO_CLOSE_NOTE = (
    "Pengaduan ditutup otomatis oleh sistem karena pelapor tidak mengonfirmasi atau membuka kembali "
    "dalam {days} hari kerja setelah pengaduan dinyatakan selesai."
)


@dataclass(frozen=True)
class ClosedComplaint:
    complaint_id: ObjectId
    ticket_number: str | None
    notifications: list[dict[str, Any]]


def _close_writes(
    complaint: dict[str, Any], catalogue: Catalogue, settings: Settings, now: datetime
) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]]:
    """Return the complaint update, the timeline event and the citizen's notifications."""
    transition = find_transition(ComplaintStatus(complaint["status"]), ComplaintStatus.CLOSED, Actor.SYSTEM)
    policy = policy_of(complaint)
    calendar = catalogue.calendar(policy.calendar_code)
    clocks = apply_effect(calendar, policy, clocks_of(complaint), transition.effect, now)

    update = clock_update(calendar, policy, clocks, transition.target)
    update["$set"].update({"status": transition.target.value, "closedAt": now, "updatedAt": now, "closedBy": "system"})
    update.setdefault("$unset", {})["autoCloseAt"] = ""
    # A gateway write that read the complaint while it was still resolved
    # (a citizen reopening it) is guarded on this revision, so it fails
    # instead of overwriting the closing.
    update["$inc"] = {"revision": 1}

    note = AUTO_CLOSE_NOTE.format(days=settings.auto_close_working_days)
    event = {
        "_id": ObjectId(),
        "complaintId": complaint["_id"],
        "kind": "status_changed",
        "at": now,
        "actor": SYSTEM_ACTOR,
        "internal": False,
        "fromStatus": transition.source.value,
        "toStatus": transition.target.value,
        "note": note,
        "autoClosed": True,
    }

    timezone = catalogue.agency_timezone(complaint.get("agencyCode"))
    not_before = citizen_not_before(now, timezone, settings.quiet_hours_start, settings.quiet_hours_end)
    context = {
        "ticketNumber": complaint.get("ticketNumber"),
        "title": complaint.get("title"),
        "agencyName": catalogue.agency_name(complaint.get("agencyCode")),
        "categoryName": catalogue.category_name(complaint.get("categoryCode")),
        "timezone": timezone,
        "status": transition.target.value,
        "statusLabel": STATUS_LABELS_ID[transition.target],
        "statusLabelEn": STATUS_LABELS_EN[transition.target],
        "note": note,
        "closedAt": now.astimezone(calendar.zone).isoformat(),
        "autoClosed": True,
        "autoCloseWorkingDays": settings.auto_close_working_days,
    }
    notifications = [
        notification_doc(
            event=COMPLAINT_CLOSED,
            complaint=complaint,
            recipient=recipient,
            context=context,
            key=f"autoclose:{complaint['_id']}",
            not_before=not_before,
            now=now,
        )
        for recipient in citizen_recipients(complaint)
    ]
    return update, event, notifications


async def close_one(
    db: Database, complaint: dict[str, Any], catalogue: Catalogue, settings: Settings, now: datetime
) -> ClosedComplaint | None:
    """Close one complaint; return None when it changed (reopened, confirmed) since it was read."""
    update, event, notifications = _close_writes(complaint, catalogue, settings, now)
    guard = {
        "_id": complaint["_id"],
        "status": ComplaintStatus.RESOLVED.value,
        "autoCloseAt": complaint["autoCloseAt"],
        "clocks": complaint["clocks"],
    }

    async def write_all(session: AsyncClientSession) -> bool:
        result = await db[COMPLAINTS].update_one(guard, update, session=session)
        if result.matched_count == 0:
            return False
        await db[COMPLAINT_EVENTS].insert_one(event, session=session)
        await insert_notifications(db, notifications, session=session)
        return True

    closed = await run_transaction(db, write_all)
    if not closed:
        return None
    return ClosedComplaint(complaint["_id"], complaint.get("ticketNumber"), notifications)


async def drop_stale_auto_close(db: Database, now: datetime) -> int:
    """Remove passed `autoCloseAt` instants from complaints no longer resolved.

    The field means nothing outside RESOLVED, and a stale one would stay in
    the `auto_close` index and be read by every pass.
    """
    stale = {"autoCloseAt": {"$gte": DATE_FLOOR, "$lte": now}, "status": {"$ne": ComplaintStatus.RESOLVED.value}}
    result = await db[COMPLAINTS].update_many(stale, {"$unset": {"autoCloseAt": ""}})
    if result.modified_count:
        log.info("Removed auto-close instants of complaints no longer resolved.", extra={"count": result.modified_count})
    return result.modified_count


async def close_due_complaints(
    db: Database, broker: dramatiq.Broker, catalogue: Catalogue, settings: Settings, now: datetime, limit: int
) -> int:
    """Close resolved complaints whose `autoCloseAt` has passed; return how many were closed."""
    await drop_stale_auto_close(db, now)
    query = {"autoCloseAt": {"$gte": DATE_FLOOR, "$lte": now}, "status": ComplaintStatus.RESOLVED.value}
    due = [doc async for doc in db[COMPLAINTS].find(query).sort("autoCloseAt", 1).limit(limit)]

    count = 0
    for complaint in due:
        try:
            closed = await close_one(db, complaint, catalogue, settings, now)
        except TransactionBusyError:
            log.warning(
                "Closing timed out on write conflicts: another transaction locks the complaint. The next pass tries again.",
                extra={"complaintId": str(complaint["_id"])},
            )
            continue
        if closed is None:
            log.info("Complaint changed before it could be closed; left as it is.", extra={"complaintId": str(complaint["_id"])})
            continue
        count += 1
        log.info(
            "Resolved complaint closed by the system.",
            extra={"complaintId": str(closed.complaint_id), "ticketNumber": closed.ticket_number, "notifications": len(closed.notifications)},
        )
        try:
            await enqueue_new_notifications(broker, closed.notifications, now)
        except Exception:
            # Committed and pending: the resend sweep sends them later.
            log.exception(
                "Enqueueing the closing notifications failed; the resend sweep will send them.",
                extra={"complaintId": str(closed.complaint_id)},
            )
    return count
