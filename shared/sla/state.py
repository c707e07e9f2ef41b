"""A complaint's SLA state and elapsed ratio, computed at read time."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from shared.sla.calendar import WorkCalendar
from shared.sla.clocks import SlaClock
from shared.sla.policy import PolicySnapshot
from shared.timeutil import require_aware


class SlaState(str, Enum):
    ON_TRACK = "ON_TRACK"
    AT_RISK = "AT_RISK"
    BREACHED = "BREACHED"
    MET = "MET"
    PAUSED = "PAUSED"


@dataclass(frozen=True)
class SlaReading:
    state: SlaState
    elapsed_ratio: float


def _breached(clock: SlaClock, now: datetime) -> bool:
    if clock.outcome in ("transferred", "cancelled"):
        return False
    if clock.stopped_at is not None:
        return clock.stopped_at > clock.due_at
    return now > clock.due_at


def read_sla(
    calendar: WorkCalendar, policy: PolicySnapshot, clocks: Mapping[str, SlaClock], now: datetime
) -> SlaReading:
    """Return the state and ratio of the current cycles of a complaint's clocks.

    The ratio is the highest among running clocks, or the resolution
    clock's final ratio once every clock has stopped.
    """
    require_aware(now, "now")
    response = clocks["response"]
    resolution = clocks["resolution"]
    running = [clock for clock in (response, resolution) if not clock.is_stopped]
    ratio = max((c.ratio(calendar, now) for c in running), default=resolution.ratio(calendar, now))

    if resolution.is_paused:
        return SlaReading(SlaState.PAUSED, ratio)
    if any(_breached(clock, now) for clock in (response, resolution)):
        return SlaReading(SlaState.BREACHED, ratio)
    if not running:
        return SlaReading(SlaState.MET, ratio)
    first_warning = min(policy.warn_at, default=1.0)
    if ratio >= first_warning:
        return SlaReading(SlaState.AT_RISK, ratio)
    return SlaReading(SlaState.ON_TRACK, ratio)
