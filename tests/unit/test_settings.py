"""Settings: read from TANGGAP_* variables, secrets masked, bad values rejected."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import time
from pathlib import Path

import pytest
from pydantic import ValidationError

from shared.settings import Settings, get_settings


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run each test without TANGGAP_* variables from the shell, and forget cached settings."""
    for name in list(os.environ):
        if name.startswith("TANGGAP_"):
            monkeypatch.delenv(name)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_defaults() -> None:
    settings = Settings()

    assert settings.gateway_host == "127.0.0.1"
    assert settings.gateway_port == 8000
    assert settings.timezone == "Asia/Makassar"
    assert settings.ticket_prefix == "MKS"
    assert settings.auto_close_working_days == 5
    assert settings.quiet_hours_start == time(21, 0)
    assert settings.quiet_hours_end == time(6, 0)
    assert settings.mongodb_uri is None
    assert "retryWrites=false" in settings.effective_mongodb_uri


def test_prefixed_variables_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TANGGAP_GATEWAY_PORT", "9000")
    monkeypatch.setenv("TANGGAP_TIMEZONE", "Asia/Jakarta")
    monkeypatch.setenv("TANGGAP_VAR_DIR", "/srv/tanggap")
    monkeypatch.setenv("TANGGAP_QUIET_HOURS_START", "22:00")
    monkeypatch.setenv("TANGGAP_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672/")

    settings = Settings()

    assert settings.gateway_port == 9000
    assert settings.timezone == "Asia/Jakarta"
    assert settings.var_dir == Path("/srv/tanggap")
    assert settings.outbox_dir == Path("/srv/tanggap/outbox")
    assert settings.quiet_hours_start == time(22, 0)
    assert settings.effective_broker_url == "amqp://guest:guest@127.0.0.1:5672/"


def test_unprefixed_variables_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GATEWAY_PORT", "9001")
    monkeypatch.setenv("TIMEZONE", "Europe/Berlin")

    settings = Settings()

    assert settings.gateway_port == 8000
    assert settings.timezone == "Asia/Makassar"


def test_get_settings_reads_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TANGGAP_GATEWAY_PORT", "9002")
    first = get_settings()
    monkeypatch.setenv("TANGGAP_GATEWAY_PORT", "9003")

    assert get_settings() is first
    assert get_settings().gateway_port == 9002


SECRETS = {
    "TANGGAP_JWT_SECRET": "jwt-secret-value-4f1c",
    "TANGGAP_SMTP_PASSWORD": "smtp-password-value-9a2e",
    "TANGGAP_SMS_HTTP_AUTH_VALUE": "Bearer sms-token-value-77d0",
    "TANGGAP_TWILIO_AUTH_TOKEN": "twilio-token-value-5b3a",
}


def test_secrets_masked(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)

    settings = Settings()
    shown = [repr(settings), str(settings), settings.model_dump_json()]

    for value in SECRETS.values():
        for text in shown:
            assert value not in text
    assert settings.jwt_secret.get_secret_value() == SECRETS["TANGGAP_JWT_SECRET"]
    assert settings.smtp_password is not None
    assert settings.smtp_password.get_secret_value() == SECRETS["TANGGAP_SMTP_PASSWORD"]
    assert settings.twilio_auth_token is not None
    assert settings.twilio_auth_token.get_secret_value() == SECRETS["TANGGAP_TWILIO_AUTH_TOKEN"]


def test_bad_timezone_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TANGGAP_TIMEZONE", "Mars/Olympus")

    with pytest.raises(ValidationError) as caught:
        Settings()

    message = str(caught.value)
    assert "timezone" in message
    assert "unknown timezone 'Mars/Olympus'" in message
    assert "Asia/Makassar" in message


def test_bad_timezone_argument_rejected() -> None:
    with pytest.raises(ValidationError, match="unknown timezone 'WITA'"):
        Settings(timezone="WITA")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("TANGGAP_GATEWAY_PORT", "eighty"),
        ("TANGGAP_ENVIRONMENT", "staging"),
        ("TANGGAP_SMS_PROVIDER", "pigeon"),
        ("TANGGAP_LOG_FORMAT", "xml"),
    ],
)
def test_bad_values_rejected(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)

    with pytest.raises(ValidationError) as caught:
        Settings()

    field = name.removeprefix("TANGGAP_").lower()
    assert field in str(caught.value)
