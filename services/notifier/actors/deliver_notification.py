"""`deliver_notification(notification_id)` on the `notifications` queue."""

from __future__ import annotations

import dramatiq

from services.notifier.setup import declare_deliver_actor

deliver_notification = declare_deliver_actor(dramatiq.get_broker())
