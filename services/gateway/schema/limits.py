"""The cost limit: an estimate of how much work a request needs, fragments included.

Each field costs 1 for every time it is resolved. A list multiplies what
it contains by its expected length: `first` of a connection (the maximum
page size when it comes from a variable, the default page size when it is
absent), `last` of a timeline, else `ASSUMED_LIST_LENGTH`. The lists of a
connection type itself (`edges`, `nodes`) are already counted by `first`.
Depth, aliases and tokens are limited by Strawberry's own extensions.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    VariableNode,
    get_named_type,
)

ASSUMED_LIST_LENGTH = 10
PAGINATION_ARGUMENTS = ("first", "last")


def _is_list(type_: Any) -> bool:
    while isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    return isinstance(type_, GraphQLList)


class CostEstimator:
    def __init__(self, schema: GraphQLSchema, fragments: dict[str, FragmentDefinitionNode], default_page: int, max_page: int) -> None:
        self.schema = schema
        self.fragments = fragments
        self.default_page = default_page
        self.max_page = max_page

    def _length(self, node: FieldNode, field_type: Any, parent: Any) -> int:
        """Return how many times the field's selection is resolved per parent."""
        for argument in node.arguments or ():
            if argument.name.value in PAGINATION_ARGUMENTS:
                if isinstance(argument.value, IntValueNode):
                    return max(int(argument.value.value), 0)
                if isinstance(argument.value, VariableNode):
                    return self.max_page
        if get_named_type(field_type).name.endswith("Connection"):
            return self.default_page
        if parent.name.endswith("Connection"):
            return 1
        return ASSUMED_LIST_LENGTH if _is_list(field_type) else 1

    def cost(self, selection_set: SelectionSetNode | None, parent: Any, multiplier: int, visited: frozenset[str]) -> int:
        if selection_set is None or not isinstance(parent, (GraphQLObjectType, GraphQLInterfaceType)):
            return 0
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self._field_cost(selection, parent, multiplier, visited)
            elif isinstance(selection, InlineFragmentNode):
                condition = self.schema.get_type(selection.type_condition.name.value) if selection.type_condition else parent
                total += self.cost(selection.selection_set, condition, multiplier, visited)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in visited:
                    continue
                condition = self.schema.get_type(fragment.type_condition.name.value)
                total += self.cost(fragment.selection_set, condition, multiplier, visited | {name})
        return total

    def _field_cost(self, node: FieldNode, parent: Any, multiplier: int, visited: frozenset[str]) -> int:
        if node.name.value.startswith("__"):
            return multiplier
        field = parent.fields.get(node.name.value)
        if field is None:
            return multiplier
        inner = multiplier * self._length(node, field.type, parent)
        return multiplier + self.cost(node.selection_set, get_named_type(field.type), inner, visited)


def cost_limit_rule(max_cost: int, default_page: int, max_page: int) -> type[ValidationRule]:
    """Return a validation rule that rejects operations whose estimated cost exceeds `max_cost`."""

    class QueryCostRule(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            document = context.document
            fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
            estimator = CostEstimator(context.schema, fragments, default_page, max_page)
            for definition in document.definitions:
                if not isinstance(definition, OperationDefinitionNode):
                    continue
                root = context.schema.get_root_type(definition.operation or OperationType.QUERY)
                cost = estimator.cost(definition.selection_set, root, 1, frozenset())
                if cost > max_cost:
                    context.report_error(
                        GraphQLError(
                            f"estimated cost {cost} exceeds the limit {max_cost}",
                            definition,
                            extensions={"code": "QUERY_TOO_COMPLEX", "cost": cost, "limit": max_cost},
                        )
                    )

    return QueryCostRule
