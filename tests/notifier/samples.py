"""Notification documents as the gateway and the watcher write them, for the notifier's tests."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from bson import ObjectId

from shared.notify import events

COMMON_CONTEXT: dict[str, Any] = {
    "ticketNumber": "MKS-2026-000123",
    "title": "Lampu jalan padam di Jl. Urip Sumoharjo",
    "agencyName": "Dinas Perhubungan",
    "categoryName": "Lampu Jalan",
    "timezone": "Asia/Makassar",
}

# Monday 7 December 2026, 16:00 and Friday 11 December 2026, 16:00 in Makassar (UTC+8).
RESPONSE_DUE = "2026-12-07T16:00:00+08:00"
RESOLUTION_DUE = "2026-12-11T16:00:00+08:00"

EVENT_CONTEXT: dict[str, dict[str, Any]] = {
    events.COMPLAINT_RECEIVED: {"responseDueAt": RESPONSE_DUE, "resolutionDueAt": RESOLUTION_DUE},
    events.STATUS_CHANGED: {"fromStatus": "SUBMITTED", "toStatus": "VERIFIED", "note": "Laporan sudah kami periksa."},
    events.PUBLIC_REPLY: {"body": "Petugas akan memperbaiki lampu pada hari Rabu."},
    events.INFO_REQUESTED: {"note": "Mohon kirimkan foto lokasi lampu yang padam."},
    events.COMPLAINT_RESOLVED: {"note": "Lampu sudah diganti.", "autoCloseAt": "2026-12-18T16:00:00+08:00"},
    events.COMPLAINT_CLOSED: {"note": None},
    events.NEW_COMPLAINT: {"responseDueAt": RESPONSE_DUE, "resolutionDueAt": RESOLUTION_DUE, "district": "Panakkukang"},
    events.COMPLAINT_ASSIGNED: {"assigneeName": "Andi Rahman", "note": None},
    events.REPORTER_REPLIED: {"body": "Lampunya masih padam sampai malam ini."},
    events.COMPLAINT_REOPENED: {"note": "Lampu kembali padam sejak kemarin malam.", "resolutionDueAt": RESOLUTION_DUE},
    events.SLA_WARNING: {
        "clock": "response", "stage": "warn-75", "ratio": 0.75, "dueAt": RESPONSE_DUE, "escalationRole": "officer",
    },
    events.SLA_BREACH: {
        "clock": "resolution", "stage": "breach", "ratio": 1.02, "dueAt": RESOLUTION_DUE, "escalationRole": "supervisor",
    },
    events.SLA_ESCALATION: {
        "clock": "resolution", "stage": "escalation-1", "ratio": 1.4, "dueAt": RESOLUTION_DUE, "escalationRole": "head",
    },
}


def sample_context(event: str, **overrides: Any) -> dict[str, Any]:
    return {**COMMON_CONTEXT, **EVENT_CONTEXT[event], **overrides}


def notification(
    event: str = events.COMPLAINT_RECEIVED,
    *,
    channel: str = "email",
    address: str | None = None,
    locale: str = "id",
    name: str | None = "Siti Aminah",
    not_before: datetime | None = None,
    context: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Return a pending notification document shaped like `shared.notify.create.notification_doc`."""
    now = now or datetime.now(timezone.utc)
    identifier = ObjectId()
    audience = "citizen" if event in events.CITIZEN_EVENTS else "official"
    if address is None:
        address = f"warga-{identifier}@example.org" if channel == "email" else "081234567890"
    return {
        "_id": identifier,
        "idempotencyKey": f"test:{identifier}:{channel}:{address}",
        "event": event,
        "complaintId": ObjectId(),
        "ticketNumber": COMMON_CONTEXT["ticketNumber"],
        "agencyCode": "DISHUB",
        "audience": audience,
        "recipient": {"subject": "citizen-1" if audience == "citizen" else "dishub-officer-1", "name": name, "role": None},
        "channel": channel,
        "address": address,
        "locale": locale,
        "context": context if context is not None else sample_context(event),
        "alert": None,
        "notBefore": not_before or now - timedelta(seconds=1),
        "status": "pending",
        "attempts": [],
        "createdAt": now,
        "updatedAt": now,
    }
