"""Checks on the free-text and numeric fields of mutation inputs, raising `UserInputError` with the field's path."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from services.gateway.errors import UserInputError

# Explicit bidirectional formatting characters (Unicode TR 9). They can make a
# message read differently from what it contains, e.g. reverse a phone number.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Line breaks and tabs a multi-line text (a description, a comment) may keep.
MULTILINE_WHITESPACE = frozenset("\n\r\t")


def check_characters(text: str, field: Sequence[str], *, multiline: bool) -> None:
    """Raise INVALID_CHARACTERS for a control or bidirectional formatting character in `text`.

    Such characters reach e-mails and SMS unchanged, where they hide or
    reorder text or break headers; a single-line field keeps no line break.
    """
    for character in text:
        if multiline and character in MULTILINE_WHITESPACE:
            continue
        if unicodedata.category(character) == "Cc" or character in BIDI_CONTROLS:
            raise UserInputError("INVALID_CHARACTERS", field, name=".".join(field), character=f"U+{ord(character):04X}")


def clean_text(
    value: str | None,
    field: Sequence[str],
    *,
    minimum: int = 0,
    maximum: int,
    required: bool = True,
    multiline: bool = False,
) -> str | None:
    """Return `value` stripped, or raise VALUE_TOO_SHORT / VALUE_TOO_LONG / INVALID_CHARACTERS naming `field`.

    Only a `multiline` field keeps line breaks and tabs inside the text.
    """
    if value is None:
        if required:
            raise UserInputError("VALUE_TOO_SHORT", field, limit=max(minimum, 1))
        return None
    check_characters(value, field, multiline=multiline)
    text = value.strip()
    if not text and not required:
        return None
    if len(text) < max(minimum, 1 if required else 0):
        raise UserInputError("VALUE_TOO_SHORT", field, limit=max(minimum, 1))
    if len(text) > maximum:
        raise UserInputError("VALUE_TOO_LONG", field, limit=maximum)
    return text


def check_range(value: float | None, field: Sequence[str], minimum: float, maximum: float) -> None:
    if value is not None and not minimum <= value <= maximum:
        raise UserInputError("VALUE_OUT_OF_RANGE", field, value=value, minimum=minimum, maximum=maximum)
