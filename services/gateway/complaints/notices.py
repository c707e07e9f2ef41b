"""Notification documents for what happens to a complaint, to its reporter and to officials.

Every template reads `ticketNumber`, `title`, `agencyName`, `categoryName`
and `timezone` from the context, plus the event's own keys. Instants are
ISO 8601 strings with the agency's UTC offset, so templates print local
time without converting. The idempotency key starts with
`{complaintId}:{eventId}:{event}`: a retried write makes no second message.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from services.gateway.loaders import Loaders
from shared.mongo import Database
from shared.notify.create import notification_doc
from shared.notify.recipients import Recipient, citizen_recipients, official_recipients
from shared.notify.schedule import citizen_not_before, official_not_before
from shared.settings import Settings
from shared.sla.calendar import WorkCalendar


@dataclass(frozen=True)
class NoticeSetting:
    """The values every notification about one complaint shares: names, timezone and the policy's calendar."""

    agency_name: str
    category_name: str
    timezone: str
    calendar: WorkCalendar

    @property
    def urgent(self) -> bool:
        return self.calendar.always_open


async def notice_setting(loaders: Loaders, settings: Settings, complaint: dict[str, Any], calendar: WorkCalendar) -> NoticeSetting:
    agency = await loaders.agency.load(complaint["agencyCode"]) or {}
    category = await loaders.category.load(complaint["categoryCode"]) or {}
    return NoticeSetting(
        agency_name=agency.get("name", complaint["agencyCode"]),
        category_name=category.get("name", complaint["categoryCode"]),
        timezone=agency.get("timezone") or settings.timezone,
        calendar=calendar,
    )


def local_iso(instant: datetime | None, timezone: str) -> str | None:
    """Return `instant` as ISO 8601 in `timezone`, with its offset, e.g. 2026-03-06T16:30:00+08:00."""
    if instant is None:
        return None
    return instant.astimezone(ZoneInfo(timezone)).isoformat()


def notice_context(complaint: dict[str, Any], setting: NoticeSetting, extra: dict[str, Any]) -> dict[str, Any]:
    context: dict[str, Any] = {
        "ticketNumber": complaint["ticketNumber"],
        "title": complaint["title"],
        "agencyName": setting.agency_name,
        "categoryName": setting.category_name,
        "timezone": setting.timezone,
    }
    for key, value in extra.items():
        context[key] = local_iso(value, setting.timezone) if isinstance(value, datetime) else value
    return context


def _key(complaint: dict[str, Any], event_id: object, event: str) -> str:
    return f"{complaint['_id']}:{event_id}:{event}"


def _notification_docs(
    complaint: dict[str, Any],
    setting: NoticeSetting,
    event_id: object,
    event: str,
    extra: dict[str, Any],
    recipients: list[Recipient],
    not_before: datetime,
    now: datetime,
) -> list[dict[str, Any]]:
    context = notice_context(complaint, setting, extra)
    key = _key(complaint, event_id, event)
    return [
        notification_doc(
            event=event,
            complaint=complaint,
            recipient=recipient,
            context=context,
            key=key,
            not_before=not_before,
            now=now,
        )
        for recipient in recipients
    ]


def citizen_notices(
    settings: Settings,
    complaint: dict[str, Any],
    setting: NoticeSetting,
    event_id: object,
    event: str,
    extra: dict[str, Any],
    now: datetime,
) -> list[dict[str, Any]]:
    """Return the reporter's notifications about `event`, held until their quiet hours end."""
    not_before = citizen_not_before(now, setting.timezone, settings.quiet_hours_start, settings.quiet_hours_end)
    return _notification_docs(complaint, setting, event_id, event, extra, citizen_recipients(complaint), not_before, now)


async def official_notices(
    db: Database,
    complaint: dict[str, Any],
    setting: NoticeSetting,
    event_id: object,
    event: str,
    extra: dict[str, Any],
    now: datetime,
    roles: Iterable[str] = (),
    subjects: Iterable[str] = (),
) -> list[dict[str, Any]]:
    """Return notifications about `event` to the complaint's agency officials with `roles` and to `subjects`.

    They wait for office hours unless the policy runs on the 24x7 calendar.
    """
    recipients = await official_recipients(db, complaint["agencyCode"], roles, subjects)
    not_before = official_not_before(now, setting.calendar, setting.urgent)
    return _notification_docs(complaint, setting, event_id, event, extra, recipients, not_before, now)
