"""Finding complaints whose next SLA threshold has come.

The scan reads only the `next_alert` partial index: open complaints with a
stage ahead carry `nextAlertAt`, closed ones do not, so its cost grows with
the number of complaints due, not with the number open.

Several watchers may scan at once. Each walks the due complaints in its own
random order, a few at a time, and reads each group again just before
claiming it: what another watcher claimed meanwhile has a later
`nextAlertAt` by then and drops out. The watchers so split the work about
evenly without knowing of each other, and the claim's unique index and
guarded update settle the few complaints two of them reach together.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bson import ObjectId

from shared.mongo import ALERTS, COMPLAINTS, DATE_FLOOR, Database

from services.sla_watcher.stages_due import ClaimKey

# Small groups keep the window in which two watchers hold the same complaint short.
GROUP_SIZE = 10


def due_filter(now: datetime) -> dict[str, Any]:
    # The lower bound repeats the index's partial filter, so that the planner
    # can prove the query fits the partial index instead of scanning.
    return {"nextAlertAt": {"$gte": DATE_FLOOR, "$lte": now}}


async def due_complaint_ids(db: Database, now: datetime, batch_size: int) -> list[ObjectId]:
    """Return the ids of up to `batch_size` complaints due at `now`, the longest due first."""
    cursor = db[COMPLAINTS].find(due_filter(now), {"_id": 1}).sort("nextAlertAt", 1).limit(batch_size)
    return [doc["_id"] async for doc in cursor]


def groups_in_random_order(ids: Sequence[ObjectId], rng: random.Random, size: int = GROUP_SIZE) -> list[list[ObjectId]]:
    shuffled = list(ids)
    rng.shuffle(shuffled)
    return [shuffled[start : start + size] for start in range(0, len(shuffled), size)]


async def still_due(db: Database, ids: list[ObjectId], now: datetime) -> list[dict[str, Any]]:
    """Read the complaints of one group that are still due, whole, in the scan's order."""
    cursor = db[COMPLAINTS].find({"_id": {"$in": ids}, **due_filter(now)}).sort("nextAlertAt", 1)
    return [doc async for doc in cursor]


async def claimed_keys(db: Database, complaint_ids: list[ObjectId]) -> dict[ObjectId, set[ClaimKey]]:
    """Return the (clock, cycle, stage) keys already in `alerts` for each complaint."""
    keys: dict[ObjectId, set[ClaimKey]] = {complaint_id: set() for complaint_id in complaint_ids}
    cursor = db[ALERTS].find({"complaintId": {"$in": complaint_ids}}, {"complaintId": 1, "clock": 1, "cycle": 1, "stage": 1})
    async for doc in cursor:
        keys.setdefault(doc["complaintId"], set()).add((doc["clock"], int(doc["cycle"]), doc["stage"]))
    return keys
