"""How workflow moves, replies and transfers change a complaint's two clocks.

The functions take and return `Clocks` (the current cycle of each clock)
and never touch the database, so the gateway, the watcher, the importer and
the tests all share one implementation.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from shared.sla.calendar import WorkCalendar
from shared.sla.clocks import SlaClock
from shared.sla.policy import PolicySnapshot
from shared.sla.stages import next_threshold
from shared.workflow import SlaEffect


@dataclass(frozen=True)
class Clocks:
    response: SlaClock
    resolution: SlaClock

    def __getitem__(self, kind: str) -> SlaClock:
        return self.response if kind == "response" else self.resolution

    def replace_clock(self, clock: SlaClock) -> Clocks:
        return replace(self, **{clock.kind: clock})

    def to_doc(self) -> dict[str, Any]:
        return {"response": self.response.to_doc(), "resolution": self.resolution.to_doc()}

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Clocks:
        return cls(response=SlaClock.from_doc(doc["response"]), resolution=SlaClock.from_doc(doc["resolution"]))


def start_clocks(
    calendar: WorkCalendar, policy: PolicySnapshot, at: datetime, response_cycle: int = 1, resolution_cycle: int = 1
) -> Clocks:
    """Start both clocks at `at` with the policy's targets."""
    return Clocks(
        response=SlaClock.start(calendar, "response", response_cycle, policy.response, at),
        resolution=SlaClock.start(calendar, "resolution", resolution_cycle, policy.resolution, at),
    )


def _stop_if_running(calendar: WorkCalendar, clock: SlaClock, at: datetime, outcome: str) -> SlaClock:
    return clock if clock.is_stopped else clock.stop(calendar, at, outcome)


def record_response(calendar: WorkCalendar, clocks: Clocks, at: datetime) -> Clocks:
    """Stop the response clock on the first official action; later actions change nothing."""
    return clocks.replace_clock(_stop_if_running(calendar, clocks.response, at, "responded"))


def apply_effect(calendar: WorkCalendar, policy: PolicySnapshot, clocks: Clocks, effect: SlaEffect, at: datetime) -> Clocks:
    """Return the clocks after a workflow transition with `effect` at `at`."""
    if effect is SlaEffect.RESPOND:
        return record_response(calendar, clocks, at)
    if effect is SlaEffect.REJECT:
        clocks = record_response(calendar, clocks, at)
        return clocks.replace_clock(_stop_if_running(calendar, clocks.resolution, at, "rejected"))
    if effect is SlaEffect.PAUSE:
        return clocks.replace_clock(clocks.resolution.pause(at))
    if effect is SlaEffect.RESUME:
        return clocks.replace_clock(clocks.resolution.resume(calendar, at))
    if effect is SlaEffect.RESOLVE:
        clocks = record_response(calendar, clocks, at)
        return clocks.replace_clock(_stop_if_running(calendar, clocks.resolution, at, "resolved"))
    if effect is SlaEffect.CLOSE:
        clocks = clocks.replace_clock(_stop_if_running(calendar, clocks.response, at, "cancelled"))
        return clocks.replace_clock(_stop_if_running(calendar, clocks.resolution, at, "cancelled"))
    if effect is SlaEffect.REOPEN_RESOLUTION:
        fresh = SlaClock.start(calendar, "resolution", clocks.resolution.cycle + 1, policy.resolution, at)
        return clocks.replace_clock(fresh)
    if effect is SlaEffect.REOPEN_ALL:
        return start_clocks(calendar, policy, at, clocks.response.cycle + 1, clocks.resolution.cycle + 1)
    return clocks


def transfer_clocks(calendar: WorkCalendar, policy: PolicySnapshot, clocks: Clocks, at: datetime) -> Clocks:
    """Restart both clocks from `at` under the receiving agency's policy, as new cycles."""
    return start_clocks(calendar, policy, at, clocks.response.cycle + 1, clocks.resolution.cycle + 1)


def recompute_clocks(calendar: WorkCalendar, clocks: Clocks) -> Clocks:
    """Work out due instants again for clocks still running, e.g. after a calendar edit."""
    response = clocks.response if clocks.response.is_stopped else clocks.response.recompute(calendar)
    resolution = clocks.resolution if clocks.resolution.is_stopped else clocks.resolution.recompute(calendar)
    return Clocks(response=response, resolution=resolution)


def next_alert_at(calendar: WorkCalendar, policy: PolicySnapshot, clocks: Clocks) -> datetime | None:
    """Return the earliest instant at which either clock reaches a stage not yet alerted."""
    instants = [
        instant
        for instant in (next_threshold(calendar, policy, clocks.response), next_threshold(calendar, policy, clocks.resolution))
        if instant is not None
    ]
    return min(instants, default=None)
