"""Days off on working calendars, and the open complaints whose deadlines they move.

Adding a date makes it a day off: it leaves `removedDaysOff` if an
administrator had made that holiday a working day, else it joins
`addedDaysOff`. Removing a date does the reverse, so a national holiday
can be turned into a working day too.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from services.gateway.details import detail
from services.gateway.catalogue.store import update_audited
from services.gateway.context import GatewayContext
from services.gateway.errors import UserInputError
from shared.mongo import CALENDARS
from shared.sla.recompute import recompute_open_complaints

log = logging.getLogger(__name__)

MAX_DATES = 366


def _dates(dates: list[date]) -> list[str]:
    if not dates or len(dates) > MAX_DATES:
        raise UserInputError("VALUE_OUT_OF_RANGE", ["input", "dates"], value=len(dates), minimum=1, maximum=MAX_DATES)
    return sorted({day.isoformat() for day in dates})


def _stored(values: list[Any]) -> set[str]:
    return {value.isoformat()[:10] if hasattr(value, "isoformat") else str(value) for value in values}


async def change_days_off(ctx: GatewayContext, code: str, dates: list[date], add: bool) -> tuple[dict[str, Any], int]:
    """Add or remove days off, then recompute open complaints on the calendar; return it and their count."""
    days = set(_dates(dates))
    current = await ctx.loaders.calendar_doc.load(code)
    if current is None:
        raise UserInputError("NOT_FOUND", ["input", "calendarId"], what="Calendar")
    if current.get("alwaysOpen"):
        raise UserInputError("INVALID_VALUE", ["input", "calendarId"], detail=detail("CALENDAR_ALWAYS_OPEN", value=code))

    added = _stored(current.get("addedDaysOff", []))
    removed = _stored(current.get("removedDaysOff", []))
    if add:
        removed -= days
        added |= {day for day in days if day not in _stored(current.get("removedDaysOff", []))}
    else:
        added -= days
        removed |= {day for day in days if day not in _stored(current.get("addedDaysOff", []))}
    update = {"$set": {"addedDaysOff": sorted(added), "removedDaysOff": sorted(removed)}}
    action = "add-days-off" if add else "remove-days-off"
    saved = await update_audited(ctx, CALENDARS, "Calendar", {"code": code}, code, update, action)

    ctx.loaders.forget_calendar(code)
    recomputed = await recompute_open_complaints(ctx.db, code)
    log.info("Calendar %s changed; %d open complaints recomputed.", code, recomputed, extra={"calendar": code, "dates": sorted(days)})
    return saved, recomputed
