"""Which message belongs to which occasion of a complaint's story, read from the API and the delivery stores.

The gateway lists a complaint's notifications to officials
(`Complaint.notifications`) with their ids, and every delivered message
carries its notification id: the SMS outbox in `notification_id`, an
e-mail in its Message-ID. An occasion is the notification's event, and
for `status_changed`, which happens more than once, the status moved to.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.e2e.api import GraphQLClient
from tests.e2e.documents import NOTIFICATIONS
from tests.e2e.outbox import Mail, Sms, read_mail, read_sms

POLL_INTERVAL = 0.25

# A recipient on one channel: ("email", address) or ("sms", E.164 number).
Recipient = tuple[str, str]


@dataclass(frozen=True)
class Notice:
    """A notification document as the API shows it, with the occasion it was made for."""

    id: str
    occasion: str
    event: str
    audience: str
    channel: str
    address: str
    status: str
    last_error: str | None


@dataclass(frozen=True)
class Delivery:
    """A delivered message and the notification it was sent for."""

    notice: Notice
    sms: Sms | None = None
    mail: Mail | None = None

    @property
    def recipient(self) -> Recipient:
        if self.sms is not None:
            return ("sms", self.sms.to)
        assert self.mail is not None
        return ("email", self.mail.to)

    @property
    def text(self) -> str:
        """The SMS text, or the e-mail's subject, plain text and HTML together."""
        if self.sms is not None:
            return self.sms.text
        assert self.mail is not None
        return "\n".join((self.mail.subject, self.mail.text, self.mail.html))


class Ledger:
    def __init__(self, client: GraphQLClient, token: str, complaint_id: str, var_dir: Path) -> None:
        self.client = client
        self.token = token
        self.complaint_id = complaint_id
        self.var_dir = var_dir
        self.notices: dict[str, Notice] = {}

    def refresh(self, status_step: str | None = None) -> None:
        """Read the complaint's notifications and attribute new `status_changed` ones to `status_step`."""
        data = self.client.execute(NOTIFICATIONS, {"id": self.complaint_id}, self.token)
        rows: list[dict[str, Any]] = data["complaint"]["notifications"]
        for row in rows:
            known = self.notices.get(row["id"])
            occasion = known.occasion if known else self._occasion(row, status_step)
            self.notices[row["id"]] = Notice(
                id=row["id"],
                occasion=occasion,
                event=row["event"],
                audience=row["audience"],
                channel=row["channel"],
                address=row["address"],
                status=row["status"],
                last_error=row["lastError"],
            )

    @staticmethod
    def _occasion(row: dict[str, Any], status_step: str | None) -> str:
        if row["event"] != "status_changed":
            return str(row["event"])
        assert status_step is not None, f"notification {row['id']} about a status change came without a status move"
        return f"status_changed:{status_step}"

    def messages(self) -> tuple[list[Sms], list[Mail]]:
        return read_sms(self.var_dir), read_mail(self.var_dir)

    def deliveries(self) -> list[Delivery]:
        """Return every delivered message whose notification id the API listed for this complaint."""
        sms, mail = self.messages()
        found = [Delivery(self.notices[m.notification_id], sms=m) for m in sms if m.notification_id in self.notices]
        found += [Delivery(self.notices[m.notification_id], mail=m) for m in mail if m.notification_id in self.notices]
        return found

    def wait_for(self, occasion: str, recipients: set[Recipient], timeout: float) -> dict[Recipient, Delivery]:
        """Poll until every recipient has a message for `occasion`, and return those messages by recipient."""
        deadline = time.monotonic() + timeout
        while True:
            self.refresh()
            got = {d.recipient: d for d in self.deliveries() if d.notice.occasion == occasion}
            if recipients <= got.keys():
                return {recipient: got[recipient] for recipient in recipients}
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"{occasion} did not reach {sorted(recipients - got.keys())} within {timeout:.0f} s; "
                    f"delivered: {sorted(got)}; notifications: {self.describe(occasion)}"
                )
            time.sleep(POLL_INTERVAL)

    def wait_until_settled(self, timeout: float) -> None:
        """Poll until no notification of the complaint is pending."""
        deadline = time.monotonic() + timeout
        while True:
            self.refresh()
            pending = [n for n in self.notices.values() if n.status == "pending"]
            if not pending:
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"notifications still pending after {timeout:.0f} s: {pending}")
            time.sleep(POLL_INTERVAL)

    def describe(self, occasion: str | None = None) -> list[str]:
        return [
            f"{n.occasion} {n.channel} {n.address} {n.status} {n.last_error or ''}".strip()
            for n in self.notices.values()
            if occasion is None or n.occasion == occasion
        ]

    def counts(self) -> Counter[tuple[str, str, str]]:
        """Count delivered messages per (occasion, channel, address)."""
        return Counter((d.notice.occasion, *d.recipient) for d in self.deliveries())
