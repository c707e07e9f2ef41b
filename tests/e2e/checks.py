"""Checks the stories share: message contents, exactly-once delivery, workflow moves and a clean stop."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from tanggap.servers import is_listening
from tests.e2e.api import GraphQLClient
from tests.e2e.documents import COMPLAINT, TRANSITION
from tests.e2e.ledger import Delivery, Ledger, Recipient
from tests.e2e.stack import DevStack, live_group_members
from tests.e2e.wita import long_wita, short_wita

# Seconds a message may take after its occasion: a watcher scan (1 s here),
# the broker and the notifier, with room for a slow CI machine.
DELIVERY_TIMEOUT = 30.0

# An e-mail's Date header has whole seconds, so it may read up to 1 s early.
DATE_HEADER_PRECISION = timedelta(seconds=1)

SERVERS = ("SecantusDB", "Redis", "SMTP sink")
# Each service runs in its own process, and its command line names its module.
SERVICE_COMMANDS = {"gateway": "services.gateway", "SLA watcher": "services.sla_watcher", "notifier": "dramatiq"}
PORT_SETTINGS = (
    "TANGGAP_EMBEDDED_MONGODB_PORT",
    "TANGGAP_EMBEDDED_REDIS_PORT",
    "TANGGAP_SMTP_PORT",
    "TANGGAP_GATEWAY_PORT",
    "TANGGAP_WATCHER_METRICS_PORT",
)


def command_line(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


def assert_services_apart(stack: DevStack) -> dict[str, int]:
    """Check that the stack runs its servers and each service in a process of its own, and return the pids by name."""
    pids = stack.child_pids()
    assert sorted(pids) == sorted((*SERVERS, *SERVICE_COMMANDS)), stack.output
    for name, module in SERVICE_COMMANDS.items():
        assert module in command_line(pids[name]), f"the {name} runs {command_line(pids[name])!r}"
    assert len({pids[name] for name in SERVICE_COMMANDS}) == len(SERVICE_COMMANDS)
    return pids


def assert_stops_cleanly(stack: DevStack, pids: dict[str, int]) -> None:
    """Send Ctrl-C's SIGINT and check that every process the stack started is gone and every port is free."""
    notifier_processes = live_group_members(pids["notifier"])
    code = stack.stop()

    assert code == 0, stack.output
    assert "Stopped." in stack.output
    assert len(notifier_processes) >= 2, "the notifier ran no worker process beside its main process"
    for name, pid in pids.items():
        assert live_group_members(pid) == [], f"the {name} (process group {pid}) was left running"
    for setting in PORT_SETTINGS:
        assert not is_listening(int(stack.env[setting])), f"port {stack.env[setting]} ({setting}) is still listening"


def read_complaint(client: GraphQLClient, complaint_id: str, token: str) -> dict[str, Any]:
    complaint: dict[str, Any] = client.execute(COMPLAINT, {"id": complaint_id}, token)["complaint"]
    return complaint


def move(client: GraphQLClient, complaint_id: str, status: str, token: str, note: str | None = None) -> dict[str, Any]:
    """Move the complaint to `status` and return it as saved."""
    variables = {"input": {"complaintId": complaint_id, "toStatus": status, "note": note}}
    complaint: dict[str, Any] = client.mutate(TRANSITION, "transitionComplaint", variables, token)["complaint"]
    assert complaint["status"] == status
    return complaint


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


def assert_dates_shown(deliveries: dict[Recipient, Delivery], *instants: datetime) -> None:
    """Check that each SMS shows the instants in short WITA form, and both parts of each e-mail in long form."""
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
    """Check that each e-mail has a text and an HTML alternative, both naming the ticket, and the ticket in its subject."""
    for recipient, delivery in deliveries.items():
        if delivery.mail is None:
            continue
        assert delivery.mail.content_type == "multipart/alternative", f"e-mail to {recipient} is {delivery.mail.content_type}"
        assert ticket in delivery.mail.subject, f"subject of e-mail to {recipient}: {delivery.mail.subject!r}"
        assert ticket in delivery.mail.text, f"text of e-mail to {recipient} lacks the ticket"
        assert ticket in delivery.mail.html, f"HTML of e-mail to {recipient} lacks the ticket"
        assert "<html" in delivery.mail.html, f"HTML part of e-mail to {recipient} is no HTML document"
        assert "<p>" not in delivery.mail.text, f"text part of e-mail to {recipient} contains markup"


def once_each(expected: dict[str, set[Recipient]]) -> Counter[tuple[str, str, str]]:
    """Return a count of one per (occasion, channel, address) that `expected` lists."""
    return Counter({(occasion, *recipient): 1 for occasion, recipients in expected.items() for recipient in recipients})


def assert_delivered_exactly_once(ledger: Ledger, expected: dict[str, set[Recipient]]) -> None:
    """Check the notifications, the SMS outbox and the mail store against one message per recipient and occasion."""
    ledger.refresh()
    expected_counts = once_each(expected)

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
