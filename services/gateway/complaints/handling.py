"""Assigning a complaint to an officer, transferring it to another agency, and the reporter's rating."""

from __future__ import annotations

from typing import Any

from services.gateway.auth import OFFICIAL_ROLES
from services.gateway.complaints import timeline
from services.gateway.complaints.notices import citizen_notices, notice_setting, official_notices
from services.gateway.complaints.transition import NOTE_LIMIT, complaint_calendar
from services.gateway.complaints.validation import check_range, clean_text
from services.gateway.complaints.writes import ComplaintChange, commit_change, merge_update
from services.gateway.context import GatewayContext
from services.gateway.errors import UserInputError
from shared.complaints import clock_update, clocks_of
from shared.notify import events
from shared.sla.lifecycle import transfer_clocks
from shared.sla.policy_store import PolicyNotFoundError, policy_in_force
from shared.timeutil import clock
from shared.workflow import OPEN_STATUSES, ComplaintStatus

TRANSFERABLE = [ComplaintStatus.SUBMITTED, ComplaintStatus.VERIFIED]
RATEABLE = [ComplaintStatus.RESOLVED, ComplaintStatus.CLOSED]
RATING_COMMENT_LIMIT = 1000


def _is_active_member(official: dict[str, Any], agency_code: str) -> bool:
    return bool(official.get("active", True)) and official.get("agencyCode") == agency_code and official.get("role") in OFFICIAL_ROLES


async def assign_complaint(ctx: GatewayContext, complaint: dict[str, Any], assignee_subject: str, raw_note: str | None) -> dict[str, Any]:
    """Make an active official of the complaint's agency its assignee and tell them."""
    principal = ctx.require_principal()
    note = clean_text(raw_note, ["input", "note"], maximum=NOTE_LIMIT, required=False, multiline=True)
    current = ComplaintStatus(complaint["status"])
    if current not in OPEN_STATUSES:
        raise UserInputError("COMPLAINT_NOT_OPEN", ["input", "complaintId"], current=current)
    official = await ctx.loaders.official.load(assignee_subject)
    if official is None or not _is_active_member(official, complaint["agencyCode"]):
        raise UserInputError("ASSIGNEE_NOT_IN_AGENCY", ["input", "assigneeId"], assignee=assignee_subject, agency=complaint["agencyCode"])

    now = clock.now()
    name = official.get("name") or assignee_subject
    event = timeline.timeline_event(
        complaint["_id"], timeline.ASSIGNED, principal, now, assignee=assignee_subject, assigneeName=name, note=note
    )
    calendar = await complaint_calendar(ctx, complaint)
    setting = await notice_setting(ctx.loaders, ctx.settings, complaint, calendar)
    notifications = await official_notices(
        ctx.db, complaint, setting, event["_id"], events.COMPLAINT_ASSIGNED,
        {"assigneeName": name, "note": note}, now, subjects=[assignee_subject],
    )
    change = ComplaintChange(
        before=complaint,
        update={"$set": {"assignedTo": assignee_subject, "updatedAt": now}},
        events=[event],
        notifications=notifications,
    )
    saved = await commit_change(ctx.services, change)
    ctx.loaders.forget_complaint(saved)
    return saved


async def _receiving_category(ctx: GatewayContext, complaint: dict[str, Any], agency: dict[str, Any], category_code: str | None) -> dict[str, Any] | None:
    if category_code is None:
        return None
    category = await ctx.loaders.category.load(category_code)
    if category is None:
        raise UserInputError("NOT_FOUND", ["input", "categoryId"], what="ServiceCategory")
    if category["agencyCode"] != agency["code"]:
        raise UserInputError("CATEGORY_NOT_IN_AGENCY", ["input", "categoryId"], category=category["name"], agency=agency["name"])
    return category


async def transfer_complaint(
    ctx: GatewayContext, complaint: dict[str, Any], agency_code: str, category_code: str | None, raw_note: str | None
) -> dict[str, Any]:
    """Hand the complaint to another agency ("bukan wewenang"): status SUBMITTED, both clocks restarted.

    The receiving agency's policy in force now applies: the category's when
    a category of that agency is given, else the agency's default policy.
    """
    principal = ctx.require_principal()
    note = clean_text(raw_note, ["input", "note"], maximum=NOTE_LIMIT, required=False, multiline=True)
    if not note:
        raise UserInputError("NOTE_REQUIRED", ["input", "note"], target=ComplaintStatus.SUBMITTED)
    current = ComplaintStatus(complaint["status"])
    if current not in TRANSFERABLE:
        raise UserInputError("TRANSFER_NOT_ALLOWED", ["input", "complaintId"], current=current, allowed=TRANSFERABLE)
    agency = await ctx.loaders.agency.load(agency_code)
    if agency is None:
        raise UserInputError("NOT_FOUND", ["input", "agencyId"], what="Agency")
    if agency_code == complaint["agencyCode"]:
        raise UserInputError("SAME_AGENCY", ["input", "agencyId"], agency=agency["name"])
    category = await _receiving_category(ctx, complaint, agency, category_code)
    new_category_code = category["code"] if category else complaint["categoryCode"]
    try:
        policy = await policy_in_force(ctx.db, agency_code, category["code"] if category else None)
    except PolicyNotFoundError as exc:
        raise UserInputError("POLICY_NOT_FOUND", ["input", "agencyId"], agency=agency["name"]) from exc

    now = clock.now()
    calendar = await ctx.loaders.calendar(policy.calendar_code)
    if calendar is None:
        raise RuntimeError(f"policy {policy.policy_id} names calendar {policy.calendar_code!r}, which does not exist")
    clocks = transfer_clocks(calendar, policy, clocks_of(complaint), now)
    fields = {
        "agencyCode": agency_code,
        "categoryCode": new_category_code,
        "policy": policy.to_doc(),
        "status": ComplaintStatus.SUBMITTED.value,
        "assignedTo": None,
        "updatedAt": now,
    }
    update = merge_update({"$set": fields}, clock_update(calendar, policy, clocks, ComplaintStatus.SUBMITTED))
    event = timeline.timeline_event(
        complaint["_id"], timeline.TRANSFERRED, principal, now,
        fromAgency=complaint["agencyCode"], toAgency=agency_code,
        fromCategory=complaint["categoryCode"], toCategory=new_category_code,
        fromStatus=current.value, toStatus=ComplaintStatus.SUBMITTED.value, note=note,
    )

    moved = {**complaint, **fields}
    setting = await notice_setting(ctx.loaders, ctx.settings, moved, calendar)
    due = {"responseDueAt": clocks.response.due_at, "resolutionDueAt": clocks.resolution.due_at}
    district = (complaint.get("location") or {}).get("district")
    to_officers = await official_notices(
        ctx.db, moved, setting, event["_id"], events.NEW_COMPLAINT, {**due, "district": district}, now, roles=["officer"]
    )
    to_citizen = citizen_notices(
        ctx.settings, moved, setting, event["_id"], events.STATUS_CHANGED,
        {"fromStatus": current.value, "toStatus": ComplaintStatus.SUBMITTED.value, "note": note}, now,
    )
    change = ComplaintChange(before=complaint, update=update, events=[event], notifications=to_officers + to_citizen)
    saved = await commit_change(ctx.services, change)
    ctx.loaders.forget_complaint(saved)
    return saved


async def rate_complaint(ctx: GatewayContext, complaint: dict[str, Any], score: int, raw_comment: str | None) -> dict[str, Any]:
    """Record the reporter's rating (1 to 5) of a resolved or closed complaint, once."""
    principal = ctx.require_principal()
    check_range(score, ["input", "score"], 1, 5)
    comment = clean_text(raw_comment, ["input", "comment"], maximum=RATING_COMMENT_LIMIT, required=False, multiline=True)
    current = ComplaintStatus(complaint["status"])
    if current not in RATEABLE:
        raise UserInputError("RATING_NOT_ALLOWED", ["input", "complaintId"], current=current, allowed=RATEABLE)
    if complaint.get("rating"):
        raise UserInputError("ALREADY_RATED", ["input", "complaintId"])

    now = clock.now()
    event = timeline.timeline_event(complaint["_id"], timeline.RATED, principal, now, score=score, note=comment)
    change = ComplaintChange(
        before=complaint,
        update={"$set": {"rating": {"score": score, "comment": comment, "at": now}, "updatedAt": now}},
        events=[event],
    )
    saved = await commit_change(ctx.services, change)
    ctx.loaders.forget_complaint(saved)
    return saved
