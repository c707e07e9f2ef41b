"""Due stages of a complaint's clocks, and the one stage of each clock that is sent.

After downtime several stages of one clock can be due at once. Only the
most severe is sent and the lesser ones are recorded as skipped, so
officials get one current alert instead of a burst of stale warnings.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime

from shared.sla.calendar import WorkCalendar
from shared.sla.clocks import CLOCK_KINDS, ClockKind, SlaClock
from shared.sla.lifecycle import Clocks
from shared.sla.policy import PolicySnapshot
from shared.sla.stages import Stage, is_stage_due, pending_stages, stage_threshold

# (clock kind, cycle, stage key): the key of a claim in the `alerts` collection.
ClaimKey = tuple[str, int, str]


@dataclass(frozen=True)
class DueStage:
    stage: Stage
    threshold: datetime


@dataclass(frozen=True)
class ClockPlan:
    """The stages one claim records on one clock's current cycle."""

    clock: SlaClock
    sent: DueStage | None
    skipped: tuple[DueStage, ...] = ()
    # Stages already claimed in `alerts` but missing from `clock.alerted`, e.g.
    # because a concurrent writer saved stale clocks over the watcher's update.
    recovered: tuple[str, ...] = ()

    @property
    def kind(self) -> ClockKind:
        return self.clock.kind

    @property
    def cycle(self) -> int:
        return self.clock.cycle

    @property
    def new_keys(self) -> list[str]:
        keys = [due.stage.key for due in self.skipped]
        if self.sent is not None:
            keys.append(self.sent.stage.key)
        return [*keys, *self.recovered]


@dataclass(frozen=True)
class AlertPlan:
    """The stages one claim records for a complaint, one `ClockPlan` per clock that has any."""

    clocks: tuple[ClockPlan, ...] = field(default=())

    @property
    def is_empty(self) -> bool:
        return not self.clocks

    def apply(self, clocks: Clocks) -> Clocks:
        """Return the clocks with every planned stage added to `alerted`."""
        for plan in self.clocks:
            clocks = clocks.replace_clock(clocks[plan.kind].with_alerted(*plan.new_keys))
        return clocks


def stage_has_come(calendar: WorkCalendar, policy: PolicySnapshot, clock: SlaClock, stage: Stage, now: datetime) -> bool:
    """Return whether `stage` is due on a running clock.

    `nextAlertAt` is computed from thresholds, but warnings are judged by
    ratio. Accepting either keeps a rounding difference between the two from
    leaving a complaint that every scan finds and none alerts.
    """
    if not clock.is_running:
        return False
    if is_stage_due(calendar, policy, clock, stage, now):
        return True
    return stage_threshold(calendar, policy, clock, stage) <= now


def plan_clock(
    calendar: WorkCalendar, policy: PolicySnapshot, clock: SlaClock, now: datetime, claimed: Collection[ClaimKey]
) -> ClockPlan | None:
    """Plan one clock: the most severe unclaimed due stage is sent, lesser due stages are skipped."""
    if not clock.is_running:
        return None

    due: list[DueStage] = []
    recovered: list[str] = []
    for stage in pending_stages(policy, clock):
        if (clock.kind, clock.cycle, stage.key) in claimed:
            recovered.append(stage.key)
        elif stage_has_come(calendar, policy, clock, stage, now):
            due.append(DueStage(stage, stage_threshold(calendar, policy, clock, stage)))

    if not due and not recovered:
        return None

    # A stage claimed earlier outranks due ones below it: those are stale now.
    claimed_severity = max(
        (stage.severity for stage in pending_stages(policy, clock) if stage.key in recovered), default=-1
    )
    sendable = [item for item in due if item.stage.severity > claimed_severity]
    sent = max(sendable, key=lambda item: item.stage.severity, default=None)
    skipped = tuple(item for item in due if item is not sent)
    return ClockPlan(clock=clock, sent=sent, skipped=skipped, recovered=tuple(recovered))


def plan_alerts(
    calendar: WorkCalendar, policy: PolicySnapshot, clocks: Clocks, now: datetime, claimed: Collection[ClaimKey] = ()
) -> AlertPlan:
    """Plan the alerts of both clocks at `now`; `claimed` contains the keys already in `alerts`."""
    plans = []
    for kind in CLOCK_KINDS:
        plan = plan_clock(calendar, policy, clocks[kind], now, claimed)
        if plan is not None:
            plans.append(plan)
    return AlertPlan(tuple(plans))
