"""A generic HTTP SMS gateway, configured by URL, auth header and field names.

Most Indonesian SMS gateways take the number, the text and a sender id as
fields of a POST (JSON or form) or a GET query, with a credential in a
header, and answer with JSON that contains a message id. The settings
`sms_http_*` name each of those pieces.
"""

from __future__ import annotations

from typing import Any

import httpx

from services.notifier.errors import PermanentDeliveryError
from services.notifier.providers.base import Provider, Receipt, SmsMessage
from services.notifier.providers.http_errors import status_error, transport_error
from shared.settings import Settings


class HttpSmsGateway(Provider[SmsMessage]):
    name = "http"

    def __init__(self, settings: Settings, client: httpx.AsyncClient) -> None:
        if not settings.sms_http_url:
            raise ValueError("sms_http_url is missing; set TANGGAP_SMS_HTTP_URL to use the HTTP SMS gateway")
        self.settings = settings
        self.client = client
        self.url = settings.sms_http_url
        self.headers: dict[str, str] = {}
        if settings.sms_http_auth_value is not None:
            self.headers[settings.sms_http_auth_header] = settings.sms_http_auth_value.get_secret_value()

    def fields(self, message: SmsMessage) -> dict[str, str]:
        settings = self.settings
        fields = {
            settings.sms_http_to_field: message.to,
            settings.sms_http_text_field: message.text,
            settings.sms_http_sender_field: settings.sms_http_sender,
        }
        if settings.sms_http_reference_field:
            fields[settings.sms_http_reference_field] = message.notification_id
        return fields

    async def send(self, message: SmsMessage) -> Receipt:
        fields = self.fields(message)
        try:
            if self.settings.sms_http_method == "GET":
                response = await self.client.get(self.url, params=fields, headers=self.headers, timeout=self.settings.sms_http_timeout)
            elif self.settings.sms_http_body_format == "form":
                response = await self.client.post(self.url, data=fields, headers=self.headers, timeout=self.settings.sms_http_timeout)
            else:
                response = await self.client.post(self.url, json=fields, headers=self.headers, timeout=self.settings.sms_http_timeout)
        except httpx.TransportError as exc:
            raise transport_error(self.name, exc) from exc

        if not response.is_success:
            raise status_error(self.name, response)
        require_success_flag(response)
        return Receipt(provider=self.name, message_id=self.message_id(response), detail=f"HTTP {response.status_code}")

    def message_id(self, response: httpx.Response) -> str | None:
        """Return the id at `sms_http_id_field` (dots for nested fields), or None when the answer has none."""
        try:
            value: Any = response.json()
        except ValueError:
            return None
        for part in self.settings.sms_http_id_field.split("."):
            if not isinstance(value, dict) or part not in value:
                return None
            value = value[part]
        return None if value is None else str(value)


def require_success_flag(response: httpx.Response) -> None:
    """Raise when a gateway reports a failure inside a 200 answer, as some do with {"status": "error"}."""
    try:
        body = response.json()
    except ValueError:
        return
    if isinstance(body, dict) and str(body.get("status", "")).lower() in {"error", "failed", "rejected"}:
        raise PermanentDeliveryError(
            f"gateway reported a failure in an HTTP {response.status_code} answer: {response.text[:300]}",
            code="provider_rejected",
            provider="http",
            status=response.status_code,
        )
