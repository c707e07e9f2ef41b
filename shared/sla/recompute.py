"""Working out open complaints' due instants again after their calendar was edited.

A decree that adds a day off moves the deadlines it covers, so after a
calendar edit every open complaint whose policy names that calendar gets
its running clocks recomputed and its `nextAlertAt` saved again. Stages
already alerted stay alerted; a threshold that moved earlier into the past
is caught up by the watcher's next scan.

The update increments the complaint's `revision`, which the gateway's
writes are guarded on, so a gateway write that read the complaint before
the recompute fails with a concurrent-update error instead of saving clocks
computed on the old calendar. The update is itself guarded on the revision,
status and clocks it read, and reads the complaint again when another
writer got in between.
"""

from __future__ import annotations

import logging
from typing import Any

from shared.complaints import clock_update, clocks_of, policy_of
from shared.mongo import COMPLAINTS, Database
from shared.sla.calendar import WorkCalendar
from shared.sla.calendar_store import load_calendar
from shared.sla.lifecycle import recompute_clocks
from shared.workflow import ComplaintStatus

log = logging.getLogger(__name__)

# A complaint changed by someone else between the read and the write is read
# again. Needing more attempts than this means it keeps changing, and the
# writer changing it recomputes its clocks with the new calendar anyway.
MAX_ATTEMPTS = 5


def _guard(doc: dict[str, Any], calendar_code: str) -> dict[str, Any]:
    """Match the complaint only while it is as read: same revision, status and clocks, on the same calendar.

    The watcher records alerts in `clocks` without incrementing `revision`,
    so the clocks are compared too.
    """
    revision = doc.get("revision")
    return {
        "_id": doc["_id"],
        "revision": revision if revision is not None else {"$exists": False},
        "status": doc["status"],
        "clocks": doc["clocks"],
        "policy.calendarCode": calendar_code,
    }


async def recompute_complaint(db: Database, doc: dict[str, Any], calendar: WorkCalendar) -> bool:
    """Save recomputed clocks on the complaint read as `doc`; return False when it is no longer open on the calendar."""
    current: dict[str, Any] | None = doc
    for attempt in range(1, MAX_ATTEMPTS + 1):
        if current is None:
            return False
        clocks = recompute_clocks(calendar, clocks_of(current))
        update = clock_update(calendar, policy_of(current), clocks, ComplaintStatus(current["status"]))
        update["$inc"] = {"revision": 1}
        result = await db[COMPLAINTS].update_one(_guard(current, calendar.code), update)
        if result.matched_count == 1:
            return True

        log.info(
            "Complaint %s changed while its clocks were recomputed; reading it again (attempt %d of %d).",
            doc["_id"], attempt, MAX_ATTEMPTS,
            extra={"complaintId": str(doc["_id"]), "calendar": calendar.code, "attempt": attempt},
        )
        current = await db[COMPLAINTS].find_one({"_id": doc["_id"], "open": True, "policy.calendarCode": calendar.code})
    log.warning(
        "Complaint kept changing while its clocks were recomputed; left to its next update.",
        extra={"complaintId": str(doc["_id"]), "calendar": calendar.code},
    )
    return False


async def recompute_open_complaints(db: Database, calendar_code: str) -> int:
    """Recompute the clocks of every open complaint on `calendar_code`; return how many were saved.

    Raises `CalendarNotFoundError` when the calendar does not exist.
    """
    calendar = await load_calendar(db, calendar_code)
    count = 0
    cursor = db[COMPLAINTS].find({"policy.calendarCode": calendar_code, "open": True})
    async for doc in cursor:
        if await recompute_complaint(db, doc, calendar):
            count += 1
    log.info("Open complaints' clocks recomputed after a calendar edit.", extra={"calendar": calendar_code, "complaints": count})
    return count
