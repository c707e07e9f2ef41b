"""Notifications about a complaint, as officials see them in the console."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry


@strawberry.type(description="One message to one address about a complaint, and how its delivery went.")
class Notification:
    doc: strawberry.Private[dict[str, Any]]

    @strawberry.field(description="The notification's id.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.doc["_id"]))

    @strawberry.field(description="What it is about, e.g. complaint_received, sla_breach.")
    def event(self) -> str:
        return str(self.doc["event"])

    @strawberry.field(description="citizen or official.")
    def audience(self) -> str:
        return str(self.doc.get("audience", ""))

    @strawberry.field(description="email or sms.")
    def channel(self) -> str:
        return str(self.doc["channel"])

    @strawberry.field(description="The recipient's name, when known.")
    def recipient_name(self) -> str | None:
        return (self.doc.get("recipient") or {}).get("name")

    @strawberry.field(description="The e-mail address or E.164 number it goes to.")
    def address(self) -> str:
        return str(self.doc.get("address", ""))

    @strawberry.field(
        description=(
            "Delivery state, set by the notifier and the SLA watcher: pending (waiting to be sent), "
            "sending (claimed by a worker), sent, failed (the provider rejected it or reported it undelivered), dead (retries ran out) "
            "or superseded (a held alert replaced by a more severe stage before it went out)."
        )
    )
    def status(self) -> str:
        return str(self.doc.get("status", "pending"))

    @strawberry.field(description="It is not sent before this instant (quiet hours, office hours).")
    def not_before(self) -> datetime | None:
        return self.doc.get("notBefore")

    @strawberry.field(description="When it was created.")
    def created_at(self) -> datetime:
        return self.doc["createdAt"]

    @strawberry.field(description="When it last changed.")
    def updated_at(self) -> datetime | None:
        return self.doc.get("updatedAt")

    @strawberry.field(description="How many delivery attempts were made.")
    def attempt_count(self) -> int:
        return len(self.doc.get("attempts") or [])

    @strawberry.field(description="The last failure's reason, e.g. a permanent rejection by the provider.")
    def last_error(self) -> str | None:
        error = self.doc.get("lastError")
        if not error:
            attempts = self.doc.get("attempts") or []
            error = attempts[-1].get("error") if attempts and isinstance(attempts[-1], dict) else None
        return _describe_error(error) if error else None


def _describe_error(error: object) -> str:
    """Return the notifier's stored error, a dict of code and message, as one line: "message (code)"."""
    if not isinstance(error, dict):
        return str(error)
    message, code = error.get("message"), error.get("code")
    if message and code:
        return f"{message} ({code})"
    return str(message or code)
