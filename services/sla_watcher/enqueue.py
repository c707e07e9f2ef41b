"""Handing new notifications to the broker after their documents are committed.

Notifications due now go out through `shared.broker.enqueue_notifications`.
Held ones (office hours, quiet hours) are sent with a broker delay until
their not-before instant, so the notifier gets them when they may go out.
A hold longer than the broker accepts (Dramatiq's Redis broker rejects
delays of 7 days or more, e.g. over a long Lebaran holiday) is not sent
now: the resend sweep hands it over once its not-before instant has passed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

import dramatiq

from shared.broker import enqueue_notifications, notification_message

log = logging.getLogger(__name__)

MAX_BROKER_DELAY = timedelta(days=6)


def _enqueue_delayed_sync(broker: dramatiq.Broker, items: list[tuple[str, int]]) -> int:
    for notification_id, delay_ms in items:
        broker.enqueue(notification_message(notification_id), delay=delay_ms)
    return len(items)


async def enqueue_new_notifications(broker: dramatiq.Broker, notifications: Iterable[dict[str, Any]], now: datetime) -> int:
    """Enqueue committed notifications: due ones at once, held ones with a delay; return how many were sent."""
    due: list[str] = []
    held: list[tuple[str, int]] = []
    for doc in notifications:
        wait = doc["notBefore"] - now
        if wait <= timedelta(0):
            due.append(str(doc["_id"]))
        elif wait < MAX_BROKER_DELAY:
            held.append((str(doc["_id"]), int(wait.total_seconds() * 1000)))
        else:
            log.info(
                "Notification is held longer than the broker's delay limit; the resend sweep will send it.",
                extra={"notificationId": str(doc["_id"]), "notBefore": doc["notBefore"].isoformat()},
            )

    sent = await enqueue_notifications(broker, due)
    if held:
        sent += await asyncio.to_thread(_enqueue_delayed_sync, broker, held)
    return sent
