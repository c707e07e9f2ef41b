"""Delivery-status callbacks of a Twilio-style SMS provider; the gateway mounts the endpoint.

The provider posts a form (MessageSid, MessageStatus, ErrorCode, …) to the
StatusCallback URL given with each message. It signs the form in the
`X-Twilio-Signature` header: base64 of an HMAC-SHA1, keyed with the auth
token, of the full callback URL followed by every POST parameter name and
value, sorted by name. A request with a missing or wrong signature is
rejected with 403.

Callbacks may arrive twice and out of order (`sent` after `delivered`).
Each status is recorded once on the notification (`deliveryEvents`), and
`deliveryStatus` only moves forward; an `undelivered` or `failed` report
turns a sent notification into a failed one, so officials see it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from shared.mongo import NOTIFICATIONS, Database
from shared.settings import Settings
from shared.timeutil import clock

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Twilio-Signature"

# How far along each status is; a report never moves `deliveryStatus` back.
STATUS_RANK = {
    "accepted": 1,
    "scheduled": 1,
    "queued": 2,
    "sending": 3,
    "sent": 4,
    "delivered": 5,
    "read": 6,
    "undelivered": 5,
    "failed": 5,
    "canceled": 5,
}
FAILURE_STATUSES = frozenset({"undelivered", "failed"})


def twilio_signature(auth_token: str, url: str, params: Mapping[str, str] | Iterable[tuple[str, str]]) -> str:
    """Return the signature a Twilio-style provider sends for a POST of `params` to `url`.

    A name that occurs more than once contributes each of its values, in order.
    """
    pairs = list(params.items()) if isinstance(params, Mapping) else list(params)
    payload = url + "".join(f"{name}{value}" for name, value in sorted(pairs))
    digest = hmac.new(auth_token.encode("utf-8"), payload.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def signature_is_valid(
    auth_token: str, url: str, params: Mapping[str, str] | Iterable[tuple[str, str]], signature: str | None
) -> bool:
    if not signature:
        return False
    return hmac.compare_digest(twilio_signature(auth_token, url, params), signature)


async def twilio_status_endpoint(request: Request, db: Database, settings: Settings) -> Response:
    """Verify and record one delivery-status callback; return 204 when it is recorded or already known."""
    if settings.twilio_auth_token is None:
        log.error("Delivery-status callback received but no Twilio auth token is set; rejecting it.")
        return PlainTextResponse("status callbacks are not configured", status_code=403)

    # The provider always posts a urlencoded form; reading it here needs no multipart parser.
    try:
        form = (await request.body()).decode("utf-8")
    except UnicodeDecodeError as exc:
        log.warning("Delivery-status callback with a body that is not UTF-8 rejected: %s", exc)
        return PlainTextResponse("the body must be a UTF-8 urlencoded form", status_code=400)
    pairs = parse_qsl(form, keep_blank_values=True)
    params = dict(pairs)
    # Behind a proxy the URL the provider signed is the public one, not the one this process receives.
    url = settings.twilio_status_callback_url or str(request.url)
    if not signature_is_valid(settings.twilio_auth_token.get_secret_value(), url, pairs, request.headers.get(SIGNATURE_HEADER)):
        log.warning("Delivery-status callback with an invalid signature rejected.", extra={"message_sid": params.get("MessageSid")})
        return PlainTextResponse("invalid signature", status_code=403)

    sid = params.get("MessageSid") or params.get("SmsSid")
    status = (params.get("MessageStatus") or params.get("SmsStatus") or "").lower()
    if not sid or not status:
        return PlainTextResponse("MessageSid and MessageStatus are required", status_code=400)

    found = await record_delivery_status(db, sid, status, params.get("ErrorCode") or None)
    if not found:
        # A 2xx stops the provider from retrying a callback we can never match.
        log.warning("Delivery status for an unknown message id ignored.", extra={"message_sid": sid, "status": status})
    return Response(status_code=204)


async def record_delivery_status(db: Database, provider_message_id: str, status: str, error_code: str | None) -> bool:
    """Record `status` once on the notification sent as `provider_message_id`; False when there is none."""
    notifications = db[NOTIFICATIONS]
    now = clock.now()
    event: dict[str, Any] = {"status": status, "errorCode": error_code, "at": now}

    added = await notifications.update_one(
        {"providerMessageId": provider_message_id, "deliveryEvents.status": {"$ne": status}},
        {"$push": {"deliveryEvents": event}, "$set": {"updatedAt": now}},
    )
    if added.matched_count == 0:
        exists = await notifications.count_documents({"providerMessageId": provider_message_id}, limit=1)
        if exists:
            log.info("Duplicate delivery-status callback ignored.", extra={"message_sid": provider_message_id, "status": status})
        return bool(exists)

    rank = STATUS_RANK.get(status, 0)
    await notifications.update_one(
        {
            "providerMessageId": provider_message_id,
            "$or": [{"deliveryRank": {"$exists": False}}, {"deliveryRank": {"$lt": rank}}],
        },
        {"$set": {"deliveryStatus": status, "deliveryRank": rank}},
    )
    if status in FAILURE_STATUSES:
        await notifications.update_one(
            {"providerMessageId": provider_message_id, "status": "sent"},
            {
                "$set": {
                    "status": "failed",
                    "failedAt": now,
                    "lastError": {
                        "code": "carrier_undelivered",
                        "message": f"the carrier reported the SMS {status} (error code {error_code or 'none'})",
                        "status": None,
                        "transient": False,
                    },
                }
            },
        )
    log.info("Delivery status recorded.", extra={"message_sid": provider_message_id, "status": status})
    return True
