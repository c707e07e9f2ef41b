"""Build the RFC 5322 message of an e-mail notification: plain text and HTML alternatives.

The Message-ID is derived from the notification id, so a message sent twice
(a crash between the SMTP reply and the record of it) carries the same id
both times and receiving systems can recognise the duplicate.
"""

from __future__ import annotations

from datetime import datetime
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from services.notifier.errors import PermanentDeliveryError
from services.notifier.rendering import RenderedEmail, one_line

FALLBACK_DOMAIN = "tanggap.localhost"


def message_id(notification_id: str, mail_from: str) -> str:
    """Return `<notification-id@sender-domain>`."""
    _, sender = parseaddr(mail_from)
    domain = sender.rpartition("@")[2] or FALLBACK_DOMAIN
    return f"<{notification_id}@{domain}>"


def recipient_address(address: str, name: str | None) -> Address:
    """Return the To address; an address that cannot be parsed fails permanently."""
    try:
        return Address(display_name=one_line(name or ""), addr_spec=address.strip())
    except (ValueError, IndexError, HeaderParseError) as exc:
        raise PermanentDeliveryError(
            f"e-mail address {address!r} is invalid: {exc}", code="invalid_address"
        ) from exc


def build_email(
    *,
    notification_id: str,
    address: str,
    name: str | None,
    locale: str,
    rendered: RenderedEmail,
    mail_from: str,
    now: datetime,
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = mail_from
    message["To"] = recipient_address(address, name)
    message["Subject"] = rendered.subject
    message["Date"] = format_datetime(now)
    message["Message-ID"] = message_id(notification_id, mail_from)
    message["Content-Language"] = locale
    # RFC 3834: auto-responders (out-of-office replies) must not reply to this message.
    message["Auto-Submitted"] = "auto-generated"

    message.set_content(rendered.text)
    message.add_alternative(rendered.html, subtype="html")
    return message
