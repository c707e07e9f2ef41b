"""Alert stages of a clock: warnings, the breach and escalation steps.

Stages are ordered by severity. A stage's key (`warn-50`, `breach`,
`escalation-1`) is unique within one cycle of one clock, which is what the
watcher's claims are keyed on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from shared.sla.calendar import WorkCalendar
from shared.sla.clocks import SlaClock
from shared.sla.policy import PolicySnapshot

StageKind = Literal["warning", "breach", "escalation"]


@dataclass(frozen=True)
class Stage:
    key: str
    kind: StageKind
    severity: int
    ratio: float | None = None
    escalation_index: int | None = None
    role: str | None = None


def warning_percent(ratio: float) -> int:
    """Return the whole percent that names the warning at `ratio` in its stage key: 50 for 0.5, as in warn-50."""
    return round(ratio * 100)


def stages_of(policy: PolicySnapshot) -> list[Stage]:
    """Return the policy's stages, least severe first."""
    stages: list[Stage] = []
    for ratio in sorted(set(policy.warn_at)):
        stages.append(Stage(key=f"warn-{warning_percent(ratio)}", kind="warning", severity=len(stages), ratio=ratio))
    stages.append(Stage(key="breach", kind="breach", severity=len(stages), ratio=1.0, role="supervisor"))
    for index, step in enumerate(policy.escalation, start=1):
        stages.append(
            Stage(key=f"escalation-{index}", kind="escalation", severity=len(stages), escalation_index=index, role=step.role)
        )
    return stages


def stage_threshold(calendar: WorkCalendar, policy: PolicySnapshot, clock: SlaClock, stage: Stage) -> datetime:
    """Return the instant at which `stage` comes for a running clock."""
    if stage.escalation_index is None:
        assert stage.ratio is not None
        return clock.instant_at_ratio(calendar, stage.ratio)
    step = policy.escalation[stage.escalation_index - 1]
    return step.delay.end(calendar, clock.due_at)


def is_stage_due(calendar: WorkCalendar, policy: PolicySnapshot, clock: SlaClock, stage: Stage, now: datetime) -> bool:
    """Return whether `stage` has come for a running clock at `now`."""
    if not clock.is_running:
        return False
    if stage.escalation_index is None:
        assert stage.ratio is not None
        return clock.ratio(calendar, now) >= stage.ratio - 1e-9
    return now >= stage_threshold(calendar, policy, clock, stage)


def pending_stages(policy: PolicySnapshot, clock: SlaClock) -> list[Stage]:
    """Return the stages not yet alerted or skipped in the clock's cycle."""
    return [stage for stage in stages_of(policy) if stage.key not in clock.alerted]


def next_threshold(calendar: WorkCalendar, policy: PolicySnapshot, clock: SlaClock) -> datetime | None:
    """Return the instant of the clock's next stage, or None when it cannot alert."""
    if not clock.is_running:
        return None
    pending = pending_stages(policy, clock)
    if not pending:
        return None
    return stage_threshold(calendar, policy, clock, pending[0])
