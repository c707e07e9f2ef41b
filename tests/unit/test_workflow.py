"""The complaint workflow table: every allowed move, who makes it, and rejections."""

from __future__ import annotations

import itertools

import pytest

from shared.workflow import (
    OPEN_STATUSES,
    STATUS_LABELS_EN,
    STATUS_LABELS_ID,
    TRANSITIONS,
    Actor,
    ComplaintStatus,
    SlaEffect,
    TransitionError,
    allowed_targets,
    find_transition,
)

S = ComplaintStatus
OFFICIALS = frozenset({Actor.OFFICIAL, Actor.ADMIN})

# The product's workflow, written out independently of the code's table:
# (from, to) -> (who may move it, what it does to the clocks).
EXPECTED: dict[tuple[ComplaintStatus, ComplaintStatus], tuple[frozenset[Actor], SlaEffect]] = {
    (S.SUBMITTED, S.VERIFIED): (OFFICIALS, SlaEffect.RESPOND),
    (S.SUBMITTED, S.REJECTED): (OFFICIALS, SlaEffect.REJECT),
    (S.VERIFIED, S.IN_PROGRESS): (OFFICIALS, SlaEffect.NONE),
    (S.VERIFIED, S.REJECTED): (OFFICIALS, SlaEffect.REJECT),
    (S.IN_PROGRESS, S.WAITING_FOR_REPORTER): (OFFICIALS, SlaEffect.PAUSE),
    (S.IN_PROGRESS, S.RESOLVED): (OFFICIALS, SlaEffect.RESOLVE),
    (S.WAITING_FOR_REPORTER, S.IN_PROGRESS): (OFFICIALS | {Actor.REPORTER}, SlaEffect.RESUME),
    (S.RESOLVED, S.CLOSED): (frozenset({Actor.REPORTER, Actor.SYSTEM, Actor.ADMIN}), SlaEffect.CLOSE),
    (S.RESOLVED, S.IN_PROGRESS): (frozenset({Actor.REPORTER}), SlaEffect.REOPEN_RESOLUTION),
    (S.REJECTED, S.SUBMITTED): (frozenset({Actor.ADMIN}), SlaEffect.REOPEN_ALL),
}


def test_table_matches_workflow() -> None:
    table = {(row.source, row.target): (row.actors, row.effect) for row in TRANSITIONS}

    assert len(table) == len(TRANSITIONS)
    assert table == EXPECTED


def test_rejections_need_a_note() -> None:
    needing_note = {(row.source, row.target) for row in TRANSITIONS if row.needs_note}

    assert needing_note == {(S.SUBMITTED, S.REJECTED), (S.VERIFIED, S.REJECTED)}


@pytest.mark.parametrize(
    ("current", "target", "actor"),
    [(current, target, actor) for (current, target), (actors, _) in EXPECTED.items() for actor in sorted(actors)],
)
def test_allowed_move(current: ComplaintStatus, target: ComplaintStatus, actor: Actor) -> None:
    transition = find_transition(current, target, actor)

    assert transition.source is current
    assert transition.target is target
    assert transition.effect is EXPECTED[(current, target)][1]


def test_every_other_move_rejected() -> None:
    # Every pair of statuses and every actor outside the table raises, with
    # the code telling a move that never exists from a move not for this actor.
    for current, target, actor in itertools.product(ComplaintStatus, ComplaintStatus, Actor):
        row = EXPECTED.get((current, target))
        if row is not None and actor in row[0]:
            continue

        with pytest.raises(TransitionError) as caught:
            find_transition(current, target, actor)

        error = caught.value
        expected_code = "TRANSITION_NOT_ALLOWED" if row is None else "TRANSITION_FORBIDDEN_FOR_ROLE"
        assert error.code == expected_code, (current, target, actor)
        assert error.current is current
        assert error.target is target
        assert error.allowed == allowed_targets(current, actor)


def test_rejection_names_statuses() -> None:
    with pytest.raises(TransitionError) as caught:
        find_transition(S.SUBMITTED, S.RESOLVED, Actor.OFFICIAL)

    assert str(caught.value) == "cannot move from SUBMITTED to RESOLVED; allowed: VERIFIED, REJECTED"
    assert caught.value.allowed == [S.VERIFIED, S.REJECTED]


def test_closed_allows_nothing() -> None:
    for actor in Actor:
        assert allowed_targets(S.CLOSED, actor) == []

    with pytest.raises(TransitionError, match="cannot move from CLOSED to IN_PROGRESS; allowed: none"):
        find_transition(S.CLOSED, S.IN_PROGRESS, Actor.REPORTER)


def test_reporter_cannot_verify() -> None:
    with pytest.raises(TransitionError) as caught:
        find_transition(S.SUBMITTED, S.VERIFIED, Actor.REPORTER)

    assert caught.value.code == "TRANSITION_FORBIDDEN_FOR_ROLE"
    assert str(caught.value) == "cannot move from SUBMITTED to VERIFIED; allowed: none"


def test_official_cannot_reopen_resolved() -> None:
    # Only the reporter reopens a resolved complaint; an official may not
    # move it back, and the error lists what it may do instead (nothing).
    with pytest.raises(TransitionError) as caught:
        find_transition(S.RESOLVED, S.IN_PROGRESS, Actor.OFFICIAL)

    assert caught.value.code == "TRANSITION_FORBIDDEN_FOR_ROLE"
    assert caught.value.allowed == []


def test_allowed_targets_per_actor() -> None:
    assert allowed_targets(S.RESOLVED, Actor.REPORTER) == [S.CLOSED, S.IN_PROGRESS]
    assert allowed_targets(S.RESOLVED, Actor.SYSTEM) == [S.CLOSED]
    assert allowed_targets(S.RESOLVED, Actor.ADMIN) == [S.CLOSED]
    assert allowed_targets(S.REJECTED, Actor.ADMIN) == [S.SUBMITTED]
    assert allowed_targets(S.REJECTED, Actor.OFFICIAL) == []
    assert allowed_targets(S.WAITING_FOR_REPORTER, Actor.REPORTER) == [S.IN_PROGRESS]
    assert allowed_targets(S.IN_PROGRESS, Actor.OFFICIAL) == [S.WAITING_FOR_REPORTER, S.RESOLVED]


def test_status_labels() -> None:
    assert STATUS_LABELS_ID == {
        S.SUBMITTED: "Diterima",
        S.VERIFIED: "Diverifikasi",
        S.IN_PROGRESS: "Diproses",
        S.WAITING_FOR_REPORTER: "Menunggu Pelapor",
        S.RESOLVED: "Selesai",
        S.CLOSED: "Ditutup",
        S.REJECTED: "Ditolak",
    }
    assert set(STATUS_LABELS_EN) == set(ComplaintStatus)


def test_open_statuses() -> None:
    assert OPEN_STATUSES == {S.SUBMITTED, S.VERIFIED, S.IN_PROGRESS, S.WAITING_FOR_REPORTER}
