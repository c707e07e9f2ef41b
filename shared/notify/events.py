"""Names of the events a notification is about, and the context each one carries.

Each event has one template per channel (SMS, e-mail text, e-mail HTML) and
locale (`id`, the default, and `en`). The gateway and the watcher fill a
notification's `context` with the keys below; the templates use exactly
these keys and fail on a missing one (StrictUndefined), so a key listed
here must be present even when its value is None.

Every context has:
- `ticketNumber` (str), `title` (str, the citizen's own words),
  `agencyName` (str), `categoryName` (str);
- `timezone` (IANA name, e.g. Asia/Makassar): dates are shown in it.

Dates are ISO 8601 strings with an offset, e.g. "2026-12-07T16:00:00+08:00".

To the citizen who filed the complaint:
- complaint_received: `responseDueAt`, `resolutionDueAt` (dates);
- status_changed: `fromStatus`, `toStatus` (ComplaintStatus codes), `note` (str | None);
- public_reply: `body` (str, the agency's reply);
- info_requested: `note` (str, what the agency needs to know);
- complaint_resolved: `note` (str | None), `autoCloseAt` (date: the citizen
  may rate the result or reopen the complaint until then);
- complaint_closed: `note` (str | None).

To officials:
- new_complaint: `responseDueAt`, `resolutionDueAt` (dates), `district` (str | None);
- complaint_assigned: `assigneeName` (str), `note` (str | None);
- reporter_replied: `body` (str, the citizen's reply);
- complaint_reopened: `note` (str | None, the citizen's reason for
  reopening), `resolutionDueAt` (date: the due instant of the new
  resolution cycle, which starts at the reopening);
- sla_warning, sla_breach, sla_escalation: `clock` ("response" or
  "resolution"), `stage` (a stage key: warn-50, warn-75, warn-90, breach,
  escalation-1, escalation-2, …), `ratio` (float, elapsed working time over
  the target, not capped at 1), `dueAt` (date), `escalationRole` (the role
  alerted: officer, supervisor, head or admin).
"""

from __future__ import annotations

# To the citizen who filed the complaint.
COMPLAINT_RECEIVED = "complaint_received"
STATUS_CHANGED = "status_changed"
PUBLIC_REPLY = "public_reply"
INFO_REQUESTED = "info_requested"
COMPLAINT_RESOLVED = "complaint_resolved"
COMPLAINT_CLOSED = "complaint_closed"

# To officials.
NEW_COMPLAINT = "new_complaint"
COMPLAINT_ASSIGNED = "complaint_assigned"
REPORTER_REPLIED = "reporter_replied"
COMPLAINT_REOPENED = "complaint_reopened"
SLA_WARNING = "sla_warning"
SLA_BREACH = "sla_breach"
SLA_ESCALATION = "sla_escalation"

CITIZEN_EVENTS = frozenset({COMPLAINT_RECEIVED, STATUS_CHANGED, PUBLIC_REPLY, INFO_REQUESTED, COMPLAINT_RESOLVED, COMPLAINT_CLOSED})
OFFICIAL_EVENTS = frozenset(
    {NEW_COMPLAINT, COMPLAINT_ASSIGNED, REPORTER_REPLIED, COMPLAINT_REOPENED, SLA_WARNING, SLA_BREACH, SLA_ESCALATION}
)
ALL_EVENTS = CITIZEN_EVENTS | OFFICIAL_EVENTS

COMMON_CONTEXT_KEYS = frozenset({"ticketNumber", "title", "agencyName", "categoryName", "timezone"})

_SLA_STAGE_KEYS = frozenset({"clock", "stage", "ratio", "dueAt", "escalationRole"})

EVENT_CONTEXT_KEYS: dict[str, frozenset[str]] = {
    COMPLAINT_RECEIVED: frozenset({"responseDueAt", "resolutionDueAt"}),
    STATUS_CHANGED: frozenset({"fromStatus", "toStatus", "note"}),
    PUBLIC_REPLY: frozenset({"body"}),
    INFO_REQUESTED: frozenset({"note"}),
    COMPLAINT_RESOLVED: frozenset({"note", "autoCloseAt"}),
    COMPLAINT_CLOSED: frozenset({"note"}),
    NEW_COMPLAINT: frozenset({"responseDueAt", "resolutionDueAt", "district"}),
    COMPLAINT_ASSIGNED: frozenset({"assigneeName", "note"}),
    REPORTER_REPLIED: frozenset({"body"}),
    COMPLAINT_REOPENED: frozenset({"note", "resolutionDueAt"}),
    SLA_WARNING: _SLA_STAGE_KEYS,
    SLA_BREACH: _SLA_STAGE_KEYS,
    SLA_ESCALATION: _SLA_STAGE_KEYS,
}


def context_keys(event: str) -> frozenset[str]:
    """Return every key a context of `event` must have."""
    return COMMON_CONTEXT_KEYS | EVENT_CONTEXT_KEYS[event]
