"""How an SMS provider's HTTP answer or transport failure becomes a delivery error.

Timeouts, dropped connections, 5xx responses, 408 and 429 are transient;
every other 4xx is permanent (an invalid number, a rejected sender, bad
credentials), because sending the same request again gets the same answer.
"""

from __future__ import annotations

import httpx

from services.notifier.errors import DeliveryError, PermanentDeliveryError, TransientDeliveryError

TRANSIENT_CLIENT_STATUSES = frozenset({408, 425, 429})
MAX_BODY_IN_MESSAGE = 300


def transport_error(provider: str, exc: httpx.TransportError) -> TransientDeliveryError:
    if isinstance(exc, httpx.TimeoutException):
        return TransientDeliveryError(f"{provider} timed out: {exc!r}", code="provider_timeout", provider=provider)
    return TransientDeliveryError(f"{provider} is unreachable: {exc!r}", code="provider_unreachable", provider=provider)


def status_error(provider: str, response: httpx.Response) -> DeliveryError:
    status = response.status_code
    body = response.text[:MAX_BODY_IN_MESSAGE]
    message = f"{provider} responded with HTTP {status}: {body}"
    if status >= 500 or status in TRANSIENT_CLIENT_STATUSES:
        return TransientDeliveryError(message, code="provider_unavailable", provider=provider, status=status)
    return PermanentDeliveryError(message, code="provider_rejected", provider=provider, status=status)
