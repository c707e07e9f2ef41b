"""The SMTP provider against a real aiosmtpd server: STARTTLS, login, and how replies become errors."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session, SMTP

from services.notifier.errors import PermanentDeliveryError, TransientDeliveryError
from services.notifier.providers.smtp import SmtpProvider
from shared.settings import Settings
from tanggap.servers import free_port

from .tls_certs import write_test_certificates

USERNAME = "tanggap"
PASSWORD = "rahasia-uji"


@dataclass
class StrictMailServer:
    """Rejects some recipients by their local part and records how each message arrived."""

    received: list[dict[str, Any]] = field(default_factory=list)

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]) -> str:
        if address.startswith("ditolak"):
            return "550 5.1.1 Mailbox does not exist"
        if address.startswith("penuh"):
            return "452 4.2.2 Mailbox full, try later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.received.append({"tls": session.ssl is not None, "authenticated": session.authenticated, "to": envelope.rcpt_tos})
        return "250 2.0.0 Queued as TEST123"


def check_login(server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any) -> AuthResult:
    valid = isinstance(auth_data, LoginPassword) and auth_data.login == USERNAME.encode() and auth_data.password == PASSWORD.encode()
    # With handled=False aiosmtpd itself replies 535 to a refused login.
    return AuthResult(success=valid, handled=False)


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[tuple[StrictMailServer, int, Path]]:
    ca_path, cert_path, key_path = write_test_certificates(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_path, key_path)
    handler = StrictMailServer()
    port = free_port()
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=port,
        tls_context=context,
        require_starttls=True,
        authenticator=check_login,
        auth_required=True,
    )
    controller.start()
    yield handler, port, ca_path
    controller.stop()


def settings_for(port: int, ca_path: Path | None, **changes: Any) -> Settings:
    values: dict[str, Any] = {
        "environment": "test",
        "smtp_port": port,
        "smtp_starttls": True,
        "smtp_username": USERNAME,
        "smtp_password": PASSWORD,
        "smtp_ca_file": ca_path,
        "smtp_timeout": 5.0,
    }
    values.update(changes)
    return Settings(**values)


def message_to(address: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Tanggap <noreply@tanggap.example>"
    message["To"] = address
    message["Subject"] = "Uji"
    message["Message-ID"] = "<uji@tanggap.example>"
    message.set_content("Isi pesan uji.")
    return message


async def test_smtp_sends_over_starttls_after_login(tls_server: tuple[StrictMailServer, int, Path]) -> None:
    handler, port, ca_path = tls_server

    receipt = await SmtpProvider(settings_for(port, ca_path)).send(message_to("warga@example.org"))

    assert receipt.provider == "smtp"
    assert receipt.message_id == "<uji@tanggap.example>"
    assert handler.received == [{"tls": True, "authenticated": True, "to": ["warga@example.org"]}]


async def test_smtp_wrong_password_fails_permanently(tls_server: tuple[StrictMailServer, int, Path]) -> None:
    _, port, ca_path = tls_server

    with pytest.raises(PermanentDeliveryError) as caught:
        await SmtpProvider(settings_for(port, ca_path, smtp_password="salah")).send(message_to("warga@example.org"))

    assert caught.value.status == 535


async def test_smtp_untrusted_certificate_is_refused(tls_server: tuple[StrictMailServer, int, Path]) -> None:
    handler, port, _ = tls_server

    with pytest.raises(TransientDeliveryError):
        await SmtpProvider(settings_for(port, None)).send(message_to("warga@example.org"))

    assert handler.received == []


async def test_smtp_5xx_recipient_fails_permanently(tls_server: tuple[StrictMailServer, int, Path]) -> None:
    _, port, ca_path = tls_server

    with pytest.raises(PermanentDeliveryError) as caught:
        await SmtpProvider(settings_for(port, ca_path)).send(message_to("ditolak@example.org"))

    assert caught.value.code == "address_rejected"
    assert caught.value.status == 550


async def test_smtp_4xx_recipient_is_transient(tls_server: tuple[StrictMailServer, int, Path]) -> None:
    _, port, ca_path = tls_server

    with pytest.raises(TransientDeliveryError) as caught:
        await SmtpProvider(settings_for(port, ca_path)).send(message_to("penuh@example.org"))

    assert caught.value.code == "smtp_deferred"
    assert caught.value.status == 452


async def test_smtp_server_down_is_transient() -> None:
    port = free_port()  # nothing listens there

    with pytest.raises(TransientDeliveryError):
        await SmtpProvider(settings_for(port, None, smtp_starttls=False, smtp_username=None)).send(message_to("warga@example.org"))
