"""Filing a complaint: routing by category, the policy in force, a ticket number and the first messages."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.errors import DuplicateKeyError

from services.gateway.auth import Principal
from services.gateway.complaints import timeline
from services.gateway.complaints.notices import citizen_notices, notice_setting, official_notices
from services.gateway.complaints.validation import check_range, clean_text
from services.gateway.complaints.writes import enqueue_after_commit, run_in_transaction
from services.gateway.context import GatewayContext
from services.gateway.errors import UserInputError
from shared.complaints import clocks_of, new_complaint_doc
from shared.mongo import COMPLAINT_EVENTS, COMPLAINTS
from shared.notify import events
from shared.notify.create import insert_notifications
from shared.phone import normalize_id_phone
from shared.sla.policy_store import PolicyNotFoundError, policy_in_force
from shared.tickets import next_ticket_number
from shared.timeutil import clock

log = logging.getLogger(__name__)

TITLE_LIMITS = (5, 200)
DESCRIPTION_LIMITS = (10, 5000)
ADDRESS_LIMIT = 500
AREA_NAME_LIMIT = 100
CLIENT_REQUEST_ID_LIMIT = 100


@dataclass
class NewComplaint:
    """A citizen's submission, as the schema received it."""

    category_code: str
    title: str
    description: str
    location: dict[str, Any] | None = None
    channel: str = "WEB"
    client_request_id: str | None = None
    channels: list[str] | None = None
    locale: str | None = None


def _location(raw: dict[str, Any] | None) -> dict[str, Any]:
    if not raw:
        return {}
    check_range(raw.get("latitude"), ["input", "location", "latitude"], -90, 90)
    check_range(raw.get("longitude"), ["input", "location", "longitude"], -180, 180)
    return {
        "latitude": raw.get("latitude"),
        "longitude": raw.get("longitude"),
        "address": clean_text(raw.get("address"), ["input", "location", "address"], maximum=ADDRESS_LIMIT, required=False),
        "district": clean_text(raw.get("district"), ["input", "location", "district"], maximum=AREA_NAME_LIMIT, required=False),
        "subdistrict": clean_text(
            raw.get("subdistrict"), ["input", "location", "subdistrict"], maximum=AREA_NAME_LIMIT, required=False
        ),
    }


def _phone(principal: Principal) -> str | None:
    """Return the token's phone number in E.164; a number no carrier can reach is left out and logged."""
    if not principal.phone_number:
        return None
    try:
        return normalize_id_phone(principal.phone_number)
    except ValueError as exc:
        log.warning("Ignored the token's phone number of %s: %s", principal.subject, exc, extra={"subject": principal.subject})
        return None


def reporter_doc(principal: Principal, channels: list[str] | None, locale: str) -> dict[str, Any]:
    """Return the reporter with contact details from the token and their notification choices.

    Without a choice, every channel with a known address is used.
    """
    phone = _phone(principal)
    contacts = {"sms": phone, "email": principal.email}
    wanted = ["email", "sms"] if channels is None else channels
    return {
        "subject": principal.subject,
        "name": principal.name,
        "phone": phone,
        "email": principal.email,
        "notify": {"channels": [c for c in wanted if contacts.get(c)], "locale": locale},
    }


async def _existing(ctx: GatewayContext, principal: Principal, client_request_id: str | None) -> dict[str, Any] | None:
    if client_request_id is None:
        return None
    return await ctx.db[COMPLAINTS].find_one({"reporter.subject": principal.subject, "clientRequestId": client_request_id})


async def submit_complaint(ctx: GatewayContext, submission: NewComplaint) -> dict[str, Any]:
    """File the complaint and return it; a retry with the same clientRequestId returns the first one."""
    principal = ctx.require_principal()
    title = clean_text(submission.title, ["input", "title"], minimum=TITLE_LIMITS[0], maximum=TITLE_LIMITS[1])
    description = clean_text(
        submission.description, ["input", "description"], minimum=DESCRIPTION_LIMITS[0], maximum=DESCRIPTION_LIMITS[1],
        multiline=True,
    )
    location = _location(submission.location)
    request_id = clean_text(
        submission.client_request_id, ["input", "clientRequestId"], maximum=CLIENT_REQUEST_ID_LIMIT, required=False
    )

    existing = await _existing(ctx, principal, request_id)
    if existing is not None:
        log.info("Returned complaint %s for a retried submission.", existing["ticketNumber"], extra={"clientRequestId": request_id})
        return existing

    category = await ctx.loaders.category.load(submission.category_code)
    if category is None:
        raise UserInputError("NOT_FOUND", ["input", "categoryId"], what="ServiceCategory")
    if not category.get("active", True):
        raise UserInputError("CATEGORY_INACTIVE", ["input", "categoryId"], category=category["name"])
    try:
        policy = await policy_in_force(ctx.db, category["agencyCode"], category["code"])
    except PolicyNotFoundError as exc:
        raise UserInputError("POLICY_NOT_FOUND", ["input", "categoryId"], agency=category["agencyCode"]) from exc
    calendar = await ctx.loaders.calendar(policy.calendar_code)
    if calendar is None:
        raise RuntimeError(f"policy {policy.policy_id} names calendar {policy.calendar_code!r}, which does not exist")

    reporter = reporter_doc(principal, submission.channels, submission.locale or ctx.locale)
    now = clock.now()
    created: list[Any] = []

    # The number is reserved outside the transaction: every submission
    # increments the same counter document, so inside it concurrent
    # submissions aborted each other with write conflicts. A transaction
    # that fails after this leaves a gap in the numbering, never a duplicate.
    ticket = await next_ticket_number(ctx.db, ctx.settings.ticket_prefix, now, timezone=calendar.timezone)

    async def work(session: AsyncClientSession) -> dict[str, Any]:
        doc = new_complaint_doc(
            ticket_number=ticket,
            category_code=category["code"],
            agency_code=category["agencyCode"],
            title=title or "",
            description=description or "",
            location=location,
            channel=submission.channel,
            reporter=reporter,
            policy=policy,
            calendar=calendar,
            submitted_at=now,
            client_request_id=request_id,
        )
        doc["revision"] = 0
        event = timeline.timeline_event(doc["_id"], timeline.SUBMITTED, principal, now, toStatus=doc["status"])
        notifications = await _first_notices(ctx, doc, event["_id"], calendar, now)
        await ctx.db[COMPLAINTS].insert_one(doc, session=session)
        await ctx.db[COMPLAINT_EVENTS].insert_one(event, session=session)
        created[:] = await insert_notifications(ctx.db, notifications, session=session)
        return doc

    try:
        doc: dict[str, Any] = await run_in_transaction(ctx.services, work)
    except DuplicateKeyError:
        # Two copies of one retried request raced, so the complaint of the first one is returned.
        existing = await _existing(ctx, principal, request_id)
        if existing is None:
            raise
        return existing

    log.info(
        "Complaint %s filed with %s.",
        doc["ticketNumber"],
        doc["agencyCode"],
        extra={"complaintId": str(doc["_id"]), "category": doc["categoryCode"], "policy": policy.policy_id},
    )
    await enqueue_after_commit(ctx.services, created, doc["_id"])
    return doc


async def _first_notices(ctx: GatewayContext, doc: dict[str, Any], event_id: object, calendar: Any, now: Any) -> list[dict[str, Any]]:
    """Return the notifications that tell the citizen when to expect a response and the agency's officers that a complaint came in."""
    setting = await notice_setting(ctx.loaders, ctx.settings, doc, calendar)
    clocks = clocks_of(doc)
    due = {"responseDueAt": clocks.response.due_at, "resolutionDueAt": clocks.resolution.due_at}
    to_citizen = citizen_notices(ctx.settings, doc, setting, event_id, events.COMPLAINT_RECEIVED, due, now)
    district = (doc.get("location") or {}).get("district")
    to_officers = await official_notices(
        ctx.db, doc, setting, event_id, events.NEW_COMPLAINT, {**due, "district": district}, now, roles=["officer"]
    )
    return to_citizen + to_officers
