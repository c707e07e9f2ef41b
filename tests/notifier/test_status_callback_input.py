"""Delivery-status callbacks whose body is not the form a Twilio-style provider sends."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from shared.delivery_status import twilio_status_endpoint
from shared.mongo import Database
from shared.settings import Settings

AUTH_TOKEN = "token-uji-rahasia"
CALLBACK_URL = "https://tanggap.example/callbacks/sms/twilio"


def raw_callback(body: bytes) -> Request:
    headers = [(b"content-type", b"application/x-www-form-urlencoded"), (b"host", b"tanggap.example"), (b"x-twilio-signature", b"c2lnbg==")]
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


async def test_callback_body_not_utf8_is_400(db: Database) -> None:
    settings = Settings(environment="test", twilio_auth_token=AUTH_TOKEN, twilio_status_callback_url=CALLBACK_URL)

    response = await twilio_status_endpoint(raw_callback(b"MessageSid=SM1&MessageStatus=\xff\xfe"), db, settings)

    assert response.status_code == 400
    assert b"UTF-8" in bytes(response.body)
