"""Saving a change to a complaint: the complaint, its timeline events and its notifications in one transaction.

Notification ids go to the broker only after the commit, so the notifier
never sees an id whose document was rolled back. A failed enqueue loses
nothing: the notifier sends pending documents again after
`notification_resend_after` seconds.

Each complaint carries a `revision`; an update names the revision it read,
so two officials acting at the same moment cannot overwrite each other.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from bson import ObjectId
from pymongo import ReturnDocument
from pymongo.asynchronous.client_session import AsyncClientSession

from services.gateway.context import Services
from services.gateway.errors import UserInputError
from shared.broker import enqueue_notifications
from shared.mongo import COMPLAINT_EVENTS, COMPLAINTS
from shared.notify.create import insert_notifications

log = logging.getLogger(__name__)

Document = dict[str, Any]


@dataclass
class ComplaintChange:
    """One change to an existing complaint, read at `before`."""

    before: Document
    update: dict[str, Any]
    events: list[Document] = field(default_factory=list)
    notifications: list[Document] = field(default_factory=list)


def revision_filter(complaint: Document) -> dict[str, Any]:
    """Match the complaint only while it still has the revision that was read."""
    revision = complaint.get("revision")
    return {"_id": complaint["_id"], "revision": revision if revision is not None else {"$exists": False}}


def merge_update(*updates: dict[str, Any]) -> dict[str, Any]:
    """Combine MongoDB update documents operator by operator; later fields win."""
    merged: dict[str, dict[str, Any]] = {}
    for update in updates:
        for operator, fields in update.items():
            merged.setdefault(operator, {}).update(fields)
    for field_name in merged.get("$set", {}):
        merged.get("$unset", {}).pop(field_name, None)
    return {operator: fields for operator, fields in merged.items() if fields}


async def run_in_transaction(services: Services, work: Callable[[AsyncClientSession], Awaitable[Any]]) -> Any:
    """Run `work` in a transaction, retried by the driver on transient errors."""
    async with services.client.start_session() as session:
        return await session.with_transaction(work)


async def enqueue_after_commit(services: Services, notification_ids: list[ObjectId], complaint_id: ObjectId) -> None:
    if not notification_ids:
        return
    try:
        await enqueue_notifications(services.broker, notification_ids)
    except Exception:
        # The documents are committed as pending, so the notifier's resend pass delivers them later.
        log.warning(
            "Could not enqueue notifications for complaint %s; they stay pending until the resend pass.",
            complaint_id,
            exc_info=True,
            extra={"complaintId": str(complaint_id), "notifications": len(notification_ids)},
        )


async def commit_change(services: Services, change: ComplaintChange) -> Document:
    """Apply `change` and return the complaint as saved; raise CONCURRENT_UPDATE when it moved meanwhile."""
    db = services.db
    update = merge_update(change.update, {"$inc": {"revision": 1}})
    created: list[ObjectId] = []

    async def work(session: AsyncClientSession) -> Document:
        saved = await db[COMPLAINTS].find_one_and_update(
            revision_filter(change.before), update, return_document=ReturnDocument.AFTER, session=session
        )
        if saved is None:
            raise UserInputError("CONCURRENT_UPDATE", ["input", "complaintId"])
        if change.events:
            await db[COMPLAINT_EVENTS].insert_many(change.events, session=session)
        created[:] = await insert_notifications(db, change.notifications, session=session)
        return saved

    saved: Document = await run_in_transaction(services, work)
    log.info(
        "Saved complaint %s.",
        saved["ticketNumber"],
        extra={"complaintId": str(saved["_id"]), "events": [e["kind"] for e in change.events], "notifications": len(created)},
    )
    await enqueue_after_commit(services, created, saved["_id"])
    return saved
