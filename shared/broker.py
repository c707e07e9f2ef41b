"""The Dramatiq broker and how notifications are enqueued by name.

The gateway and the watcher never import the notifier's actors: they send a
message to the queue and actor named here, carrying only a notification id.
`send` is synchronous, so async code enqueues through a worker thread.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable

import dramatiq
from dramatiq import Message
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.brokers.redis import RedisBroker
from dramatiq.middleware import AsyncIO

from shared.settings import Settings

log = logging.getLogger(__name__)

NOTIFICATION_QUEUE = "notifications"
DELIVER_ACTOR = "deliver_notification"

# With Redis' defaults a killed worker's messages waited over six minutes to
# be redelivered; a 10 s heartbeat timeout brought it down to about 13 s on
# the development machines. The messages come back only when a broker
# command happens to run maintenance, and an idle worker sends about one
# command a second. With a 1% chance (10,000 in 1,000,000) one run of the
# notifier's kill test waited over 120 s for them; with 10% its runs took
# 22 to 23 s in all. Maintenance is a few cheap Redis calls, and Redis is
# the development broker.
REDIS_HEARTBEAT_TIMEOUT_MS = 10_000
REDIS_MAINTENANCE_CHANCE = 100_000


def build_broker(settings: Settings) -> dramatiq.Broker:
    """Build the broker named by the settings and make it Dramatiq's global broker."""
    url = settings.effective_broker_url
    broker: dramatiq.Broker
    if url.startswith(("amqp://", "amqps://")):
        broker = RabbitmqBroker(url=url, confirm_delivery=True)
    elif url.startswith(("redis://", "rediss://", "unix://")):
        broker = RedisBroker(
            url=url,
            heartbeat_timeout=REDIS_HEARTBEAT_TIMEOUT_MS,
            maintenance_chance=REDIS_MAINTENANCE_CHANCE,
        )
    else:
        raise ValueError(f"broker URL {url!r} is invalid; use amqp://… for RabbitMQ or redis://… for Redis")
    broker.add_middleware(AsyncIO())
    broker.declare_queue(NOTIFICATION_QUEUE)
    dramatiq.set_broker(broker)
    log.info("Broker configured.", extra={"broker": type(broker).__name__})
    return broker


def notification_message(notification_id: str, delay_ms: int | None = None) -> Message[object]:
    """Return the message that asks the notifier to deliver one notification.

    Prefer `broker.enqueue(notification_message(id), delay=ms)` for a delayed
    send. With `delay_ms`, the message is built the way that call would build
    it: on the delay queue, with an `eta`, so that a plain `broker.enqueue`
    delays it too. A delayed message on the main queue would instead sit in
    a worker's small prefetch window and hold up the messages behind it.
    """
    if delay_ms:
        return Message(
            queue_name=dramatiq.common.dq_name(NOTIFICATION_QUEUE),
            actor_name=DELIVER_ACTOR,
            args=(notification_id,),
            kwargs={},
            options={"eta": dramatiq.common.current_millis() + delay_ms},
        )
    return Message(
        queue_name=NOTIFICATION_QUEUE,
        actor_name=DELIVER_ACTOR,
        args=(notification_id,),
        kwargs={},
        options={},
    )


def enqueue_notifications_sync(
    broker: dramatiq.Broker, notification_ids: Iterable[str], delay_ms: int | None = None
) -> int:
    """Send one message per id, delayed by `delay_ms` milliseconds when given; return how many were sent."""
    count = 0
    for notification_id in notification_ids:
        broker.enqueue(notification_message(notification_id), delay=delay_ms or None)
        count += 1
    return count


async def enqueue_notifications(
    broker: dramatiq.Broker, notification_ids: Iterable[str], delay_ms: int | None = None
) -> int:
    """Send from async code without blocking the event loop."""
    ids = [str(i) for i in notification_ids]
    if not ids:
        return 0
    return await asyncio.to_thread(enqueue_notifications_sync, broker, ids, delay_ms)
