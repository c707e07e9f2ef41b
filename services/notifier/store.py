"""The notifier's reads and writes of notification documents.

Status moves (the gateway and the watcher create documents as `pending`,
the watcher may set `superseded`):

    pending ──claim──▶ sending ──▶ sent
       ▲                  │ ├────▶ failed   (permanent error)
       └──transient error─┘ └────▶ dead     (out of retries)

A claim is atomic and holds a lease (`leaseUntil`, `claim` token): another
worker may take the notification over only once the lease has expired,
which is how a notification whose worker died gets sent. Every outcome is
written with the claim token in the filter, so a worker whose lease ran out
cannot overwrite what the next one recorded.

Fields written here, beside those of `shared.notify.create`:
`attempts[]` {at, provider, channel, outcome (sent, failed, retry),
providerMessageId, error {code, message, status, transient}, durationMs},
`leaseUntil`, `claim`, `claims` (how often it was claimed), `sentAt`,
`failedAt`, `deadAt`, `provider`, `providerMessageId`, `lastError`,
`deferredUntil`, `sms` {encoding, segments, truncated}.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta
from typing import Any

from bson import ObjectId

from shared.mongo import NOTIFICATIONS, Database

log = logging.getLogger(__name__)

PENDING = "pending"
SENDING = "sending"
SENT = "sent"
FAILED = "failed"
DEAD = "dead"
SUPERSEDED = "superseded"

FINAL_STATUSES = frozenset({SENT, FAILED, DEAD, SUPERSEDED})

_CLAIM_FIELDS = {"leaseUntil": "", "claim": ""}


async def claim(db: Database, notification_id: ObjectId, now: datetime, lease: timedelta) -> dict[str, Any] | None:
    """Take a due notification that is pending, or sending under an expired lease; None when it cannot be taken.

    Two plain updates instead of one `$or` filter and a find-and-modify:
    SecantusDB scans the whole collection for either (about 25 ms a claim
    with 1,000 documents, against 2 ms for an `_id` update and a read).
    """
    token = uuid.uuid4().hex
    update = {
        "$set": {"status": SENDING, "leaseUntil": now + lease, "claim": token, "updatedAt": now},
        "$inc": {"claims": 1},
    }
    notifications = db[NOTIFICATIONS]
    claimed = await notifications.update_one({"_id": notification_id, "status": PENDING, "notBefore": {"$lte": now}}, update)
    if claimed.modified_count == 0:
        claimed = await notifications.update_one(
            {"_id": notification_id, "status": SENDING, "leaseUntil": {"$lte": now}}, update
        )
    if claimed.modified_count == 0:
        # A document written without a not-before instant is due at once.
        claimed = await notifications.update_one({"_id": notification_id, "status": PENDING, "notBefore": None}, update)
    if claimed.modified_count == 0:
        return None
    return await notifications.find_one({"_id": notification_id, "claim": token})


async def load(db: Database, notification_id: ObjectId) -> dict[str, Any] | None:
    return await db[NOTIFICATIONS].find_one({"_id": notification_id})


async def record_sent(
    db: Database,
    notification: dict[str, Any],
    attempts: list[dict[str, Any]],
    provider: str,
    provider_message_id: str | None,
    now: datetime,
    extra: dict[str, Any] | None = None,
) -> None:
    fields = {"status": SENT, "sentAt": now, "provider": provider, "providerMessageId": provider_message_id, "updatedAt": now}
    await _record(db, notification, attempts, {"$set": {**fields, **(extra or {})}, "$unset": {**_CLAIM_FIELDS, "lastError": ""}})


async def record_failed(
    db: Database, notification: dict[str, Any], attempts: list[dict[str, Any]], error: dict[str, Any], now: datetime
) -> None:
    fields = {"status": FAILED, "failedAt": now, "lastError": error, "updatedAt": now}
    await _record(db, notification, attempts, {"$set": fields, "$unset": _CLAIM_FIELDS})


async def release_for_retry(
    db: Database, notification: dict[str, Any], attempts: list[dict[str, Any]], error: dict[str, Any], now: datetime
) -> None:
    """Put the notification back to pending so that the retried message can claim it at once."""
    fields = {"status": PENDING, "lastError": error, "updatedAt": now}
    await _record(db, notification, attempts, {"$set": fields, "$unset": _CLAIM_FIELDS})


async def record_deferral(db: Database, notification_id: ObjectId, until: datetime, now: datetime) -> None:
    await db[NOTIFICATIONS].update_one(
        {"_id": notification_id, "status": PENDING},
        {"$set": {"deferredUntil": until, "updatedAt": now}},
    )


async def mark_dead(db: Database, notification_id: ObjectId, error: dict[str, Any], now: datetime) -> bool:
    """Record that the broker gave up on the notification; False when it had already reached a final status."""
    result = await db[NOTIFICATIONS].update_one(
        {"_id": notification_id, "status": {"$in": [PENDING, SENDING]}},
        {"$set": {"status": DEAD, "deadAt": now, "lastError": error, "updatedAt": now}, "$unset": _CLAIM_FIELDS},
    )
    return result.modified_count == 1


async def _record(db: Database, notification: dict[str, Any], attempts: list[dict[str, Any]], update: dict[str, Any]) -> None:
    """Apply `update` under this worker's claim; when the claim was lost, keep the attempts only."""
    push = {"$push": {"attempts": {"$each": attempts}}} if attempts else {}
    result = await db[NOTIFICATIONS].update_one(
        {"_id": notification["_id"], "claim": notification["claim"]}, {**update, **push}
    )
    if result.matched_count == 1:
        return

    log.warning(
        "Lease on notification expired before its outcome was recorded; keeping the attempts only.",
        extra={"notification_id": str(notification["_id"])},
    )
    if attempts:
        await db[NOTIFICATIONS].update_one({"_id": notification["_id"]}, push)
