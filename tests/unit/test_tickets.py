"""Ticket numbers: readable, per prefix and year, unique under concurrency."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from shared.mongo import Database
from shared.tickets import format_ticket, next_ticket_number, reserve_ticket_numbers

WITA = ZoneInfo("Asia/Makassar")
IN_2026 = datetime(2026, 5, 4, 10, 0, tzinfo=WITA)
IN_2027 = datetime(2027, 2, 1, 10, 0, tzinfo=WITA)


def test_format_ticket() -> None:
    assert format_ticket("MKS", 2026, 123) == "MKS-2026-000123"
    assert format_ticket("MKS", 2026, 1) == "MKS-2026-000001"
    assert format_ticket("MKS", 2027, 1_234_567) == "MKS-2027-1234567"


async def test_numbers_follow_each_other(db: Database) -> None:
    numbers = [await next_ticket_number(db, "MKS", IN_2026) for _ in range(3)]

    assert numbers == ["MKS-2026-000001", "MKS-2026-000002", "MKS-2026-000003"]


async def test_each_year_and_prefix_counts_alone(db: Database) -> None:
    await next_ticket_number(db, "MKS", IN_2026)
    await next_ticket_number(db, "MKS", IN_2026)

    assert await next_ticket_number(db, "MKS", IN_2027) == "MKS-2027-000001"
    assert await next_ticket_number(db, "GOW", IN_2026) == "GOW-2026-000001"
    assert await next_ticket_number(db, "MKS", IN_2026) == "MKS-2026-000003"


async def test_local_new_year(db: Database) -> None:
    # 00:30 WITA on 1 Jan 2027 is still 2026 in UTC; an instant given in the
    # city's zone numbers the ticket in the local year.
    filed = datetime(2027, 1, 1, 0, 30, tzinfo=WITA)

    assert await next_ticket_number(db, "MKS", filed) == "MKS-2027-000001"


async def test_concurrent_numbers_unique(db: Database) -> None:
    numbers = await asyncio.gather(*(next_ticket_number(db, "MKS", IN_2026) for _ in range(25)))

    assert len(set(numbers)) == 25
    assert sorted(numbers) == [format_ticket("MKS", 2026, sequence) for sequence in range(1, 26)]


async def test_reserved_block_shares_counter(db: Database) -> None:
    first = await next_ticket_number(db, "MKS", IN_2026)
    block = await reserve_ticket_numbers(db, "MKS", 2026, 3)
    after = await next_ticket_number(db, "MKS", IN_2026)

    assert first == "MKS-2026-000001"
    assert block == ["MKS-2026-000002", "MKS-2026-000003", "MKS-2026-000004"]
    assert after == "MKS-2026-000005"
    assert await reserve_ticket_numbers(db, "MKS", 2026, 0) == []


async def test_ticket_year_is_local_year(db: Database) -> None:
    # 2026-12-31T16:30Z is 2027-01-01 00:30 WITA, so the ticket belongs to 2027.
    new_year_night = datetime(2026, 12, 31, 16, 30, tzinfo=timezone.utc)

    number = await next_ticket_number(db, "NYR", new_year_night)

    assert number == "NYR-2027-000001"
