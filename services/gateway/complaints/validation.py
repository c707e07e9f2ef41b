"""Checks on the free-text and numeric fields of mutation inputs, raising `UserInputError` with the field's path."""

from __future__ import annotations

from collections.abc import Sequence

from services.gateway.errors import UserInputError


def clean_text(value: str | None, field: Sequence[str], *, minimum: int = 0, maximum: int, required: bool = True) -> str | None:
    """Return `value` stripped, or raise VALUE_TOO_SHORT / VALUE_TOO_LONG naming `field`."""
    if value is None:
        if required:
            raise UserInputError("VALUE_TOO_SHORT", field, limit=max(minimum, 1))
        return None
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
