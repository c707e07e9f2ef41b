"""Insert notification documents, one per recipient and channel, idempotently.

A document is written before any message: the broker only carries its id,
so a lost message can be sent again from the database.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from bson import ObjectId
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.errors import BulkWriteError

from shared.mongo import NOTIFICATIONS, Database
from shared.notify.recipients import Recipient

log = logging.getLogger(__name__)

DUPLICATE_KEY = 11000


def notification_doc(
    *,
    event: str,
    complaint: dict[str, Any],
    recipient: Recipient,
    context: dict[str, Any],
    key: str,
    not_before: datetime,
    now: datetime,
    alert: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Return a pending notification; `key` names the occasion, so one occasion makes one message per address."""
    return {
        "_id": ObjectId(),
        "idempotencyKey": f"{key}:{recipient.channel}:{recipient.address}",
        "event": event,
        "complaintId": complaint["_id"],
        "ticketNumber": complaint.get("ticketNumber"),
        "agencyCode": complaint.get("agencyCode"),
        "audience": recipient.audience,
        "recipient": {"subject": recipient.subject, "name": recipient.name, "role": recipient.role},
        "channel": recipient.channel,
        "address": recipient.address,
        "locale": recipient.locale,
        "context": context,
        "alert": alert,
        "notBefore": not_before,
        "status": "pending",
        "attempts": [],
        "createdAt": now,
        "updatedAt": now,
    }


async def insert_notifications(
    db: Database, docs: Iterable[dict[str, Any]], session: AsyncClientSession | None = None
) -> list[ObjectId]:
    """Insert the documents and return the ids of those newly created; existing keys are skipped."""
    docs = list(docs)
    if not docs:
        return []
    try:
        await db[NOTIFICATIONS].insert_many(docs, ordered=False, session=session)
        return [doc["_id"] for doc in docs]
    except BulkWriteError as exc:
        failed = {error["index"] for error in exc.details.get("writeErrors", []) if error.get("code") == DUPLICATE_KEY}
        other = [error for error in exc.details.get("writeErrors", []) if error.get("code") != DUPLICATE_KEY]
        if other:
            raise
        log.info("Skipped notifications that already exist.", extra={"duplicates": len(failed)})
        return [doc["_id"] for index, doc in enumerate(docs) if index not in failed]
