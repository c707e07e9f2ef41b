"""Deliver one notification: claim it, build and send its message, record the outcome.

A message carries only the notification id. What happens depends on the
document, so a message that arrives twice, late or early is harmless:

- a final status (sent, failed, dead, superseded): nothing is done;
- a not-before instant still ahead: the message is sent again, delayed
  until that instant, and the document stays pending;
- another worker holds the claim's lease: the message comes back when the
  lease ends, in case that worker dies;
- otherwise the notification is claimed, sent and its outcome recorded. A
  transient failure puts it back to pending and raises `dramatiq.Retry`,
  so the Retries middleware sends the message again with backoff.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

import dramatiq
from bson import ObjectId
from bson.errors import InvalidId

from services.notifier import store
from services.notifier.compose import compose_email, compose_sms
from services.notifier.errors import DeliveryError, PermanentDeliveryError
from services.notifier.runtime import NotifierResources
from services.notifier.sending import SendOutcome, failed_before_sending, send_through
from shared.broker import enqueue_notifications
from shared.timeutil import clock

log = logging.getLogger(__name__)

# Dramatiq's brokers take delays under 7 days; a longer wait is re-deferred when it ends.
MAX_DEFER = timedelta(days=1)
# A message that comes back when another worker's lease ends waits this much longer,
# so that a worker finishing just in time has recorded its outcome.
LEASE_MARGIN = timedelta(seconds=1)
RACE_RETRY_DELAY = timedelta(seconds=1)


async def deliver(resources: NotifierResources, notification_id: str) -> None:
    identifier = _object_id(notification_id)
    if identifier is None:
        log.error("Message names an invalid notification id; dropping it.", extra={"notification_id": notification_id})
        return

    now = clock.now()
    lease = timedelta(seconds=resources.settings.notification_claim_lease)
    notification = await store.claim(resources.db, identifier, now, lease)
    if notification is None:
        await _handle_unclaimed(resources, identifier, now)
        return

    try:
        outcome = await _send(resources, notification)
    except BaseException:
        await _release_after_crash(resources, notification)
        raise
    await _record(resources, notification, outcome)


async def _send(resources: NotifierResources, notification: dict[str, Any]) -> SendOutcome:
    channel = notification["channel"]
    notification_id = str(notification["_id"])
    try:
        if channel == "email":
            email = compose_email(resources.environment, resources.settings, notification)
            return await send_through(resources.email_chain, email, resources.rate_limits, channel, notification_id)
        if channel == "sms":
            sms = compose_sms(resources.environment, resources.settings, notification)
            outcome = await send_through(resources.sms_chain, sms, resources.rate_limits, channel, notification_id)
            outcome.extra["sms"] = {"encoding": sms.sms.encoding, "segments": sms.sms.segments, "truncated": sms.sms.truncated}
            return outcome
    except DeliveryError as exc:
        return failed_before_sending(channel, exc)
    return failed_before_sending(
        channel, PermanentDeliveryError(f"channel {channel!r} is unknown; use email or sms", code="unknown_channel")
    )


async def _record(resources: NotifierResources, notification: dict[str, Any], outcome: SendOutcome) -> None:
    db = resources.db
    now = clock.now()
    details = _log_details(notification)

    if outcome.receipt is not None:
        await store.record_sent(
            db, notification, outcome.attempts, outcome.receipt.provider, outcome.receipt.message_id, now, outcome.extra
        )
        log.info(
            "Notification sent.",
            extra={**details, "provider": outcome.receipt.provider, "provider_message_id": outcome.receipt.message_id},
        )
        return

    error = outcome.error
    if error is None:
        raise RuntimeError(f"notification {notification['_id']} has neither a receipt nor an error")
    if error.transient:
        await store.release_for_retry(db, notification, outcome.attempts, error.to_doc(), now)
        log.info("Notification delivery failed; it will be retried.", extra={**details, "error": str(error)})
        raise dramatiq.Retry(f"notification {notification['_id']}: {error}") from error

    await store.record_failed(db, notification, outcome.attempts, error.to_doc(), now)
    log.warning("Notification failed permanently.", extra={**details, "code": error.code, "error": str(error)})


async def _handle_unclaimed(resources: NotifierResources, identifier: ObjectId, now: datetime) -> None:
    notification = await store.load(resources.db, identifier)
    if notification is None:
        log.warning("Notification not found; dropping its message.", extra={"notification_id": str(identifier)})
        return

    status = notification["status"]
    details = _log_details(notification)
    if status in store.FINAL_STATUSES:
        log.info("Notification already settled; nothing to send.", extra={**details, "status": status})
        return

    not_before = notification.get("notBefore")
    if status == store.PENDING and not_before is not None and not_before > now:
        until = min(not_before, now + MAX_DEFER)
        await _enqueue_at(resources, identifier, until, now)
        await store.record_deferral(resources.db, identifier, not_before, now)
        log.info("Notification not due yet; deferred.", extra={**details, "not_before": not_before.isoformat()})
        return

    lease_until = notification.get("leaseUntil")
    if status == store.SENDING and lease_until is not None and lease_until > now:
        await _enqueue_at(resources, identifier, min(lease_until + LEASE_MARGIN, now + MAX_DEFER), now)
        log.info(
            "Notification is being sent by another worker; checking again when its lease ends.",
            extra={**details, "lease_until": lease_until.isoformat()},
        )
        return

    # The document changed between the claim and the read; look again shortly.
    await _enqueue_at(resources, identifier, now + RACE_RETRY_DELAY, now)
    log.info("Notification changed while being claimed; checking again.", extra={**details, "status": status})


async def _enqueue_at(resources: NotifierResources, identifier: ObjectId, at: datetime, now: datetime) -> None:
    delay_ms = max(1, round((at - now).total_seconds() * 1000))
    await enqueue_notifications(resources.broker, [str(identifier)], delay_ms=delay_ms)


async def _release_after_crash(resources: NotifierResources, notification: dict[str, Any]) -> None:
    """Give the claim back after an unexpected error, so the retry need not wait for the lease to end."""
    try:
        await store.release_for_retry(
            resources.db,
            notification,
            [],
            {"code": "worker_error", "message": "the worker failed while sending; see its log", "status": None, "transient": True},
            clock.now(),
        )
    except Exception:
        log.exception("Could not release the claim on a notification.", extra=_log_details(notification))


def _object_id(value: str) -> ObjectId | None:
    try:
        return ObjectId(value)
    except (InvalidId, TypeError):
        return None


def _log_details(notification: dict[str, Any]) -> dict[str, Any]:
    return {
        "notification_id": str(notification["_id"]),
        "event": notification.get("event"),
        "channel": notification.get("channel"),
        "ticket_number": notification.get("ticketNumber"),
    }
