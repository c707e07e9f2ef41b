"""Assemble the notifier's broker and its actor on top of the shared broker set-up.

The worker's broker module calls `build_notifier_broker` and the actors
package calls `declare_deliver_actor`; tests call both to run a real
worker in-process on a broker of their own.
"""

from __future__ import annotations

import dramatiq
from dramatiq.middleware import Retries

from services.notifier.dead_letters import DeadLetterRecorder
from services.notifier.delivery import deliver
from services.notifier.retry_policy import RetryPolicy
from services.notifier.runtime import NotifierRuntime
from shared.broker import DELIVER_ACTOR, NOTIFICATION_QUEUE, build_broker
from shared.settings import Settings


def build_notifier_broker(settings: Settings) -> dramatiq.Broker:
    """Build the broker named by the settings, with the notifier's middleware, and make it the global one."""
    broker = build_broker(settings)
    runtime = NotifierRuntime(settings)
    # After AsyncIO, so that the event loop runs before the resources open on it.
    broker.add_middleware(runtime)
    # Before Retries, so that its after-hook reads Retries' decision.
    broker.add_middleware(DeadLetterRecorder(runtime), before=Retries)
    return broker


def notifier_runtime(broker: dramatiq.Broker) -> NotifierRuntime:
    for middleware in broker.middleware:
        if isinstance(middleware, NotifierRuntime):
            return middleware
    raise RuntimeError(
        "the broker has no NotifierRuntime; build it with build_notifier_broker "
        "(the worker imports services.notifier.broker before services.notifier.actors)"
    )


def declare_deliver_actor(broker: dramatiq.Broker) -> dramatiq.Actor[[str], None]:
    """Declare `deliver_notification` on `broker`, with the retry policy and time limit from the settings."""
    runtime = notifier_runtime(broker)
    settings = runtime.settings

    async def deliver_notification(notification_id: str) -> None:
        await deliver(runtime.resources, notification_id)

    return dramatiq.actor(  # type: ignore[no-any-return]
        deliver_notification,
        broker=broker,
        actor_name=DELIVER_ACTOR,
        queue_name=NOTIFICATION_QUEUE,
        # A send still running when its lease ends may be taken over by
        # another worker, so it is stopped then and retried.
        time_limit=round(settings.notification_claim_lease * 1000),
        **RetryPolicy.from_settings(settings).actor_options(),
    )
