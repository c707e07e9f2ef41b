"""The complaint workflow: statuses, their Indonesian labels and the one transition table.

Every allowed move is a row of `TRANSITIONS`; anything not listed is
rejected. The SLA effect of a move (which clock stops, pauses or starts a
new cycle) is part of the same row, so the gateway, the importer and the
tests read one source.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class ComplaintStatus(str, Enum):
    SUBMITTED = "SUBMITTED"
    VERIFIED = "VERIFIED"
    IN_PROGRESS = "IN_PROGRESS"
    WAITING_FOR_REPORTER = "WAITING_FOR_REPORTER"
    RESOLVED = "RESOLVED"
    CLOSED = "CLOSED"
    REJECTED = "REJECTED"


STATUS_LABELS_ID: dict[ComplaintStatus, str] = {
    ComplaintStatus.SUBMITTED: "Diterima",
    ComplaintStatus.VERIFIED: "Diverifikasi",
    ComplaintStatus.IN_PROGRESS: "Diproses",
    ComplaintStatus.WAITING_FOR_REPORTER: "Menunggu Pelapor",
    ComplaintStatus.RESOLVED: "Selesai",
    ComplaintStatus.CLOSED: "Ditutup",
    ComplaintStatus.REJECTED: "Ditolak",
}

STATUS_LABELS_EN: dict[ComplaintStatus, str] = {
    ComplaintStatus.SUBMITTED: "Received",
    ComplaintStatus.VERIFIED: "Verified",
    ComplaintStatus.IN_PROGRESS: "In progress",
    ComplaintStatus.WAITING_FOR_REPORTER: "Waiting for reporter",
    ComplaintStatus.RESOLVED: "Resolved",
    ComplaintStatus.CLOSED: "Closed",
    ComplaintStatus.REJECTED: "Rejected",
}

OPEN_STATUSES = frozenset(
    {
        ComplaintStatus.SUBMITTED,
        ComplaintStatus.VERIFIED,
        ComplaintStatus.IN_PROGRESS,
        ComplaintStatus.WAITING_FOR_REPORTER,
    }
)


class Actor(str, Enum):
    """The kind of caller that may make a transition: an agency official, the reporting citizen, an admin or the system."""

    OFFICIAL = "official"
    REPORTER = "reporter"
    ADMIN = "admin"
    SYSTEM = "system"


class SlaEffect(str, Enum):
    """The effect of a transition on the complaint's clocks."""

    RESPOND = "respond"  # stops the response clock
    REJECT = "reject"  # stops both clocks
    PAUSE = "pause"  # pauses the resolution clock
    RESUME = "resume"  # resumes the resolution clock
    RESOLVE = "resolve"  # stops the resolution clock
    CLOSE = "close"  # stops whatever still runs
    REOPEN_RESOLUTION = "reopen_resolution"  # new resolution cycle
    REOPEN_ALL = "reopen_all"  # new cycles of both clocks
    NONE = "none"


@dataclass(frozen=True)
class Transition:
    source: ComplaintStatus
    target: ComplaintStatus
    actors: frozenset[Actor]
    effect: SlaEffect
    needs_note: bool = False


def _row(source: ComplaintStatus, target: ComplaintStatus, actors: set[Actor], effect: SlaEffect, needs_note: bool = False) -> Transition:
    return Transition(source, target, frozenset(actors), effect, needs_note)


S = ComplaintStatus
TRANSITIONS: tuple[Transition, ...] = (
    _row(S.SUBMITTED, S.VERIFIED, {Actor.OFFICIAL, Actor.ADMIN}, SlaEffect.RESPOND),
    _row(S.SUBMITTED, S.REJECTED, {Actor.OFFICIAL, Actor.ADMIN}, SlaEffect.REJECT, needs_note=True),
    _row(S.VERIFIED, S.IN_PROGRESS, {Actor.OFFICIAL, Actor.ADMIN}, SlaEffect.NONE),
    _row(S.VERIFIED, S.REJECTED, {Actor.OFFICIAL, Actor.ADMIN}, SlaEffect.REJECT, needs_note=True),
    _row(S.IN_PROGRESS, S.WAITING_FOR_REPORTER, {Actor.OFFICIAL, Actor.ADMIN}, SlaEffect.PAUSE),
    _row(S.IN_PROGRESS, S.RESOLVED, {Actor.OFFICIAL, Actor.ADMIN}, SlaEffect.RESOLVE),
    _row(S.WAITING_FOR_REPORTER, S.IN_PROGRESS, {Actor.OFFICIAL, Actor.ADMIN, Actor.REPORTER}, SlaEffect.RESUME),
    _row(S.RESOLVED, S.CLOSED, {Actor.REPORTER, Actor.SYSTEM, Actor.ADMIN}, SlaEffect.CLOSE),
    _row(S.RESOLVED, S.IN_PROGRESS, {Actor.REPORTER}, SlaEffect.REOPEN_RESOLUTION),
    _row(S.REJECTED, S.SUBMITTED, {Actor.ADMIN}, SlaEffect.REOPEN_ALL),
)
del S

_BY_PAIR = {(t.source, t.target): t for t in TRANSITIONS}


class TransitionError(ValueError):
    """A status change the workflow or the caller's role does not allow."""

    def __init__(self, code: str, current: ComplaintStatus, target: ComplaintStatus, allowed: list[ComplaintStatus]) -> None:
        self.code = code
        self.current = current
        self.target = target
        self.allowed = allowed
        names = ", ".join(s.value for s in allowed) or "none"
        super().__init__(f"cannot move from {current.value} to {target.value}; allowed: {names}")


def allowed_targets(current: ComplaintStatus, actor: Actor) -> list[ComplaintStatus]:
    """Return the statuses `actor` may move a complaint in `current` to, in table order."""
    return [t.target for t in TRANSITIONS if t.source is current and actor in t.actors]


def find_transition(current: ComplaintStatus, target: ComplaintStatus, actor: Actor) -> Transition:
    """Return the table row for the move, or raise `TransitionError` naming the allowed targets."""
    transition = _BY_PAIR.get((current, target))
    allowed = allowed_targets(current, actor)
    if transition is None:
        raise TransitionError("TRANSITION_NOT_ALLOWED", current, target, allowed)
    if actor not in transition.actors:
        raise TransitionError("TRANSITION_FORBIDDEN_FOR_ROLE", current, target, allowed)
    return transition
