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
