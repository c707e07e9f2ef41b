"""Instants as Makassar's citizens read them in messages, written out here to check the notifier's output.

E-mail: "Senin, 7 Desember 2026 pukul 16.00 WITA"; SMS: "7 Des 2026 16.00 WITA".
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

MAKASSAR = ZoneInfo("Asia/Makassar")

DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)
SHORT_MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


def parse_instant(value: str) -> datetime:
    """Read a GraphQL DateTime; one without an offset fails the test."""
    instant = datetime.fromisoformat(value)
    assert instant.tzinfo is not None, f"DateTime {value!r} has no UTC offset"
    return instant


def long_wita(instant: datetime) -> str:
    local = instant.astimezone(MAKASSAR)
    return f"{DAYS[local.weekday()]}, {local.day} {MONTHS[local.month - 1]} {local.year} pukul {local:%H.%M} WITA"


def short_wita(instant: datetime) -> str:
    local = instant.astimezone(MAKASSAR)
    return f"{local.day} {SHORT_MONTHS[local.month - 1]} {local.year} {local:%H.%M} WITA"
