"""The notifications a workflow move sends.

The reporter gets a message about every move an official, an administrator
or the system makes. Of the moves the reporter makes, only closing sends
them a message: `complaint_closed` confirms it. Resuming or reopening a
complaint sends the reporter nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from services.gateway.complaints.notices import NoticeSetting, citizen_notices
from services.gateway.context import GatewayContext
from shared.notify import events
from shared.workflow import Actor, ComplaintStatus, Transition

# The message the reporter gets for a move; any other target sends `status_changed`.
CITIZEN_EVENT_BY_TARGET = {
    ComplaintStatus.WAITING_FOR_REPORTER: events.INFO_REQUESTED,
    ComplaintStatus.RESOLVED: events.COMPLAINT_RESOLVED,
    ComplaintStatus.CLOSED: events.COMPLAINT_CLOSED,
}

# Targets of the reporter's own moves that the reporter still gets a message about.
CONFIRMED_TO_REPORTER = frozenset({ComplaintStatus.CLOSED})


def tells_reporter(actor: Actor, transition: Transition) -> bool:
    """Return whether the reporter gets a message about this move."""
    return actor is not Actor.REPORTER or transition.target in CONFIRMED_TO_REPORTER


def citizen_notices_for_move(
    ctx: GatewayContext,
    complaint: dict[str, Any],
    setting: NoticeSetting,
    event_id: object,
    transition: Transition,
    note: str | None,
    auto_close_at: datetime | None,
    now: datetime,
) -> list[dict[str, Any]]:
    event = CITIZEN_EVENT_BY_TARGET.get(transition.target, events.STATUS_CHANGED)
    extra: dict[str, Any] = {"note": note}
    if event == events.STATUS_CHANGED:
        extra.update(fromStatus=transition.source.value, toStatus=transition.target.value)
    if event == events.COMPLAINT_RESOLVED:
        extra["autoCloseAt"] = auto_close_at
    return citizen_notices(ctx.settings, complaint, setting, event_id, event, extra, now)


async def notices_for_move(
    ctx: GatewayContext,
    complaint: dict[str, Any],
    setting: NoticeSetting,
    actor: Actor,
    transition: Transition,
    event_id: object,
    update: dict[str, Any],
    note: str | None,
    now: datetime,
) -> list[dict[str, Any]]:
    """Return every notification a move makes."""
    notifications: list[dict[str, Any]] = []
    if tells_reporter(actor, transition):
        auto_close_at = update.get("$set", {}).get("autoCloseAt")
        notifications += citizen_notices_for_move(ctx, complaint, setting, event_id, transition, note, auto_close_at, now)
    return notifications
