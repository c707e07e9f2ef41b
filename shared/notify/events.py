"""Names of the events a notification is about; each has one template per channel and locale."""

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
SLA_WARNING = "sla_warning"
SLA_BREACH = "sla_breach"
SLA_ESCALATION = "sla_escalation"

CITIZEN_EVENTS = frozenset({COMPLAINT_RECEIVED, STATUS_CHANGED, PUBLIC_REPLY, INFO_REQUESTED, COMPLAINT_RESOLVED, COMPLAINT_CLOSED})
OFFICIAL_EVENTS = frozenset({NEW_COMPLAINT, COMPLAINT_ASSIGNED, REPORTER_REPLIED, SLA_WARNING, SLA_BREACH, SLA_ESCALATION})
ALL_EVENTS = CITIZEN_EVENTS | OFFICIAL_EVENTS
