"""Dates, percentages and SLA words in the recipient's language.

Dates arrive in a notification's context as ISO 8601 strings with an offset
and are shown in the context's timezone, e.g. "Senin, 7 Desember 2026 pukul
16.00 WITA" or "Monday, 7 December 2026 at 16:00 WITA". The tables are
written out here instead of coming from a locale database, so the output is
the same on every machine.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from shared.timeutil import require_aware
from shared.workflow import STATUS_LABELS_EN, STATUS_LABELS_ID, ComplaintStatus

LOCALES = ("id", "en")
DEFAULT_LOCALE = "id"

DAYS = {
    "id": ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
MONTHS = {
    "id": (
        "Januari", "Februari", "Maret", "April", "Mei", "Juni",
        "Juli", "Agustus", "September", "Oktober", "November", "Desember",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
}
SHORT_MONTHS = {
    "id": ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}

CLOCK_LABELS = {
    "id": {"response": "tanggapan", "resolution": "penyelesaian"},
    "en": {"response": "response", "resolution": "resolution"},
}
ROLE_LABELS = {
    "id": {
        "officer": "petugas",
        "supervisor": "supervisor",
        "head": "kepala perangkat daerah",
        "admin": "administrator kota",
    },
    "en": {"officer": "officer", "supervisor": "supervisor", "head": "agency head", "admin": "city administrator"},
}


def supported_locale(locale: str | None) -> str:
    """Return `locale` when templates exist for it, else the default (Indonesian)."""
    return locale if locale in LOCALES else DEFAULT_LOCALE


def parse_instant(value: str | datetime) -> datetime:
    """Read an ISO 8601 instant from a context; a value without an offset is rejected."""
    instant = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return require_aware(instant, "context date")


def local_instant(value: str | datetime, timezone: str) -> datetime:
    return parse_instant(value).astimezone(ZoneInfo(timezone))


def format_datetime(value: str | datetime, timezone: str, locale: str) -> str:
    """Return e.g. "Senin, 7 Desember 2026 pukul 16.00 WITA"."""
    local = local_instant(value, timezone)
    day = DAYS[locale][local.weekday()]
    month = MONTHS[locale][local.month - 1]
    zone = local.tzname() or timezone
    if locale == "id":
        return f"{day}, {local.day} {month} {local.year} pukul {local:%H.%M} {zone}"
    return f"{day}, {local.day} {month} {local.year} at {local:%H:%M} {zone}"


def format_datetime_short(value: str | datetime, timezone: str, locale: str) -> str:
    """Return e.g. "7 Des 2026 16.00 WITA", for SMS."""
    local = local_instant(value, timezone)
    month = SHORT_MONTHS[locale][local.month - 1]
    zone = local.tzname() or timezone
    clock_time = f"{local:%H.%M}" if locale == "id" else f"{local:%H:%M}"
    return f"{local.day} {month} {local.year} {clock_time} {zone}"


def format_percent(ratio: float | int | str, locale: str) -> str:
    """Return a ratio as a whole percentage: 0.75 -> "75%"."""
    return f"{round(float(ratio) * 100)}%"


def status_label(code: str, locale: str) -> str:
    """Return the people-facing label of a complaint status code, or the code when it is unknown."""
    try:
        status = ComplaintStatus(code)
    except ValueError:
        return code
    labels = STATUS_LABELS_ID if locale == "id" else STATUS_LABELS_EN
    return labels[status]


def clock_label(clock: str, locale: str) -> str:
    return CLOCK_LABELS[locale].get(clock, clock)


def role_label(role: str | None, locale: str) -> str:
    if not role:
        return ""
    return ROLE_LABELS[locale].get(role, role)


def stage_label(stage: str, locale: str) -> str:
    """Return a stage key in words: warn-75 -> "peringatan 75%", escalation-1 -> "eskalasi tahap 1"."""
    kind, _, number = stage.partition("-")
    if kind == "warn" and number:
        return f"peringatan {number}%" if locale == "id" else f"{number}% warning"
    if kind == "breach":
        return "batas waktu terlampaui" if locale == "id" else "deadline missed"
    if kind == "escalation" and number:
        return f"eskalasi tahap {number}" if locale == "id" else f"escalation step {number}"
    return stage
