"""The generic HTTP SMS gateway: field names, auth header, body format and message id from the settings."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from services.notifier.errors import PermanentDeliveryError, TransientDeliveryError
from services.notifier.providers.base import SmsMessage
from services.notifier.providers.http_gateway import HttpSmsGateway
from services.notifier.sms_text import fit_sms
from shared.settings import Settings

from .sms_gateway import Behaviour, SmsGatewayDouble

TEXT = "Yth. Bapak/Ibu, status laporan MKS-2026-000123 kini Diproses."


@pytest.fixture
def sms_gateway() -> Iterator[SmsGatewayDouble]:
    gateway = SmsGatewayDouble().start()
    yield gateway
    gateway.stop()


def gateway_settings(url: str, **changes: object) -> Settings:
    values: dict[str, object] = {
        "environment": "test",
        "sms_http_url": url,
        "sms_http_auth_header": "X-Api-Key",
        "sms_http_auth_value": "kunci-rahasia",
        "sms_http_to_field": "msisdn",
        "sms_http_text_field": "message",
        "sms_http_sender_field": "from",
        "sms_http_sender": "PEMKOT-MKS",
        "sms_http_timeout": 1.0,
    }
    values.update(changes)
    return Settings(**values)  # type: ignore[arg-type]


def message() -> SmsMessage:
    return SmsMessage(notification_id="6790f0c0a1b2c3d4e5f60718", to="+6281234567890", sms=fit_sms(TEXT, 3))


async def send(settings: Settings) -> str | None:
    async with httpx.AsyncClient() as client:
        receipt = await HttpSmsGateway(settings, client).send(message())
    return receipt.message_id


@pytest.mark.parametrize("body_format", ["json", "form"])
async def test_gateway_posts_named_fields_with_auth_header(sms_gateway: SmsGatewayDouble, body_format: str) -> None:
    settings = gateway_settings(sms_gateway.url, sms_http_body_format=body_format, sms_http_reference_field="client_ref")

    message_id = await send(settings)

    [request] = sms_gateway.requests
    assert request.method == "POST"
    assert request.headers["X-Api-Key"] == "kunci-rahasia"
    expected_type = "application/json" if body_format == "json" else "application/x-www-form-urlencoded"
    assert request.headers["Content-Type"] == expected_type
    assert request.fields == {"msisdn": "+6281234567890", "message": TEXT, "from": "PEMKOT-MKS", "client_ref": "6790f0c0a1b2c3d4e5f60718"}
    assert message_id is not None and message_id.startswith("SM")


async def test_gateway_get_sends_fields_as_query(sms_gateway: SmsGatewayDouble) -> None:
    await send(gateway_settings(sms_gateway.url, sms_http_method="GET"))

    [request] = sms_gateway.requests
    assert request.method == "GET"
    assert request.fields["msisdn"] == "+6281234567890"
    assert request.fields["message"] == TEXT


async def test_gateway_reads_nested_message_id(sms_gateway: SmsGatewayDouble) -> None:
    sms_gateway.default = Behaviour(body={"status": "ok", "data": {"id": 98765}})

    assert await send(gateway_settings(sms_gateway.url, sms_http_id_field="data.id")) == "98765"
    assert await send(gateway_settings(sms_gateway.url, sms_http_id_field="data.missing")) is None


async def test_gateway_failure_inside_200_is_permanent(sms_gateway: SmsGatewayDouble) -> None:
    sms_gateway.default = Behaviour(body={"status": "error", "reason": "invalid msisdn"})

    with pytest.raises(PermanentDeliveryError, match="invalid msisdn"):
        await send(gateway_settings(sms_gateway.url))


@pytest.mark.parametrize(
    ("behaviour", "error_type", "code"),
    [
        (Behaviour(status=500), TransientDeliveryError, "provider_unavailable"),
        (Behaviour(status=429), TransientDeliveryError, "provider_unavailable"),
        (Behaviour(delay=1.5), TransientDeliveryError, "provider_timeout"),
        (Behaviour(drop=True), TransientDeliveryError, "provider_unreachable"),
        (Behaviour(status=400), PermanentDeliveryError, "provider_rejected"),
        (Behaviour(status=403), PermanentDeliveryError, "provider_rejected"),
    ],
)
async def test_gateway_failures_are_classified(
    sms_gateway: SmsGatewayDouble, behaviour: Behaviour, error_type: type[Exception], code: str
) -> None:
    sms_gateway.default = behaviour

    with pytest.raises(error_type) as caught:
        await send(gateway_settings(sms_gateway.url))

    assert getattr(caught.value, "code") == code


def test_gateway_without_url_is_a_settings_error() -> None:
    with pytest.raises(ValueError, match="TANGGAP_SMS_HTTP_URL"):
        HttpSmsGateway(Settings(environment="test"), httpx.AsyncClient())
