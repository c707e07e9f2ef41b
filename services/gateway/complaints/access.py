"""Who may see a complaint, in which form, and as which workflow actor they act on it.

The rules, in one place so that permissions and subscriptions agree:

| caller                                   | sees          | acts as  |
|------------------------------------------|---------------|----------|
| the citizen who filed it                 | full          | REPORTER |
| another citizen                          | public form   | -        |
| officer, supervisor or head of its agency| full          | OFFICIAL |
| an official of another agency            | nothing       | -        |
| an administrator                         | full          | ADMIN    |
| anonymous                                | nothing       | -        |

The public form leaves out the reporter's name, phone, e-mail and exact
address, and the timeline's internal notes and the reporter's own words.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from services.gateway.auth import Principal
from shared.workflow import Actor


class ViewLevel(str, Enum):
    FULL = "full"
    PUBLIC = "public"


def is_reporter(principal: Principal | None, complaint: dict[str, Any]) -> bool:
    if principal is None or not principal.is_citizen:
        return False
    return (complaint.get("reporter") or {}).get("subject") == principal.subject


def is_agency_official(principal: Principal | None, complaint: dict[str, Any]) -> bool:
    return principal is not None and principal.is_official and principal.agency == complaint.get("agencyCode")


def view_level(principal: Principal | None, complaint: dict[str, Any]) -> ViewLevel | None:
    """Return how much of `complaint` the caller may see, or None when it is hidden from them."""
    if principal is None:
        return None
    if principal.is_admin or is_agency_official(principal, complaint) or is_reporter(principal, complaint):
        return ViewLevel.FULL
    if principal.is_citizen:
        return ViewLevel.PUBLIC
    return None


def actor_for(principal: Principal | None, complaint: dict[str, Any]) -> Actor | None:
    """Return the workflow actor the caller is for `complaint`, or None when they may not act on it."""
    if principal is None:
        return None
    if principal.is_admin:
        return Actor.ADMIN
    if is_agency_official(principal, complaint):
        return Actor.OFFICIAL
    if is_reporter(principal, complaint):
        return Actor.REPORTER
    return None
