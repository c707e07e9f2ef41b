"""Finding the complaint a query names, by global id or by ticket number."""

from __future__ import annotations

from typing import Any

from strawberry.types import Info

from services.gateway.details import detail
from services.gateway.errors import GatewayError
from services.gateway.schema.ids import object_id


async def find_complaint(info: Info, id: str | None, ticket_number: str | None) -> dict[str, Any] | None:
    """Return the complaint or None; exactly one of `id` and `ticket_number` must be given."""
    if (id is None) == (ticket_number is None):
        raise GatewayError("BAD_USER_INPUT", detail=detail("ID_OR_TICKET_NUMBER"))
    loaders = info.context.loaders
    if id is not None:
        return await loaders.complaint.load(object_id(id, "Complaint"))
    return await loaders.complaint_by_ticket.load(ticket_number.strip().upper())
