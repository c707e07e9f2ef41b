"""A complaint's SLA as read now: its state, elapsed ratio and the two clocks of the current cycles."""

from __future__ import annotations

from datetime import datetime

import strawberry

from services.gateway.schema.types.enums import SlaState
from shared.sla.calendar import WorkCalendar
from shared.sla.clocks import SlaClock as ClockValue
from shared.sla.lifecycle import Clocks
from shared.sla.policy import PolicySnapshot
from shared.sla.state import SlaReading, read_sla


@strawberry.type(description="One cycle of a response or resolution clock.")
class SlaClock:
    clock: strawberry.Private[ClockValue]
    calendar: strawberry.Private[WorkCalendar]
    now: strawberry.Private[datetime]

    @strawberry.field(description="Cycle number; a reopening or a transfer starts a new cycle.")
    def cycle(self) -> int:
        return self.clock.cycle

    @strawberry.field(description="When this cycle started.")
    def started_at(self) -> datetime:
        return self.clock.started_at

    @strawberry.field(description="When the target runs out, moved later by the time spent paused.")
    def due_at(self) -> datetime:
        return self.clock.due_at

    @strawberry.field(description="When the clock stopped; null while it runs.")
    def stopped_at(self) -> datetime | None:
        return self.clock.stopped_at

    @strawberry.field(description="Whether the clock is paused (the resolution clock, while waiting for the reporter).")
    def paused(self) -> bool:
        return self.clock.is_paused

    @strawberry.field(description="Why it stopped: responded, resolved, rejected or cancelled; null while it runs.")
    def outcome(self) -> str | None:
        return self.clock.outcome

    @strawberry.field(description="Working minutes from start to stop, minus pauses; null while it runs.")
    def working_minutes(self) -> float | None:
        return self.clock.working_minutes

    @strawberry.field(description="Whether it stopped by its due instant; null while it runs.")
    def met(self) -> bool | None:
        return self.clock.met

    @strawberry.field(description="Elapsed time over the target, not capped at 1.")
    def elapsed_ratio(self) -> float:
        return self.clock.ratio(self.calendar, self.now)


@strawberry.type(description="The SLA of a complaint, computed when it is read.")
class ComplaintSla:
    clocks: strawberry.Private[Clocks]
    policy: strawberry.Private[PolicySnapshot]
    calendar: strawberry.Private[WorkCalendar]
    now: strawberry.Private[datetime]

    def _reading(self) -> SlaReading:
        return read_sla(self.calendar, self.policy, {"response": self.clocks.response, "resolution": self.clocks.resolution}, self.now)

    @strawberry.field(description="When the agency is due to respond (the response clock's due instant).")
    def response_due_at(self) -> datetime:
        return self.clocks.response.due_at

    @strawberry.field(description="When the agency is due to resolve (the resolution clock's due instant).")
    def resolution_due_at(self) -> datetime:
        return self.clocks.resolution.due_at

    @strawberry.field(description="ON_TRACK, AT_RISK, BREACHED, MET or PAUSED, as of now.")
    def state(self) -> SlaState:
        return SlaState(self._reading().state.value)

    @strawberry.field(description="The running clock's elapsed ratio, or the resolution clock's final ratio once it stopped.")
    def elapsed_ratio(self) -> float:
        return self._reading().elapsed_ratio

    @strawberry.field(description="The response clock of the current cycle.")
    def response(self) -> SlaClock:
        return SlaClock(clock=self.clocks.response, calendar=self.calendar, now=self.now)

    @strawberry.field(description="The resolution clock of the current cycle.")
    def resolution(self) -> SlaClock:
        return SlaClock(clock=self.clocks.resolution, calendar=self.calendar, now=self.now)
