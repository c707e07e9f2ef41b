"""How top-level errors reach the client: a stable `extensions.code` and a message in the request's language.

Expected failures (`GatewayError`, a DateTime input without an offset, the
request limits, GraphQL syntax and validation errors) keep their meaning.
Anything else is a bug or an outage: it is logged with its traceback and a
reference number, and the client sees only INTERNAL_SERVER_ERROR with that
reference. The extension keeps no state between requests, so one request's
error never shows in another's response.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

from graphql import GraphQLError, GraphQLSyntaxError
from strawberry.extensions import SchemaExtension

from services.gateway.errors import GatewayError
from services.gateway.messages import DEFAULT_LOCALE, translate
from services.gateway.schema.scalars import DateTimeInputError, reason_from_text

log = logging.getLogger(__name__)

# Errors from graphql-core and Strawberry's limit extensions carry no code, so they are recognised by their English text.
_LIMIT_PATTERNS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"exceeds maximum operation depth of (\d+)"), "QUERY_TOO_DEEP", "limit"),
    (re.compile(r"aliases found\. Allowed: (\d+)"), "TOO_MANY_ALIASES", "limit"),
    (re.compile(r"Document contains more than (\d+) tokens"), "TOO_MANY_TOKENS", "limit"),
)
_INTROSPECTION = "introspection has been disabled"
# graphql-core 3.3 keeps only the text of a scalar's error when it coerces a variable.
_DATETIME_TEXT = re.compile(r"'(?P<value>[^']*)' is not a DateTime: (?P<reason>[^;]+);")


class PresentedError(GraphQLError):
    """An error already given its code and translated message; presenting it again changes nothing."""


def _rebuilt(error: GraphQLError, message: str, code: str) -> GraphQLError:
    return PresentedError(
        message, nodes=error.nodes, source=error.source, positions=error.positions, path=error.path, extensions={"code": code}
    )


def classify(error: GraphQLError) -> tuple[str, dict[str, object]] | None:
    """Return the code and message parameters of an expected error, or None for an unexpected one."""
    original = error.original_error
    if isinstance(original, GatewayError):
        return original.code, dict(original.params)
    if isinstance(original, DateTimeInputError):
        return "INVALID_DATETIME", {"value": original.value, "reason": original.reason}
    if original is not None and not isinstance(original, GraphQLError):
        return None

    extensions = error.extensions or {}
    if "code" in extensions:
        return str(extensions["code"]), {k: v for k, v in extensions.items() if k != "code"}
    if match := _DATETIME_TEXT.search(error.message):
        return "INVALID_DATETIME", {"value": match.group("value"), "reason": reason_from_text(match.group("reason"))}
    for pattern, code, parameter in _LIMIT_PATTERNS:
        if match := pattern.search(error.message):
            return code, {parameter: match.group(1)}
    if _INTROSPECTION in error.message:
        return "INTROSPECTION_DISABLED", {}
    if isinstance(error, GraphQLSyntaxError):
        return "GRAPHQL_PARSE_FAILED", {"detail": error.message}
    if error.message.startswith("Variable '$"):
        return "BAD_USER_INPUT", {"detail": error.message}
    return "GRAPHQL_VALIDATION_FAILED", {"detail": error.message}


def present(error: GraphQLError, locale: str, operation: str | None) -> GraphQLError:
    """Return the error as the client sees it."""
    if isinstance(error, PresentedError):
        return error
    known = classify(error)
    if known is not None:
        code, params = known
        message_key = error.original_error.message_key if isinstance(error.original_error, GatewayError) else code
        return _rebuilt(error, translate(message_key, locale, params), code)

    reference = uuid.uuid4().hex[:12]
    original = error.original_error
    log.error(
        "Unexpected error in %s at %s (reference %s).",
        operation or "an anonymous operation",
        ".".join(str(p) for p in error.path or []),
        reference,
        exc_info=(type(original), original, original.__traceback__) if original else None,
        extra={"reference": reference},
    )
    return _rebuilt(error, translate("INTERNAL_SERVER_ERROR", locale, {"reference": reference}), "INTERNAL_SERVER_ERROR")


def present_result(result: Any, context: Any, operation: str | None) -> None:
    """Replace the errors of one result in place, and count them by code."""
    if result is None or not getattr(result, "errors", None):
        return
    locale = getattr(context, "locale", DEFAULT_LOCALE)
    fresh = [error for error in result.errors if not isinstance(error, PresentedError)]
    result.errors = [present(error, locale, operation) for error in result.errors]
    metrics = getattr(getattr(context, "services", None), "metrics", None)
    if metrics is not None and fresh:
        for error in result.errors[-len(fresh):]:
            metrics.graphql_errors.labels(str((error.extensions or {}).get("code"))).inc()


class ErrorPolicy(SchemaExtension):
    """Give every top-level error of a query or mutation a code and a translated message, and mask unexpected ones.

    Results streamed over WebSocket pass through `present_stream` instead.
    """

    def on_operation(self) -> Iterator[None]:
        yield
        present_result(self.execution_context.result, self.execution_context.context, self.execution_context.operation_name)


async def present_stream(results: AsyncIterator[Any], context: Any, operation: str | None) -> AsyncIterator[Any]:
    """Yield streamed results with their errors presented like those of a single result."""
    try:
        async for result in results:
            present_result(result, context, operation)
            yield result
    finally:
        await results.aclose()  # type: ignore[attr-defined]
