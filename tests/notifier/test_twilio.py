"""The Twilio-style adapter and its signed delivery-status callbacks."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from starlette.requests import Request

from services.notifier.errors import PermanentDeliveryError, TransientDeliveryError
from services.notifier.providers.base import SmsMessage
from services.notifier.providers.twilio import TwilioSms
from services.notifier.sms_text import fit_sms
from shared.delivery_status import twilio_signature, twilio_status_endpoint
from shared.mongo import NOTIFICATIONS, Database
from shared.notify import events
from shared.settings import Settings

from .samples import notification
from .sms_gateway import Behaviour, SmsGatewayDouble

ACCOUNT_SID = "AC0123456789abcdef"
AUTH_TOKEN = "token-uji-rahasia"
CALLBACK_URL = "https://tanggap.example/callbacks/sms/twilio"


@pytest.fixture
def twilio_settings(sms_gateway: SmsGatewayDouble) -> Settings:
    return Settings(
        environment="test",
        twilio_base_url=sms_gateway.base_url,
        twilio_account_sid=ACCOUNT_SID,
        twilio_auth_token=AUTH_TOKEN,
        twilio_from_number="+15005550006",
        twilio_status_callback_url=CALLBACK_URL,
        sms_http_timeout=2.0,
    )


@pytest.fixture
def sms_gateway() -> Iterator[SmsGatewayDouble]:
    gateway = SmsGatewayDouble().start()
    yield gateway
    gateway.stop()


def sms(text: str = "Yth. Bapak/Ibu, laporan Anda telah kami terima.") -> SmsMessage:
    return SmsMessage(notification_id="6790f0c0a1b2c3d4e5f60718", to="+6281234567890", sms=fit_sms(text, 3))


async def test_twilio_posts_a_form_with_basic_auth(twilio_settings: Settings, sms_gateway: SmsGatewayDouble) -> None:
    async with httpx.AsyncClient() as client:
        receipt = await TwilioSms(twilio_settings, client).send(sms())

    [request] = sms_gateway.requests
    assert request.path == f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert request.headers["Authorization"] == "Basic " + base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
    assert request.fields == {
        "To": "+6281234567890",
        "From": "+15005550006",
        "Body": "Yth. Bapak/Ibu, laporan Anda telah kami terima.",
        "StatusCallback": CALLBACK_URL,
    }
    assert receipt.provider == "twilio"
    assert receipt.message_id is not None and receipt.message_id.startswith("SM")


@pytest.mark.parametrize(("status", "error_type"), [(400, PermanentDeliveryError), (401, PermanentDeliveryError), (429, TransientDeliveryError), (503, TransientDeliveryError)])
async def test_twilio_answers_map_to_errors(
    twilio_settings: Settings, sms_gateway: SmsGatewayDouble, status: int, error_type: type[Exception]
) -> None:
    sms_gateway.default = Behaviour(status=status)

    async with httpx.AsyncClient() as client:
        with pytest.raises(error_type) as caught:
            await TwilioSms(twilio_settings, client).send(sms())

    assert getattr(caught.value, "status") == status


def test_twilio_signature_matches_the_published_example() -> None:
    # The SMS example of the twilio-ruby request validator's test suite.
    params = {
        "ToState": "CA", "FromState": "CA", "AccountSid": "ACba8bc05eacf94afdae398e642c9cc32d",
        "SmsMessageSid": "SM2003cbd5e6a3701999aa3e5f20ff2787", "Body": "Orly", "From": "+14159354345",
        "FromCity": "SAN FRANCISCO", "SmsStatus": "received", "FromZip": "94107", "FromCountry": "US",
        "To": "+14158141819", "ToCity": "SAN FRANCISCO", "ToZip": "94105", "ToCountry": "US",
        "ApiVersion": "2010-04-01", "SmsSid": "SM2003cbd5e6a3701999aa3e5f20ff2787",
    }

    signature = twilio_signature("2bd9e9638872de601313dc77410d3b23", "http://twiliotests.heroku.com/validate/sms", params)

    assert signature == "mxeiv65lEe0b8L6LdVw2jgJi8yw="


def callback_request(params: dict[str, str], signature: str | None) -> Request:
    body = urlencode(params).encode()
    headers = [(b"content-type", b"application/x-www-form-urlencoded"), (b"host", b"tanggap.example")]
    if signature is not None:
        headers.append((b"x-twilio-signature", signature.encode()))
    scope: dict[str, Any] = {
        "type": "http", "method": "POST", "scheme": "https", "server": ("tanggap.example", 443),
        "path": "/callbacks/sms/twilio", "raw_path": b"/callbacks/sms/twilio", "query_string": b"",
        "root_path": "", "headers": headers, "http_version": "1.1",
    }
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return Request(scope, receive)


async def post_status(db: Database, settings: Settings, sid: str, status: str, *, token: str = AUTH_TOKEN, **extra: str) -> int:
    params = {"MessageSid": sid, "MessageStatus": status, "AccountSid": ACCOUNT_SID, **extra}
    response = await twilio_status_endpoint(callback_request(params, twilio_signature(token, CALLBACK_URL, params)), db, settings)
    return response.status_code


async def sent_notification(db: Database, sid: str) -> Any:
    document = notification(events.STATUS_CHANGED, channel="sms")
    document.update(status="sent", provider="twilio", providerMessageId=sid)
    await db[NOTIFICATIONS].insert_one(document)
    return document["_id"]


async def test_status_callbacks_recorded_once(db: Database, twilio_settings: Settings) -> None:
    identifier = await sent_notification(db, "SM-uji-1")

    assert await post_status(db, twilio_settings, "SM-uji-1", "sent") == 204
    assert await post_status(db, twilio_settings, "SM-uji-1", "delivered") == 204
    assert await post_status(db, twilio_settings, "SM-uji-1", "delivered") == 204  # a duplicate
    assert await post_status(db, twilio_settings, "SM-uji-1", "sent") == 204  # a late, duplicate "sent"

    document = await db[NOTIFICATIONS].find_one({"_id": identifier})
    assert document is not None
    assert [event["status"] for event in document["deliveryEvents"]] == ["sent", "delivered"]
    assert document["deliveryStatus"] == "delivered"
    assert document["status"] == "sent"


async def test_undelivered_callback_marks_the_notification_failed(db: Database, twilio_settings: Settings) -> None:
    identifier = await sent_notification(db, "SM-uji-2")

    assert await post_status(db, twilio_settings, "SM-uji-2", "undelivered", ErrorCode="30003") == 204
    assert await post_status(db, twilio_settings, "SM-uji-2", "undelivered", ErrorCode="30003") == 204

    document = await db[NOTIFICATIONS].find_one({"_id": identifier})
    assert document is not None
    assert document["status"] == "failed"
    assert document["lastError"]["code"] == "carrier_undelivered"
    assert "30003" in document["lastError"]["message"]
    assert len(document["deliveryEvents"]) == 1


async def test_callback_with_bad_signature_is_rejected(db: Database, twilio_settings: Settings) -> None:
    identifier = await sent_notification(db, "SM-uji-3")
    params = {"MessageSid": "SM-uji-3", "MessageStatus": "delivered"}

    forged = await twilio_status_endpoint(callback_request(params, twilio_signature("token-lain", CALLBACK_URL, params)), db, twilio_settings)
    unsigned = await twilio_status_endpoint(callback_request(params, None), db, twilio_settings)
    tampered_params = {**params, "MessageStatus": "failed"}
    tampered = await twilio_status_endpoint(
        callback_request(tampered_params, twilio_signature(AUTH_TOKEN, CALLBACK_URL, params)), db, twilio_settings
    )

    assert (forged.status_code, unsigned.status_code, tampered.status_code) == (403, 403, 403)
    document = await db[NOTIFICATIONS].find_one({"_id": identifier})
    assert document is not None
    assert "deliveryEvents" not in document


async def test_callback_for_unknown_message_is_acknowledged(db: Database, twilio_settings: Settings) -> None:
    assert await post_status(db, twilio_settings, "SM-tidak-ada", "delivered") == 204
    assert await db[NOTIFICATIONS].count_documents({"deliveryEvents": {"$exists": True}}) == 0
