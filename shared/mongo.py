"""The MongoDB client, the collections' names and their indexes.

Complaints, events and notifications are written with a journaled write
concern: SecantusDB 0.7.0b3 lost acknowledged inserts of the last ~50 ms
when killed with SIGKILL under w:1 without journaling, and none with j=True.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from pymongo import ASCENDING, DESCENDING, AsyncMongoClient, IndexModel
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.write_concern import WriteConcern

from shared.settings import Settings

Database = AsyncDatabase[dict[str, Any]]

AGENCIES = "agencies"
CATEGORIES = "categories"
CALENDARS = "calendars"
OFFICIALS = "officials"
SLA_POLICIES = "sla_policies"
COMPLAINTS = "complaints"
COMPLAINT_EVENTS = "complaint_events"
ALERTS = "alerts"
NOTIFICATIONS = "notifications"
AUDIT_LOG = "audit_log"
COUNTERS = "counters"

JOURNALED = WriteConcern(w=1, j=True)

# Partial indexes on an instant use `{"$gte": DATE_FLOOR}` to mean "the field
# is a date", because a range bound matches values of its own BSON type only.
# SecantusDB 0.7.0b3 matches queries against partial filters of $eq, $lt, $lte,
# $gt and $gte alone: with `$type` it scanned the whole collection. Queries
# repeat the bound, which is also how MongoDB picks a partial index (the query
# must contain the filter expression, per its manual's "Partial Indexes").
DATE_FLOOR = datetime(1970, 1, 1, tzinfo=timezone.utc)


def make_client(settings: Settings) -> AsyncMongoClient[dict[str, Any]]:
    """Build a timezone-aware client with journaled writes; call it inside the event loop that will use it."""
    return AsyncMongoClient(
        settings.effective_mongodb_uri,
        tz_aware=True,
        w=1,
        journal=True,
        serverSelectionTimeoutMS=10_000,
        # SecantusDB 0.7 closes a connection after 300 s without a request,
        # and the next operation on it failed with AutoReconnect; the pool
        # retires idle connections well before that.
        maxIdleTimeMS=120_000,
        appname="tanggap",
    )


def database(client: AsyncMongoClient[dict[str, Any]], settings: Settings) -> Database:
    return client[settings.mongodb_database]


INDEXES: dict[str, list[IndexModel]] = {
    AGENCIES: [IndexModel([("code", ASCENDING)], unique=True, name="code_unique")],
    CATEGORIES: [
        IndexModel([("code", ASCENDING)], unique=True, name="code_unique"),
        IndexModel([("agencyCode", ASCENDING)], name="agency"),
    ],
    CALENDARS: [IndexModel([("code", ASCENDING)], unique=True, name="code_unique")],
    OFFICIALS: [
        IndexModel([("subject", ASCENDING)], unique=True, name="subject_unique"),
        IndexModel([("agencyCode", ASCENDING), ("role", ASCENDING)], name="agency_role"),
    ],
    SLA_POLICIES: [
        IndexModel(
            [("agencyCode", ASCENDING), ("categoryCode", ASCENDING), ("version", DESCENDING)],
            unique=True,
            name="agency_category_version_unique",
        ),
    ],
    COMPLAINTS: [
        IndexModel([("ticketNumber", ASCENDING)], unique=True, name="ticket_unique"),
        IndexModel(
            [("reporter.subject", ASCENDING), ("clientRequestId", ASCENDING)],
            unique=True,
            partialFilterExpression={"clientRequestId": {"$type": "string"}},
            name="client_request_unique",
        ),
        IndexModel(
            [("source.system", ASCENDING), ("source.id", ASCENDING)],
            unique=True,
            partialFilterExpression={"source.id": {"$type": "string"}},
            name="import_source_unique",
        ),
        # The watcher's scan: only open complaints with a threshold ahead carry the field.
        IndexModel(
            [("nextAlertAt", ASCENDING)],
            partialFilterExpression={"nextAlertAt": {"$gte": DATE_FLOOR}},
            name="next_alert",
        ),
        # The watcher's auto-close: only resolved complaints carry the field.
        IndexModel(
            [("autoCloseAt", ASCENDING)],
            partialFilterExpression={"autoCloseAt": {"$gte": DATE_FLOOR}},
            name="auto_close",
        ),
        # Recomputing open complaints' clocks after a calendar edit.
        IndexModel([("policy.calendarCode", ASCENDING), ("open", ASCENDING)], name="calendar_open"),
        IndexModel([("submittedAt", DESCENDING), ("_id", DESCENDING)], name="submitted"),
        IndexModel([("agencyCode", ASCENDING), ("submittedAt", DESCENDING), ("_id", DESCENDING)], name="agency_submitted"),
        IndexModel([("status", ASCENDING), ("submittedAt", DESCENDING)], name="status_submitted"),
        IndexModel([("reporter.subject", ASCENDING), ("submittedAt", DESCENDING)], name="reporter_submitted"),
    ],
    COMPLAINT_EVENTS: [IndexModel([("complaintId", ASCENDING), ("at", ASCENDING), ("_id", ASCENDING)], name="timeline")],
    ALERTS: [
        IndexModel(
            [("complaintId", ASCENDING), ("clock", ASCENDING), ("cycle", ASCENDING), ("stage", ASCENDING)],
            unique=True,
            name="alert_claim_unique",
        ),
    ],
    NOTIFICATIONS: [
        IndexModel([("idempotencyKey", ASCENDING)], unique=True, name="idempotency_unique"),
        IndexModel([("status", ASCENDING), ("updatedAt", ASCENDING)], name="status_updated"),
        IndexModel([("complaintId", ASCENDING), ("createdAt", ASCENDING)], name="complaint"),
        # Delivery-status callbacks find the notification by the provider's message id.
        IndexModel(
            [("providerMessageId", ASCENDING)],
            partialFilterExpression={"providerMessageId": {"$type": "string"}},
            name="provider_message",
        ),
    ],
    AUDIT_LOG: [IndexModel([("entity", ASCENDING), ("entityId", ASCENDING), ("at", DESCENDING)], name="entity")],
}


async def ensure_indexes(db: Database) -> None:
    """Create every index; running it again changes nothing."""
    for collection, models in INDEXES.items():
        await db[collection].create_indexes(models)
