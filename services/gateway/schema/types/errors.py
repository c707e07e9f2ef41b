"""The typed error every mutation payload carries."""

from __future__ import annotations

import strawberry

from services.gateway.errors import UserInputError
from services.gateway.messages import translate


@strawberry.type(description="An expected failure of a mutation, such as a workflow move that is not allowed.")
class UserError:
    field: list[str] | None = strawberry.field(description="Path of the input field at fault, e.g. [\"input\", \"title\"].")
    code: str = strawberry.field(description="Stable code to branch on, e.g. TRANSITION_NOT_ALLOWED; listed in docs/api.md.")
    message: str = strawberry.field(description="What went wrong, in the request's language (Accept-Language, Indonesian by default).")


def user_error(error: UserInputError, locale: str) -> UserError:
    return UserError(field=error.field, code=error.code, message=translate(error.message_key, locale, error.params))
