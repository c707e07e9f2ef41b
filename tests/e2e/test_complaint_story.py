"""One complaint's whole story through the processes `make run` starts, over HTTP, SMTP and the SMS outbox.

An administrator publishes a 24x7 policy with a one-minute resolution
target for the DLH's waste category. A citizen files a complaint and receives
its ticket and due dates by SMS and e-mail. An officer verifies it and
starts work, then real time runs out: the officers are warned at half the
target, the supervisor learns of the breach and the head gets the
escalation a minute later. The officer resolves, the citizen is told,
rates the result and closes the complaint. Every message is checked in the
SMTP sink's store and the SMS outbox, once per recipient and occasion.
"""

from __future__ import annotations

import re
import time
import uuid
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from tanggap.servers import is_listening
from tests.e2e.api import GraphQLClient, issue_token
from tests.e2e.documents import CATALOGUE, COMPLAINT, OFFICIALS, PUBLISH_POLICY, RATE, SLA_ESTIMATE, SUBMIT, TRANSITION
from tests.e2e.ledger import Delivery, Ledger, Recipient
from tests.e2e.stack import DevStack, live_group_members
from tests.e2e.wita import long_wita, parse_instant, short_wita

pytestmark = pytest.mark.slow

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

RESPONSE_TARGET = timedelta(minutes=30)
RESOLUTION_TARGET = timedelta(minutes=1)
WARN_AT = 0.5
ESCALATION_DELAY = timedelta(minutes=1)

# Seconds a message may take after its occasion: a watcher scan (1 s here),
# the broker and the notifier, with room for a slow CI machine.
DELIVERY_TIMEOUT = 30.0
# An e-mail's Date header has whole seconds, so it may read up to 1 s early.
DATE_HEADER_PRECISION = timedelta(seconds=1)

SERVERS = ("SecantusDB", "Redis", "SMTP sink")
# Each service runs in its own process; the command line names its module.
SERVICE_COMMANDS = {"gateway": "services.gateway", "SLA watcher": "services.sla_watcher", "notifier": "dramatiq"}
PORT_SETTINGS = (
    "TANGGAP_EMBEDDED_MONGODB_PORT",
    "TANGGAP_EMBEDDED_REDIS_PORT",
    "TANGGAP_SMTP_PORT",
    "TANGGAP_GATEWAY_PORT",
    "TANGGAP_WATCHER_METRICS_PORT",
)


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def seconds_until(instant: datetime) -> float:
    return max((instant - utc_now()).total_seconds(), 0.0)


def command_line(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


def only(items: list[Any], description: str) -> Any:
    assert len(items) == 1, f"expected exactly one {description}, found {items}"
    return items[0]


def reach(official: dict[str, Any]) -> set[Recipient]:
    return {("email", official["email"]), ("sms", official["phone"])}


def sent_at(delivery: Delivery) -> datetime:
    """Return when a message left: the SMS outbox's `sent_at`, or the e-mail's Date header widened by its precision."""
    if delivery.sms is not None:
        return delivery.sms.sent_at
    assert delivery.mail is not None
    return delivery.mail.date + DATE_HEADER_PRECISION


def assert_sent_after(deliveries: dict[Recipient, Delivery], instant: datetime, occasion: str) -> None:
    for recipient, delivery in deliveries.items():
        assert sent_at(delivery) >= instant, f"{occasion} to {recipient} left at {sent_at(delivery)}, before {instant}"


def assert_mentions(deliveries: dict[Recipient, Delivery], *fragments: str) -> None:
    for recipient, delivery in deliveries.items():
        for fragment in fragments:
            assert fragment in delivery.text, f"message to {recipient} lacks {fragment!r}: {delivery.text}"


def assert_due_dates(deliveries: dict[Recipient, Delivery], *instants: datetime) -> None:
    """Check that each SMS shows the instants in short WITA form and each e-mail part in long form."""
    for recipient, delivery in deliveries.items():
        if delivery.sms is not None:
            for instant in instants:
                assert short_wita(instant) in delivery.sms.text, f"SMS to {recipient} lacks {short_wita(instant)!r}: {delivery.sms.text}"
            continue
        assert delivery.mail is not None
        for instant in instants:
            assert long_wita(instant) in delivery.mail.text, f"text of e-mail to {recipient} lacks {long_wita(instant)!r}"
            assert long_wita(instant) in delivery.mail.html, f"HTML of e-mail to {recipient} lacks {long_wita(instant)!r}"


def assert_well_formed_mail(deliveries: dict[Recipient, Delivery], ticket: str) -> None:
    for recipient, delivery in deliveries.items():
        if delivery.mail is None:
            continue
        assert delivery.mail.content_type == "multipart/alternative", f"e-mail to {recipient} is {delivery.mail.content_type}"
        assert ticket in delivery.mail.subject, f"subject of e-mail to {recipient}: {delivery.mail.subject!r}"
        assert ticket in delivery.mail.text, f"text of e-mail to {recipient} lacks the ticket"
        assert ticket in delivery.mail.html, f"HTML of e-mail to {recipient} lacks the ticket"
        assert "<html" in delivery.mail.html, f"HTML part of e-mail to {recipient} is no HTML document"
        assert "<p>" not in delivery.mail.text, f"text part of e-mail to {recipient} contains markup"


def assert_delivered_exactly_once(ledger: Ledger, expected: dict[str, set[Recipient]]) -> None:
    """Check the notifications, the SMS outbox and the mail store against one message per recipient and occasion."""
    ledger.refresh()
    expected_counts = Counter({(occasion, *recipient): 1 for occasion, recipients in expected.items() for recipient in recipients})

    created = Counter((n.occasion, n.channel, n.address) for n in ledger.notices.values())
    assert created == expected_counts, f"notifications created: {sorted(created.items())}"
    unsent = [n for n in ledger.notices.values() if n.status != "sent"]
    assert unsent == [], f"notifications not sent: {unsent}"

    sms, mail = ledger.messages()
    repeated_sms = [key for key, count in Counter(m.notification_id for m in sms).items() if count > 1]
    repeated_mail = [key for key, count in Counter(m.notification_id for m in mail).items() if count > 1]
    assert repeated_sms == [], f"SMS sent more than once for notifications {repeated_sms}"
    assert repeated_mail == [], f"e-mail sent more than once for notifications {repeated_mail}"

    stray_sms = [m for m in sms if m.notification_id not in ledger.notices]
    stray_mail = [m.file for m in mail if m.notification_id not in ledger.notices]
    assert stray_sms == [], f"SMS for no notification of the complaint: {stray_sms}"
    assert stray_mail == [], f"e-mail for no notification of the complaint: {stray_mail}"

    for delivery in ledger.deliveries():
        assert delivery.recipient == (delivery.notice.channel, delivery.notice.address), (
            f"notification {delivery.notice.id} for {delivery.notice.address} went to {delivery.recipient}"
        )
    assert ledger.counts() == expected_counts, f"messages delivered: {sorted(ledger.counts().items())}"


def read_complaint(client: GraphQLClient, complaint_id: str, token: str) -> dict[str, Any]:
    complaint: dict[str, Any] = client.execute(COMPLAINT, {"id": complaint_id}, token)["complaint"]
    return complaint


def move(client: GraphQLClient, complaint_id: str, status: str, token: str, note: str | None = None) -> dict[str, Any]:
    variables = {"input": {"complaintId": complaint_id, "toStatus": status, "note": note}}
    complaint: dict[str, Any] = client.mutate(TRANSITION, "transitionComplaint", variables, token)["complaint"]
    assert complaint["status"] == status
    return complaint


def test_complaint_story_end_to_end(dev_stack: DevStack) -> None:
    stack = dev_stack
    env = stack.env
    client = GraphQLClient(stack.gateway_url)
    try:
        run_story(stack, env, client)
    finally:
        client.close()


def run_story(stack: DevStack, env: dict[str, str], client: GraphQLClient) -> None:
    # given: the stack's servers and each service in its own process
    pids = stack.child_pids()
    assert sorted(pids) == sorted((*SERVERS, *SERVICE_COMMANDS)), stack.output
    for name, module in SERVICE_COMMANDS.items():
        assert module in command_line(pids[name]), f"the {name} runs {command_line(pids[name])!r}"
    assert len({pids[name] for name in SERVICE_COMMANDS}) == len(SERVICE_COMMANDS)

    # given: tokens made the way the README describes for users
    admin = issue_token(env, "--role", "admin")
    officer = issue_token(env, "--role", "officer", "--agency", AGENCY, "--subject", ACTING_OFFICER)
    citizen = issue_token(
        env, "--role", "citizen", "--subject", CITIZEN_SUBJECT, "--phone", CITIZEN_PHONE_AS_TYPED, "--email", CITIZEN_EMAIL
    )

    # given: the catalogue and the agency's officials from the demo data
    catalogue = client.execute(CATALOGUE)
    agency_id = only([a["id"] for a in catalogue["agencies"] if a["code"] == AGENCY], f"agency {AGENCY}")
    category = only([c for c in catalogue["serviceCategories"] if c["code"] == CATEGORY], f"category {CATEGORY}")
    assert category["agency"]["code"] == AGENCY
    calendar_id = only([c["id"] for c in catalogue["calendars"] if c["code"] == "24x7"], "24x7 calendar")

    officials = client.execute(OFFICIALS, {"agencyId": agency_id}, admin)["officials"]
    active = {o["subject"]: o for o in officials if o["active"]}
    assert {subject: o["role"].lower() for subject, o in active.items()} == SEEDED_OFFICIALS
    officers = reach(active["dlh-officer-1"]) | reach(active["dlh-officer-2"])
    supervisors = reach(active["dlh-supervisor-1"])
    heads = reach(active["dlh-head-1"])
    citizen_reach = {("email", CITIZEN_EMAIL), ("sms", CITIZEN_PHONE)}

    # given: a short 24x7 policy for the category, published by an administrator
    policy_input = {
        "agencyId": agency_id,
        "categoryId": category["id"],
        "responseTarget": {"amount": int(RESPONSE_TARGET.total_seconds() // 60), "unit": "MINUTES"},
        "resolutionTarget": {"amount": int(RESOLUTION_TARGET.total_seconds() // 60), "unit": "MINUTES"},
        "calendarId": calendar_id,
        "warnAt": [WARN_AT],
        "escalation": [{"delay": {"amount": int(ESCALATION_DELAY.total_seconds() // 60), "unit": "MINUTES"}, "role": "HEAD"}],
    }
    policy = client.mutate(PUBLISH_POLICY, "publishSlaPolicy", {"input": policy_input}, admin)["policy"]
    assert policy["calendar"]["code"] == "24x7"
    assert policy["warnAt"] == [WARN_AT]
    assert policy["escalation"] == [{"role": "HEAD", "delay": {"amount": 1, "unit": "MINUTES"}}]
    estimate = client.execute(SLA_ESTIMATE, {"categoryId": category["id"]})["slaEstimate"]
    assert estimate["policy"]["id"] == policy["id"]

    # when: the citizen submits a complaint
    submission = {
        "categoryId": category["id"],
        "title": "Sampah menumpuk di Jalan Somba Opu",
        "description": "Sampah rumah tangga tidak diangkut selama tiga hari dan mulai berbau.",
        "location": {"address": "Jalan Somba Opu No. 10", "district": "Ujung Pandang"},
        "channel": "WEB",
        "clientRequestId": str(uuid.uuid4()),
    }
    complaint = client.mutate(SUBMIT, "submitComplaint", {"input": submission}, citizen)["complaint"]

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
    ledger = Ledger(client, officer, complaint_id, stack.var_dir)
    received = ledger.wait_for("complaint_received", citizen_reach, DELIVERY_TIMEOUT)
    assert_mentions(received, ticket)
    assert_due_dates(received, response_due, resolution_due)
    assert_well_formed_mail(received, ticket)

    # then: the agency's officers learn of the new complaint
    announced = ledger.wait_for("new_complaint", officers, DELIVERY_TIMEOUT)
    assert_mentions(announced, ticket)
    assert_well_formed_mail(announced, ticket)

    # when: an officer verifies it and starts work
    verified = move(client, complaint_id, "VERIFIED", officer, "Laporan telah kami periksa dan akan segera ditindaklanjuti.")
    ledger.refresh(status_step="VERIFIED")
    started = move(client, complaint_id, "IN_PROGRESS", officer, "Petugas kebersihan sedang menuju lokasi.")
    ledger.refresh(status_step="IN_PROGRESS")

    # then: the response clock stopped in time and the citizen is notified of each move
    assert verified["sla"]["response"]["stoppedAt"] is not None
    assert verified["sla"]["response"]["met"] is True
    assert started["sla"]["resolution"]["stoppedAt"] is None
    verified_messages = ledger.wait_for("status_changed:VERIFIED", citizen_reach, DELIVERY_TIMEOUT)
    started_messages = ledger.wait_for("status_changed:IN_PROGRESS", citizen_reach, DELIVERY_TIMEOUT)
    assert_mentions(verified_messages, ticket, "Diverifikasi")
    assert_mentions(started_messages, ticket, "Diproses")
    assert_well_formed_mail(verified_messages, ticket)
    assert_well_formed_mail(started_messages, ticket)

    # when: half the resolution target passes
    warn_instant = submitted_at + RESOLUTION_TARGET * WARN_AT
    warnings = ledger.wait_for("sla_warning", officers, seconds_until(warn_instant) + DELIVERY_TIMEOUT)

    # then: the officers are warned, no earlier, with the due instant, and the complaint is at risk
    assert_sent_after(warnings, warn_instant, "sla_warning")
    assert_mentions(warnings, ticket)
    assert_due_dates(warnings, resolution_due)
    assert_well_formed_mail(warnings, ticket)
    read_at = utc_now()
    at_risk = read_complaint(client, complaint_id, officer)
    if utc_now() < resolution_due and read_at >= warn_instant:
        assert at_risk["sla"]["state"] == "AT_RISK", at_risk["sla"]

    # when: the resolution target passes
    breaches = ledger.wait_for("sla_breach", supervisors, seconds_until(resolution_due) + DELIVERY_TIMEOUT)

    # then: the supervisor learns of the breach, no earlier, and the complaint shows it
    assert_sent_after(breaches, resolution_due, "sla_breach")
    assert_mentions(breaches, ticket)
    assert_due_dates(breaches, resolution_due)
    assert_well_formed_mail(breaches, ticket)
    breached = read_complaint(client, complaint_id, officer)
    assert breached["sla"]["state"] == "BREACHED"
    assert breached["sla"]["elapsedRatio"] >= 1.0

    # when: the escalation delay passes after the breach
    escalate_instant = resolution_due + ESCALATION_DELAY
    escalations = ledger.wait_for("sla_escalation", heads, seconds_until(escalate_instant) + DELIVERY_TIMEOUT)

    # then: the head gets the escalation, no earlier
    assert_sent_after(escalations, escalate_instant, "sla_escalation")
    assert_mentions(escalations, ticket)
    assert_due_dates(escalations, resolution_due)
    assert_well_formed_mail(escalations, ticket)

    # when: the officer resolves the complaint
    resolved = move(client, complaint_id, "RESOLVED", officer, "Sampah sudah diangkut dan lokasi telah dibersihkan.")
    ledger.refresh()

    # then: the resolution clock stopped late, and the citizen learns until when they may reopen
    assert resolved["resolvedAt"] is not None
    assert resolved["sla"]["resolution"]["met"] is False
    assert resolved["sla"]["state"] == "BREACHED"
    auto_close_at = parse_instant(resolved["autoCloseAt"])
    resolved_messages = ledger.wait_for("complaint_resolved", citizen_reach, DELIVERY_TIMEOUT)
    assert_mentions(resolved_messages, ticket)
    assert_due_dates(resolved_messages, auto_close_at)
    assert_well_formed_mail(resolved_messages, ticket)

    # when: the citizen rates the result and closes the complaint
    rated = client.mutate(
        RATE, "rateComplaint", {"input": {"complaintId": complaint_id, "score": 5, "comment": "Terima kasih, sudah bersih."}}, citizen
    )["complaint"]
    closed = move(client, complaint_id, "CLOSED", citizen, "Masalah sudah selesai.")
    ledger.refresh()

    # then: the complaint is closed with the rating, and the citizen's own move sends them nothing
    assert rated["rating"]["score"] == 5
    assert closed["closedAt"] is not None
    assert closed["rating"] == rated["rating"]
    assert [n for n in ledger.notices.values() if n.occasion == "complaint_closed"] == []

    # then: every message went out exactly once, to exactly the expected recipients
    expected = {
        "complaint_received": citizen_reach,
        "new_complaint": officers,
        "status_changed:VERIFIED": citizen_reach,
        "status_changed:IN_PROGRESS": citizen_reach,
        "sla_warning": officers,
        "sla_breach": supervisors,
        "sla_escalation": heads,
        "complaint_resolved": citizen_reach,
    }
    ledger.wait_until_settled(DELIVERY_TIMEOUT)
    assert_delivered_exactly_once(ledger, expected)

    # when: Ctrl-C reaches `tanggap run`
    notifier_processes = live_group_members(pids["notifier"])
    code = stack.stop()

    # then: it stops every process it started, frees every port and sent nothing more
    assert code == 0, stack.output
    assert "Stopped." in stack.output
    assert len(notifier_processes) >= 2, "the notifier ran no worker process beside its main process"
    for name, pid in pids.items():
        assert live_group_members(pid) == [], f"the {name} (process group {pid}) was left running"
    for setting in PORT_SETTINGS:
        assert not is_listening(int(env[setting])), f"port {env[setting]} ({setting}) is still listening"
    assert ledger.counts() == Counter({(o, *r): 1 for o, rs in expected.items() for r in rs})
