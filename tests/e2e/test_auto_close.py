"""A resolved complaint the citizen leaves alone is closed by the SLA watcher, and the citizen is notified.

The stack runs with TANGGAP_AUTO_CLOSE_WORKING_DAYS=0, so a complaint's
reopening period ends the moment it is resolved and the watcher's next
scan closes it. The complaint_closed SMS and e-mail come from the watcher,
through the broker and the notifier, and are checked exactly once.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest

from tests.e2e.api import GraphQLClient
from tests.e2e.checks import (
    DELIVERY_TIMEOUT,
    assert_delivered_exactly_once,
    assert_mentions,
    assert_services_apart,
    assert_stops_cleanly,
    assert_well_formed_mail,
    move,
    once_each,
    read_complaint,
)
from tests.e2e.documents import LATEST_EVENT, RATE
from tests.e2e.ledger import POLL_INTERVAL, Ledger
from tests.e2e.scene import CITIZEN_EMAIL, CITIZEN_REACH, publish_24x7_policy, set_scene, submit_complaint
from tests.e2e.stack import STORY_SETTINGS, DevStack
from tests.e2e.wita import parse_instant

pytestmark = pytest.mark.slow


@pytest.fixture
def stack_settings() -> dict[str, str]:
    # Zero working days: a resolved complaint may be closed by the system at once.
    return {**STORY_SETTINGS, "TANGGAP_AUTO_CLOSE_WORKING_DAYS": "0"}


def wait_for_status(client: GraphQLClient, complaint_id: str, token: str, status: str, timeout: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        complaint = read_complaint(client, complaint_id, token)
        if complaint["status"] == status:
            return complaint
        if time.monotonic() > deadline:
            raise AssertionError(f"complaint {complaint_id} did not reach {status} within {timeout:.0f} s; it is {complaint['status']}")
        time.sleep(POLL_INTERVAL)


def test_resolved_complaint_closes_automatically(dev_stack: DevStack) -> None:
    client = GraphQLClient(dev_stack.gateway_url)
    try:
        run_auto_close(dev_stack, client)
    finally:
        client.close()


def run_auto_close(stack: DevStack, client: GraphQLClient) -> None:
    # given: a resolved complaint under a 24x7 policy whose targets are far off
    pids = assert_services_apart(stack)
    scene = set_scene(stack, client)
    publish_24x7_policy(
        client,
        scene,
        {"responseTarget": {"amount": 1, "unit": "HOURS"}, "resolutionTarget": {"amount": 1, "unit": "DAYS"}},
    )
    complaint = submit_complaint(client, scene, str(uuid.uuid4()))
    complaint_id = complaint["id"]
    ticket = complaint["ticketNumber"]
    ledger = Ledger(client, scene.officer, complaint_id, stack.var_dir)
    ledger.wait_for("complaint_received", CITIZEN_REACH, DELIVERY_TIMEOUT)

    move(client, complaint_id, "VERIFIED", scene.officer, "Laporan telah kami periksa.")
    ledger.refresh(status_step="VERIFIED")
    move(client, complaint_id, "IN_PROGRESS", scene.officer)
    ledger.refresh(status_step="IN_PROGRESS")
    resolved = move(client, complaint_id, "RESOLVED", scene.officer, "Sampah sudah diangkut.")
    ledger.refresh()
    assert parse_instant(resolved["autoCloseAt"]) == parse_instant(resolved["resolvedAt"])

    # when: the citizen neither confirms nor reopens, and the watcher's next scan comes
    closed = wait_for_status(client, complaint_id, scene.citizen, "CLOSED", DELIVERY_TIMEOUT)

    # then: the system closed it, with a note in the timeline
    assert parse_instant(closed["closedAt"]) >= parse_instant(resolved["autoCloseAt"])
    latest = client.execute(LATEST_EVENT, {"id": complaint_id}, scene.citizen)["complaint"]["timeline"][0]
    assert latest["actorRole"] == "system"
    assert latest["fromStatus"] == "RESOLVED"
    assert latest["toStatus"] == "CLOSED"
    assert latest["note"]

    # then: the citizen gets the closing by SMS and e-mail, the e-mail with the note
    closed_messages = ledger.wait_for("complaint_closed", CITIZEN_REACH, DELIVERY_TIMEOUT)
    assert_mentions(closed_messages, ticket)
    assert_well_formed_mail(closed_messages, ticket)
    mail = closed_messages[("email", CITIZEN_EMAIL)].mail
    assert mail is not None
    assert latest["note"] in mail.text

    # when: the citizen rates the result after the closing
    rated = client.mutate(RATE, "rateComplaint", {"input": {"complaintId": complaint_id, "score": 4}}, scene.citizen)

    # then: the rating is kept and every message went out exactly once
    assert rated["complaint"]["rating"]["score"] == 4
    expected = {
        "complaint_received": CITIZEN_REACH,
        "new_complaint": scene.officers,
        "status_changed:VERIFIED": CITIZEN_REACH,
        "status_changed:IN_PROGRESS": CITIZEN_REACH,
        "complaint_resolved": CITIZEN_REACH,
        "complaint_closed": CITIZEN_REACH,
    }
    ledger.wait_until_settled(DELIVERY_TIMEOUT)
    assert_delivered_exactly_once(ledger, expected)

    # when: Ctrl-C reaches `tanggap run`
    # then: it stops every process it started, having sent nothing more
    assert_stops_cleanly(stack, pids)
    assert ledger.counts() == once_each(expected)
