"""Officials: who works for which agency in which role, and where their alerts go."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from services.gateway.details import detail
from services.gateway.auth import ADMIN, OFFICIAL_ROLES
from services.gateway.catalogue.store import create_audited, update_audited
from services.gateway.complaints.validation import clean_text
from services.gateway.context import GatewayContext
from services.gateway.errors import UserInputError
from services.gateway.loaders import forget
from shared.mongo import OFFICIALS
from shared.phone import normalize_id_phone

SUBJECT_LIMIT = 128
NAME_LIMIT = 200
EMAIL_LIMIT = 254


@dataclass
class OfficialFields:
    """Fields of an official an administrator sets; None leaves a field unchanged on update."""

    name: str | None = None
    role: str | None = None
    agency_code: str | None = None
    email: str | None = None
    phone: str | None = None
    channels: list[str] | None = None
    locale: str | None = None
    active: bool | None = None


def _phone(raw: str) -> str:
    try:
        return normalize_id_phone(raw)
    except ValueError as exc:
        raise UserInputError("INVALID_PHONE", ["input", "phone"], value=raw) from exc


def _email(raw: str) -> str:
    email = clean_text(raw, ["input", "email"], minimum=3, maximum=EMAIL_LIMIT) or ""
    local, _, domain = email.partition("@")
    if not local or "." not in domain:
        raise UserInputError("INVALID_VALUE", ["input", "email"], detail=detail("EMAIL_INVALID", value=repr(email)))
    return email


async def _check_role_and_agency(ctx: GatewayContext, role: str, agency_code: str | None) -> None:
    if role == ADMIN:
        if agency_code is not None:
            raise UserInputError("INVALID_VALUE", ["input", "agencyId"], detail=detail("ADMIN_HAS_NO_AGENCY"))
        return
    if role not in OFFICIAL_ROLES:
        raise UserInputError("INVALID_VALUE", ["input", "role"], detail=detail("ROLE_UNKNOWN", value=repr(role), allowed=", ".join(sorted(OFFICIAL_ROLES | {ADMIN}))))
    if agency_code is None or await ctx.loaders.agency.load(agency_code) is None:
        raise UserInputError("NOT_FOUND", ["input", "agencyId"], what="Agency")


def _fields(values: OfficialFields) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if values.name is not None:
        fields["name"] = clean_text(values.name, ["input", "name"], minimum=3, maximum=NAME_LIMIT)
    if values.email is not None:
        fields["email"] = _email(values.email)
    if values.phone is not None:
        fields["phone"] = _phone(values.phone)
    if values.channels is not None:
        fields["notify.channels"] = values.channels
    if values.locale is not None:
        fields["notify.locale"] = values.locale
    if values.active is not None:
        fields["active"] = values.active
    return fields


async def create_official(ctx: GatewayContext, subject: str, values: OfficialFields) -> dict[str, Any]:
    subject = clean_text(subject, ["input", "subject"], minimum=3, maximum=SUBJECT_LIMIT) or ""
    role = values.role or "officer"
    await _check_role_and_agency(ctx, role, values.agency_code)
    fields = _fields(values)
    doc = {
        "subject": subject,
        "role": role,
        "agencyCode": values.agency_code if role != ADMIN else None,
        "name": fields.get("name"),
        "email": fields.get("email"),
        "phone": fields.get("phone"),
        "active": True,
        "notify": {"channels": values.channels or ["email", "sms"], "locale": values.locale or "id"},
    }
    return await create_audited(ctx, OFFICIALS, "Official", subject, doc, ["input", "subject"])


async def update_official(ctx: GatewayContext, subject: str, values: OfficialFields) -> dict[str, Any]:
    current = await ctx.loaders.official.load(subject)
    if current is None:
        raise UserInputError("NOT_FOUND", ["input", "officialId"], what="Official")
    role = values.role or current["role"]
    agency_code = values.agency_code if values.agency_code is not None else current.get("agencyCode")
    if role == ADMIN:
        agency_code = None
    await _check_role_and_agency(ctx, role, agency_code)
    fields = {**_fields(values), "role": role, "agencyCode": agency_code}
    saved = await update_audited(ctx, OFFICIALS, "Official", {"subject": subject}, subject, {"$set": fields})
    forget(ctx.loaders.official, subject)
    return saved
