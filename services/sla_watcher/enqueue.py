"""Handing new notifications to the broker after their documents are committed.

Notifications due now go out through `shared.broker.enqueue_notifications`.
Held ones (office hours, quiet hours) are sent with a broker delay until
their not-before instant, so the notifier gets them when they may go out.
A hold longer than the broker accepts (Dramatiq's Redis broker rejects
delays of 7 days or more, e.g. over a long Lebaran holiday) is not sent
now: the resend sweep hands it over once its not-before instant has passed.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

import dramatiq

from shared.broker import enqueue_notifications

log = logging.getLogger(__name__)

MAX_BROKER_DELAY = timedelta(days=6)


async def enqueue_new_notifications(broker: dramatiq.Broker, notifications: Iterable[dict[str, Any]], now: datetime) -> int:
    """Enqueue committed notifications: due ones at once, held ones with a delay; return how many were sent."""
    due: list[str] = []
    held: dict[int, list[str]] = defaultdict(list)
    for doc in notifications:
        wait = doc["notBefore"] - now
        if wait <= timedelta(0):
            due.append(str(doc["_id"]))
        elif wait < MAX_BROKER_DELAY:
            held[int(wait.total_seconds() * 1000)].append(str(doc["_id"]))
        else:
            log.info(
                "Notification is held longer than the broker's delay limit; the resend sweep will send it.",
                extra={"notificationId": str(doc["_id"]), "notBefore": doc["notBefore"].isoformat()},
            )

    sent = await enqueue_notifications(broker, due)
    for delay_ms, ids in held.items():
        sent += await enqueue_notifications(broker, ids, delay_ms=delay_ms)
    return sent
