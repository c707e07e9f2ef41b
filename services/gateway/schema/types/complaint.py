"""The Complaint type, in full or in public form depending on who reads it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Annotated, Any

import strawberry
from bson import ObjectId
from bson.errors import InvalidId
from strawberry import relay
from strawberry.permission import PermissionExtension
from strawberry.types import Info

from services.gateway.complaints.access import ViewLevel, actor_for, view_level
from services.gateway.complaints.timeline import is_public_event, is_visible_to_reporter
from services.gateway.messages import status_name
from services.gateway.schema.permissions import IsComplaintStaff, SeesComplaintInFull
from services.gateway.schema.types.catalogue import Agency, Official, ServiceCategory
from services.gateway.schema.types.enums import Channel, ComplaintStatus, Locale, NotificationChannel
from services.gateway.schema.types.notification import Notification
from services.gateway.schema.types.policy import SlaPolicy
from services.gateway.schema.types.sla import ComplaintSla
from services.gateway.schema.types.timeline import TimelineEvent
from shared.complaints import clocks_of, policy_of
from shared.timeutil import clock
from shared.workflow import ComplaintStatus as WorkflowStatus
from shared.workflow import allowed_targets

# Coordinates in the public form are rounded to two decimals (about 1 km),
# enough for a map of the district, not enough to find a house.
PUBLIC_COORDINATE_DECIMALS = 2


def _in_full() -> PermissionExtension:
    return PermissionExtension(permissions=[SeesComplaintInFull()], fail_silently=True, use_directives=False)


@strawberry.type(description="Where the problem is. The exact address is hidden in the public form.")
class ComplaintLocation:
    complaint_doc: strawberry.Private[dict[str, Any]]
    full_view: strawberry.Private[bool]

    def _value(self, key: str) -> Any:
        return (self.complaint_doc.get("location") or {}).get(key)

    def _coordinate(self, key: str) -> float | None:
        value = self._value(key)
        if value is None or self.full_view:
            return value
        return round(float(value), PUBLIC_COORDINATE_DECIMALS)

    @strawberry.field(description="Latitude; rounded to about 1 km in the public form.")
    def latitude(self) -> float | None:
        return self._coordinate("latitude")

    @strawberry.field(description="Longitude; rounded to about 1 km in the public form.")
    def longitude(self) -> float | None:
        return self._coordinate("longitude")

    @strawberry.field(description="Street address; null in the public form.", extensions=[_in_full()])
    def address(self) -> str | None:
        return self._value("address")

    @strawberry.field(description="District (kecamatan).")
    def district(self) -> str | None:
        return self._value("district")

    @strawberry.field(description="Subdistrict (kelurahan).")
    def subdistrict(self) -> str | None:
        return self._value("subdistrict")


@strawberry.type(description="The citizen who filed a complaint, as their token described them.")
class Reporter:
    doc: strawberry.Private[dict[str, Any]]

    @strawberry.field(description="Name, when the identity provider gave one.")
    def name(self) -> str | None:
        return self.doc.get("name")

    @strawberry.field(description="Phone number in E.164.")
    def phone(self) -> str | None:
        return self.doc.get("phone")

    @strawberry.field(description="E-mail address.")
    def email(self) -> str | None:
        return self.doc.get("email")

    @strawberry.field(description="Channels the reporter is notified on.")
    def notification_channels(self) -> list[NotificationChannel]:
        return [NotificationChannel(c) for c in (self.doc.get("notify") or {}).get("channels", []) if c in ("email", "sms")]

    @strawberry.field(description="Language of the reporter's notifications.")
    def locale(self) -> Locale:
        return Locale((self.doc.get("notify") or {}).get("locale", "id"))


@strawberry.type(description="The reporter's rating of the result.")
class Rating:
    score: int = strawberry.field(description="1 (poor) to 5 (excellent).")
    comment: str | None = strawberry.field(description="Optional words with the score.")
    at: datetime = strawberry.field(description="When it was given.")


@strawberry.type(description="A citizen's complaint about a public service, routed to one agency.")
class Complaint(relay.Node):
    complaint_doc: strawberry.Private[dict[str, Any]]

    @classmethod
    def resolve_id(cls, root: Any, *, info: Info) -> str:
        return str(root.complaint_doc["_id"])

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        keys = []
        for node_id in node_ids:
            try:
                keys.append(ObjectId(node_id))
            except InvalidId:
                keys.append(None)
        principal = info.context.principal
        results: list[Any] = []
        for key in keys:
            doc = await info.context.loaders.complaint.load(key) if key else None
            visible = doc is not None and view_level(principal, doc) is not None
            results.append(cls(complaint_doc=doc) if visible else None)
        return results

    def _level(self, info: Info) -> ViewLevel | None:
        return view_level(info.context.principal, self.complaint_doc)

    @strawberry.field(description="Ticket number citizens quote, e.g. MKS-2026-000123.")
    def ticket_number(self) -> str:
        return str(self.complaint_doc["ticketNumber"])

    @strawberry.field(description="Short title given by the reporter.")
    def title(self) -> str:
        return str(self.complaint_doc["title"])

    @strawberry.field(description="The reporter's description of the problem.")
    def description(self) -> str:
        return str(self.complaint_doc["description"])

    @strawberry.field(description="Current workflow status.")
    def status(self) -> ComplaintStatus:
        return ComplaintStatus(self.complaint_doc["status"])

    @strawberry.field(description="The status as people read it, in the request's language.")
    def status_label(self, info: Info) -> str:
        return status_name(self.complaint_doc["status"], info.context.locale).rsplit(" (", 1)[0]

    @strawberry.field(description="How the complaint reached the city.")
    def channel(self) -> Channel:
        value = self.complaint_doc.get("channel") or "OTHER"
        return Channel(value) if value in Channel._value2member_map_ else Channel.OTHER

    @strawberry.field(description="Where the problem is.")
    def location(self, info: Info) -> ComplaintLocation:
        return ComplaintLocation(complaint_doc=self.complaint_doc, full_view=self._level(info) is ViewLevel.FULL)

    @strawberry.field(description="Who filed it; null in the public form.", extensions=[_in_full()])
    def reporter(self) -> Reporter | None:
        return Reporter(doc=self.complaint_doc.get("reporter") or {})

    @strawberry.field(description="Whether the caller filed this complaint.")
    def is_mine(self, info: Info) -> bool:
        principal = info.context.principal
        return principal is not None and (self.complaint_doc.get("reporter") or {}).get("subject") == principal.subject

    @strawberry.field(description="The service category.")
    async def category(self, info: Info) -> ServiceCategory:
        return ServiceCategory(doc=await info.context.loaders.category.load(self.complaint_doc["categoryCode"]))

    @strawberry.field(description="The agency handling it.")
    async def agency(self, info: Info) -> Agency:
        return Agency(doc=await info.context.loaders.agency.load(self.complaint_doc["agencyCode"]))

    @strawberry.field(description="The official it is assigned to; null when unassigned, and in the public form.", extensions=[_in_full()])
    async def assignee(self, info: Info) -> Official | None:
        subject = self.complaint_doc.get("assignedTo")
        doc = await info.context.loaders.official.load(subject) if subject else None
        return Official(doc=doc) if doc else None

    @strawberry.field(description="When it was filed.")
    def submitted_at(self) -> datetime:
        return self.complaint_doc["submittedAt"]

    @strawberry.field(description="When it last changed.")
    def updated_at(self) -> datetime:
        return self.complaint_doc.get("updatedAt") or self.complaint_doc["submittedAt"]

    @strawberry.field(description="When it was last resolved.")
    def resolved_at(self) -> datetime | None:
        return self.complaint_doc.get("resolvedAt")

    @strawberry.field(description="When it was closed.")
    def closed_at(self) -> datetime | None:
        return self.complaint_doc.get("closedAt")

    @strawberry.field(description="When the system closes a resolved complaint the reporter has not confirmed or reopened.")
    def auto_close_at(self) -> datetime | None:
        return self.complaint_doc.get("autoCloseAt")

    @strawberry.field(description="Whether it was loaded from another system's history.")
    def imported(self) -> bool:
        return bool(self.complaint_doc.get("imported", False))

    @strawberry.field(description="The reporter's rating, once given.")
    def rating(self) -> Rating | None:
        rating = self.complaint_doc.get("rating")
        if not rating:
            return None
        return Rating(score=int(rating["score"]), comment=rating.get("comment"), at=rating["at"])

    @strawberry.field(description="Statuses the caller may move the complaint to now, in workflow order.")
    def allowed_transitions(self, info: Info) -> list[ComplaintStatus]:
        actor = actor_for(info.context.principal, self.complaint_doc)
        if actor is None:
            return []
        return [ComplaintStatus(s.value) for s in allowed_targets(WorkflowStatus(self.complaint_doc["status"]), actor)]

    @strawberry.field(description="The SLA as of now: due instants, state and elapsed ratio.")
    async def sla(self, info: Info) -> ComplaintSla:
        code = self.complaint_doc["policy"]["calendarCode"]
        calendar = await info.context.loaders.calendar(code)
        if calendar is None:
            raise RuntimeError(f"complaint {self.complaint_doc['_id']} runs on calendar {code!r}, which does not exist")
        return ComplaintSla(
            clocks=clocks_of(self.complaint_doc), policy=policy_of(self.complaint_doc), calendar=calendar, now=clock.now()
        )

    @strawberry.field(description="The SLA policy version the complaint was filed or transferred under.")
    def sla_policy(self) -> SlaPolicy:
        return SlaPolicy(doc=self.complaint_doc["policy"])

    @strawberry.field(description="What happened, oldest first. Internal notes are shown to officials only.")
    async def timeline(
        self,
        info: Info,
        last: Annotated[int | None, strawberry.argument(description="Only the latest this many events.")] = None,
    ) -> list[TimelineEvent]:
        events = await info.context.loaders.events.load(self.complaint_doc["_id"])
        principal = info.context.principal
        level = self._level(info)
        if level is ViewLevel.PUBLIC:
            events = [e for e in events if is_public_event(e)]
        elif principal is not None and principal.is_citizen:
            events = [e for e in events if is_visible_to_reporter(e)]
        if last is not None:
            events = events[-last:] if last > 0 else []
        return [TimelineEvent(doc=e, full_view=level is ViewLevel.FULL) for e in events]

    @strawberry.field(
        description="Notifications about this complaint and their delivery; officials of its agency and administrators only.",
        permission_classes=[IsComplaintStaff],
    )
    async def notifications(self, info: Info) -> list[Notification] | None:
        docs = await info.context.loaders.notifications.load(self.complaint_doc["_id"])
        return [Notification(doc=doc) for doc in docs]
