"""Record on the notification that Dramatiq gave up on its message.

When a message runs out of retries, the Retries middleware fails it and
the broker moves it to the dead-letter queue. This middleware comes right
before Retries in the broker's list, so its after-hook runs right after
Retries has decided (after-hooks run in reverse order), and it marks the
notification `dead` with the last error, where officials can see it.
"""

from __future__ import annotations

import logging

import dramatiq
from bson import ObjectId
from bson.errors import InvalidId
from dramatiq.asyncio import get_event_loop_thread
from dramatiq.middleware import Middleware

from services.notifier import store
from services.notifier.runtime import NotifierRuntime
from shared.broker import DELIVER_ACTOR
from shared.timeutil import clock

log = logging.getLogger(__name__)


class DeadLetterRecorder(Middleware):
    def __init__(self, runtime: NotifierRuntime) -> None:
        self.runtime = runtime

    def after_process_message(
        self,
        broker: dramatiq.Broker,
        message: dramatiq.broker.MessageProxy,
        *,
        result: object = None,
        exception: BaseException | None = None,
    ) -> None:
        if exception is None or not message.failed or message.actor_name != DELIVER_ACTOR:
            return
        notification_id = str(message.args[0]) if message.args else ""
        try:
            identifier = ObjectId(notification_id)
        except (InvalidId, TypeError):
            return

        retries = message.options.get("retries", 0)
        error = {
            "code": "retries_exhausted",
            "message": f"gave up after {retries} retries; last error: {exception}",
            "status": None,
            "transient": True,
        }
        loop_thread = get_event_loop_thread()
        if loop_thread is None:
            log.error("No event loop to record a dead notification on.", extra={"notification_id": notification_id})
            return
        marked = loop_thread.run_coroutine(store.mark_dead(self.runtime.resources.db, identifier, error, clock.now()))
        if marked:
            log.error(
                "Notification dead-lettered after its retries ran out.",
                extra={"notification_id": notification_id, "message_id": message.message_id, "retries": retries},
            )
