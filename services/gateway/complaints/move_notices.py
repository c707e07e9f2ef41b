"""The notifications a workflow move sends.

The reporter gets a message about every move an official, an administrator
or the system makes. Of the moves the reporter makes, only closing sends
them a message: `complaint_closed` confirms it. Resuming or reopening a
complaint sends the reporter nothing.

When the reporter reopens a resolved complaint, a new resolution cycle
starts, so the assigned officer gets `complaint_reopened`, or the agency's
officers when the complaint has no assignee.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from services.gateway.complaints.notices import NoticeSetting, citizen_notices, official_notices
from services.gateway.context import GatewayContext
from shared.complaints import clocks_of
from shared.notify import events
from shared.workflow import Actor, ComplaintStatus, Transition

# The message the reporter gets for a move to these targets. Any other target sends `status_changed`.
CITIZEN_EVENT_BY_TARGET = {
    ComplaintStatus.WAITING_FOR_REPORTER: events.INFO_REQUESTED,
    ComplaintStatus.RESOLVED: events.COMPLAINT_RESOLVED,
    ComplaintStatus.CLOSED: events.COMPLAINT_CLOSED,
}

# Targets of the reporter's own moves that the reporter still gets a message about.
CONFIRMED_TO_REPORTER = frozenset({ComplaintStatus.CLOSED})


def is_reopening(transition: Transition) -> bool:
    return transition.source is ComplaintStatus.RESOLVED and transition.target is ComplaintStatus.IN_PROGRESS


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


async def official_notices_for_reopening(
    ctx: GatewayContext,
    complaint: dict[str, Any],
    setting: NoticeSetting,
    event_id: object,
    update: dict[str, Any],
    note: str | None,
    now: datetime,
) -> list[dict[str, Any]]:
    """Return `complaint_reopened` messages to the assignee, or to the agency's officers when none is assigned.

    `update` is the move's update document, whose clocks carry the due
    instant of the new resolution cycle.
    """
    resolution_due_at = clocks_of(update["$set"]).resolution.due_at
    assignee = complaint.get("assignedTo")
    return await official_notices(
        ctx.db, complaint, setting, event_id, events.COMPLAINT_REOPENED,
        {"note": note, "resolutionDueAt": resolution_due_at}, now,
        roles=[] if assignee else ["officer"], subjects=[assignee] if assignee else [],
    )


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

    if actor is Actor.REPORTER and is_reopening(transition):
        notifications += await official_notices_for_reopening(ctx, complaint, setting, event_id, update, note, now)
    return notifications
