"""The injectable clock and the aware-datetime checks at boundaries."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from shared.timeutil import Clock, NaiveDatetimeError, clock, require_aware, utc

WITA = ZoneInfo("Asia/Makassar")


def test_require_aware_returns_value() -> None:
    value = datetime(2026, 1, 5, 10, tzinfo=WITA)

    assert require_aware(value) is value


def test_require_aware_message() -> None:
    with pytest.raises(NaiveDatetimeError) as caught:
        require_aware(datetime(2026, 1, 5, 10, 30), "submittedAt")

    assert str(caught.value) == (
        "submittedAt 2026-01-05T10:30:00 has no UTC offset; give one, e.g. 2026-01-05T10:30:00+08:00"
    )
    assert isinstance(caught.value, ValueError)


def test_utc_converts() -> None:
    # 00:30 WITA on 6 Jan is 16:30 UTC on 5 Jan.
    converted = utc(datetime(2026, 1, 6, 0, 30, tzinfo=WITA))

    assert converted == datetime(2026, 1, 5, 16, 30, tzinfo=timezone.utc)
    assert converted.tzinfo is timezone.utc
    with pytest.raises(NaiveDatetimeError):
        utc(datetime(2026, 1, 6, 0, 30))


def test_clock_now_is_aware_utc() -> None:
    now = Clock().now()

    assert now.tzinfo is timezone.utc
    assert abs(now - datetime.now(timezone.utc)) < timedelta(seconds=5)


def test_clock_freeze_and_reset() -> None:
    local = Clock()
    frozen = datetime(2026, 1, 6, 0, 30, tzinfo=WITA)

    local.freeze(frozen)

    assert local.now() == frozen
    assert local.now().tzinfo is timezone.utc
    assert local.now() == local.now()

    local.reset()
    assert abs(local.now() - datetime.now(timezone.utc)) < timedelta(seconds=5)


def test_clock_freeze_rejects_naive() -> None:
    with pytest.raises(NaiveDatetimeError):
        Clock().freeze(datetime(2026, 1, 5, 10))


def test_clock_source_checked_on_read() -> None:
    # A source that returns naive datetimes fails at the first read, not later
    # in some comparison.
    local = Clock(lambda: datetime(2026, 1, 5, 10))

    with pytest.raises(NaiveDatetimeError):
        local.now()


def test_clock_set_source_advances() -> None:
    instants = iter([datetime(2026, 1, 5, 8, tzinfo=WITA), datetime(2026, 1, 5, 9, tzinfo=WITA)])
    local = Clock()

    local.set_source(lambda: next(instants))

    assert local.now() == datetime(2026, 1, 5, 0, tzinfo=timezone.utc)
    assert local.now() == datetime(2026, 1, 5, 1, tzinfo=timezone.utc)


def test_shared_clock_frozen_in_test() -> None:
    # The shared clock is reset after every test by an autouse fixture.
    clock.freeze(datetime(2026, 8, 17, 9, tzinfo=WITA))

    assert clock.now() == datetime(2026, 8, 17, 1, tzinfo=timezone.utc)
