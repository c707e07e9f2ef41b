"""Human-readable, unique ticket numbers such as MKS-2026-000123."""

from __future__ import annotations

from datetime import datetime

from pymongo import ReturnDocument

from shared.mongo import COUNTERS, Database


def format_ticket(prefix: str, year: int, sequence: int) -> str:
    return f"{prefix}-{year}-{sequence:06d}"


async def next_ticket_number(db: Database, prefix: str, at: datetime, session: object | None = None) -> str:
    """Reserve the next number of `at`'s year; an atomic `$inc` keeps numbers unique across gateways."""
    year = at.year
    counter = await db[COUNTERS].find_one_and_update(
        {"_id": f"ticket-{prefix}-{year}"},
        {"$inc": {"seq": 1}},
        upsert=True,
        return_document=ReturnDocument.AFTER,
        session=session,  # type: ignore[arg-type]
    )
    return format_ticket(prefix, year, int(counter["seq"]))
