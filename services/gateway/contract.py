"""The schema as a contract: its SDL, and the changes between two versions that break clients.

`schema.graphql` at the top of the repository is generated from the code
(`tanggap export-schema > schema.graphql`) and committed. A test compares
it with the code and names every breaking change: a removed type or field,
a changed type, a new required argument. A breaking change is therefore a
decision, never an accident.
"""

from __future__ import annotations

from dataclasses import dataclass

from graphql import build_schema as parse_sdl
from graphql.utilities import find_breaking_changes, find_dangerous_changes

from shared.settings import Settings


def export_sdl(settings: Settings | None = None) -> str:
    """Return the schema's SDL as committed in schema.graphql, ending with one newline."""
    from services.gateway.schema import build_schema

    schema = build_schema(settings or Settings())
    return schema.as_str().rstrip("\n") + "\n"


@dataclass(frozen=True)
class SchemaChanges:
    breaking: list[str]
    dangerous: list[str]


def compare_sdl(old: str, new: str) -> SchemaChanges:
    """Return the changes from `old` to `new` that break clients, and those that may change their behaviour."""
    old_schema, new_schema = parse_sdl(old), parse_sdl(new)
    return SchemaChanges(
        breaking=[f"{change.type.name}: {change.description}" for change in find_breaking_changes(old_schema, new_schema)],
        dangerous=[f"{change.type.name}: {change.description}" for change in find_dangerous_changes(old_schema, new_schema)],
    )
