"""What the development stack delivered: the SMS outbox file and the SMTP sink's `.eml` files."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parseaddr, parsedate_to_datetime
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Sms:
    to: str
    text: str
    notification_id: str
    sent_at: datetime


@dataclass(frozen=True)
class Mail:
    """One stored e-mail, with its plain text and HTML alternatives decoded."""

    file: str
    to: str
    subject: str
    date: datetime
    notification_id: str
    content_type: str
    text: str
    html: str


def read_sms(var_dir: Path) -> list[Sms]:
    """Return every SMS in `var/outbox/sms.jsonl`. A line without the documented fields fails the test."""
    path = var_dir / "outbox" / "sms.jsonl"
    if not path.exists():
        return []
    messages = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        entry: dict[str, Any] = json.loads(line)
        missing = {"to", "text", "notification_id", "sent_at"} - entry.keys()
        assert not missing, f"sms.jsonl line {number} lacks {sorted(missing)}: {line}"
        sent_at = datetime.fromisoformat(entry["sent_at"])
        assert sent_at.tzinfo is not None, f"sms.jsonl line {number} has a sent_at without offset: {line}"
        messages.append(Sms(entry["to"], entry["text"], entry["notification_id"], sent_at))
    return messages


def notification_id_of(message_id: str) -> str:
    """Return the notification id in a Message-ID of the form `<notification-id@domain>`."""
    return message_id.strip().strip("<>").partition("@")[0]


def body_of(message: EmailMessage, subtype: str) -> str:
    part = message.get_body(preferencelist=(subtype,))
    if part is None or part.get_content_type() != f"text/{subtype}":
        return ""
    return str(part.get_content())


def read_mail(var_dir: Path) -> list[Mail]:
    """Return every message the SMTP sink stored under `var/outbox/mail/`, skipping files still being written."""
    folder = var_dir / "outbox" / "mail"
    mails = []
    for path in sorted(folder.glob("*.eml")):
        message = message_from_bytes(path.read_bytes(), policy=policy.default)
        assert isinstance(message, EmailMessage)
        mails.append(
            Mail(
                file=path.name,
                to=parseaddr(str(message["To"]))[1],
                subject=str(message["Subject"]),
                date=parsedate_to_datetime(str(message["Date"])),
                notification_id=notification_id_of(str(message["Message-ID"] or "")),
                content_type=message.get_content_type(),
                text=body_of(message, "plain"),
                html=body_of(message, "html"),
            )
        )
    return mails
