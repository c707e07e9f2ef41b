"""The GraphQL schema, built from settings: types, limits, error policy and introspection switch."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from functools import partial
from typing import Any

import strawberry
from graphql import GraphQLError, OperationType
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from services.gateway.schema.error_policy import ErrorPolicy, present_result, present_stream
from services.gateway.schema.expansion_limit import expansion_limiter
from services.gateway.schema.limits import cost_limit_rule
from services.gateway.schema.mutations.catalogue import CatalogueMutations
from services.gateway.schema.mutations.complaints import ComplaintMutations
from services.gateway.schema.query import Query
from services.gateway.schema.scalars import DATETIME_SCALAR
from services.gateway.schema.subscription import Subscription
from shared.settings import Settings


@strawberry.type(description="Everything that can be changed. Expected failures come back in each payload's `errors`.")
class Mutation(ComplaintMutations, CatalogueMutations):
    pass


class GatewaySchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        """Leave logging to `ErrorPolicy`, which logs each unexpected error once, with the reference returned to the client."""

    async def execute(  # type: ignore[override]
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        allowed_operation_types: Iterable[OperationType] | None = None,
        operation_extensions: dict[str, Any] | None = None,
    ) -> Any:
        """Execute as Strawberry does, then present the errors again.

        Strawberry turns an exception raised while parsing or validating (by a
        validation rule, say) into an error after `ErrorPolicy` has had its turn,
        with the exception's text as the message. Presenting is idempotent, so
        this only masks and logs what slipped past.
        """
        result = await super().execute(
            query, variable_values, context_value, root_value, operation_name, allowed_operation_types, operation_extensions
        )
        present_result(result, context_value, operation_name)
        return result

    async def stream(  # type: ignore[override]
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        operation_extensions: dict[str, Any] | None = None,
        allowed_operation_types: Iterable[OperationType] | None = None,
    ) -> Any:
        """Stream results (subscriptions over WebSocket) with errors presented as `ErrorPolicy` does."""
        results = await super().stream(
            query, variable_values, context_value, root_value, operation_name, operation_extensions, allowed_operation_types
        )
        if not hasattr(results, "__aiter__"):
            present_result(results, context_value, operation_name)
            return results
        return present_stream(results, context_value, operation_name)


def schema_extensions(settings: Settings) -> list[Callable[[], SchemaExtension]]:
    """Return factories, so that every request gets fresh extension objects."""
    cost_rule = cost_limit_rule(settings.max_query_cost, settings.default_page_size, settings.max_page_size)
    extensions: list[Callable[[], SchemaExtension]] = [
        ErrorPolicy,
        expansion_limiter(settings.max_query_cost),
        partial(QueryDepthLimiter, max_depth=settings.max_query_depth),
        partial(MaxAliasesLimiter, max_alias_count=settings.max_query_aliases),
        partial(MaxTokensLimiter, max_token_count=settings.max_query_tokens),
        partial(AddValidationRules, [cost_rule]),
    ]
    if not settings.introspection:
        extensions.append(DisableIntrospection)
    return extensions


def build_schema(settings: Settings) -> strawberry.Schema:
    return GatewaySchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=schema_extensions(settings),
        config=StrawberryConfig(
            scalar_map={datetime: DATETIME_SCALAR},
            disable_field_suggestions=not settings.field_suggestions,
        ),
    )
