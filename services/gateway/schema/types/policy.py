"""SLA policies: targets, warnings and escalation steps, one document per published version."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import strawberry
from bson import ObjectId
from bson.errors import InvalidId
from strawberry import relay
from strawberry.types import Info

from services.gateway.schema.types.catalogue import Agency, Calendar, ServiceCategory
from services.gateway.schema.types.enums import Role, SlaUnit


@strawberry.type(description="An amount of time in a unit, e.g. 5 WORKING_DAYS.")
class SlaTarget:
    amount: int = strawberry.field(description="How many units; at least 1.")
    unit: SlaUnit = strawberry.field(description="The unit, calendar or working time.")

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> SlaTarget:
        return cls(amount=int(doc["amount"]), unit=SlaUnit(doc["unit"]))


@strawberry.type(description="Alert a role once a delay has passed since the breach, counted on the policy's calendar.")
class EscalationStep:
    delay: SlaTarget = strawberry.field(description="Time after the breach.")
    role: Role = strawberry.field(description="Who is alerted: head of the agency or admin of the city.")


@strawberry.type(description="One published version of an agency's (or one category's) SLA policy.")
class SlaPolicy(relay.Node):
    doc: strawberry.Private[dict[str, Any]]

    @classmethod
    def resolve_id(cls, root: Any, *, info: Info) -> str:
        return str(root.doc.get("_id") or root.doc.get("policyId"))

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        keys: list[Any] = []
        for node_id in node_ids:
            try:
                keys.append(ObjectId(node_id))
            except InvalidId:
                keys.append(node_id)
        docs = await info.context.loaders.policy.load_many(keys)
        return [cls(doc=doc) if doc is not None else None for doc in docs]

    @strawberry.field(description="Version number; each publication for the same agency and category adds one.")
    def version(self) -> int:
        return int(self.doc["version"])

    @strawberry.field(description="The agency the policy belongs to.")
    async def agency(self, info: Info) -> Agency:
        return Agency(doc=await info.context.loaders.agency.load(self.doc["agencyCode"]))

    @strawberry.field(description="The category it overrides the agency default for; null for the agency default.")
    async def category(self, info: Info) -> ServiceCategory | None:
        code = self.doc.get("categoryCode")
        doc = await info.context.loaders.category.load(code) if code else None
        return ServiceCategory(doc=doc) if doc else None

    @strawberry.field(description="Time from submission to the first official action.")
    def response_target(self) -> SlaTarget:
        return SlaTarget.from_doc(self.doc["responseTarget"])

    @strawberry.field(description="Time from submission to RESOLVED.")
    def resolution_target(self) -> SlaTarget:
        return SlaTarget.from_doc(self.doc["resolutionTarget"])

    @strawberry.field(description="The working calendar the targets are counted on.")
    async def calendar(self, info: Info) -> Calendar | None:
        doc = await info.context.loaders.calendar_doc.load(self.doc["calendarCode"])
        return Calendar(doc=doc) if doc else None

    @strawberry.field(description="Elapsed ratios (between 0 and 1) at which officials are warned.")
    def warn_at(self) -> list[float]:
        return [float(ratio) for ratio in self.doc.get("warnAt", [])]

    @strawberry.field(description="Escalation steps after a breach, in order.")
    def escalation(self) -> list[EscalationStep]:
        return [
            EscalationStep(delay=SlaTarget.from_doc(step["delay"]), role=Role(step["role"]))
            for step in self.doc.get("escalation", [])
        ]

    @strawberry.field(description="When this version was published; null on a complaint's stored copy.")
    def published_at(self) -> datetime | None:
        return self.doc.get("publishedAt")
