"""Status changes through the one workflow table, with their effect on the clocks and the messages they send."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from services.gateway.auth import Principal
from services.gateway.complaints import timeline
from services.gateway.complaints.access import actor_for
from services.gateway.complaints.move_notices import is_reopening, notices_for_move
from services.gateway.complaints.notices import notice_setting
from services.gateway.complaints.validation import clean_text
from services.gateway.complaints.writes import ComplaintChange, commit_change, merge_update
from services.gateway.context import GatewayContext
from services.gateway.details import detail
from services.gateway.errors import PermissionDeniedError, UserInputError
from shared.complaints import clock_update, clocks_of, policy_of
from shared.sla.calendar import WorkCalendar
from shared.sla.lifecycle import apply_effect
from shared.timeutil import clock
from shared.workflow import Actor, ComplaintStatus, Transition, TransitionError, find_transition

NOTE_LIMIT = 2000


async def complaint_calendar(ctx: GatewayContext, complaint: dict[str, Any]) -> WorkCalendar:
    """Return the calendar of the policy the complaint runs under."""
    code = complaint["policy"]["calendarCode"]
    calendar = await ctx.loaders.calendar(code)
    if calendar is None:
        raise RuntimeError(f"complaint {complaint['_id']} runs on calendar {code!r}, which does not exist")
    return calendar


def checked_transition(current: ComplaintStatus, target: ComplaintStatus, actor: Actor) -> Transition:
    """Return the workflow row, or raise a UserInputError naming the current and the allowed statuses."""
    try:
        return find_transition(current, target, actor)
    except TransitionError as exc:
        raise UserInputError(exc.code, ["input", "toStatus"], current=exc.current, target=exc.target, allowed=exc.allowed) from exc


def status_fields(
    complaint: dict[str, Any], transition: Transition, calendar: WorkCalendar, auto_close_days: int, now: datetime
) -> dict[str, Any]:
    """Return the update for the complaint's own fields: status, and the instants that go with it."""
    update: dict[str, Any] = {"$set": {"status": transition.target.value, "updatedAt": now}, "$unset": {}}
    if transition.target is ComplaintStatus.RESOLVED:
        update["$set"]["resolvedAt"] = now
        update["$set"]["autoCloseAt"] = calendar.add_working_days(now, auto_close_days)
    if transition.target is ComplaintStatus.CLOSED:
        update["$set"]["closedAt"] = now
        update["$unset"]["autoCloseAt"] = ""
    if transition.target is ComplaintStatus.REJECTED:
        update["$set"]["rejectedAt"] = now
    if transition.source is ComplaintStatus.RESOLVED and transition.target is ComplaintStatus.IN_PROGRESS:
        update["$unset"]["autoCloseAt"] = ""
    if transition.source is ComplaintStatus.REJECTED:
        update["$unset"]["rejectedAt"] = ""
    return update


def status_change(
    ctx: GatewayContext,
    principal: Principal,
    complaint: dict[str, Any],
    transition: Transition,
    calendar: WorkCalendar,
    note: str | None,
    now: datetime,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return the update and the timeline event of one workflow move."""
    policy = policy_of(complaint)
    clocks = apply_effect(calendar, policy, clocks_of(complaint), transition.effect, now)
    update = merge_update(
        status_fields(complaint, transition, calendar, ctx.settings.auto_close_working_days, now),
        clock_update(calendar, policy, clocks, transition.target),
    )
    event = timeline.timeline_event(
        complaint["_id"], timeline.STATUS_CHANGED, principal, now,
        fromStatus=transition.source.value, toStatus=transition.target.value, note=note,
    )
    return update, event


async def transition_complaint(
    ctx: GatewayContext, complaint: dict[str, Any], target: ComplaintStatus, raw_note: str | None
) -> dict[str, Any]:
    """Move the complaint to `target` if the workflow lets the caller do so, and return it as saved."""
    principal = ctx.require_principal()
    actor = actor_for(principal, complaint)
    if actor is None:
        raise PermissionDeniedError(message_key="FORBIDDEN_ROLE", who=detail("WHO_COMPLAINT_PARTIES"))
    note = clean_text(raw_note, ["input", "note"], maximum=NOTE_LIMIT, required=False, multiline=True)
    transition = checked_transition(ComplaintStatus(complaint["status"]), target, actor)
    if transition.needs_note and not note:
        raise UserInputError("NOTE_REQUIRED", ["input", "note"], target=target)

    now = clock.now()
    reopening = is_reopening(transition)
    deadline = complaint.get("autoCloseAt")
    if reopening and deadline is not None and now >= deadline:
        raise UserInputError("REOPEN_PERIOD_ENDED", ["input", "toStatus"], deadline=deadline)

    calendar = await complaint_calendar(ctx, complaint)
    update, event = status_change(ctx, principal, complaint, transition, calendar, note, now)
    setting = await notice_setting(ctx.loaders, ctx.settings, complaint, calendar)
    notifications = await notices_for_move(ctx, complaint, setting, actor, transition, event["_id"], update, note, now)
    change = ComplaintChange(before=complaint, update=update, events=[event], notifications=notifications)
    saved = await commit_change(ctx.services, change)
    ctx.loaders.forget_complaint(saved)
    return saved
