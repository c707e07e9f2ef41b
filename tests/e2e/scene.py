"""The people and the catalogue of a story: tokens, the DLH's waste category, its officials and a 24x7 policy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.e2e.api import GraphQLClient, issue_token
from tests.e2e.documents import CATALOGUE, OFFICIALS, PUBLISH_POLICY, SLA_ESTIMATE, SUBMIT
from tests.e2e.ledger import Recipient
from tests.e2e.stack import DevStack

AGENCY = "DLH"
CATEGORY = "sampah"
# The demo officials of the DLH in tanggap/data/makassar.json, by subject, with their roles.
SEEDED_OFFICIALS = {
    "dlh-officer-1": "officer",
    "dlh-officer-2": "officer",
    "dlh-supervisor-1": "supervisor",
    "dlh-head-1": "head",
}
ACTING_OFFICER = "dlh-officer-1"

CITIZEN_SUBJECT = "warga-uji-alur"
CITIZEN_PHONE_AS_TYPED = "081234567890"
CITIZEN_PHONE = "+6281234567890"
CITIZEN_EMAIL = "warga.uji@example.test"
CITIZEN_REACH: set[Recipient] = {("email", CITIZEN_EMAIL), ("sms", CITIZEN_PHONE)}


def only(items: list[Any], description: str) -> Any:
    assert len(items) == 1, f"expected exactly one {description}, found {items}"
    return items[0]


def reach(official: dict[str, Any]) -> set[Recipient]:
    return {("email", official["email"]), ("sms", official["phone"])}


@dataclass(frozen=True)
class Scene:
    """Tokens of an administrator, the acting officer and the citizen, and the ids and addresses a story uses."""

    admin: str
    officer: str
    citizen: str
    agency_id: str
    category_id: str
    calendar_24x7_id: str
    officers: set[Recipient]
    supervisors: set[Recipient]
    heads: set[Recipient]


def set_scene(stack: DevStack, client: GraphQLClient) -> Scene:
    """Make the tokens as the README describes for users, and read the catalogue and the DLH's officials."""
    env = stack.env
    admin = issue_token(env, "--role", "admin")
    officer = issue_token(env, "--role", "officer", "--agency", AGENCY, "--subject", ACTING_OFFICER)
    citizen = issue_token(
        env, "--role", "citizen", "--subject", CITIZEN_SUBJECT, "--phone", CITIZEN_PHONE_AS_TYPED, "--email", CITIZEN_EMAIL
    )

    catalogue = client.execute(CATALOGUE)
    agency_id = only([a["id"] for a in catalogue["agencies"] if a["code"] == AGENCY], f"agency {AGENCY}")
    category = only([c for c in catalogue["serviceCategories"] if c["code"] == CATEGORY], f"category {CATEGORY}")
    assert category["agency"]["code"] == AGENCY
    calendar_id = only([c["id"] for c in catalogue["calendars"] if c["code"] == "24x7"], "24x7 calendar")

    officials = client.execute(OFFICIALS, {"agencyId": agency_id}, admin)["officials"]
    active = {o["subject"]: o for o in officials if o["active"]}
    assert {subject: o["role"].lower() for subject, o in active.items()} == SEEDED_OFFICIALS

    return Scene(
        admin=admin,
        officer=officer,
        citizen=citizen,
        agency_id=agency_id,
        category_id=category["id"],
        calendar_24x7_id=calendar_id,
        officers=reach(active["dlh-officer-1"]) | reach(active["dlh-officer-2"]),
        supervisors=reach(active["dlh-supervisor-1"]),
        heads=reach(active["dlh-head-1"]),
    )


def publish_24x7_policy(client: GraphQLClient, scene: Scene, policy_input: dict[str, Any]) -> dict[str, Any]:
    """Publish a policy for the waste category on the 24x7 calendar, so officials' alerts go out at once, and check it is in force."""
    full_input = {**policy_input, "agencyId": scene.agency_id, "categoryId": scene.category_id, "calendarId": scene.calendar_24x7_id}
    policy: dict[str, Any] = client.mutate(PUBLISH_POLICY, "publishSlaPolicy", {"input": full_input}, scene.admin)["policy"]
    assert policy["calendar"]["code"] == "24x7"
    estimate = client.execute(SLA_ESTIMATE, {"categoryId": scene.category_id})["slaEstimate"]
    assert estimate["policy"]["id"] == policy["id"]
    return policy


def submit_complaint(client: GraphQLClient, scene: Scene, client_request_id: str) -> dict[str, Any]:
    submission = {
        "categoryId": scene.category_id,
        "title": "Sampah menumpuk di Jalan Somba Opu",
        "description": "Sampah rumah tangga tidak diangkut selama tiga hari dan mulai berbau.",
        "location": {"address": "Jalan Somba Opu No. 10", "district": "Ujung Pandang"},
        "channel": "WEB",
        "clientRequestId": client_request_id,
    }
    complaint: dict[str, Any] = client.mutate(SUBMIT, "submitComplaint", {"input": submission}, scene.citizen)["complaint"]
    return complaint
