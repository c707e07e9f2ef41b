"""GraphQL documents and small helpers the gateway tests share."""

from __future__ import annotations

from typing import Any

from services.gateway.schema.ids import global_id
from tests.gateway.conftest import Gateway

COMPLAINT_FIELDS = """
  id ticketNumber title status statusLabel isMine imported allowedTransitions autoCloseAt resolvedAt
  agency { code } category { code }
  location { latitude longitude address district subdistrict }
  reporter { name phone email notificationChannels locale }
  assignee { subject }
  rating { score comment }
  sla {
    responseDueAt resolutionDueAt state elapsedRatio
    response { cycle startedAt dueAt stoppedAt paused outcome met }
    resolution { cycle startedAt dueAt stoppedAt paused outcome met workingMinutes }
  }
  slaPolicy { id version }
  timeline { kind actorRole actorName fromStatus toStatus note body internal score toAgency { code } }
"""

SUBMIT = (
    "mutation Submit($input: SubmitComplaintInput!) { submitComplaint(input: $input) { complaint { "
    + COMPLAINT_FIELDS
    + " } errors { field code message } } }"
)
TRANSITION = (
    "mutation Move($input: TransitionComplaintInput!) { transitionComplaint(input: $input) { complaint { "
    + COMPLAINT_FIELDS
    + " } errors { field code message } } }"
)
COMMENT = (
    "mutation Comment($input: AddComplaintCommentInput!) { addComplaintComment(input: $input) { complaint { "
    + COMPLAINT_FIELDS
    + " } errors { field code message } } }"
)
ASSIGN = (
    "mutation Assign($input: AssignComplaintInput!) { assignComplaint(input: $input) { complaint { "
    + COMPLAINT_FIELDS
    + " } errors { field code message } } }"
)
TRANSFER = (
    "mutation Transfer($input: TransferComplaintInput!) { transferComplaint(input: $input) { complaint { "
    + COMPLAINT_FIELDS
    + " } errors { field code message } } }"
)
RATE = (
    "mutation Rate($input: RateComplaintInput!) { rateComplaint(input: $input) { complaint { "
    + COMPLAINT_FIELDS
    + " } errors { field code message } } }"
)
COMPLAINT = "query One($id: ID, $ticket: String) { complaint(id: $id, ticketNumber: $ticket) { " + COMPLAINT_FIELDS + " } }"

CITIZEN = "warga-1"
OTHER_CITIZEN = "warga-2"
CITIZEN_CLAIMS = {"phone_number": "0812-3456-7890", "email": "warga1@contoh.example", "name": "Andi Pelapor"}


def category_id(code: str) -> str:
    return global_id("ServiceCategory", code)


def agency_id(code: str) -> str:
    return global_id("Agency", code)


def official_id(subject: str) -> str:
    return global_id("Official", subject)


def citizen_token(gateway: Gateway, subject: str = CITIZEN, **claims: Any) -> str:
    return gateway.token("citizen", subject, **{**CITIZEN_CLAIMS, **claims})


def official_token(gateway: Gateway, agency: str, role: str = "officer", number: int = 1) -> str:
    return gateway.token(role, f"{agency.lower()}-{role}-{number}", agency)


def admin_token(gateway: Gateway) -> str:
    return gateway.token("admin", "admin-kota")


async def submit(gateway: Gateway, token: str | None = None, category: str = "sampah", **fields: Any) -> dict[str, Any]:
    """File a complaint and return it; fails the test on any error."""
    payload = {
        "categoryId": category_id(category),
        "title": "Sampah menumpuk di Jalan Somba Opu",
        "description": "Sampah rumah tangga tidak diangkut selama tiga hari dan mulai berbau.",
        "location": {"latitude": -5.13451, "longitude": 119.41234, "address": "Jl. Somba Opu No. 10", "district": "Ujung Pandang"},
        **fields,
    }
    body = await gateway.execute(SUBMIT, {"input": payload}, token=token or citizen_token(gateway))
    assert "errors" not in body, body
    result = body["data"]["submitComplaint"]
    assert result["errors"] == [], result["errors"]
    complaint: dict[str, Any] = result["complaint"]
    return complaint


async def move(gateway: Gateway, token: str, complaint: dict[str, Any], status: str, note: str | None = None,
               language: str | None = None) -> dict[str, Any]:
    body = await gateway.execute(
        TRANSITION, {"input": {"complaintId": complaint["id"], "toStatus": status, "note": note}}, token=token, language=language
    )
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["transitionComplaint"]
    return result


async def comment(gateway: Gateway, token: str, complaint: dict[str, Any], text: str, internal: bool = False) -> dict[str, Any]:
    body = await gateway.execute(COMMENT, {"input": {"complaintId": complaint["id"], "body": text, "internal": internal}}, token=token)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["addComplaintComment"]
    return result
