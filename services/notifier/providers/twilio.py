"""A Twilio-style SMS API: a form POST to `{base}/2010-04-01/Accounts/{sid}/Messages.json`.

The request authenticates with HTTP basic auth (account sid and auth
token) and names a StatusCallback URL, to which the provider later posts
delivery statuses signed with the same token (see
`shared.delivery_status`). Error responses are JSON with a numeric `code`;
the message id is `sid`.
"""

from __future__ import annotations

import httpx

from services.notifier.errors import PermanentDeliveryError
from services.notifier.providers.base import Provider, Receipt, SmsMessage
from services.notifier.providers.http_errors import status_error, transport_error
from shared.settings import Settings

API_VERSION = "2010-04-01"


class TwilioSms(Provider[SmsMessage]):
    name = "twilio"

    def __init__(self, settings: Settings, client: httpx.AsyncClient) -> None:
        missing = [
            name
            for name, value in (
                ("twilio_account_sid", settings.twilio_account_sid),
                ("twilio_auth_token", settings.twilio_auth_token),
                ("twilio_from_number", settings.twilio_from_number),
            )
            if not value
        ]
        if missing:
            raise ValueError(f"{', '.join(missing)} missing; set TANGGAP_{missing[0].upper()} to use the Twilio-style provider")
        self.client = client
        self.account_sid = settings.twilio_account_sid or ""
        self.auth = httpx.BasicAuth(self.account_sid, settings.twilio_auth_token.get_secret_value() if settings.twilio_auth_token else "")
        self.from_number = settings.twilio_from_number or ""
        self.status_callback = settings.twilio_status_callback_url
        self.url = f"{settings.twilio_base_url.rstrip('/')}/{API_VERSION}/Accounts/{self.account_sid}/Messages.json"
        self.timeout = settings.sms_http_timeout

    async def send(self, message: SmsMessage) -> Receipt:
        form = {"To": message.to, "From": self.from_number, "Body": message.text}
        if self.status_callback:
            form["StatusCallback"] = self.status_callback
        try:
            response = await self.client.post(self.url, data=form, auth=self.auth, timeout=self.timeout)
        except httpx.TransportError as exc:
            raise transport_error(self.name, exc) from exc

        if not response.is_success:
            raise status_error(self.name, response)
        try:
            sid = response.json()["sid"]
        except (ValueError, KeyError, TypeError) as exc:
            raise PermanentDeliveryError(
                f"{self.name} responded with HTTP {response.status_code} but no message sid: {response.text[:300]}",
                code="provider_bad_answer",
                provider=self.name,
                status=response.status_code,
            ) from exc
        return Receipt(provider=self.name, message_id=str(sid), detail=str(response.json().get("status", "")))
