"""Human-readable, unique ticket numbers such as MKS-2026-000123."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from pymongo import ReturnDocument

from shared.mongo import COUNTERS, Database
from shared.timeutil import require_aware

DEFAULT_TIMEZONE = "Asia/Makassar"


def format_ticket(prefix: str, year: int, sequence: int) -> str:
    return f"{prefix}-{year}-{sequence:06d}"


def ticket_year(at: datetime, timezone: str = DEFAULT_TIMEZONE) -> int:
    """Return the local year of `at`: a complaint filed at 00:30 WITA on 1 January belongs to the new year."""
    return require_aware(at, "ticket instant").astimezone(ZoneInfo(timezone)).year


async def next_ticket_number(
    db: Database, prefix: str, at: datetime, session: object | None = None, timezone: str = DEFAULT_TIMEZONE
) -> str:
    """Reserve the next number of `at`'s local year; an atomic `$inc` keeps numbers unique across gateways."""
    year = ticket_year(at, timezone)
    counter = await db[COUNTERS].find_one_and_update(
        {"_id": f"ticket-{prefix}-{year}"},
        {"$inc": {"seq": 1}},
        upsert=True,
        return_document=ReturnDocument.AFTER,
        session=session,  # type: ignore[arg-type]
    )
    return format_ticket(prefix, year, int(counter["seq"]))


async def reserve_ticket_numbers(db: Database, prefix: str, year: int, count: int) -> list[str]:
    """Reserve `count` consecutive numbers of `year` with one atomic `$inc`.

    Bulk loads such as the importer use it instead of one counter write per
    ticket; the numbers share the counter of `next_ticket_number`.
    """
    if count < 1:
        return []
    counter = await db[COUNTERS].find_one_and_update(
        {"_id": f"ticket-{prefix}-{year}"},
        {"$inc": {"seq": count}},
        upsert=True,
        return_document=ReturnDocument.AFTER,
    )
    last = int(counter["seq"])
    return [format_ticket(prefix, year, sequence) for sequence in range(last - count + 1, last + 1)]
