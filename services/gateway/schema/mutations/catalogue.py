"""Administrators' mutations: SLA policies, agencies, categories, calendars and officials, each audited."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from services.gateway.catalogue.agencies import create_agency, create_category, update_agency, update_category
from services.gateway.catalogue.calendars import change_days_off
from services.gateway.catalogue.officials import OfficialFields, create_official, update_official
from services.gateway.catalogue.policies import PolicyDraft, publish_policy
from services.gateway.schema.ids import node_key
from services.gateway.schema.inputs import (
    CalendarDaysOffInput,
    CreateAgencyInput,
    CreateOfficialInput,
    CreateServiceCategoryInput,
    NotificationPreferencesInput,
    PublishSlaPolicyInput,
    UpdateAgencyInput,
    UpdateOfficialInput,
    UpdateServiceCategoryInput,
)
from services.gateway.schema.mutations.outcome import attempt
from services.gateway.schema.permissions import IsAdmin
from services.gateway.schema.types.catalogue import Agency, Calendar, Official, ServiceCategory
from services.gateway.schema.types.errors import UserError
from services.gateway.schema.types.policy import SlaPolicy
from shared.sla.targets import SlaUnit


@strawberry.type(description="The result of publishSlaPolicy.")
class PublishSlaPolicyPayload:
    policy: SlaPolicy | None = strawberry.field(description="The new version; only complaints filed from now on follow it.")
    errors: list[UserError] = strawberry.field(description="Why nothing was published; empty on success.")


@strawberry.type(description="The result of creating or changing an agency.")
class AgencyPayload:
    agency: Agency | None = strawberry.field(description="The agency as saved.")
    errors: list[UserError] = strawberry.field(description="Why nothing was saved; empty on success.")


@strawberry.type(description="The result of creating or changing a service category.")
class ServiceCategoryPayload:
    category: ServiceCategory | None = strawberry.field(description="The category as saved.")
    errors: list[UserError] = strawberry.field(description="Why nothing was saved; empty on success.")


@strawberry.type(description="The result of changing a calendar's days off.")
class CalendarPayload:
    calendar: Calendar | None = strawberry.field(description="The calendar as saved.")
    recomputed_complaints: int = strawberry.field(description="Open complaints whose due instants were worked out again.")
    errors: list[UserError] = strawberry.field(description="Why nothing was saved; empty on success.")


@strawberry.type(description="The result of creating or changing an official.")
class OfficialPayload:
    official: Official | None = strawberry.field(description="The official as saved.")
    errors: list[UserError] = strawberry.field(description="Why nothing was saved; empty on success.")


def _optional_key(value: strawberry.ID | None, type_name: str) -> str | None:
    return node_key(value, type_name) if value else None


def _official_fields(name: str | None, role: Any, agency_id: strawberry.ID | None, email: str | None,
                     phone: str | None, notify: NotificationPreferencesInput | None, active: bool | None) -> OfficialFields:
    return OfficialFields(
        name=name,
        role=role.value if role else None,
        agency_code=_optional_key(agency_id, "Agency"),
        email=email,
        phone=phone,
        channels=[c.value for c in notify.channels] if notify else None,
        locale=notify.locale.value if notify and notify.locale else None,
        active=active,
    )


def _policy_draft(input: Annotated[PublishSlaPolicyInput, strawberry.argument(description="What to do; see the input type.")]) -> PolicyDraft:
    return PolicyDraft(
        agency_code=node_key(input.agency_id, "Agency"),
        category_code=_optional_key(input.category_id, "ServiceCategory"),
        response=(input.response_target.amount, SlaUnit(input.response_target.unit.value)),
        resolution=(input.resolution_target.amount, SlaUnit(input.resolution_target.unit.value)),
        calendar_code=_optional_key(input.calendar_id, "Calendar"),
        warn_at=list(input.warn_at) if input.warn_at is not None else None,
        escalation=(
            [(step.delay.amount, SlaUnit(step.delay.unit.value), step.role.value) for step in input.escalation]
            if input.escalation is not None
            else None
        ),
    )


@strawberry.type
class CatalogueMutations:
    @strawberry.mutation(
        description="Publish a new version of an agency's or a category's SLA policy (administrators only).",
        permission_classes=[IsAdmin],
    )
    async def publish_sla_policy(self, info: Info, input: Annotated[PublishSlaPolicyInput, strawberry.argument(description="What to do; see the input type.")]) -> PublishSlaPolicyPayload:
        doc, errors = await attempt(info, publish_policy(info.context, _policy_draft(input)))
        return PublishSlaPolicyPayload(policy=SlaPolicy(doc=doc) if doc else None, errors=errors)

    @strawberry.mutation(description="Create an agency (administrators only).", permission_classes=[IsAdmin])
    async def create_agency(self, info: Info, input: Annotated[CreateAgencyInput, strawberry.argument(description="What to do; see the input type.")]) -> AgencyPayload:
        doc, errors = await attempt(info, create_agency(info.context, input.code, input.name, input.timezone, bool(input.triage)))
        return AgencyPayload(agency=Agency(doc=doc) if doc else None, errors=errors)

    @strawberry.mutation(description="Change an agency (administrators only).", permission_classes=[IsAdmin])
    async def update_agency(self, info: Info, input: Annotated[UpdateAgencyInput, strawberry.argument(description="What to do; see the input type.")]) -> AgencyPayload:
        code = node_key(input.agency_id, "Agency")
        doc, errors = await attempt(info, update_agency(info.context, code, input.name, input.timezone, input.active))
        return AgencyPayload(agency=Agency(doc=doc) if doc else None, errors=errors)

    @strawberry.mutation(description="Create a service category (administrators only).", permission_classes=[IsAdmin])
    async def create_service_category(self, info: Info, input: Annotated[CreateServiceCategoryInput, strawberry.argument(description="What to do; see the input type.")]) -> ServiceCategoryPayload:
        agency = node_key(input.agency_id, "Agency")
        doc, errors = await attempt(info, create_category(info.context, input.code, input.name, agency))
        return ServiceCategoryPayload(category=ServiceCategory(doc=doc) if doc else None, errors=errors)

    @strawberry.mutation(description="Change a service category (administrators only).", permission_classes=[IsAdmin])
    async def update_service_category(self, info: Info, input: Annotated[UpdateServiceCategoryInput, strawberry.argument(description="What to do; see the input type.")]) -> ServiceCategoryPayload:
        code = node_key(input.category_id, "ServiceCategory")
        agency = _optional_key(input.agency_id, "Agency")
        doc, errors = await attempt(info, update_category(info.context, code, input.name, agency, input.active))
        return ServiceCategoryPayload(category=ServiceCategory(doc=doc) if doc else None, errors=errors)

    @strawberry.mutation(
        description="Make dates days off on a calendar; open complaints on it get their due instants recomputed (administrators only).",
        permission_classes=[IsAdmin],
    )
    async def add_calendar_days_off(self, info: Info, input: Annotated[CalendarDaysOffInput, strawberry.argument(description="What to do; see the input type.")]) -> CalendarPayload:
        return await _change_days_off(info, input, add=True)

    @strawberry.mutation(
        description="Make dates working days again, holidays included; open complaints are recomputed (administrators only).",
        permission_classes=[IsAdmin],
    )
    async def remove_calendar_days_off(self, info: Info, input: Annotated[CalendarDaysOffInput, strawberry.argument(description="What to do; see the input type.")]) -> CalendarPayload:
        return await _change_days_off(info, input, add=False)

    @strawberry.mutation(description="Register an official or an administrator (administrators only).", permission_classes=[IsAdmin])
    async def create_official(self, info: Info, input: Annotated[CreateOfficialInput, strawberry.argument(description="What to do; see the input type.")]) -> OfficialPayload:
        fields = _official_fields(input.name, input.role, input.agency_id, input.email, input.phone, input.notify, None)
        doc, errors = await attempt(info, create_official(info.context, input.subject, fields))
        return OfficialPayload(official=Official(doc=doc) if doc else None, errors=errors)

    @strawberry.mutation(description="Change an official, or deactivate them (administrators only).", permission_classes=[IsAdmin])
    async def update_official(self, info: Info, input: Annotated[UpdateOfficialInput, strawberry.argument(description="What to do; see the input type.")]) -> OfficialPayload:
        subject = node_key(input.official_id, "Official")
        fields = _official_fields(input.name, input.role, input.agency_id, input.email, input.phone, input.notify, input.active)
        doc, errors = await attempt(info, update_official(info.context, subject, fields))
        return OfficialPayload(official=Official(doc=doc) if doc else None, errors=errors)


async def _change_days_off(info: Info, input: CalendarDaysOffInput, add: bool) -> CalendarPayload:
    code = node_key(input.calendar_id, "Calendar")
    result, errors = await attempt(info, change_days_off(info.context, code, list(input.dates), add))
    if result is None:
        return CalendarPayload(calendar=None, recomputed_complaints=0, errors=errors)
    doc, recomputed = result
    return CalendarPayload(calendar=Calendar(doc=doc), recomputed_complaints=recomputed, errors=errors)
