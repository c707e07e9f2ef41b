"""The complaint document: how it is built and how its clocks are saved on it.

Fields of a `complaints` document (camelCase, as stored):

- `ticketNumber`, `status`, `agencyCode`, `categoryCode`, `title`,
  `description`, `searchText` (lower-cased title and description),
  `location` {latitude, longitude, address, district, subdistrict},
  `channel`, `clientRequestId`;
- `reporter` {subject, name, phone (E.164), email, notify {channels, locale}};
- `assignedTo` (an official's subject) or None;
- `policy`: the `PolicySnapshot` the complaint was filed or transferred under;
- `clocks` {response, resolution}: the current cycle of each `SlaClock`;
- `nextAlertAt`: the instant of the next SLA stage of a running clock, absent
  when none can come (the watcher's indexed scan reads only this field);
- `open`, `submittedAt`, `updatedAt`, `resolvedAt`, `closedAt`;
- `rating` {score, comment, at}; `imported` and `source` {system, id} for history.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bson import ObjectId

from shared.sla.calendar import WorkCalendar
from shared.sla.lifecycle import Clocks, next_alert_at, start_clocks
from shared.sla.policy import PolicySnapshot
from shared.workflow import OPEN_STATUSES, ComplaintStatus


def search_text(title: str, description: str) -> str:
    """Return the lower-cased text the complaint search matches against; SecantusDB has no `$text` index."""
    return f"{title}\n{description}".casefold()


def clock_fields(calendar: WorkCalendar, policy: PolicySnapshot, clocks: Clocks, status: ComplaintStatus) -> dict[str, Any]:
    """Return the `$set` fields for new clocks, with `nextAlertAt` worked out again.

    `nextAlertAt` is None on closed complaints so that the watcher's partial
    index leaves them out; the caller `$unset`s it in that case.
    """
    upcoming = next_alert_at(calendar, policy, clocks) if status in OPEN_STATUSES else None
    return {"clocks": clocks.to_doc(), "nextAlertAt": upcoming, "open": status in OPEN_STATUSES}


def clock_update(calendar: WorkCalendar, policy: PolicySnapshot, clocks: Clocks, status: ComplaintStatus) -> dict[str, Any]:
    """Return a MongoDB update document that saves the clocks and their next alert instant."""
    fields = clock_fields(calendar, policy, clocks, status)
    upcoming = fields.pop("nextAlertAt")
    update: dict[str, Any] = {"$set": fields}
    if upcoming is None:
        update["$unset"] = {"nextAlertAt": ""}
    else:
        update["$set"]["nextAlertAt"] = upcoming
    return update


def new_complaint_doc(
    *,
    ticket_number: str,
    category_code: str,
    agency_code: str,
    title: str,
    description: str,
    location: dict[str, Any] | None,
    channel: str,
    reporter: dict[str, Any],
    policy: PolicySnapshot,
    calendar: WorkCalendar,
    submitted_at: datetime,
    client_request_id: str | None = None,
) -> dict[str, Any]:
    """Build a SUBMITTED complaint whose clocks start at `submitted_at`."""
    clocks = start_clocks(calendar, policy, submitted_at)
    doc: dict[str, Any] = {
        "_id": ObjectId(),
        "ticketNumber": ticket_number,
        "status": ComplaintStatus.SUBMITTED.value,
        "agencyCode": agency_code,
        "categoryCode": category_code,
        "title": title,
        "description": description,
        "searchText": search_text(title, description),
        "location": location or {},
        "channel": channel,
        "reporter": reporter,
        "assignedTo": None,
        "policy": policy.to_doc(),
        "submittedAt": submitted_at,
        "updatedAt": submitted_at,
        "imported": False,
    }
    if client_request_id is not None:
        doc["clientRequestId"] = client_request_id
    doc.update(clock_fields(calendar, policy, clocks, ComplaintStatus.SUBMITTED))
    if doc["nextAlertAt"] is None:
        del doc["nextAlertAt"]
    return doc


def clocks_of(doc: dict[str, Any]) -> Clocks:
    return Clocks.from_doc(doc["clocks"])


def policy_of(doc: dict[str, Any]) -> PolicySnapshot:
    return PolicySnapshot.from_doc(doc["policy"])
