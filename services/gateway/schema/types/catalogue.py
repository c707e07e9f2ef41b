"""Agencies, service categories, working calendars and officials."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Annotated, Any, ClassVar

import strawberry
from strawberry import relay
from strawberry.permission import PermissionExtension
from strawberry.types import Info

from services.gateway.schema.permissions import IsStaffOfficial
from shared.sla.calendar_store import WEEKDAY_NAMES, calendar_from_doc

DAYS_OFF_WINDOW_LIMIT = 400

def _staff_only() -> PermissionExtension:
    return PermissionExtension(permissions=[IsStaffOfficial()], fail_silently=True, use_directives=False)


def _parse_day(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


class DocumentNode(relay.Node):
    """A node backed by one MongoDB document, identified by `key_field`."""

    key_field: ClassVar[str] = "code"

    @classmethod
    def resolve_id(cls, root: Any, *, info: Info) -> str:
        return str(root.doc[root.key_field])

    @classmethod
    def loader(cls, info: Info) -> Any:
        raise NotImplementedError

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        docs = await cls.loader(info).load_many(list(node_ids))
        return [cls(doc=doc) if doc is not None else None for doc in docs]


@strawberry.type(description="A city agency (OPD) that handles complaints of its service categories.")
class Agency(DocumentNode):
    doc: strawberry.Private[dict[str, Any]]

    @classmethod
    def loader(cls, info: Info) -> Any:
        return info.context.loaders.agency

    @strawberry.field(description="Short code, e.g. DISHUB.")
    def code(self) -> str:
        return str(self.doc["code"])

    @strawberry.field(description="Official name, e.g. Dinas Perhubungan Kota Makassar.")
    def name(self) -> str:
        return str(self.doc["name"])

    @strawberry.field(description="IANA timezone in which the agency's deadlines are computed.")
    def timezone(self) -> str:
        return str(self.doc.get("timezone", "Asia/Makassar"))

    @strawberry.field(description="Whether this agency sorts complaints that fit no other category (triage).")
    def triage(self) -> bool:
        return bool(self.doc.get("triage", False))

    @strawberry.field(description="Whether the agency is active.")
    def active(self) -> bool:
        return bool(self.doc.get("active", True))


@strawberry.type(description="A kind of complaint a citizen chooses; it decides the handling agency.")
class ServiceCategory(DocumentNode):
    doc: strawberry.Private[dict[str, Any]]

    @classmethod
    def loader(cls, info: Info) -> Any:
        return info.context.loaders.category

    @strawberry.field(description="Short code, e.g. lampu-jalan.")
    def code(self) -> str:
        return str(self.doc["code"])

    @strawberry.field(description="Name shown to citizens, in Indonesian.")
    def name(self) -> str:
        return str(self.doc["name"])

    @strawberry.field(description="Whether new complaints may be filed in this category.")
    def active(self) -> bool:
        return bool(self.doc.get("active", True))

    @strawberry.field(description="Whether this is the default category for complaints that need sorting.")
    def triage_default(self) -> bool:
        return bool(self.doc.get("triageDefault", False))

    @strawberry.field(description="The agency that handles complaints of this category.")
    async def agency(self, info: Info) -> Agency:
        return Agency(doc=await info.context.loaders.agency.load(self.doc["agencyCode"]))


@strawberry.type(description="Office hours of one weekday, in the calendar's timezone.")
class OfficeHours:
    weekday: int = strawberry.field(description="0 is Monday, 6 is Sunday.")
    opens_at: str = strawberry.field(description="Opening time, HH:MM.")
    closes_at: str = strawberry.field(description="Closing time, HH:MM.")


@strawberry.type(description="A day that is not worked, with the reason.")
class DayOff:
    date: date = strawberry.field(description="The local date.")
    reason: str = strawberry.field(description="A holiday's name, or 'added day off' for the city's own.")


@strawberry.type(description="A working calendar: office hours, national holidays and the city's own days off.")
class Calendar(DocumentNode):
    doc: strawberry.Private[dict[str, Any]]

    @classmethod
    def loader(cls, info: Info) -> Any:
        return info.context.loaders.calendar_doc

    @strawberry.field(description="Short code; the 24x7 calendar's code is 24x7.")
    def code(self) -> str:
        return str(self.doc["code"])

    @strawberry.field(description="Name, in Indonesian.")
    def name(self) -> str:
        return str(self.doc.get("name", self.doc["code"]))

    @strawberry.field(description="IANA timezone of the calendar.")
    def timezone(self) -> str:
        return str(self.doc.get("timezone", "Asia/Makassar"))

    @strawberry.field(description="Whether every day is a working day and office hours are the whole day.")
    def always_open(self) -> bool:
        return bool(self.doc.get("alwaysOpen", False))

    @strawberry.field(description="Office hours per weekday; weekdays not listed are days off.")
    def office_hours(self) -> list[OfficeHours]:
        hours = self.doc.get("officeHours") or {}
        return [
            OfficeHours(weekday=WEEKDAY_NAMES.index(day), opens_at=span[0], closes_at=span[1])
            for day, span in sorted(hours.items(), key=lambda item: WEEKDAY_NAMES.index(item[0]))
        ]

    @strawberry.field(description="Dates the city added as days off (e.g. by decree).")
    def added_days_off(self) -> list[date]:
        return sorted(_parse_day(value) for value in self.doc.get("addedDaysOff", []))

    @strawberry.field(description="Holidays the city made working days.")
    def removed_days_off(self) -> list[date]:
        return sorted(_parse_day(value) for value in self.doc.get("removedDaysOff", []))

    @strawberry.field(description="Days off on weekdays with office hours in [from, to], holidays and added days together; at most 400 days.")
    def days_off(
        self,
        from_: Annotated[date, strawberry.argument(name="from", description="First local date.")],
        to: Annotated[date, strawberry.argument(description="Last local date, included.")],
    ) -> list[DayOff]:
        calendar = calendar_from_doc(self.doc)
        days: list[DayOff] = []
        day = from_
        last = min(to, from_ + timedelta(days=DAYS_OFF_WINDOW_LIMIT))
        while day <= last:
            if calendar.office_hours.get(day.weekday()) and not calendar.is_working_day(day):
                days.append(DayOff(date=day, reason=calendar.holiday_name(day) or "day off"))
            day += timedelta(days=1)
        return days


@strawberry.type(description="An official of an agency, or a city administrator.")
class Official(DocumentNode):
    doc: strawberry.Private[dict[str, Any]]
    key_field: ClassVar[str] = "subject"

    @classmethod
    def loader(cls, info: Info) -> Any:
        return info.context.loaders.official

    @strawberry.field(description="The identity provider's subject (the token's sub claim).")
    def subject(self) -> str:
        return str(self.doc["subject"])

    @strawberry.field(description="Full name.")
    def name(self) -> str | None:
        return self.doc.get("name")

    @strawberry.field(description="officer, supervisor, head or admin.")
    def role(self) -> str:
        return str(self.doc["role"])

    @strawberry.field(description="Whether the official is active; inactive officials get no alerts.")
    def active(self) -> bool:
        return bool(self.doc.get("active", True))

    @strawberry.field(description="E-mail address; null unless the caller is an official or an administrator.", extensions=[_staff_only()])
    def email(self) -> str | None:
        return self.doc.get("email")

    @strawberry.field(description="Phone number in E.164; null unless the caller is an official or an administrator.", extensions=[_staff_only()])
    def phone(self) -> str | None:
        return self.doc.get("phone")

    @strawberry.field(description="The agency; null for administrators.")
    async def agency(self, info: Info) -> Agency | None:
        code = self.doc.get("agencyCode")
        if not code:
            return None
        doc = await info.context.loaders.agency.load(code)
        return Agency(doc=doc) if doc else None
