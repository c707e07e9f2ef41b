"""SLA policy snapshots: validation, defaults and their stored form."""

from __future__ import annotations

from typing import Any

import pytest

from shared.sla.policy import DEFAULT_ESCALATION, DEFAULT_WARN_AT, EscalationStep, PolicySnapshot
from shared.sla.targets import SlaTarget, SlaUnit


def policy(**changes: Any) -> PolicySnapshot:
    fields: dict[str, Any] = {
        "policy_id": "p1",
        "version": 3,
        "agency_code": "DLH",
        "category_code": "sampah",
        "response": SlaTarget(1, SlaUnit.WORKING_DAYS),
        "resolution": SlaTarget(5, SlaUnit.WORKING_DAYS),
        "calendar_code": "office",
    }
    fields.update(changes)
    return PolicySnapshot(**fields)


def test_defaults() -> None:
    snapshot = policy()

    assert snapshot.warn_at == (0.5, 0.75, 0.9)
    assert snapshot.escalation == (
        EscalationStep(SlaTarget(1, SlaUnit.WORKING_DAYS), "head"),
        EscalationStep(SlaTarget(3, SlaUnit.WORKING_DAYS), "admin"),
    )


@pytest.mark.parametrize("ratio", [0.0, 1.0, 1.5, -0.1])
def test_warn_ratio_validated(ratio: float) -> None:
    with pytest.raises(ValueError, match=f"warnAt ratio {ratio} is invalid"):
        policy(warn_at=(0.5, ratio))


def test_target_by_clock_kind() -> None:
    snapshot = policy()

    assert snapshot.target("response") == SlaTarget(1, SlaUnit.WORKING_DAYS)
    assert snapshot.target("resolution") == SlaTarget(5, SlaUnit.WORKING_DAYS)


def test_document_round_trip() -> None:
    snapshot = policy(warn_at=(0.6, 0.8), escalation=(EscalationStep(SlaTarget(4, SlaUnit.WORKING_HOURS), "head"),))

    doc = snapshot.to_doc()

    assert doc["warnAt"] == [0.6, 0.8]
    assert doc["escalation"] == [{"delay": {"amount": 4, "unit": "WORKING_HOURS"}, "role": "head"}]
    assert PolicySnapshot.from_doc(doc) == snapshot


def test_stored_warnings_sorted_once() -> None:
    doc = policy().to_doc() | {"warnAt": [0.9, 0.5, 0.9, 0.75]}

    assert PolicySnapshot.from_doc(doc).warn_at == (0.5, 0.75, 0.9)


def test_missing_fields_mean_defaults() -> None:
    doc = policy().to_doc()
    del doc["warnAt"]
    del doc["escalation"]

    snapshot = PolicySnapshot.from_doc(doc)

    assert snapshot.warn_at == DEFAULT_WARN_AT
    assert snapshot.escalation == DEFAULT_ESCALATION


def test_empty_escalation_kept() -> None:
    doc = policy().to_doc() | {"escalation": []}

    assert PolicySnapshot.from_doc(doc).escalation == ()
