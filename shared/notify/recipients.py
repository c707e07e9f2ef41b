"""Who receives a notification, on which channel and in which language."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from shared.mongo import OFFICIALS, Database

Channel = Literal["email", "sms"]
CHANNELS: tuple[Channel, ...] = ("email", "sms")


@dataclass(frozen=True)
class Recipient:
    audience: Literal["citizen", "official"]
    subject: str | None
    name: str | None
    role: str | None
    channel: Channel
    address: str
    locale: str


def _channels(preferences: dict[str, Any]) -> list[Channel]:
    return [c for c in preferences.get("channels", list(CHANNELS)) if c in CHANNELS]


def _person_recipients(person: dict[str, Any], audience: Literal["citizen", "official"], role: str | None) -> list[Recipient]:
    """Return one recipient per channel that `person`'s preferences choose and that has an address."""
    preferences = person.get("notify") or {}
    locale = preferences.get("locale", "id")
    recipients = []
    for channel in _channels(preferences):
        address = person.get("email") if channel == "email" else person.get("phone")
        if address:
            recipients.append(Recipient(audience, person.get("subject"), person.get("name"), role, channel, address, locale))
    return recipients


def citizen_recipients(complaint: dict[str, Any]) -> list[Recipient]:
    """Return the reporter's addresses on the channels their preferences choose (none for imports)."""
    return _person_recipients(complaint.get("reporter") or {}, "citizen", "citizen")


def _official_recipients(official: dict[str, Any]) -> list[Recipient]:
    return _person_recipients(official, "official", official.get("role"))


async def official_recipients(
    db: Database, agency_code: str | None, roles: Iterable[str], subjects: Iterable[str] = ()
) -> list[Recipient]:
    """Return the agency's active officials with one of `roles`, plus the officials named in `subjects`.

    City administrators (role `admin`) belong to no agency and are found by
    role alone.
    """
    roles = list(roles)
    agency_roles = [r for r in roles if r != "admin"]
    clauses: list[dict[str, Any]] = []
    if agency_roles and agency_code:
        clauses.append({"agencyCode": agency_code, "role": {"$in": agency_roles}})
    if "admin" in roles:
        clauses.append({"role": "admin"})
    subjects = [s for s in subjects if s]
    if subjects:
        clauses.append({"subject": {"$in": subjects}})
    if not clauses:
        return []

    recipients: list[Recipient] = []
    seen: set[str] = set()
    async for official in db[OFFICIALS].find({"$or": clauses, "active": {"$ne": False}}).sort("subject", 1):
        if official["subject"] in seen:
            continue
        seen.add(official["subject"])
        recipients.extend(_official_recipients(official))
    return recipients
