"""One complaint's whole story through the processes `make run` starts, over HTTP, SMTP and the SMS outbox.

An administrator publishes a 24x7 policy with a one-minute resolution
target for the DLH's waste category. A citizen files a complaint and receives
its ticket and due dates by SMS and e-mail. An officer verifies it and
starts work, then real time runs out: the officers are warned at half the
target, the supervisor learns of the breach and the head gets the
escalation a minute later. The officer resolves, the citizen is notified,
rates the result and closes the complaint, and gets the closing confirmed.
Every message is checked in the SMTP sink's store and the SMS outbox, once
per recipient and occasion.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from tests.e2e.api import GraphQLClient
from tests.e2e.checks import (
    DELIVERY_TIMEOUT,
    assert_dates_shown,
    assert_delivered_exactly_once,
    assert_mentions,
    assert_sent_after,
    assert_services_apart,
    assert_stops_cleanly,
    assert_well_formed_mail,
    move,
    once_each,
    read_complaint,
)
from tests.e2e.documents import RATE
from tests.e2e.ledger import Ledger
from tests.e2e.scene import CITIZEN_REACH, publish_24x7_policy, set_scene, submit_complaint
from tests.e2e.stack import DevStack
from tests.e2e.wita import parse_instant

pytestmark = pytest.mark.slow

RESPONSE_TARGET = timedelta(minutes=30)
RESOLUTION_TARGET = timedelta(minutes=1)
WARN_AT = 0.5
ESCALATION_DELAY = timedelta(minutes=1)


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def seconds_until(instant: datetime) -> float:
    return max((instant - utc_now()).total_seconds(), 0.0)


def whole_minutes(duration: timedelta) -> dict[str, object]:
    return {"amount": int(duration.total_seconds() // 60), "unit": "MINUTES"}


def test_complaint_story_end_to_end(dev_stack: DevStack) -> None:
    client = GraphQLClient(dev_stack.gateway_url)
    try:
        run_story(dev_stack, client)
    finally:
        client.close()


def run_story(stack: DevStack, client: GraphQLClient) -> None:
    # given: the stack's servers and each service in its own process
    pids = assert_services_apart(stack)

    # given: tokens, the catalogue and the agency's officials from the demo data
    scene = set_scene(stack, client)

    # given: a short 24x7 policy for the category, published by an administrator
    policy_input = {
        "responseTarget": whole_minutes(RESPONSE_TARGET),
        "resolutionTarget": whole_minutes(RESOLUTION_TARGET),
        "warnAt": [WARN_AT],
        "escalation": [{"delay": whole_minutes(ESCALATION_DELAY), "role": "HEAD"}],
    }
    policy = publish_24x7_policy(client, scene, policy_input)
    assert policy["warnAt"] == [WARN_AT]
    assert policy["escalation"] == [{"role": "HEAD", "delay": whole_minutes(ESCALATION_DELAY)}]

    # when: the citizen submits a complaint
    complaint = submit_complaint(client, scene, str(uuid.uuid4()))

    # then: it runs under the new policy, with due dates counted from its submission
    complaint_id = complaint["id"]
    ticket = complaint["ticketNumber"]
    submitted_at = parse_instant(complaint["submittedAt"])
    response_due = parse_instant(complaint["sla"]["responseDueAt"])
    resolution_due = parse_instant(complaint["sla"]["resolutionDueAt"])
    assert re.fullmatch(r"MKS-\d{4}-\d{6}", ticket), ticket
    assert complaint["status"] == "SUBMITTED"
    assert complaint["slaPolicy"]["id"] == policy["id"]
    assert response_due - submitted_at == RESPONSE_TARGET
    assert resolution_due - submitted_at == RESOLUTION_TARGET
    assert complaint["sla"]["state"] == "ON_TRACK"

    # then: the citizen gets the ticket and both due dates in WITA by SMS and e-mail
    ledger = Ledger(client, scene.officer, complaint_id, stack.var_dir)
    received = ledger.wait_for("complaint_received", CITIZEN_REACH, DELIVERY_TIMEOUT)
    assert_mentions(received, ticket)
    assert_dates_shown(received, response_due, resolution_due)
    assert_well_formed_mail(received, ticket)

    # then: the agency's officers learn of the new complaint
    announced = ledger.wait_for("new_complaint", scene.officers, DELIVERY_TIMEOUT)
    assert_mentions(announced, ticket)
    assert_well_formed_mail(announced, ticket)

    # when: an officer verifies it and starts work
    verified = move(client, complaint_id, "VERIFIED", scene.officer, "Laporan telah kami periksa dan akan segera ditindaklanjuti.")
    ledger.refresh(status_step="VERIFIED")
    started = move(client, complaint_id, "IN_PROGRESS", scene.officer, "Petugas kebersihan sedang menuju lokasi.")
    ledger.refresh(status_step="IN_PROGRESS")

    # then: the response clock stopped in time and the citizen is notified of each move
    assert verified["sla"]["response"]["stoppedAt"] is not None
    assert verified["sla"]["response"]["met"] is True
    assert started["sla"]["resolution"]["stoppedAt"] is None
    verified_messages = ledger.wait_for("status_changed:VERIFIED", CITIZEN_REACH, DELIVERY_TIMEOUT)
    started_messages = ledger.wait_for("status_changed:IN_PROGRESS", CITIZEN_REACH, DELIVERY_TIMEOUT)
    assert_mentions(verified_messages, ticket, "Diverifikasi")
    assert_mentions(started_messages, ticket, "Diproses")
    assert_well_formed_mail(verified_messages, ticket)
    assert_well_formed_mail(started_messages, ticket)

    # when: half the resolution target passes
    warn_instant = submitted_at + RESOLUTION_TARGET * WARN_AT
    warnings = ledger.wait_for("sla_warning", scene.officers, seconds_until(warn_instant) + DELIVERY_TIMEOUT)

    # then: the officers are warned, no earlier, with the due instant, and the complaint is at risk
    assert_sent_after(warnings, warn_instant, "sla_warning")
    assert_mentions(warnings, ticket)
    assert_dates_shown(warnings, resolution_due)
    assert_well_formed_mail(warnings, ticket)
    read_at = utc_now()
    at_risk = read_complaint(client, complaint_id, scene.officer)
    if utc_now() < resolution_due and read_at >= warn_instant:
        assert at_risk["sla"]["state"] == "AT_RISK", at_risk["sla"]

    # when: the resolution target passes
    breaches = ledger.wait_for("sla_breach", scene.supervisors, seconds_until(resolution_due) + DELIVERY_TIMEOUT)

    # then: the supervisor learns of the breach, no earlier, and the complaint shows it
    assert_sent_after(breaches, resolution_due, "sla_breach")
    assert_mentions(breaches, ticket)
    assert_dates_shown(breaches, resolution_due)
    assert_well_formed_mail(breaches, ticket)
    breached = read_complaint(client, complaint_id, scene.officer)
    assert breached["sla"]["state"] == "BREACHED"
    assert breached["sla"]["elapsedRatio"] >= 1.0

    # when: the escalation delay passes after the breach
    escalate_instant = resolution_due + ESCALATION_DELAY
    escalations = ledger.wait_for("sla_escalation", scene.heads, seconds_until(escalate_instant) + DELIVERY_TIMEOUT)

    # then: the head gets the escalation, no earlier
    assert_sent_after(escalations, escalate_instant, "sla_escalation")
    assert_mentions(escalations, ticket)
    assert_dates_shown(escalations, resolution_due)
    assert_well_formed_mail(escalations, ticket)

    # when: the officer resolves the complaint
    resolved = move(client, complaint_id, "RESOLVED", scene.officer, "Sampah sudah diangkut dan lokasi telah dibersihkan.")
    ledger.refresh()

    # then: the resolution clock stopped late, and the citizen learns until when they may reopen
    assert resolved["resolvedAt"] is not None
    assert resolved["sla"]["resolution"]["met"] is False
    assert resolved["sla"]["state"] == "BREACHED"
    auto_close_at = parse_instant(resolved["autoCloseAt"])
    resolved_messages = ledger.wait_for("complaint_resolved", CITIZEN_REACH, DELIVERY_TIMEOUT)
    assert_mentions(resolved_messages, ticket)
    assert_dates_shown(resolved_messages, auto_close_at)
    assert_well_formed_mail(resolved_messages, ticket)

    # when: the citizen rates the result and closes the complaint
    rated = client.mutate(
        RATE, "rateComplaint", {"input": {"complaintId": complaint_id, "score": 5, "comment": "Terima kasih, sudah bersih."}}, scene.citizen
    )["complaint"]
    closed = move(client, complaint_id, "CLOSED", scene.citizen, "Masalah sudah selesai.")
    ledger.refresh()

    # then: the complaint is closed with the rating, and the citizen gets the closing confirmed
    assert rated["rating"]["score"] == 5
    assert closed["closedAt"] is not None
    assert closed["rating"] == rated["rating"]
    closed_messages = ledger.wait_for("complaint_closed", CITIZEN_REACH, DELIVERY_TIMEOUT)
    assert_mentions(closed_messages, ticket)
    assert_well_formed_mail(closed_messages, ticket)

    # then: every message went out exactly once, to exactly the expected recipients
    expected = {
        "complaint_received": CITIZEN_REACH,
        "new_complaint": scene.officers,
        "status_changed:VERIFIED": CITIZEN_REACH,
        "status_changed:IN_PROGRESS": CITIZEN_REACH,
        "sla_warning": scene.officers,
        "sla_breach": scene.supervisors,
        "sla_escalation": scene.heads,
        "complaint_resolved": CITIZEN_REACH,
        "complaint_closed": CITIZEN_REACH,
    }
    ledger.wait_until_settled(DELIVERY_TIMEOUT)
    assert_delivered_exactly_once(ledger, expected)

    # when: Ctrl-C reaches `tanggap run`
    # then: it stops every process it started and frees every port, having sent nothing more
    assert_stops_cleanly(stack, pids)
    assert ledger.counts() == once_each(expected)
