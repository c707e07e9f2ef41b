"""The resend sweep: pending notifications whose message was lost are handed to the broker again.

A message can be lost when a process dies between committing a notification
and enqueueing it, or when a broker loses it. A notification counts as lost
once it has been pending for `notification_resend_after` seconds past both
its not-before instant and its last update, or has stayed `sending` that long
past the end of its worker's lease. Each one is claimed by moving
its `updatedAt` to now with a guarded update, so of several watchers only
one re-sends it, and the next resend waits a full period again. The
notifier sends a notification only once, so a message that was merely slow
costs nothing but a redelivery.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

import dramatiq
from bson import ObjectId

from shared.broker import enqueue_notifications
from shared.mongo import NOTIFICATIONS, Database

log = logging.getLogger(__name__)


def lost_filters(cutoff: datetime) -> list[dict[str, Any]]:
    """Return the filters of lost notifications, one per status (SecantusDB scans the collection for an `$or`).

    - pending, past its not-before instant, untouched since `cutoff`;
    - sending, whose worker's lease ended before `cutoff` without an outcome:
      the notifier takes over an expired lease when the message arrives.
    """
    return [
        {"status": "pending", "updatedAt": {"$lte": cutoff}, "notBefore": {"$lte": cutoff}},
        {"status": "sending", "updatedAt": {"$lte": cutoff}, "leaseUntil": {"$lte": cutoff}},
    ]


async def claim_lost_notifications(db: Database, now: datetime, resend_after: timedelta, limit: int) -> list[ObjectId]:
    """Return the ids of lost notifications this caller claimed for resending."""
    claimed: list[ObjectId] = []
    for lost in lost_filters(now - resend_after):
        cursor = db[NOTIFICATIONS].find(lost, {"status": 1, "updatedAt": 1}).sort("updatedAt", 1).limit(limit - len(claimed))
        async for doc in cursor:
            result = await db[NOTIFICATIONS].update_one(
                {"_id": doc["_id"], "status": doc["status"], "updatedAt": doc["updatedAt"]},
                {"$set": {"updatedAt": now, "resentAt": now}, "$inc": {"resends": 1}},
            )
            if result.modified_count == 1:
                claimed.append(doc["_id"])
        if len(claimed) >= limit:
            break
    return claimed


async def resend_lost_notifications(
    db: Database, broker: dramatiq.Broker, now: datetime, resend_after: timedelta, limit: int
) -> int:
    """Hand lost pending notifications to the broker again; return how many were sent."""
    ids = await claim_lost_notifications(db, now, resend_after, limit)
    if not ids:
        return 0
    sent = await enqueue_notifications(broker, ids)
    log.warning(
        "Pending notifications were handed to the broker again.",
        extra={"count": sent, "notificationIds": [str(i) for i in ids[:20]], "resendAfterSeconds": resend_after.total_seconds()},
    )
    return sent
