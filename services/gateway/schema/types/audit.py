"""Entries of the administrators' audit log."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import strawberry
from strawberry.scalars import JSON


@strawberry.type(description="One change an administrator made, with the values before and after.")
class AuditEntry:
    doc: strawberry.Private[dict[str, Any]]

    @strawberry.field(description="The entry's id.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.doc["_id"]))

    @strawberry.field(description="The type changed: Agency, ServiceCategory, Calendar, Official or SlaPolicy.")
    def entity(self) -> str:
        return str(self.doc["entity"])

    @strawberry.field(description="The code, subject or id of what was changed.")
    def entity_id(self) -> str:
        return str(self.doc["entityId"])

    @strawberry.field(description="create, update, publish, add-days-off or remove-days-off.")
    def action(self) -> str:
        return str(self.doc["action"])

    @strawberry.field(description="The administrator's subject.")
    def actor_subject(self) -> str:
        return str((self.doc.get("actor") or {}).get("subject"))

    @strawberry.field(description="When the change was made.")
    def at(self) -> datetime:
        return self.doc["at"]

    @strawberry.field(description="The values before; null for a creation.")
    def before(self) -> JSON | None:
        return _plain(self.doc.get("before"))

    @strawberry.field(description="The values after.")
    def after(self) -> JSON | None:
        return _plain(self.doc.get("after"))


def _plain(value: Any) -> Any:
    """Return stored values as JSON types: ids and instants become strings."""
    if value is None:
        return None
    return json.loads(json.dumps(value, default=lambda item: item.isoformat() if isinstance(item, datetime) else str(item)))
