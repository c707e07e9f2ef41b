"""DataLoaders, made fresh for every request: one `$in` query per batch, results in key order.

A page of complaints with their agencies, categories, calendars and
timelines therefore costs the same number of database round trips whatever
the page size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from typing import Any

from bson import ObjectId
from strawberry.dataloader import DataLoader

from shared.mongo import (
    AGENCIES,
    CALENDARS,
    CATEGORIES,
    COMPLAINT_EVENTS,
    COMPLAINTS,
    NOTIFICATIONS,
    OFFICIALS,
    SLA_POLICIES,
    Database,
)
from shared.sla.calendar import WorkCalendar
from shared.sla.calendar_store import calendar_from_doc

Document = dict[str, Any]


def forget(loader: DataLoader[Any, Any], key: Hashable) -> None:
    """Drop `key` from a loader's cache; a key it never loaded is fine."""
    if loader.cache_map.get(key) is not None:
        loader.clear(key)


class DocumentByFieldLoader(DataLoader[Hashable, Document | None]):
    """Load one document per key from `collection`, matching `field`; None for a missing key."""

    collection: str = ""
    field: str = ""

    def __init__(self, db: Database) -> None:
        self.db = db
        super().__init__(load_fn=self._load)

    async def _load(self, keys: list[Hashable]) -> Sequence[Document | None]:
        found: dict[Hashable, Document] = {}
        async for doc in self.db[self.collection].find({self.field: {"$in": list(keys)}}):
            found[doc[self.field]] = doc
        return [found.get(key) for key in keys]


class AgencyByCodeLoader(DocumentByFieldLoader):
    collection, field = AGENCIES, "code"


class CategoryByCodeLoader(DocumentByFieldLoader):
    collection, field = CATEGORIES, "code"


class CalendarByCodeLoader(DocumentByFieldLoader):
    collection, field = CALENDARS, "code"


class OfficialBySubjectLoader(DocumentByFieldLoader):
    collection, field = OFFICIALS, "subject"


class ComplaintByIdLoader(DocumentByFieldLoader):
    collection, field = COMPLAINTS, "_id"


class ComplaintByTicketLoader(DocumentByFieldLoader):
    collection, field = COMPLAINTS, "ticketNumber"


class PolicyByIdLoader(DocumentByFieldLoader):
    collection, field = SLA_POLICIES, "_id"


class DocumentsByComplaintLoader(DataLoader[ObjectId, list[Document]]):
    """Load every document of `collection` that belongs to each complaint, oldest first."""

    collection: str = ""
    time_field: str = ""

    def __init__(self, db: Database) -> None:
        self.db = db
        super().__init__(load_fn=self._load)

    async def _load(self, keys: list[ObjectId]) -> Sequence[list[Document]]:
        grouped: dict[ObjectId, list[Document]] = defaultdict(list)
        cursor = self.db[self.collection].find({"complaintId": {"$in": list(keys)}}).sort([(self.time_field, 1), ("_id", 1)])
        async for doc in cursor:
            grouped[doc["complaintId"]].append(doc)
        return [grouped.get(key, []) for key in keys]


class EventsByComplaintLoader(DocumentsByComplaintLoader):
    collection, time_field = COMPLAINT_EVENTS, "at"


class NotificationsByComplaintLoader(DocumentsByComplaintLoader):
    collection, time_field = NOTIFICATIONS, "createdAt"


class Loaders:
    """The loaders of one request (or of one subscription event)."""

    def __init__(self, db: Database) -> None:
        self.agency = AgencyByCodeLoader(db)
        self.category = CategoryByCodeLoader(db)
        self.calendar_doc = CalendarByCodeLoader(db)
        self.official = OfficialBySubjectLoader(db)
        self.complaint = ComplaintByIdLoader(db)
        self.complaint_by_ticket = ComplaintByTicketLoader(db)
        self.policy = PolicyByIdLoader(db)
        self.events = EventsByComplaintLoader(db)
        self.notifications = NotificationsByComplaintLoader(db)
        self._calendars: dict[str, WorkCalendar] = {}

    async def calendar(self, code: str) -> WorkCalendar | None:
        """Return the working calendar `code`, built once per request since holidays are costly to compute."""
        if code not in self._calendars:
            doc = await self.calendar_doc.load(code)
            if doc is None:
                return None
            self._calendars[code] = calendar_from_doc(doc)
        return self._calendars[code]

    def forget_calendar(self, code: str) -> None:
        forget(self.calendar_doc, code)
        self._calendars.pop(code, None)

    def forget_complaint(self, doc: Document) -> None:
        """Drop a complaint and its timeline from the caches after the request changed them."""
        forget(self.complaint, doc["_id"])
        forget(self.complaint_by_ticket, doc.get("ticketNumber"))
        forget(self.events, doc["_id"])
        forget(self.notifications, doc["_id"])
