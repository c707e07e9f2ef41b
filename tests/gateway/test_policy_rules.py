"""publishSlaPolicy's rules for warning ratios and escalation steps, with their messages in both languages."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from shared.mongo import SLA_POLICIES
from shared.sla.calendar import WorkCalendar
from shared.sla.targets import SlaTarget, SlaUnit
from tests.gateway.conftest import Gateway
from tests.gateway.documents import admin_token, agency_id

WITA = ZoneInfo("Asia/Makassar")

PUBLISH = """
mutation Publish($input: PublishSlaPolicyInput!) {
  publishSlaPolicy(input: $input) {
    policy { version warnAt escalation { delay { amount unit } role } }
    errors { field code message }
  }
}
"""


def step(amount: int, unit: str, role: str = "HEAD") -> dict[str, Any]:
    return {"delay": {"amount": amount, "unit": unit}, "role": role}


async def publish(gateway: Gateway, language: str | None = None, **fields: Any) -> dict[str, Any]:
    variables = {
        "input": {
            "agencyId": agency_id("DLH"),
            "responseTarget": {"amount": 2, "unit": "DAYS"},
            "resolutionTarget": {"amount": 5, "unit": "WORKING_DAYS"},
            **fields,
        }
    }
    body = await gateway.execute(PUBLISH, variables, token=admin_token(gateway), language=language)
    assert "errors" not in body, body
    payload: dict[str, Any] = body["data"]["publishSlaPolicy"]
    return payload


async def agency_versions(gateway: Gateway) -> int:
    return await gateway.db[SLA_POLICIES].count_documents({"agencyCode": "DLH", "categoryCode": None})


REJECTED_CASES = [
    pytest.param(
        {"escalation": [step(1, "WORKING_DAYS"), step(30, "HOURS", "ADMIN")]},
        "ESCALATION_UNITS_DIFFER", ["input", "escalation", "1", "delay", "unit"],
        id="mixed-units",
    ),
    pytest.param(
        {"escalation": [step(2, "HOURS"), step(2, "HOURS", "ADMIN")]},
        "ESCALATION_NOT_INCREASING", ["input", "escalation", "1", "delay", "amount"],
        id="equal-delays",
    ),
    pytest.param(
        {"escalation": [step(1, "HOURS", "SUPERVISOR"), step(4, "HOURS"), step(3, "HOURS", "ADMIN")]},
        "ESCALATION_NOT_INCREASING", ["input", "escalation", "2", "delay", "amount"],
        id="third-step-earlier",
    ),
    pytest.param(
        {"warnAt": [0.5, 0.75, 0.5]}, "DUPLICATE_WARN_AT", ["input", "warnAt", "2"], id="same-ratio-twice",
    ),
    pytest.param(
        {"warnAt": [0.5, 0.504]}, "DUPLICATE_WARN_AT", ["input", "warnAt", "1"], id="same-whole-percent",
    ),
    pytest.param({"warnAt": [0.0]}, "VALUE_OUT_OF_RANGE", ["input", "warnAt", "0"], id="ratio-zero"),
    pytest.param({"warnAt": [0.5, 1.0]}, "VALUE_OUT_OF_RANGE", ["input", "warnAt", "1"], id="ratio-one"),
    pytest.param({"warnAt": [-0.25]}, "VALUE_OUT_OF_RANGE", ["input", "warnAt", "0"], id="ratio-negative"),
]


@pytest.mark.parametrize(("fields", "code", "field"), REJECTED_CASES)
async def test_publish_rejects_bad_rules(gateway: Gateway, fields: dict[str, Any], code: str, field: list[str]) -> None:
    versions_before = await agency_versions(gateway)

    payload = await publish(gateway, **fields)

    assert payload["policy"] is None
    assert len(payload["errors"]) == 1
    assert payload["errors"][0]["code"] == code
    assert payload["errors"][0]["field"] == field
    assert await agency_versions(gateway) == versions_before


async def test_mixed_units_message_in_both_languages(gateway: Gateway) -> None:
    escalation = [step(1, "WORKING_DAYS"), step(30, "HOURS", "ADMIN")]

    indonesian = await publish(gateway, escalation=escalation)
    english = await publish(gateway, language="en", escalation=escalation)

    assert indonesian["errors"][0]["message"] == (
        "Semua langkah eskalasi harus memakai satuan waktu yang sama: langkah ke-2 memakai HOURS, "
        "sedangkan langkah ke-1 memakai WORKING_DAYS. Gunakan satu satuan untuk semua langkah, misalnya WORKING_DAYS."
    )
    assert english["errors"][0]["message"] == (
        "All escalation steps must use the same unit: step 2 uses HOURS, but step 1 uses WORKING_DAYS. "
        "Use one unit for every step, such as WORKING_DAYS."
    )


async def test_not_increasing_message_in_both_languages(gateway: Gateway) -> None:
    escalation = [step(3, "WORKING_DAYS"), step(1, "WORKING_DAYS", "ADMIN")]

    indonesian = await publish(gateway, escalation=escalation)
    english = await publish(gateway, language="en", escalation=escalation)

    assert indonesian["errors"][0]["message"] == (
        "Jeda setiap langkah eskalasi harus lebih lama daripada langkah sebelumnya: langkah ke-2 (1 WORKING_DAYS) "
        "tidak lebih lama daripada langkah ke-1 (3 WORKING_DAYS). Urutkan langkah dari jeda terpendek."
    )
    assert english["errors"][0]["message"] == (
        "Each escalation step's delay must be longer than the one before: step 2 (1 WORKING_DAYS) is not longer "
        "than step 1 (3 WORKING_DAYS). List the steps from the shortest delay."
    )


async def test_warn_at_messages_in_both_languages(gateway: Gateway) -> None:
    duplicate = await publish(gateway, warnAt=[0.5, 0.504])
    duplicate_en = await publish(gateway, language="en", warnAt=[0.5, 0.504])
    boundary = await publish(gateway, warnAt=[1.0])
    boundary_en = await publish(gateway, language="en", warnAt=[1.0])

    assert duplicate["errors"][0]["message"] == (
        "Rasio peringatan 0.504 menghasilkan peringatan 50% yang sama dengan rasio 0.5 sebelumnya. "
        "Setiap rasio harus menghasilkan persentase bulat yang berbeda; hapus salah satunya."
    )
    assert duplicate_en["errors"][0]["message"] == (
        "Warning ratio 0.504 gives the same 50% warning as ratio 0.5 listed earlier. "
        "Each ratio must give a different whole percent, so remove one of them."
    )
    assert boundary["errors"][0]["message"] == (
        "Nilai 1.0 di luar rentang yang diperbolehkan: harus lebih besar dari 0 dan lebih kecil dari 1."
    )
    assert boundary_en["errors"][0]["message"] == "Value 1.0 is out of range: it must be greater than 0 and less than 1."


async def test_publish_accepts_ordered_rules(gateway: Gateway) -> None:
    escalation = [step(1, "HOURS", "SUPERVISOR"), step(2, "HOURS"), step(8, "HOURS", "ADMIN")]

    payload = await publish(gateway, warnAt=[0.9, 0.25, 0.6], escalation=escalation)
    without_steps = await publish(gateway, escalation=[])

    assert payload["errors"] == []
    assert payload["policy"]["warnAt"] == [0.25, 0.6, 0.9]
    assert payload["policy"]["escalation"] == [
        {"delay": {"amount": 1, "unit": "HOURS"}, "role": "SUPERVISOR"},
        {"delay": {"amount": 2, "unit": "HOURS"}, "role": "HEAD"},
        {"delay": {"amount": 8, "unit": "HOURS"}, "role": "ADMIN"},
    ]
    assert without_steps["errors"] == []
    assert without_steps["policy"]["escalation"] == []


def test_mixed_units_swap_with_breach_time() -> None:
    # The reason steps must share one unit: which of two mixed-unit delays ends first depends on the breach.
    office = WorkCalendar(code="office")
    hours_30 = SlaTarget(30, SlaUnit.HOURS)
    one_working_day = SlaTarget(1, SlaUnit.WORKING_DAYS)
    morning_breach = datetime(2026, 3, 2, 8, 0, tzinfo=WITA)
    afternoon_breach = datetime(2026, 3, 2, 15, 0, tzinfo=WITA)

    assert hours_30.end(office, morning_breach) < one_working_day.end(office, morning_breach)
    assert hours_30.end(office, afternoon_breach) > one_working_day.end(office, afternoon_breach)
