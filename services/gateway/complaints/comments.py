"""Comments: officials' public replies and internal notes, and the reporter's replies.

A public reply is an official action, so it stops the response clock. The
reporter's reply to a request for information resumes the resolution clock
by moving the complaint back to IN_PROGRESS.
"""

from __future__ import annotations

from typing import Any

from services.gateway.complaints import timeline
from services.gateway.complaints.access import actor_for
from services.gateway.complaints.notices import citizen_notices, notice_setting, official_notices
from services.gateway.complaints.transition import checked_transition, complaint_calendar, status_change
from services.gateway.complaints.validation import clean_text
from services.gateway.complaints.writes import ComplaintChange, commit_change, merge_update
from services.gateway.context import GatewayContext
from services.gateway.details import detail
from services.gateway.errors import PermissionDeniedError
from shared.complaints import clock_update, clocks_of, policy_of
from shared.notify import events
from shared.sla.lifecycle import record_response
from shared.timeutil import clock
from shared.workflow import Actor, ComplaintStatus

BODY_LIMIT = 5000


async def add_comment(ctx: GatewayContext, complaint: dict[str, Any], raw_body: str, internal: bool) -> dict[str, Any]:
    """Add the comment and return the complaint as saved."""
    principal = ctx.require_principal()
    actor = actor_for(principal, complaint)
    if actor is None or (internal and actor is Actor.REPORTER):
        who = "WHO_COMPLAINT_STAFF" if internal and actor is Actor.REPORTER else "WHO_COMPLAINT_PARTIES"
        raise PermissionDeniedError(message_key="FORBIDDEN_ROLE", who=detail(who))
    body = clean_text(raw_body, ["input", "body"], maximum=BODY_LIMIT, multiline=True) or ""

    now = clock.now()
    calendar = await complaint_calendar(ctx, complaint)
    event = timeline.timeline_event(complaint["_id"], timeline.COMMENT, principal, now, body=body, internal=internal)
    change = ComplaintChange(before=complaint, update={"$set": {"updatedAt": now}}, events=[event])
    setting = await notice_setting(ctx.loaders, ctx.settings, complaint, calendar)

    if actor is Actor.REPORTER:
        current = ComplaintStatus(complaint["status"])
        if current is ComplaintStatus.WAITING_FOR_REPORTER:
            transition = checked_transition(current, ComplaintStatus.IN_PROGRESS, actor)
            update, resumed = status_change(ctx, principal, complaint, transition, calendar, None, now)
            change.update = merge_update(change.update, update)
            change.events.append(resumed)
        assignee = complaint.get("assignedTo")
        change.notifications = await official_notices(
            ctx.db, complaint, setting, event["_id"], events.REPORTER_REPLIED, {"body": body}, now,
            roles=[] if assignee else ["officer"], subjects=[assignee] if assignee else [],
        )
    elif not internal:
        policy = policy_of(complaint)
        clocks = record_response(calendar, clocks_of(complaint), now)
        change.update = merge_update(change.update, clock_update(calendar, policy, clocks, ComplaintStatus(complaint["status"])))
        change.notifications = citizen_notices(
            ctx.settings, complaint, setting, event["_id"], events.PUBLIC_REPLY, {"body": body}, now
        )

    saved = await commit_change(ctx.services, change)
    ctx.loaders.forget_complaint(saved)
    return saved
