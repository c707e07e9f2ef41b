"""Imported complaints as history: a closed complaint document and its response event.

How the clocks of an imported complaint are stopped, so that performance
figures count it correctly:

- Its clocks start at the original `submitted_at` under the policy in force
  at import.
- Answered: the response clock stops at `responded_at` with the outcome
  "responded", through the same `record_response` that live complaints use,
  so its `workingMinutes` and `met` are stored as for any other response.
  The complaint is closed at `responded_at`, the last instant the export
  records, and a `response` event at that instant joins its timeline.
- Never answered: the complaint is closed at the import instant, the one
  instant at which it is known to be still unanswered. Its response clock
  stops there as "cancelled", so it counts as received but not responded,
  and its stored `met` is false.
- The export has no resolution time, so the resolution clock always stops
  as "cancelled" when the complaint is closed: imported complaints never
  count as resolved.

Imported complaints carry `imported: true`, `source` {system, id, topic,
agency}, `open: false` and no `nextAlertAt`, so the watcher never sees them,
and no reporter: the export names nobody, and nobody is notified.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bson import ObjectId

from shared.complaints import clock_fields, clocks_of, new_complaint_doc
from shared.sla.calendar import WorkCalendar
from shared.sla.lifecycle import apply_effect, record_response
from shared.sla.policy import PolicySnapshot
from shared.workflow import ComplaintStatus, SlaEffect
from tanggap.importer.mapping import Placement
from tanggap.importer.source import SourceRow
from tanggap.importer.titles import title_from_text

IMPORT_CHANNEL = "IMPORT"
RESPONSE_EVENT = "response"

# Nobody filed these complaints through Tanggap: no subject matches a
# citizen's token, and no channel is listed, so nothing is ever sent.
ANONYMOUS_REPORTER: dict[str, Any] = {
    "subject": None,
    "name": None,
    "phone": None,
    "email": None,
    "notify": {"channels": [], "locale": "id"},
}


def history_docs(
    row: SourceRow,
    placement: Placement,
    policy: PolicySnapshot,
    calendar: WorkCalendar,
    *,
    ticket_number: str,
    system: str,
    imported_at: datetime,
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """Build the closed complaint for `row`, and its response event when the row was answered."""
    doc = new_complaint_doc(
        ticket_number=ticket_number,
        category_code=placement.category_code,
        agency_code=placement.agency_code,
        title=title_from_text(row.text),
        description=row.text,
        location={"district": row.district or None, "subdistrict": row.subdistrict or None},
        channel=IMPORT_CHANNEL,
        reporter=dict(ANONYMOUS_REPORTER),
        policy=policy,
        calendar=calendar,
        submitted_at=row.submitted_at,
    )

    clocks = clocks_of(doc)
    if row.responded_at is not None:
        clocks = record_response(calendar, clocks, row.responded_at)
    closed_at = row.responded_at or imported_at
    clocks = apply_effect(calendar, policy, clocks, SlaEffect.CLOSE, closed_at)

    doc.pop("nextAlertAt", None)
    fields = clock_fields(calendar, policy, clocks, ComplaintStatus.CLOSED)
    fields.pop("nextAlertAt")
    doc.update(fields)
    doc.update(
        {
            "status": ComplaintStatus.CLOSED.value,
            "respondedAt": row.responded_at,
            "closedAt": closed_at,
            "updatedAt": imported_at,
            "imported": True,
            "importedAt": imported_at,
            "source": {"system": system, "id": row.source_id, "topic": row.topic, "agency": row.agency},
        }
    )

    event = None
    if row.responded_at is not None:
        event = response_event(doc["_id"], placement.agency_code, row.responded_at)
    return doc, event


def response_event(complaint_id: ObjectId, agency_code: str, at: datetime) -> dict[str, Any]:
    """Build the timeline event of an imported response, in the fields of the gateway's timeline.

    The export names the responding agency but no official, so the actor
    has no subject, role or name.
    """
    return {
        "_id": ObjectId(),
        "complaintId": complaint_id,
        "kind": RESPONSE_EVENT,
        "at": at,
        "actor": {"subject": None, "role": None, "agency": agency_code, "name": None},
        "note": None,
        "imported": True,
    }
