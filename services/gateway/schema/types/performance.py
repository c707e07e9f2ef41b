"""Public SLA figures per agency, and the due dates a new complaint would get."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from services.gateway.performance import AgencyFigures
from services.gateway.schema.types.catalogue import Agency
from services.gateway.schema.types.policy import SlaPolicy


@strawberry.type(description="How one agency did against its SLA for complaints submitted in a period.")
class AgencyPerformance:
    figures: strawberry.Private[AgencyFigures]

    @strawberry.field(description="The agency.")
    async def agency(self, info: Info) -> Agency:
        return Agency(doc=await info.context.loaders.agency.load(self.figures.agency_code))

    @strawberry.field(description="Complaints submitted in the period, imported history included.")
    def received(self) -> int:
        return self.figures.received

    @strawberry.field(description="Of those, how many got a first official response.")
    def responded(self) -> int:
        return self.figures.responded

    @strawberry.field(description="Of those, how many were resolved.")
    def resolved(self) -> int:
        return self.figures.resolved

    @strawberry.field(description="Share of responded complaints that met the response target; null when none responded.")
    def response_met_ratio(self) -> float | None:
        return self.figures.response_met_ratio

    @strawberry.field(description="Share of resolved complaints that met the resolution target; null when none was resolved.")
    def resolution_met_ratio(self) -> float | None:
        return self.figures.resolution_met_ratio

    @strawberry.field(description="Median working minutes to the first response.")
    def median_response_minutes(self) -> float | None:
        return self.figures.median_response_minutes

    @strawberry.field(description="90th percentile of working minutes to the first response (nearest rank).")
    def p90_response_minutes(self) -> float | None:
        return self.figures.p90_response_minutes

    @strawberry.field(description="Median working minutes to resolution, pauses excluded.")
    def median_resolution_minutes(self) -> float | None:
        return self.figures.median_resolution_minutes

    @strawberry.field(description="90th percentile of working minutes to resolution (nearest rank).")
    def p90_resolution_minutes(self) -> float | None:
        return self.figures.p90_resolution_minutes

    @strawberry.field(description="Complaints of the period still open now whose running clock is past its due instant.")
    def open_breached(self) -> int:
        return self.figures.open_breached


@strawberry.type(description="The due dates a complaint filed at a given instant would get.")
class SlaEstimate:
    response_due_at: datetime = strawberry.field(description="When the agency would be due to respond.")
    resolution_due_at: datetime = strawberry.field(description="When the agency would be due to resolve.")
    policy: SlaPolicy = strawberry.field(description="The policy version in force that the dates come from.")
