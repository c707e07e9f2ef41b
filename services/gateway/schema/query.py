"""The Query root: complaints, the public catalogue, SLA figures and estimates."""

from __future__ import annotations

from typing import Annotated
from datetime import datetime

import strawberry
from bson import ObjectId
from bson.errors import InvalidId
from strawberry import relay
from strawberry.types import Info

from services.gateway.details import detail
from services.gateway.complaints.listing import ComplaintQuery, encode_cursor, list_complaints
from services.gateway.errors import GatewayError, NotFoundError
from services.gateway.performance import agency_performance
from services.gateway.schema.ids import node_key
from services.gateway.schema.inputs import ComplaintFilter
from services.gateway.schema.lookups import find_complaint
from services.gateway.schema.permissions import CanViewComplaint, IsAdmin, IsAuthenticated, IsStaff
from services.gateway.schema.types.audit import AuditEntry
from services.gateway.schema.types.catalogue import Agency, Calendar, Official, ServiceCategory
from services.gateway.schema.types.complaint import Complaint
from services.gateway.schema.types.connection import ComplaintConnection, ComplaintEdge
from services.gateway.schema.types.enums import Role
from services.gateway.schema.types.performance import AgencyPerformance, SlaEstimate
from services.gateway.schema.types.policy import SlaPolicy
from shared.mongo import AGENCIES, AUDIT_LOG, CALENDARS, CATEGORIES, OFFICIALS, SLA_POLICIES
from shared.sla.lifecycle import start_clocks
from shared.sla.policy_store import PolicyNotFoundError, policy_in_force
from shared.sla.state import SlaState
from shared.timeutil import clock

AUDIT_PAGE_LIMIT = 200
MAX_PERFORMANCE_DAYS = 3660


@strawberry.type(description="The signed-in caller, as the token describes them.")
class Viewer:
    subject: str = strawberry.field(description="The token's sub claim.")
    role: Role = strawberry.field(description="The token's role claim.")
    agency: Agency | None = strawberry.field(description="An official's agency; null for citizens and administrators.")


def _page_size(info: Info, first: int | None) -> int:
    settings = info.context.settings
    if first is None:
        return int(settings.default_page_size)
    if first < 1:
        raise GatewayError("BAD_USER_INPUT", detail=detail("FIRST_TOO_SMALL", value=first))
    return min(first, int(settings.max_page_size))


def _complaint_query(filter: ComplaintFilter | None) -> ComplaintQuery:
    if filter is None:
        return ComplaintQuery()
    return ComplaintQuery(
        statuses=[s.value for s in filter.status or []],
        agency_code=node_key(filter.agency_id, "Agency") if filter.agency_id else None,
        category_code=node_key(filter.category_id, "ServiceCategory") if filter.category_id else None,
        sla_states=[SlaState(s.value) for s in filter.sla_state or []],
        district=filter.district,
        submitted_from=filter.submitted_from,
        submitted_to=filter.submitted_to,
        search=filter.search,
        mine=bool(filter.mine),
        assigned_to_me=bool(filter.assigned_to_me),
    )


@strawberry.type(description="Everything that can be read.")
class Query:
    @strawberry.field(description="Any object by its global id; null when missing or hidden from the caller.")
    async def node(
        self, info: Info, id: Annotated[relay.GlobalID, strawberry.argument(description="The object's global id.")]
    ) -> relay.Node | None:
        return await id.resolve_node(info, required=False)

    @strawberry.field(description="The signed-in caller; null for anonymous requests.")
    async def viewer(self, info: Info) -> Viewer | None:
        principal = info.context.principal
        if principal is None:
            return None
        agency_doc = await info.context.loaders.agency.load(principal.agency) if principal.agency else None
        return Viewer(subject=principal.subject, role=Role(principal.role), agency=Agency(doc=agency_doc) if agency_doc else None)

    @strawberry.field(
        description="One complaint by id or by ticket number (give exactly one); null when it does not exist.",
        permission_classes=[CanViewComplaint],
    )
    async def complaint(
        self,
        info: Info,
        id: Annotated[strawberry.ID | None, strawberry.argument(description="The complaint's global id.")] = None,
        ticket_number: Annotated[str | None, strawberry.argument(description="The ticket number, e.g. MKS-2026-000123.")] = None,
    ) -> Complaint | None:
        doc = await find_complaint(info, id, ticket_number)
        return Complaint(complaint_doc=doc) if doc else None

    @strawberry.field(
        description=(
            "Complaints the caller may see, newest first: officials their agency's, citizens everyone's "
            "(others' in public form), administrators all. Page size is capped by the server."
        ),
        permission_classes=[IsAuthenticated],
    )
    async def complaints(
        self,
        info: Info,
        filter: Annotated[ComplaintFilter | None, strawberry.argument(description="Conditions the complaints must meet.")] = None,
        first: Annotated[int | None, strawberry.argument(description="Page size; capped at the server's maximum (100 by default).")] = None,
        after: Annotated[str | None, strawberry.argument(description="The endCursor of the previous page.")] = None,
    ) -> ComplaintConnection:
        page = await list_complaints(info.context, _complaint_query(filter), _page_size(info, first), after)
        edges = [ComplaintEdge(cursor=encode_cursor(doc), node=Complaint(complaint_doc=doc)) for doc in page.items]
        return ComplaintConnection(
            edges=edges,
            page_info=relay.PageInfo(
                has_next_page=page.has_next,
                has_previous_page=page.has_previous,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
        )

    @strawberry.field(description="Every agency, by code.")
    async def agencies(self, info: Info) -> list[Agency]:
        return [Agency(doc=doc) async for doc in info.context.db[AGENCIES].find({}).sort("code", 1)]

    @strawberry.field(description="Service categories, by code.")
    async def service_categories(
        self,
        info: Info,
        agency_id: Annotated[strawberry.ID | None, strawberry.argument(description="Only this Agency's categories.")] = None,
        include_inactive: Annotated[bool, strawberry.argument(description="Also categories closed to new complaints.")] = False,
    ) -> list[ServiceCategory]:
        query: dict[str, object] = {}
        if agency_id:
            query["agencyCode"] = node_key(agency_id, "Agency")
        if not include_inactive:
            query["active"] = {"$ne": False}
        return [ServiceCategory(doc=doc) async for doc in info.context.db[CATEGORIES].find(query).sort("code", 1)]

    @strawberry.field(description="Working calendars, by code.")
    async def calendars(self, info: Info) -> list[Calendar]:
        return [Calendar(doc=doc) async for doc in info.context.db[CALENDARS].find({}).sort("code", 1)]

    @strawberry.field(description="SLA policies: the version in force of each, or every version with allVersions.")
    async def sla_policies(
        self,
        info: Info,
        agency_id: Annotated[strawberry.ID | None, strawberry.argument(description="Only this Agency's policies.")] = None,
        category_id: Annotated[strawberry.ID | None, strawberry.argument(description="Only this ServiceCategory's policies.")] = None,
        all_versions: Annotated[bool, strawberry.argument(description="Every published version, newest first.")] = False,
    ) -> list[SlaPolicy]:
        query: dict[str, object] = {}
        if agency_id:
            query["agencyCode"] = node_key(agency_id, "Agency")
        if category_id:
            query["categoryCode"] = node_key(category_id, "ServiceCategory")
        cursor = info.context.db[SLA_POLICIES].find(query).sort([("agencyCode", 1), ("categoryCode", 1), ("version", -1)])
        policies = [doc async for doc in cursor]
        if not all_versions:
            seen: set[tuple[str, str | None]] = set()
            latest = []
            for doc in policies:
                scope = (doc["agencyCode"], doc.get("categoryCode"))
                if scope not in seen:
                    seen.add(scope)
                    latest.append(doc)
            policies = latest
        return [SlaPolicy(doc=doc) for doc in policies]

    @strawberry.field(description="Officials and administrators; for officials and administrators only.", permission_classes=[IsStaff])
    async def officials(
        self,
        info: Info,
        agency_id: Annotated[strawberry.ID | None, strawberry.argument(description="Only this Agency's officials.")] = None,
    ) -> list[Official]:
        query = {"agencyCode": node_key(agency_id, "Agency")} if agency_id else {}
        return [Official(doc=doc) async for doc in info.context.db[OFFICIALS].find(query).sort("subject", 1)]

    @strawberry.field(description="SLA compliance per agency for complaints submitted in [from, to); public.")
    async def agency_performance(
        self,
        info: Info,
        from_: Annotated[datetime, strawberry.argument(name="from", description="Start of the period, included.")],
        to: Annotated[datetime, strawberry.argument(description="End of the period, excluded.")],
    ) -> list[AgencyPerformance]:
        if to <= from_:
            raise GatewayError("BAD_USER_INPUT", detail=detail("PERIOD_NOT_ORDERED"))
        if (to - from_).days > MAX_PERFORMANCE_DAYS:
            raise GatewayError("BAD_USER_INPUT", detail=detail("PERIOD_TOO_LONG", limit=MAX_PERFORMANCE_DAYS))
        rows = await agency_performance(info.context.db, from_, to, clock.now())
        return [AgencyPerformance(figures=row) for row in rows]

    @strawberry.field(description="The due dates a complaint in this category filed at `at` (default now) would get; public.")
    async def sla_estimate(
        self,
        info: Info,
        category_id: Annotated[strawberry.ID, strawberry.argument(description="Id of the ServiceCategory.")],
        at: Annotated[datetime | None, strawberry.argument(description="Filing instant; now when omitted.")] = None,
    ) -> SlaEstimate:
        loaders = info.context.loaders
        category = await loaders.category.load(node_key(category_id, "ServiceCategory"))
        if category is None:
            raise NotFoundError("ServiceCategory")
        try:
            policy = await policy_in_force(info.context.db, category["agencyCode"], category["code"])
        except PolicyNotFoundError as exc:
            raise GatewayError("POLICY_NOT_FOUND", agency=category["agencyCode"]) from exc
        calendar = await loaders.calendar(policy.calendar_code)
        if calendar is None:
            raise NotFoundError("Calendar")
        clocks = start_clocks(calendar, policy, at or clock.now())
        policy_doc = await loaders.policy.load(_policy_key(policy.policy_id))
        return SlaEstimate(
            response_due_at=clocks.response.due_at,
            resolution_due_at=clocks.resolution.due_at,
            policy=SlaPolicy(doc=policy_doc or policy.to_doc()),
        )

    @strawberry.field(description="The latest audit log entries, newest first; administrators only.", permission_classes=[IsAdmin])
    async def audit_log(
        self,
        info: Info,
        entity: Annotated[str | None, strawberry.argument(description="Only this type, e.g. Calendar.")] = None,
        entity_id: Annotated[str | None, strawberry.argument(description="Only this code, subject or id.")] = None,
        limit: Annotated[int, strawberry.argument(description="How many entries, at most 200.")] = 50,
    ) -> list[AuditEntry]:
        query = {key: value for key, value in (("entity", entity), ("entityId", entity_id)) if value}
        cursor = info.context.db[AUDIT_LOG].find(query).sort([("at", -1), ("_id", -1)]).limit(max(1, min(limit, AUDIT_PAGE_LIMIT)))
        return [AuditEntry(doc=doc) async for doc in cursor]


def _policy_key(policy_id: str) -> object:
    try:
        return ObjectId(policy_id)
    except InvalidId:
        return policy_id
