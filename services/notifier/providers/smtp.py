"""E-mail through an SMTP server with aiosmtplib: STARTTLS and login come from the settings.

Each message opens its own connection. That costs a handshake per message
but never reuses a connection the server has silently closed, and a
dropped connection only ever affects one notification.
"""

from __future__ import annotations

import logging
from email.message import EmailMessage

import aiosmtplib

from services.notifier.errors import DeliveryError, PermanentDeliveryError, TransientDeliveryError
from services.notifier.providers.base import Provider, Receipt
from shared.settings import Settings

log = logging.getLogger(__name__)


class SmtpProvider(Provider[EmailMessage]):
    name = "smtp"

    def __init__(self, settings: Settings) -> None:
        self.host = settings.smtp_host
        self.port = settings.smtp_port
        self.username = settings.smtp_username
        self.password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
        self.starttls = settings.smtp_starttls
        self.timeout = settings.smtp_timeout
        self.ca_file = str(settings.smtp_ca_file) if settings.smtp_ca_file else None

    async def send(self, message: EmailMessage) -> Receipt:
        client = aiosmtplib.SMTP(
            hostname=self.host,
            port=self.port,
            timeout=self.timeout,
            use_tls=False,
            start_tls=self.starttls,
            cert_bundle=self.ca_file,
        )
        try:
            await client.connect()
            if self.username:
                await client.login(self.username, self.password or "")
            _, response = await client.send_message(message)
        except aiosmtplib.SMTPException as exc:
            raise smtp_error(exc) from exc
        except OSError as exc:
            raise TransientDeliveryError(
                f"SMTP server {self.host}:{self.port} is unreachable: {exc}", code="smtp_unreachable", provider=self.name
            ) from exc
        finally:
            await _close_quietly(client)
        return Receipt(provider=self.name, message_id=message["Message-ID"], detail=response)


def smtp_error(exc: aiosmtplib.SMTPException) -> DeliveryError:
    """Translate an aiosmtplib error: 4xx replies and lost connections are transient, 5xx replies permanent."""
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        codes = [refused.code for refused in exc.recipients]
        if codes and all(code >= 500 for code in codes):
            return PermanentDeliveryError(
                f"SMTP server rejected the recipient address: {exc}", code="address_rejected", provider="smtp", status=codes[0]
            )
        return TransientDeliveryError(
            f"SMTP server deferred the recipient address: {exc}", code="smtp_deferred", provider="smtp", status=codes[0] if codes else None
        )
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        if 400 <= exc.code < 500:
            return TransientDeliveryError(
                f"SMTP server replied {exc.code} {exc.message}", code="smtp_deferred", provider="smtp", status=exc.code
            )
        return PermanentDeliveryError(
            f"SMTP server replied {exc.code} {exc.message}", code="smtp_rejected", provider="smtp", status=exc.code
        )
    if isinstance(exc, (aiosmtplib.SMTPServerDisconnected, aiosmtplib.SMTPConnectError, aiosmtplib.SMTPTimeoutError)):
        return TransientDeliveryError(f"SMTP connection failed: {exc}", code="smtp_connection", provider="smtp")
    if isinstance(exc, aiosmtplib.SMTPNotSupported):
        return PermanentDeliveryError(
            f"SMTP server does not support what the settings ask for: {exc}", code="smtp_not_supported", provider="smtp"
        )
    return TransientDeliveryError(f"SMTP error: {exc}", code="smtp_error", provider="smtp")


async def _close_quietly(client: aiosmtplib.SMTP) -> None:
    if not client.is_connected:
        return
    try:
        await client.quit()
    except (aiosmtplib.SMTPException, OSError) as exc:
        # The message is already accepted or already failed; a failing QUIT changes neither.
        log.debug("SMTP QUIT failed; closing the connection.", extra={"error": str(exc)})
        client.close()
