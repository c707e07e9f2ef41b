"""Phone numbers in E.164, read the ways Indonesians write them.

`0812…`, `+62 812…`, `62812…` and `812…` all become `+62812…`. The
`phonenumbers` library reads a short `62812456789` as a national number and
returns `+6262812456789`, so digits that start with the country code are
tried as an international number first.
"""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, ValidationResult

INDONESIA = "ID"
COUNTRY_CODE = "62"
MIN_NATIONAL_DIGITS = 9
MAX_NATIONAL_DIGITS = 12

_SEPARATORS = re.compile(r"[\s\-./()]")
_DIALABLE = re.compile(r"\+?[0-9]+")

_REASONS = {
    ValidationResult.TOO_SHORT: "is too short",
    ValidationResult.TOO_LONG: "is too long",
    ValidationResult.INVALID_LENGTH: "has an impossible length",
    ValidationResult.INVALID_COUNTRY_CODE: "has an unknown country code",
}


class InvalidPhoneNumberError(ValueError):
    """A phone number that no carrier can deliver to; `reason` is a short English phrase."""

    def __init__(self, raw: str, reason: str) -> None:
        super().__init__(
            f"phone number {raw!r} {reason}; write it as 08xx-xxxx-xxxx or +62 8xx-xxxx-xxxx"
        )
        self.raw = raw
        self.reason = reason


def normalize_id_phone(raw: str) -> str:
    """Return `raw` in E.164 (`+62812…` for Indonesian numbers), or raise InvalidPhoneNumberError."""
    compact = _SEPARATORS.sub("", raw.strip())
    if not compact:
        raise InvalidPhoneNumberError(raw, "is empty")
    if not _DIALABLE.fullmatch(compact):
        raise InvalidPhoneNumberError(raw, "contains characters other than digits")
    if compact.startswith("00"):
        compact = "+" + compact[2:]

    if compact.startswith(COUNTRY_CODE):
        as_international = _parse("+" + compact)
        if as_international is not None and phonenumbers.is_valid_number(as_international):
            return phonenumbers.format_number(as_international, PhoneNumberFormat.E164)

    number = _parse(compact)
    if number is None:
        raise InvalidPhoneNumberError(raw, "is not a phone number")
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhoneNumberError(raw, _invalid_reason(number))
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def _parse(compact: str) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(compact, INDONESIA)
    except NumberParseException:
        return None


def _invalid_reason(number: phonenumbers.PhoneNumber) -> str:
    result = phonenumbers.is_possible_number_with_reason(number)
    if result in _REASONS:
        return _REASONS[result]

    # The library calls many lengths "possible" because some Indonesian
    # landline plans allow them; mobile numbers have 9 to 12 digits after +62.
    if str(number.country_code) == COUNTRY_CODE:
        digits = len(phonenumbers.national_significant_number(number))
        if digits < MIN_NATIONAL_DIGITS:
            return "is too short"
        if digits > MAX_NATIONAL_DIGITS:
            return "is too long"
    return "is not a number in use in any numbering plan"
