"""The committed schema.graphql matches the code, and the schema documents itself."""

from __future__ import annotations

from pathlib import Path

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLScalarType,
)

from services.gateway.contract import compare_sdl, export_sdl
from services.gateway.schema import build_schema
from shared.settings import Settings

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schema.graphql"


def test_committed_schema_matches_code() -> None:
    committed = SCHEMA_FILE.read_text(encoding="utf-8")
    generated = export_sdl(Settings(environment="test"))

    changes = compare_sdl(committed, generated)

    assert not changes.breaking, "Breaking changes against schema.graphql:\n" + "\n".join(changes.breaking)
    assert committed == generated, (
        "schema.graphql is out of date; run `make schema` and commit it. Changes that may affect clients:\n"
        + "\n".join(changes.dangerous or ["(additions only)"])
    )


def test_compare_reports_removed_field_as_breaking() -> None:
    old = "type Query { complaint: Complaint }\ntype Complaint { ticketNumber: String! status: String! }"
    new = "type Query { complaint: Complaint }\ntype Complaint { ticketNumber: String! }"

    changes = compare_sdl(old, new)

    assert changes.breaking == ["FIELD_REMOVED: Field Complaint.status was removed."]


def test_compare_accepts_added_field() -> None:
    old = "type Query { complaint: Complaint }\ntype Complaint { ticketNumber: String! }"
    new = "type Query { complaint: Complaint }\ntype Complaint { ticketNumber: String! status: String }"

    assert compare_sdl(old, new).breaking == []


def test_every_type_field_and_argument_has_description() -> None:
    schema = build_schema(Settings(environment="test"))._schema
    missing = []
    for name, type_ in schema.type_map.items():
        if name.startswith("__") or name in ("String", "Int", "Float", "Boolean", "ID"):
            continue
        if not type_.description:
            missing.append(name)
        if isinstance(type_, (GraphQLObjectType, GraphQLInterfaceType, GraphQLInputObjectType)):
            for field_name, field in type_.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                for arg_name, arg in getattr(field, "args", {}).items():
                    if not arg.description:
                        missing.append(f"{name}.{field_name}({arg_name})")
        if isinstance(type_, GraphQLEnumType):
            missing.extend(f"{name}.{value}" for value, definition in type_.values.items() if not definition.description)
        if isinstance(type_, GraphQLScalarType) and not type_.description:
            missing.append(name)

    assert missing == []
