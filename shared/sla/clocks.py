"""The response and resolution clocks of a complaint, one cycle at a time.

A clock starts with a target, may pause and resume (the time spent paused
moves its due instant later), and stops once. When it stops it stores its
working duration, so performance figures can be aggregated in the database.
Elapsed time is counted the way the target's unit counts it: plain time for
calendar units, working time on the calendar for working units.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Literal

from shared.sla.calendar import WorkCalendar
from shared.sla.targets import SlaTarget, advance, measure
from shared.timeutil import require_aware

ClockKind = Literal["response", "resolution"]
CLOCK_KINDS: tuple[ClockKind, ...] = ("response", "resolution")


class ClockStateError(ValueError):
    """An operation does not fit the clock's state, e.g. resuming a running clock."""


@dataclass(frozen=True)
class Pause:
    start: datetime
    end: datetime | None = None

    def to_doc(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end}

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Pause:
        return cls(start=doc["start"], end=doc.get("end"))


@dataclass(frozen=True)
class SlaClock:
    kind: ClockKind
    cycle: int
    started_at: datetime
    target: SlaTarget
    base_due_at: datetime
    due_at: datetime
    pauses: tuple[Pause, ...] = ()
    stopped_at: datetime | None = None
    outcome: str | None = None
    working_minutes: float | None = None
    final_ratio: float | None = None
    alerted: tuple[str, ...] = field(default=())

    @classmethod
    def start(cls, calendar: WorkCalendar, kind: ClockKind, cycle: int, target: SlaTarget, at: datetime) -> SlaClock:
        due = target.end(calendar, at)
        return cls(kind=kind, cycle=cycle, started_at=at, target=target, base_due_at=due, due_at=due)

    @property
    def is_paused(self) -> bool:
        return bool(self.pauses) and self.pauses[-1].end is None

    @property
    def is_stopped(self) -> bool:
        return self.stopped_at is not None

    @property
    def is_running(self) -> bool:
        return not self.is_stopped and not self.is_paused

    def total(self, calendar: WorkCalendar) -> timedelta:
        """Return the clock's full budget, measured from its start to the unpaused due instant."""
        return measure(calendar, self.target.unit, self.started_at, self.base_due_at)

    def paused_amount(self, calendar: WorkCalendar, until: datetime) -> timedelta:
        total = timedelta(0)
        for pause in self.pauses:
            if pause.start >= until:
                continue
            end = min(pause.end or until, until)
            total += measure(calendar, self.target.unit, pause.start, end)
        return total

    def closed_pause_amount(self, calendar: WorkCalendar) -> timedelta:
        """Return the counted time of the pauses that have ended."""
        total = timedelta(0)
        for pause in self.pauses:
            if pause.end is not None:
                total += measure(calendar, self.target.unit, pause.start, pause.end)
        return total

    def elapsed(self, calendar: WorkCalendar, at: datetime) -> timedelta:
        """Return the counted time from the start to `at` (or to the stop), minus pauses."""
        require_aware(at, "at")
        until = min(at, self.stopped_at) if self.stopped_at else at
        gross = measure(calendar, self.target.unit, self.started_at, until)
        return max(gross - self.paused_amount(calendar, until), timedelta(0))

    def ratio(self, calendar: WorkCalendar, at: datetime) -> float:
        """Return elapsed time over the budget; not capped at 1."""
        if self.final_ratio is not None:
            return self.final_ratio
        total = self.total(calendar)
        if total <= timedelta(0):
            return 1.0
        return self.elapsed(calendar, at) / total

    def instant_at_ratio(self, calendar: WorkCalendar, ratio: float) -> datetime:
        """Return when the running clock reaches `ratio`, counting every pause so far.

        Only meaningful for instants after the last pause ended, which is
        the case for every threshold still ahead of a running clock.
        """
        if ratio == 1.0:
            return self.due_at
        budget = self.total(calendar) * ratio
        return advance(calendar, self.target.unit, self.started_at, budget + self.closed_pause_amount(calendar))

    def recompute(self, calendar: WorkCalendar) -> SlaClock:
        """Return the clock with its due instants worked out again, e.g. after a calendar edit."""
        base_due = self.target.end(calendar, self.started_at)
        due = advance(calendar, self.target.unit, base_due, self.closed_pause_amount(calendar))
        return replace(self, base_due_at=base_due, due_at=due)

    def pause(self, at: datetime) -> SlaClock:
        require_aware(at, "pause instant")
        if self.is_stopped or self.is_paused:
            raise ClockStateError(f"the {self.kind} clock cannot pause: it is not running")
        return replace(self, pauses=(*self.pauses, Pause(at)))

    def resume(self, calendar: WorkCalendar, at: datetime) -> SlaClock:
        require_aware(at, "resume instant")
        if not self.is_paused:
            raise ClockStateError(f"the {self.kind} clock cannot resume: it is not paused")
        pauses = (*self.pauses[:-1], Pause(self.pauses[-1].start, max(at, self.pauses[-1].start)))
        return replace(self, pauses=pauses).recompute(calendar)

    def stop(self, calendar: WorkCalendar, at: datetime, outcome: str) -> SlaClock:
        """Stop the clock and store its working duration and final ratio.

        `outcome` says why it stopped (for example "responded", "resolved",
        "rejected", "transferred"); only some outcomes count in performance.
        """
        require_aware(at, "stop instant")
        if self.is_stopped:
            raise ClockStateError(f"the {self.kind} clock has already stopped")
        clock = self.resume(calendar, at) if self.is_paused else self
        ratio = clock.ratio(calendar, at)
        working = calendar.working_time(clock.started_at, at)
        paused_working = timedelta(0)
        for pause in clock.pauses:
            paused_working += calendar.working_time(pause.start, min(pause.end or at, at))
        minutes = max(working - paused_working, timedelta(0)).total_seconds() / 60
        return replace(clock, stopped_at=at, outcome=outcome, working_minutes=round(minutes, 3), final_ratio=ratio)

    @property
    def met(self) -> bool | None:
        """Return whether a stopped clock stopped by its due instant; None while it runs."""
        if self.stopped_at is None:
            return None
        return self.stopped_at <= self.due_at

    def with_alerted(self, *stage_keys: str) -> SlaClock:
        return replace(self, alerted=tuple(dict.fromkeys((*self.alerted, *stage_keys))))

    def to_doc(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "cycle": self.cycle,
            "startedAt": self.started_at,
            "target": self.target.to_doc(),
            "baseDueAt": self.base_due_at,
            "dueAt": self.due_at,
            "pauses": [p.to_doc() for p in self.pauses],
            "paused": self.is_paused,
            "stoppedAt": self.stopped_at,
            "outcome": self.outcome,
            "workingMinutes": self.working_minutes,
            "finalRatio": self.final_ratio,
            "met": self.met,
            "alerted": list(self.alerted),
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> SlaClock:
        return cls(
            kind=doc["kind"],
            cycle=int(doc["cycle"]),
            started_at=doc["startedAt"],
            target=SlaTarget.from_doc(doc["target"]),
            base_due_at=doc["baseDueAt"],
            due_at=doc["dueAt"],
            pauses=tuple(Pause.from_doc(p) for p in doc.get("pauses", [])),
            stopped_at=doc.get("stoppedAt"),
            outcome=doc.get("outcome"),
            working_minutes=doc.get("workingMinutes"),
            final_ratio=doc.get("finalRatio"),
            alerted=tuple(doc.get("alerted", [])),
        )
