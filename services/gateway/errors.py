"""The gateway's exceptions and the stable codes front ends branch on.

    GatewayError(code, params)          the request failed: a top-level `errors[]` entry
    |-- AuthenticationError             UNAUTHENTICATED, INVALID_TOKEN
    |-- PermissionDeniedError           FORBIDDEN
    |-- NotFoundError                   NOT_FOUND
    `-- InvalidIdError                  INVALID_ID
    UserInputError(code, field, params) an expected failure of a mutation: its payload's `errors[]`

`message_key` picks a more specific wording than the code's own (e.g. which
role may act), while clients keep branching on the stable code. Neither
carries a finished message: the message is written at the boundary
in the request's language, from `messages.CATALOGUE`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


class GatewayError(Exception):
    """A request-level failure with a stable code; becomes a top-level GraphQL error."""

    code = "INTERNAL_SERVER_ERROR"

    def __init__(self, code: str | None = None, *, message_key: str | None = None, **params: object) -> None:
        self.code = code or type(self).code
        self.message_key = message_key or self.code
        self.params: Mapping[str, object] = params
        super().__init__(f"{self.code} {dict(params)}")


class AuthenticationError(GatewayError):
    code = "UNAUTHENTICATED"


class PermissionDeniedError(GatewayError):
    code = "FORBIDDEN"


class NotFoundError(GatewayError):
    code = "NOT_FOUND"

    def __init__(self, type_name: str) -> None:
        super().__init__(what=type_name)


class InvalidIdError(GatewayError):
    code = "INVALID_ID"

    def __init__(self, value: str, type_name: str) -> None:
        super().__init__(value=value, type=type_name)


class UserInputError(Exception):
    """An expected failure of a mutation, returned as a `UserError` in its payload.

    `field` is the path of the input field at fault, e.g. ("input", "title").
    `message_key` names the message in `messages.CATALOGUE` when a more
    specific wording than the code's own fits, e.g. for an open range; the
    stable `code` stays the same for clients.
    """

    def __init__(
        self, code: str, field: Sequence[str] | None = None, *, message_key: str | None = None, **params: object
    ) -> None:
        self.code = code
        self.field = list(field) if field else None
        self.message_key = message_key or code
        self.params: Mapping[str, object] = params
        super().__init__(f"{code} at {self.field} {dict(params)}")
