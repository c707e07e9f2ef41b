"""A guard that runs before validation: the number of fields a document selects once every fragment is expanded.

Strawberry's depth and alias limiters (0.341) and our cost rule walk every
fragment spread again each time it occurs. A few hundred bytes of fragments
that each spread the previous one twice expand to 2**40 fields, and that
walk would block the event loop for days: 17 levels took 0.27 s on a
2-core development machine, and each level doubles it. This guard counts the expanded fields with one pass
per fragment, and rejects the document as QUERY_TOO_COMPLEX before any other
rule walks it. Each expanded field costs at least 1 in the cost estimate, so
a document this guard rejects would fail the cost limit too. It also reports
a spread of an unknown fragment, on which Strawberry's depth limiter would
raise KeyError.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    SelectionSetNode,
)
from strawberry.extensions import SchemaExtension


class _FieldCounter:
    def __init__(self, document: DocumentNode) -> None:
        self.fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        self.counted: dict[str, int] = {}
        self.in_progress: set[str] = set()
        self.unknown: list[str] = []

    def count(self, selection_set: SelectionSetNode | None) -> int:
        if selection_set is None:
            return 0
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += 1 + self.count(selection.selection_set)
            elif isinstance(selection, InlineFragmentNode):
                total += self.count(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                total += self.fragment(selection.name.value)
        return total

    def fragment(self, name: str) -> int:
        # A cycle counts 0 here, and validation reports it.
        if name in self.counted:
            return self.counted[name]
        definition = self.fragments.get(name)
        if definition is None:
            self.unknown.append(name)
            return 0
        if name in self.in_progress:
            return 0
        self.in_progress.add(name)
        self.counted[name] = self.count(definition.selection_set)
        self.in_progress.discard(name)
        return self.counted[name]


def expanded_field_count(document: DocumentNode) -> tuple[int, list[str]]:
    """Return how many fields the operations select once every fragment is expanded, and the unknown fragments spread."""
    counter = _FieldCounter(document)
    operations = [d for d in document.definitions if not isinstance(d, FragmentDefinitionNode)]
    total = sum(counter.count(getattr(d, "selection_set", None)) for d in operations)
    return total, counter.unknown


def _errors(document: DocumentNode, max_fields: int) -> list[GraphQLError]:
    count, unknown = expanded_field_count(document)
    if unknown:
        # Strawberry's depth limiter raises KeyError on an unknown fragment, so it is reported here, as graphql-core words it.
        return [GraphQLError(f"Unknown fragment '{name}'.") for name in dict.fromkeys(unknown)]
    if count > max_fields:
        message = f"the document expands to {count} fields, more than the limit {max_fields}"
        return [GraphQLError(message, extensions={"code": "QUERY_TOO_COMPLEX", "cost": count, "limit": max_fields})]
    return []


def expansion_limiter(max_fields: int) -> type[SchemaExtension]:
    """Return an extension that rejects documents expanding to more than `max_fields` fields, before validation runs."""

    class FragmentExpansionLimiter(SchemaExtension):
        def on_validate(self) -> Iterator[None]:
            context = self.execution_context
            document = context.graphql_document
            if document is not None and context.pre_execution_errors is None:
                # Strawberry skips validation when errors are already set.
                context.pre_execution_errors = _errors(document, max_fields) or None
            yield

    return FragmentExpansionLimiter
