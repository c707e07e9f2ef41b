"""Transfers restart the clocks; publishing a policy and editing a calendar, with their audit entries."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from services.gateway.schema.ids import global_id, object_id
from shared.mongo import AUDIT_LOG, COMPLAINTS, NOTIFICATIONS
from shared.timeutil import clock
from tests.gateway.conftest import Gateway
from tests.gateway.documents import (
    COMPLAINT,
    TRANSFER,
    admin_token,
    agency_id,
    category_id,
    citizen_token,
    official_token,
    submit,
)

WITA = ZoneInfo("Asia/Makassar")
THURSDAY_9 = datetime(2026, 3, 5, 9, 0, tzinfo=WITA)

PUBLISH = """
mutation Publish($input: PublishSlaPolicyInput!) {
  publishSlaPolicy(input: $input) {
    policy { id version responseTarget { amount unit } resolutionTarget { amount unit } calendar { code } warnAt
             escalation { delay { amount unit } role } agency { code } category { code } }
    errors { field code message }
  }
}
"""
DAYS_OFF = """
mutation DaysOff($input: CalendarDaysOffInput!) {
  addCalendarDaysOff(input: $input) { calendar { code addedDaysOff } recomputedComplaints errors { code } }
}
"""
ESTIMATE = "query($c: ID!, $at: DateTime) { slaEstimate(categoryId: $c, at: $at) { responseDueAt resolutionDueAt policy { version } } }"


def parse(value: str) -> datetime:
    return datetime.fromisoformat(value)


async def test_transfer_restarts_clocks_under_receiving_policy(gateway: Gateway) -> None:
    # given: a complaint filed with DLH on Thursday morning
    clock.freeze(THURSDAY_9)
    complaint = await submit(gateway)

    # when: DLH transfers it to DISHUB's street-light category an hour later
    clock.freeze(THURSDAY_9 + timedelta(hours=1))
    body = await gateway.execute(
        TRANSFER,
        {"input": {"complaintId": complaint["id"], "agencyId": agency_id("DISHUB"), "categoryId": category_id("lampu-jalan"),
                   "note": "Bukan wewenang DLH: lampu jalan padam."}},
        token=official_token(gateway, "DLH", "supervisor"),
    )

    # then: both clocks start again at the transfer, with DISHUB's 3 working days
    moved = body["data"]["transferComplaint"]["complaint"]
    assert body["data"]["transferComplaint"]["errors"] == []
    assert moved["agency"]["code"] == "DISHUB"
    assert moved["category"]["code"] == "lampu-jalan"
    assert moved["status"] == "SUBMITTED"
    for clock_name in ("response", "resolution"):
        assert moved["sla"][clock_name]["cycle"] == 2
        assert parse(moved["sla"][clock_name]["startedAt"]) == THURSDAY_9 + timedelta(hours=1)
    assert parse(moved["sla"]["resolutionDueAt"]) == datetime(2026, 3, 10, 16, 0, tzinfo=WITA)
    assert moved["timeline"][-1]["kind"] == "TRANSFERRED"
    assert moved["timeline"][-1]["toAgency"] == {"code": "DISHUB"}
    new_officers = await gateway.db[NOTIFICATIONS].find({"event": "new_complaint", "agencyCode": "DISHUB"}).to_list()
    assert {n["recipient"]["subject"] for n in new_officers} == {"dishub-officer-1", "dishub-officer-2"}

    # and DLH's officials no longer see it, DISHUB's do
    old = await gateway.execute(COMPLAINT, {"id": complaint["id"]}, token=official_token(gateway, "DLH"))
    new = await gateway.execute(COMPLAINT, {"id": complaint["id"]}, token=official_token(gateway, "DISHUB"))
    assert old["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert new["data"]["complaint"]["ticketNumber"] == complaint["ticketNumber"]


async def test_transfer_rules(gateway: Gateway) -> None:
    complaint = await submit(gateway)
    supervisor = official_token(gateway, "DLH", "supervisor")

    async def transfer(**fields: str) -> list[dict[str, object]]:
        variables = {"input": {"complaintId": complaint["id"], "agencyId": agency_id("DISHUB"), "note": "Bukan wewenang.", **fields}}
        body = await gateway.execute(TRANSFER, variables, token=supervisor)
        errors: list[dict[str, object]] = body["data"]["transferComplaint"]["errors"]
        return errors

    assert (await transfer(agencyId=agency_id("DLH")))[0]["code"] == "SAME_AGENCY"
    assert (await transfer(categoryId=category_id("sampah")))[0]["code"] == "CATEGORY_NOT_IN_AGENCY"
    assert (await transfer(note=" "))[0]["code"] == "NOTE_REQUIRED"


async def test_publish_policy_leaves_filed_complaints(gateway: Gateway) -> None:
    # given: a complaint under version 1 of DLH's policy for rubbish (2 working days)
    clock.freeze(THURSDAY_9)
    old = await submit(gateway)

    # when: the administrator publishes version 2 with 1 working day
    body = await gateway.execute(
        PUBLISH,
        {"input": {"agencyId": agency_id("DLH"), "categoryId": category_id("sampah"),
                   "responseTarget": {"amount": 4, "unit": "WORKING_HOURS"}, "resolutionTarget": {"amount": 1, "unit": "WORKING_DAYS"},
                   "warnAt": [0.6, 0.8], "escalation": [{"delay": {"amount": 2, "unit": "WORKING_HOURS"}, "role": "HEAD"}]}},
        token=admin_token(gateway),
    )
    new = await submit(gateway)
    old_after = await gateway.execute(COMPLAINT, {"id": old["id"]}, token=citizen_token(gateway))

    # then
    policy = body["data"]["publishSlaPolicy"]["policy"]
    assert body["data"]["publishSlaPolicy"]["errors"] == []
    assert policy["version"] == 2
    assert policy["calendar"] == {"code": "office"}
    assert policy["warnAt"] == [0.6, 0.8]
    assert policy["escalation"] == [{"delay": {"amount": 2, "unit": "WORKING_HOURS"}, "role": "HEAD"}]
    assert old_after["data"]["complaint"]["sla"]["resolutionDueAt"] == old["sla"]["resolutionDueAt"]
    assert old_after["data"]["complaint"]["slaPolicy"]["version"] == 1
    assert parse(new["sla"]["resolutionDueAt"]) == datetime(2026, 3, 6, 16, 30, tzinfo=WITA)  # Fridays close at 16:30
    assert parse(new["sla"]["responseDueAt"]) == datetime(2026, 3, 5, 13, 0, tzinfo=WITA)
    assert new["slaPolicy"]["version"] == 2
    audit = await gateway.db[AUDIT_LOG].find_one({"entity": "SlaPolicy", "action": "publish"})
    assert audit is not None
    assert audit["actor"]["subject"] == "admin-kota"
    assert audit["before"]["version"] == 1
    assert audit["after"]["version"] == 2


async def test_publish_policy_rejects_bad_ratio(gateway: Gateway) -> None:
    body = await gateway.execute(
        PUBLISH,
        {"input": {"agencyId": agency_id("DLH"), "responseTarget": {"amount": 1, "unit": "DAYS"},
                   "resolutionTarget": {"amount": 3, "unit": "DAYS"}, "warnAt": [0.5, 1.5]}},
        token=admin_token(gateway),
    )

    error = body["data"]["publishSlaPolicy"]["errors"][0]
    assert error["code"] == "VALUE_OUT_OF_RANGE"
    assert error["field"] == ["input", "warnAt", "1"]


async def test_estimate_uses_the_same_clock(gateway: Gateway) -> None:
    clock.freeze(THURSDAY_9)

    estimate = await gateway.execute(ESTIMATE, {"c": category_id("sampah")})
    at_saturday = await gateway.execute(ESTIMATE, {"c": category_id("sampah"), "at": "2026-03-07T10:00:00+08:00"})
    complaint = await submit(gateway)

    assert estimate["data"]["slaEstimate"]["resolutionDueAt"] == complaint["sla"]["resolutionDueAt"]
    assert estimate["data"]["slaEstimate"]["responseDueAt"] == complaint["sla"]["responseDueAt"]
    # filed on Saturday: Monday and Tuesday are the two working days
    assert parse(at_saturday["data"]["slaEstimate"]["resolutionDueAt"]) == datetime(2026, 3, 10, 16, 0, tzinfo=WITA)


async def test_day_off_moves_open_deadlines_and_is_audited(gateway: Gateway) -> None:
    # given: due Monday 9 March at 16:00
    clock.freeze(THURSDAY_9)
    complaint = await submit(gateway)

    # when: the city declares Friday 6 March a day off
    body = await gateway.execute(
        DAYS_OFF, {"input": {"calendarId": global_id("Calendar", "office"), "dates": ["2026-03-06"]}}, token=admin_token(gateway)
    )
    after = await gateway.execute(COMPLAINT, {"id": complaint["id"]}, token=citizen_token(gateway))

    # then: the two working days are Monday and Tuesday
    result = body["data"]["addCalendarDaysOff"]
    assert result["errors"] == []
    assert result["calendar"]["addedDaysOff"] == ["2026-03-06"]
    assert result["recomputedComplaints"] == 1
    assert parse(after["data"]["complaint"]["sla"]["resolutionDueAt"]) == datetime(2026, 3, 10, 16, 0, tzinfo=WITA)
    audit = await gateway.db[AUDIT_LOG].find_one({"entity": "Calendar", "entityId": "office"})
    assert audit is not None
    assert audit["action"] == "add-days-off"
    assert audit["before"]["addedDaysOff"] == []
    assert audit["after"]["addedDaysOff"] == ["2026-03-06"]
    stored = await gateway.db[COMPLAINTS].find_one({"_id": object_id(complaint["id"], "Complaint")})
    assert stored is not None


async def test_admin_manages_catalogue_with_audit(gateway: Gateway) -> None:
    admin = admin_token(gateway)

    created = await gateway.execute(
        "mutation { createAgency(input: {code: \"BAPENDA\", name: \"Badan Pendapatan Daerah\"}) { agency { id code } errors { code } } }",
        token=admin,
    )
    duplicate = await gateway.execute(
        "mutation { createAgency(input: {code: \"BAPENDA\", name: \"Badan Pendapatan Daerah\"}) { agency { id } errors { code field } } }",
        token=admin,
    )
    category = await gateway.execute(
        "mutation($a: ID!) { createServiceCategory(input: {code: \"pajak-daerah\", name: \"Pajak Daerah\", agencyId: $a}) "
        "{ category { code agency { code } } errors { code } } }",
        {"a": agency_id("BAPENDA")},
        token=admin,
    )
    official = await gateway.execute(
        "mutation($a: ID!) { createOfficial(input: {subject: \"bapenda-officer-1\", name: \"Petugas Satu\", role: OFFICER, "
        "agencyId: $a, phone: \"0812 1111 2222\"}) { official { subject phone agency { code } } errors { code } } }",
        {"a": agency_id("BAPENDA")},
        token=admin,
    )
    renamed = await gateway.execute(
        "mutation($a: ID!) { updateAgency(input: {agencyId: $a, name: \"Bapenda Kota Makassar\"}) { agency { name } errors { code } } }",
        {"a": agency_id("BAPENDA")},
        token=admin,
    )

    assert created["data"]["createAgency"]["agency"]["code"] == "BAPENDA"
    assert duplicate["data"]["createAgency"]["errors"] == [{"code": "CODE_TAKEN", "field": ["input", "code"]}]
    assert category["data"]["createServiceCategory"]["category"] == {"code": "pajak-daerah", "agency": {"code": "BAPENDA"}}
    assert official["data"]["createOfficial"]["official"]["phone"] == "+6281211112222"
    assert renamed["data"]["updateAgency"]["agency"]["name"] == "Bapenda Kota Makassar"
    entries = await gateway.db[AUDIT_LOG].find({}, sort=[("at", 1), ("_id", 1)]).to_list()
    assert [(e["entity"], e["action"]) for e in entries] == [
        ("Agency", "create"), ("ServiceCategory", "create"), ("Official", "create"), ("Agency", "update"),
    ]
    assert entries[-1]["before"]["name"] == "Badan Pendapatan Daerah"
    assert entries[-1]["after"]["name"] == "Bapenda Kota Makassar"
    assert all(e["actor"]["subject"] == "admin-kota" for e in entries)
