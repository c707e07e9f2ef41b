"""Running a mutation's operation and turning an expected failure into the payload's `errors`."""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from typing import TypeVar

from strawberry.types import Info

from services.gateway.errors import UserInputError
from services.gateway.schema.types.errors import UserError, user_error

log = logging.getLogger(__name__)

T = TypeVar("T")


async def attempt(info: Info, operation: Awaitable[T]) -> tuple[T | None, list[UserError]]:
    """Return the operation's result and no errors, or None and the typed error it raised."""
    try:
        return await operation, []
    except UserInputError as exc:
        principal = info.context.principal
        log.info(
            "Mutation %s rejected with %s.",
            info.field_name,
            exc.code,
            extra={"code": exc.code, "field": exc.field, "subject": principal.subject if principal else None},
        )
        return None, [user_error(exc, info.context.locale)]
