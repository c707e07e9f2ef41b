"""Agencies and their service categories."""

from __future__ import annotations

import re
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from services.gateway.details import detail
from services.gateway.catalogue.store import create_audited, update_audited
from services.gateway.complaints.validation import clean_text
from services.gateway.context import GatewayContext
from services.gateway.errors import UserInputError
from services.gateway.loaders import forget
from shared.mongo import AGENCIES, CATEGORIES

NAME_LIMIT = 200
AGENCY_CODE = re.compile(r"[A-Z][A-Z0-9_]{1,31}")
CATEGORY_CODE = re.compile(r"[a-z][a-z0-9-]{1,47}")


def _code(value: str, pattern: re.Pattern[str], example: str) -> str:
    code = value.strip()
    if not pattern.fullmatch(code):
        raise UserInputError("INVALID_VALUE", ["input", "code"], detail=detail("CODE_FORMAT", value=repr(code), example=example))
    return code


def _timezone(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise UserInputError("INVALID_VALUE", ["input", "timezone"], detail=detail("TIMEZONE_UNKNOWN", value=repr(value))) from exc
    return value


async def _existing_agency(ctx: GatewayContext, code: str, field: list[str]) -> dict[str, Any]:
    agency = await ctx.loaders.agency.load(code)
    if agency is None:
        raise UserInputError("NOT_FOUND", field, what="Agency")
    return agency


async def create_agency(ctx: GatewayContext, code: str, name: str, timezone: str | None, triage: bool) -> dict[str, Any]:
    doc = {
        "code": _code(code, AGENCY_CODE, "DISHUB"),
        "name": clean_text(name, ["input", "name"], minimum=3, maximum=NAME_LIMIT),
        "timezone": _timezone(timezone) or ctx.settings.timezone,
        "triage": triage,
        "active": True,
    }
    return await create_audited(ctx, AGENCIES, "Agency", doc["code"], doc, ["input", "code"])


async def update_agency(
    ctx: GatewayContext, code: str, name: str | None, timezone: str | None, active: bool | None
) -> dict[str, Any]:
    await _existing_agency(ctx, code, ["input", "agencyId"])
    fields: dict[str, Any] = {}
    if name is not None:
        fields["name"] = clean_text(name, ["input", "name"], minimum=3, maximum=NAME_LIMIT)
    if timezone is not None:
        fields["timezone"] = _timezone(timezone)
    if active is not None:
        fields["active"] = active
    saved = await update_audited(ctx, AGENCIES, "Agency", {"code": code}, code, {"$set": fields})
    forget(ctx.loaders.agency, code)
    return saved


async def create_category(ctx: GatewayContext, code: str, name: str, agency_code: str) -> dict[str, Any]:
    await _existing_agency(ctx, agency_code, ["input", "agencyId"])
    doc = {
        "code": _code(code, CATEGORY_CODE, "lampu-jalan"),
        "name": clean_text(name, ["input", "name"], minimum=3, maximum=NAME_LIMIT),
        "agencyCode": agency_code,
        "triageDefault": False,
        "active": True,
    }
    return await create_audited(ctx, CATEGORIES, "ServiceCategory", doc["code"], doc, ["input", "code"])


async def update_category(
    ctx: GatewayContext, code: str, name: str | None, agency_code: str | None, active: bool | None
) -> dict[str, Any]:
    """Rename, move or (de)activate a category; complaints already filed keep their agency."""
    fields: dict[str, Any] = {}
    if name is not None:
        fields["name"] = clean_text(name, ["input", "name"], minimum=3, maximum=NAME_LIMIT)
    if agency_code is not None:
        await _existing_agency(ctx, agency_code, ["input", "agencyId"])
        fields["agencyCode"] = agency_code
    if active is not None:
        fields["active"] = active
    saved = await update_audited(ctx, CATEGORIES, "ServiceCategory", {"code": code}, code, {"$set": fields})
    forget(ctx.loaders.category, code)
    return saved
