"""The complaints list: filters, what each caller may list, text search and stable cursor pages.

Order is newest first by `submittedAt`, ties broken by `_id`, and a cursor
names the last item's pair, so pages stay stable while complaints arrive.
SecantusDB has no `$text` index, so search is a case-insensitive `$regex`
per word over `searchText`, escaped, which both servers run alike.

The SLA state is computed at read time. The database narrows the
candidates, `read_sla` decides, and a page reads on until it is full.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bson import ObjectId
from bson.errors import InvalidId

from services.gateway.details import detail
from services.gateway.auth import Principal
from services.gateway.context import GatewayContext
from services.gateway.errors import AuthenticationError, GatewayError
from shared.complaints import clocks_of, policy_of
from shared.mongo import COMPLAINTS
from shared.sla.state import SlaState, read_sla
from shared.timeutil import clock

SEARCH_WORD_LIMIT = 8


@dataclass
class ComplaintQuery:
    """The filter a caller asked for; codes are already decoded from global ids."""

    statuses: list[str] = field(default_factory=list)
    agency_code: str | None = None
    category_code: str | None = None
    sla_states: list[SlaState] = field(default_factory=list)
    district: str | None = None
    submitted_from: datetime | None = None
    submitted_to: datetime | None = None
    search: str | None = None
    mine: bool = False
    assigned_to_me: bool = False


@dataclass
class Page:
    items: list[dict[str, Any]]
    has_next: bool
    has_previous: bool


def encode_cursor(doc: dict[str, Any]) -> str:
    raw = json.dumps([doc["submittedAt"].isoformat(), str(doc["_id"])])
    return base64.urlsafe_b64encode(raw.encode()).decode()


def decode_cursor(cursor: str) -> tuple[datetime, ObjectId]:
    try:
        submitted, oid = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        return datetime.fromisoformat(submitted), ObjectId(oid)
    except (ValueError, TypeError, binascii.Error, InvalidId) as exc:
        raise GatewayError("BAD_USER_INPUT", detail=detail("CURSOR_INVALID", cursor=repr(cursor))) from exc


def visibility(principal: Principal | None) -> dict[str, Any]:
    """Return what the caller may list: officials their agency's complaints, everyone else signed in all of them.

    Citizens see other people's complaints in public form only; the type's
    field permissions hide the private fields.
    """
    if principal is None:
        raise AuthenticationError()
    if principal.is_official:
        return {"agencyCode": principal.agency}
    return {}


def search_clauses(text: str) -> list[dict[str, Any]]:
    words = text.casefold().split()[:SEARCH_WORD_LIMIT]
    return [{"searchText": {"$regex": re.escape(word), "$options": "i"}} for word in words]


def _state_candidates(states: list[SlaState]) -> dict[str, Any] | None:
    """Return a filter every complaint in one of `states` matches; read_sla decides exactly."""
    clauses: list[dict[str, Any]] = []
    for state in states:
        if state is SlaState.PAUSED:
            clauses.append({"clocks.resolution.paused": True})
        elif state in (SlaState.ON_TRACK, SlaState.AT_RISK):
            clauses.append({"open": True, "clocks.resolution.paused": {"$ne": True}})
        elif state is SlaState.MET:
            clauses.append({"open": False})
        else:
            return None
    return {"$or": clauses} if clauses else None


def mongo_filter(principal: Principal | None, query: ComplaintQuery, after: str | None) -> dict[str, Any]:
    clauses: list[dict[str, Any]] = [visibility(principal)]
    if query.statuses:
        clauses.append({"status": {"$in": query.statuses}})
    if query.agency_code:
        clauses.append({"agencyCode": query.agency_code})
    if query.category_code:
        clauses.append({"categoryCode": query.category_code})
    if query.district:
        clauses.append({"location.district": {"$regex": f"^{re.escape(query.district.strip())}$", "$options": "i"}})
    if query.submitted_from:
        clauses.append({"submittedAt": {"$gte": query.submitted_from}})
    if query.submitted_to:
        clauses.append({"submittedAt": {"$lt": query.submitted_to}})
    if query.search:
        clauses.extend(search_clauses(query.search))
    if query.mine and principal is not None:
        clauses.append({"reporter.subject": principal.subject})
    if query.assigned_to_me and principal is not None:
        clauses.append({"assignedTo": principal.subject})
    if query.sla_states and (candidates := _state_candidates(query.sla_states)):
        clauses.append(candidates)
    if after:
        submitted, oid = decode_cursor(after)
        clauses.append({"$or": [{"submittedAt": {"$lt": submitted}}, {"submittedAt": submitted, "_id": {"$lt": oid}}]})
    clauses = [clause for clause in clauses if clause]
    return {"$and": clauses} if clauses else {}


async def _sla_matches(ctx: GatewayContext, doc: dict[str, Any], states: list[SlaState], now: datetime) -> bool:
    calendar = await ctx.loaders.calendar(doc["policy"]["calendarCode"])
    if calendar is None:
        return False
    clocks = clocks_of(doc)
    reading = read_sla(calendar, policy_of(doc), {"response": clocks.response, "resolution": clocks.resolution}, now)
    return reading.state in states


async def _matching(ctx: GatewayContext, cursor: AsyncIterator[dict[str, Any]], states: list[SlaState]) -> AsyncIterator[dict[str, Any]]:
    now = clock.now()
    async for doc in cursor:
        if not states or await _sla_matches(ctx, doc, states, now):
            yield doc


async def list_complaints(ctx: GatewayContext, query: ComplaintQuery, first: int, after: str | None) -> Page:
    """Return up to `first` complaints after the cursor, newest first."""
    filter_doc = mongo_filter(ctx.principal, query, after)
    batch = first + 1 if not query.sla_states else max(first * 2, 50)
    cursor = ctx.db[COMPLAINTS].find(filter_doc).sort([("submittedAt", -1), ("_id", -1)]).batch_size(batch)
    if not query.sla_states:
        cursor = cursor.limit(first + 1)

    items: list[dict[str, Any]] = []
    async for doc in _matching(ctx, cursor, query.sla_states):
        items.append(doc)
        if len(items) > first:
            break
    await cursor.close()
    for doc in items:
        ctx.loaders.complaint.prime(doc["_id"], doc)
    return Page(items=items[:first], has_next=len(items) > first, has_previous=after is not None)
