"""Calendar documents as stored in MongoDB, turned into working calendars."""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from shared.sla.calendar import DEFAULT_OFFICE_HOURS
from shared.sla.calendar_store import calendar_from_doc, default_calendar_docs, office_hours_to_doc

WITA = ZoneInfo("Asia/Makassar")


def test_office_hours_document() -> None:
    assert office_hours_to_doc(dict(DEFAULT_OFFICE_HOURS)) == {
        "mon": ["08:00", "16:00"],
        "tue": ["08:00", "16:00"],
        "wed": ["08:00", "16:00"],
        "thu": ["08:00", "16:00"],
        "fri": ["08:00", "16:30"],
    }


def test_default_office_calendar() -> None:
    office_doc = default_calendar_docs("Asia/Makassar")[0]

    office = calendar_from_doc(office_doc)

    assert office.code == "office"
    assert not office.always_open
    assert dict(office.office_hours) == dict(DEFAULT_OFFICE_HOURS)
    assert not office.is_working_day(date(2026, 8, 17))
    assert not office.is_working_day(date(2026, 12, 24))
    # Thursday morning + 1 working day -> Friday 16:30, as the built-in default.
    assert office.add_working_days(datetime(2026, 1, 8, 9, tzinfo=WITA), 1) == datetime(2026, 1, 9, 16, 30, tzinfo=WITA)


def test_default_always_open_calendar() -> None:
    _, always_doc = default_calendar_docs("Asia/Makassar")

    always = calendar_from_doc(always_doc)

    assert always.code == "24x7"
    assert always.always_open
    assert always.is_working_day(date(2026, 8, 17))
    assert always.add_working_days(datetime(2026, 1, 5, 10, tzinfo=WITA), 1) == datetime(2026, 1, 7, tzinfo=WITA)


def test_stored_days_off_parsed() -> None:
    # MongoDB returns stored dates as datetimes; documents written by hand may
    # hold ISO strings. Both mean the same day.
    doc = default_calendar_docs("Asia/Makassar")[0] | {
        "addedDaysOff": [datetime(2026, 1, 7, tzinfo=timezone.utc), "2026-01-08"],
        "removedDaysOff": ["2026-08-17"],
    }

    calendar = calendar_from_doc(doc)

    assert calendar.added_days_off == frozenset({date(2026, 1, 7), date(2026, 1, 8)})
    assert not calendar.is_working_day(date(2026, 1, 7))
    assert not calendar.is_working_day(date(2026, 1, 8))
    assert calendar.is_working_day(date(2026, 8, 17))


def test_custom_office_hours() -> None:
    doc = default_calendar_docs("Asia/Jakarta")[0] | {"code": "pasar", "officeHours": {"sat": ["07:00", "12:00"]}}

    calendar = calendar_from_doc(doc)

    assert calendar.timezone == "Asia/Jakarta"
    assert dict(calendar.office_hours) == {5: (time(7), time(12))}
    assert calendar.is_working_day(date(2026, 1, 10))
    assert not calendar.is_working_day(date(2026, 1, 5))
