"""Who may do what: every role against every operation, on a complaint they own, or of their agency, or not.

The complaint under test is filed by `warga-1` with DLH (rubbish). Each
mutating case gets a complaint of its own, so one case's change never
decides another's outcome. Outcomes: `ok`, `full` and `public` (what a
complaint query returns), or the error code the caller gets.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from tests.gateway.conftest import Gateway
from tests.gateway.documents import (
    ASSIGN,
    COMMENT,
    COMPLAINT,
    RATE,
    SUBMIT,
    TRANSFER,
    TRANSITION,
    admin_token,
    agency_id,
    category_id,
    citizen_token,
    move,
    official_id,
    official_token,
    submit,
)

PRINCIPALS = ("anonymous", "owner", "other_citizen", "officer", "supervisor", "head", "other_agency", "admin")


def tokens(gateway: Gateway) -> dict[str, str | None]:
    return {
        "anonymous": None,
        "owner": citizen_token(gateway, "warga-1"),
        "other_citizen": citizen_token(gateway, "warga-2"),
        "officer": official_token(gateway, "DLH", "officer"),
        "supervisor": official_token(gateway, "DLH", "supervisor"),
        "head": official_token(gateway, "DLH", "head"),
        "other_agency": official_token(gateway, "DISHUB", "officer"),
        "admin": admin_token(gateway),
    }


def outcome(body: dict[str, Any], field: str | None = None) -> str:
    """Return the top-level error code, else the payload's first error code, else "ok"."""
    if body.get("errors"):
        return str(body["errors"][0]["extensions"]["code"])
    if field is not None:
        payload = body["data"][field]
        if payload.get("errors"):
            return str(payload["errors"][0]["code"])
    return "ok"


Operation = Callable[[Gateway, dict[str, Any], str | None], Awaitable[str]]


async def view(gateway: Gateway, complaint: dict[str, Any], token: str | None) -> str:
    body = await gateway.execute(COMPLAINT, {"id": complaint["id"]}, token=token)
    if body.get("errors"):
        return outcome(body)
    found = body["data"]["complaint"]
    if found["reporter"] is None:
        assert found["location"]["address"] is None
        assert found["location"]["latitude"] == round(complaint["location"]["latitude"], 2)
        return "public"
    return "full"


async def list_visible(gateway: Gateway, complaint: dict[str, Any], token: str | None) -> str:
    body = await gateway.execute("{ complaints(first: 10) { edges { node { ticketNumber reporter { phone } } } } }", token=token)
    if body.get("errors"):
        return outcome(body)
    nodes = [edge["node"] for edge in body["data"]["complaints"]["edges"]]
    if not nodes:
        return "none"
    return "public" if nodes[0]["reporter"] is None else "full"


async def notifications(gateway: Gateway, complaint: dict[str, Any], token: str | None) -> str:
    body = await gateway.execute("query($id: ID) { complaint(id: $id) { notifications { event } } }", {"id": complaint["id"]}, token=token)
    return outcome(body)


async def verify(gateway: Gateway, complaint: dict[str, Any], token: str | None) -> str:
    body = await gateway.execute(TRANSITION, {"input": {"complaintId": complaint["id"], "toStatus": "VERIFIED"}}, token=token)
    return outcome(body, "transitionComplaint")


async def public_comment(gateway: Gateway, complaint: dict[str, Any], token: str | None) -> str:
    body = await gateway.execute(COMMENT, {"input": {"complaintId": complaint["id"], "body": "Terima kasih."}}, token=token)
    return outcome(body, "addComplaintComment")


async def internal_note(gateway: Gateway, complaint: dict[str, Any], token: str | None) -> str:
    variables = {"input": {"complaintId": complaint["id"], "body": "Catatan internal.", "internal": True}}
    return outcome(await gateway.execute(COMMENT, variables, token=token), "addComplaintComment")


async def assign_other_officer(gateway: Gateway, complaint: dict[str, Any], token: str | None) -> str:
    variables = {"input": {"complaintId": complaint["id"], "assigneeId": official_id("dlh-officer-2")}}
    return outcome(await gateway.execute(ASSIGN, variables, token=token), "assignComplaint")


async def assign_to_self(gateway: Gateway, complaint: dict[str, Any], token: str | None) -> str:
    variables = {"input": {"complaintId": complaint["id"], "assigneeId": official_id("dlh-officer-1")}}
    return outcome(await gateway.execute(ASSIGN, variables, token=token), "assignComplaint")


async def transfer(gateway: Gateway, complaint: dict[str, Any], token: str | None) -> str:
    variables = {"input": {"complaintId": complaint["id"], "agencyId": agency_id("DISHUB"), "note": "Bukan wewenang."}}
    return outcome(await gateway.execute(TRANSFER, variables, token=token), "transferComplaint")


async def rate_resolved(gateway: Gateway, complaint: dict[str, Any], token: str | None) -> str:
    officer = official_token(gateway, "DLH")
    for status in ("VERIFIED", "IN_PROGRESS", "RESOLVED"):
        await move(gateway, officer, complaint, status)
    body = await gateway.execute(RATE, {"input": {"complaintId": complaint["id"], "score": 4}}, token=token)
    return outcome(body, "rateComplaint")


async def submit_new(gateway: Gateway, complaint: dict[str, Any], token: str | None) -> str:
    variables = {"input": {"categoryId": category_id("sampah"), "title": "Sampah lagi", "description": "Sampah kembali menumpuk."}}
    return outcome(await gateway.execute(SUBMIT, variables, token=token), "submitComplaint")


async def publish_policy(gateway: Gateway, complaint: dict[str, Any], token: str | None) -> str:
    body = await gateway.execute(
        "mutation($a: ID!) { publishSlaPolicy(input: {agencyId: $a, responseTarget: {amount: 1, unit: DAYS}, "
        "resolutionTarget: {amount: 5, unit: DAYS}}) { policy { version } errors { code } } }",
        {"a": agency_id("DLH")},
        token=token,
    )
    return outcome(body, "publishSlaPolicy")


async def create_agency(gateway: Gateway, complaint: dict[str, Any], token: str | None) -> str:
    body = await gateway.execute(
        "mutation { createAgency(input: {code: \"BARU\", name: \"Instansi Baru\"}) { agency { code } errors { code } } }", token=token
    )
    return outcome(body, "createAgency")


async def list_officials(gateway: Gateway, complaint: dict[str, Any], token: str | None) -> str:
    return outcome(await gateway.execute("{ officials { subject } }", token=token))


async def performance(gateway: Gateway, complaint: dict[str, Any], token: str | None) -> str:
    body = await gateway.execute(
        "{ agencyPerformance(from: \"2020-01-01T00:00:00+08:00\", to: \"2030-01-01T00:00:00+08:00\") { received } }", token=token
    )
    return outcome(body)


DENIED = "FORBIDDEN"
ANON = "UNAUTHENTICATED"
ROLE = "TRANSITION_FORBIDDEN_FOR_ROLE"

#            anonymous owner      other_citizen officer   supervisor head      other_agency admin
TABLE: dict[str, tuple[Operation, tuple[str, ...]]] = {
    "view":           (view,                 (ANON, "full",  "public", "full", "full", "full", DENIED, "full")),
    "list":           (list_visible,         (ANON, "full",  "public", "full", "full", "full", "none", "full")),
    "notifications":  (notifications,        (ANON, DENIED,  DENIED,   "ok",   "ok",   "ok",   DENIED, "ok")),
    "verify":         (verify,               (ANON, ROLE,    DENIED,   "ok",   "ok",   "ok",   DENIED, "ok")),
    "public_comment": (public_comment,       (ANON, "ok",    DENIED,   "ok",   "ok",   "ok",   DENIED, "ok")),
    "internal_note":  (internal_note,        (ANON, DENIED,  DENIED,   "ok",   "ok",   "ok",   DENIED, "ok")),
    "assign_other":   (assign_other_officer, (ANON, DENIED,  DENIED,   DENIED, "ok",   "ok",   DENIED, "ok")),
    "assign_self":    (assign_to_self,       (ANON, DENIED,  DENIED,   "ok",   "ok",   "ok",   DENIED, "ok")),
    "transfer":       (transfer,             (ANON, DENIED,  DENIED,   "ok",   "ok",   "ok",   DENIED, "ok")),
    "rate":           (rate_resolved,        (ANON, "ok",    DENIED,   DENIED, DENIED, DENIED, DENIED, DENIED)),
    "submit":         (submit_new,           (ANON, "ok",    "ok",     DENIED, DENIED, DENIED, DENIED, DENIED)),
    "publish_policy": (publish_policy,       (ANON, DENIED,  DENIED,   DENIED, DENIED, DENIED, DENIED, "ok")),
    "create_agency":  (create_agency,        (ANON, DENIED,  DENIED,   DENIED, DENIED, DENIED, DENIED, "ok")),
    "officials":      (list_officials,       (ANON, DENIED,  DENIED,   "ok",   "ok",   "ok",   "ok",   "ok")),
    "performance":    (performance,          ("ok", "ok",    "ok",     "ok",   "ok",   "ok",   "ok",   "ok")),
}

# Cases that change the complaint need one of their own; reads share one.
READ_ONLY = frozenset({"view", "list", "notifications", "officials", "performance"})


async def test_role_operation_ownership_table(gateway: Gateway) -> None:
    by_principal = tokens(gateway)
    shared = await submit(gateway, token=by_principal["owner"])
    mismatches = []
    checked = 0

    for name, (operation, expected_row) in TABLE.items():
        for principal, expected in zip(PRINCIPALS, expected_row, strict=True):
            complaint = shared if name in READ_ONLY else await submit(gateway, token=by_principal["owner"])
            if name == "create_agency":
                await gateway.db["agencies"].delete_one({"code": "BARU"})
            actual = await operation(gateway, complaint, by_principal[principal])
            checked += 1
            if actual != expected:
                mismatches.append(f"{name} by {principal}: expected {expected}, got {actual}")

    assert checked == len(TABLE) * len(PRINCIPALS)
    assert mismatches == []
