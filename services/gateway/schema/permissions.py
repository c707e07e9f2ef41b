"""Permission classes, declared on fields; the rules themselves live in `complaints.access`.

Operation permissions raise: UNAUTHENTICATED without a token, FORBIDDEN
when the caller may not act, NOT_FOUND when the complaint an input names
does not exist. Field permissions on a complaint's private fields fail
silently, so the public form of a complaint reads as null there.
"""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission
from strawberry.types import Info

from services.gateway.auth import Principal
from services.gateway.complaints.access import ViewLevel, actor_for, view_level
from services.gateway.context import GatewayContext
from services.gateway.details import detail
from services.gateway.errors import AuthenticationError, NotFoundError, PermissionDeniedError
from services.gateway.schema.ids import node_key, object_id
from services.gateway.schema.lookups import find_complaint
from shared.workflow import Actor


def _context(info: Info) -> GatewayContext:
    context: GatewayContext = info.context
    return context


def _principal(info: Info) -> Principal:
    principal = _context(info).principal
    if principal is None:
        raise AuthenticationError()
    return principal


async def complaint_of_input(info: Info, kwargs: dict[str, Any]) -> dict[str, Any]:
    """Return the complaint named by `input.complaintId`, through the request's loader."""
    oid = object_id(kwargs["input"].complaint_id, "Complaint")
    complaint = await _context(info).loaders.complaint.load(oid)
    if complaint is None:
        raise NotFoundError("Complaint")
    return complaint


class _Denying(BasePermission):
    message = "FORBIDDEN"
    # Key in `details.DETAILS` naming who may pass, so the message can say whom to ask or which account to use.
    allowed: str | None = None

    def on_unauthorized(self) -> None:
        if self.allowed is None:
            raise PermissionDeniedError()
        raise PermissionDeniedError(message_key="FORBIDDEN_ROLE", who=detail(self.allowed))


class IsAuthenticated(_Denying):
    """Any signed-in caller."""

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        _principal(info)
        return True


class IsCitizen(_Denying):
    """A citizen; only citizens file complaints."""

    allowed = "WHO_CITIZEN"

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return _principal(info).is_citizen


class IsAdmin(_Denying):
    """A city administrator."""

    allowed = "WHO_ADMIN"

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return _principal(info).is_admin


class IsStaff(_Denying):
    """An official of any agency, or an administrator."""

    allowed = "WHO_STAFF"

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        principal = _principal(info)
        return principal.is_official or principal.is_admin


class CanViewComplaint(_Denying):
    """The caller may see the complaint named by `id` or `ticketNumber`, at least in public form."""

    allowed = "WHO_COMPLAINT_PARTIES"

    async def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        principal = _principal(info)
        complaint = await find_complaint(info, kwargs.get("id"), kwargs.get("ticket_number"))
        return complaint is None or view_level(principal, complaint) is not None


class CanActOnComplaint(_Denying):
    """The reporter, an official of the complaint's agency, or an administrator."""

    allowed = "WHO_COMPLAINT_PARTIES"

    async def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        principal = _principal(info)
        return actor_for(principal, await complaint_of_input(info, kwargs)) is not None


class CanWriteInternalNote(_Denying):
    """Internal notes are for the agency's officials and administrators, never the reporter."""

    allowed = "WHO_COMPLAINT_STAFF"

    async def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        if not kwargs["input"].internal:
            return True
        principal = _principal(info)
        return actor_for(principal, await complaint_of_input(info, kwargs)) in (Actor.OFFICIAL, Actor.ADMIN)


class CanHandleComplaint(_Denying):
    """An official of the complaint's agency, or an administrator."""

    allowed = "WHO_COMPLAINT_STAFF"

    async def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        principal = _principal(info)
        return actor_for(principal, await complaint_of_input(info, kwargs)) in (Actor.OFFICIAL, Actor.ADMIN)


class CanAssignTo(_Denying):
    """Supervisors, heads and administrators assign anyone; an officer may only take a complaint themselves."""

    allowed = "WHO_ASSIGNERS"

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        principal = _principal(info)
        if principal.role != "officer":
            return True
        return node_key(kwargs["input"].assignee_id, "Official") == principal.subject


class IsComplaintReporter(_Denying):
    """The citizen who filed the complaint."""

    allowed = "WHO_REPORTER"

    async def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        principal = _principal(info)
        return actor_for(principal, await complaint_of_input(info, kwargs)) is Actor.REPORTER


class SeesComplaintInFull(BasePermission):
    """The caller sees this complaint in full; others get null (the public form)."""

    message = "FORBIDDEN"

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return view_level(_context(info).principal, source.complaint_doc) is ViewLevel.FULL


class IsComplaintStaff(_Denying):
    """An official of this complaint's agency, or an administrator."""

    allowed = "WHO_COMPLAINT_STAFF"

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return actor_for(_context(info).principal, source.complaint_doc) in (Actor.OFFICIAL, Actor.ADMIN)


class IsStaffOfficial(BasePermission):
    """Officials and administrators see officials' contact details; others get null."""

    message = "FORBIDDEN"

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        principal = _context(info).principal
        return principal is not None and (principal.is_official or principal.is_admin)
