"""Timeline events of a complaint (collection `complaint_events`): who did what, when, with which note.

Fields: `complaintId`, `kind` (submitted, status_changed, comment, assigned,
transferred, rated), `at`, `actor` {subject, role, agency, name}, and by
kind `fromStatus`/`toStatus`, `note`, `body`, `internal`, `assignee`,
`fromAgency`/`toAgency`, `score`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bson import ObjectId

from services.gateway.auth import Principal

SUBMITTED = "submitted"
STATUS_CHANGED = "status_changed"
COMMENT = "comment"
ASSIGNED = "assigned"
TRANSFERRED = "transferred"
RATED = "rated"

# Kinds a viewer of the public form sees; comments show only when they are
# an official's public reply.
PUBLIC_KINDS = frozenset({SUBMITTED, STATUS_CHANGED, TRANSFERRED, COMMENT})


def actor_doc(principal: Principal | None, name: str | None = None) -> dict[str, Any]:
    if principal is None:
        return {"subject": None, "role": "system", "agency": None, "name": None}
    return {
        "subject": principal.subject,
        "role": principal.role,
        "agency": principal.agency,
        "name": name or principal.name,
    }


def timeline_event(complaint_id: ObjectId, kind: str, principal: Principal | None, at: datetime, **fields: Any) -> dict[str, Any]:
    """Return a new event document; `fields` contains the kind's own values."""
    return {
        "_id": ObjectId(),
        "complaintId": complaint_id,
        "kind": kind,
        "at": at,
        "actor": actor_doc(principal, fields.pop("actor_name", None)),
        **fields,
    }


def is_public_event(event: dict[str, Any]) -> bool:
    """Return whether the public form of a complaint shows `event`."""
    if event.get("kind") not in PUBLIC_KINDS:
        return False
    if event.get("kind") == COMMENT:
        return not event.get("internal") and (event.get("actor") or {}).get("role") != "citizen"
    return True


def is_visible_to_reporter(event: dict[str, Any]) -> bool:
    """Return whether the complaint's own reporter sees `event`: everything but internal notes."""
    return not event.get("internal")
