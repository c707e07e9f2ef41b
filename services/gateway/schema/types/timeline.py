"""Timeline events as a complaint's viewer may see them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry.types import Info

from services.gateway.schema.types.catalogue import Agency, Official
from services.gateway.schema.types.enums import ComplaintStatus, TimelineEventKind

_KINDS = {kind.value for kind in TimelineEventKind}


@strawberry.type(description="Something that happened to a complaint: who, when, what changed, and a note.")
class TimelineEvent:
    doc: strawberry.Private[dict[str, Any]]
    # False in the public form: a citizen's name stays hidden from other citizens.
    full_view: strawberry.Private[bool]

    @strawberry.field(description="The event's id.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.doc["_id"]))

    @strawberry.field(description="What happened.")
    def kind(self) -> TimelineEventKind:
        kind = self.doc.get("kind")
        return TimelineEventKind(kind) if kind in _KINDS else TimelineEventKind.OTHER

    @strawberry.field(description="When it happened.")
    def at(self) -> datetime:
        return self.doc["at"]

    @strawberry.field(description="The role of who did it: citizen, officer, supervisor, head, admin or system.")
    def actor_role(self) -> str:
        return str((self.doc.get("actor") or {}).get("role") or "system")

    @strawberry.field(description="The name of who did it; null when unknown, and for citizens in the public form.")
    def actor_name(self) -> str | None:
        actor = self.doc.get("actor") or {}
        if actor.get("role") == "citizen" and not self.full_view:
            return None
        return actor.get("name")

    @strawberry.field(description="Status before a status change or a transfer.")
    def from_status(self) -> ComplaintStatus | None:
        value = self.doc.get("fromStatus")
        return ComplaintStatus(value) if value else None

    @strawberry.field(description="Status after the event.")
    def to_status(self) -> ComplaintStatus | None:
        value = self.doc.get("toStatus")
        return ComplaintStatus(value) if value else None

    @strawberry.field(description="The note given with a status change, assignment, transfer or rating.")
    def note(self) -> str | None:
        return self.doc.get("note")

    @strawberry.field(description="A comment's text.")
    def body(self) -> str | None:
        return self.doc.get("body")

    @strawberry.field(description="Whether a comment is an internal note, seen by officials only.")
    def internal(self) -> bool:
        return bool(self.doc.get("internal", False))

    @strawberry.field(description="The official a complaint was assigned to.")
    async def assignee(self, info: Info) -> Official | None:
        subject = self.doc.get("assignee")
        doc = await info.context.loaders.official.load(subject) if subject else None
        return Official(doc=doc) if doc else None

    @strawberry.field(description="The agency a transfer came from.")
    async def from_agency(self, info: Info) -> Agency | None:
        return await _agency(info, self.doc.get("fromAgency"))

    @strawberry.field(description="The agency a transfer went to.")
    async def to_agency(self, info: Info) -> Agency | None:
        return await _agency(info, self.doc.get("toAgency"))

    @strawberry.field(description="A rating's score, 1 to 5.")
    def score(self) -> int | None:
        return self.doc.get("score")


async def _agency(info: Info, code: str | None) -> Agency | None:
    doc = await info.context.loaders.agency.load(code) if code else None
    return Agency(doc=doc) if doc else None
