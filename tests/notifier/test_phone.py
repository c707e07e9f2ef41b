"""Phone numbers as Indonesians write them, normalised to E.164."""

from __future__ import annotations

import pytest

from shared.phone import InvalidPhoneNumberError, normalize_id_phone


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("081234567890", "+6281234567890"),
        ("0812-3456-7890", "+6281234567890"),
        ("0812 3456 7890", "+6281234567890"),
        ("(0812) 3456.7890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("+62-812-3456-7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("81234567890", "+6281234567890"),
        ("0062 812 3456 7890", "+6281234567890"),
        ("+62 0812 3456 7890", "+6281234567890"),
        # phonenumbers alone reads these as national numbers and returns +6262…
        ("62812456789", "+62812456789"),
        ("628124567890", "+628124567890"),
        ("0812456789", "+62812456789"),
        ("812456789", "+62812456789"),
        # A Makassar landline and a foreign number written with its country code.
        ("0411 123456", "+62411123456"),
        ("+1 650 253 0000", "+16502530000"),
    ],
)
def test_normalize_accepts_indonesian_forms(raw: str, expected: str) -> None:
    assert normalize_id_phone(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "is empty"),
        ("   ", "is empty"),
        ("08123", "is too short"),
        ("081234567", "is too short"),
        ("0812345678901234", "is too long"),
        ("+62812345678901234", "is too long"),
        ("0812-3456-789a", "contains characters other than digits"),
        ("bukan nomor", "contains characters other than digits"),
        ("0812 3456 7890 ext 1", "contains characters other than digits"),
        ("+999 1234", "is not a phone number"),
    ],
)
def test_normalize_rejects_impossible_numbers(raw: str, reason: str) -> None:
    with pytest.raises(InvalidPhoneNumberError) as caught:
        normalize_id_phone(raw)

    assert caught.value.reason == reason
    assert repr(raw) in str(caught.value)
    assert "08xx" in str(caught.value)


def test_invalid_phone_error_is_value_error() -> None:
    with pytest.raises(ValueError):
        normalize_id_phone("123")
