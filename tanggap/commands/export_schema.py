"""`tanggap export-schema`: print the GraphQL schema (SDL) the gateway serves; `schema.graphql` is its output."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from tanggap.commands import load_settings


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    parser = subparsers.add_parser(
        "export-schema",
        help="print the GraphQL schema in SDL",
        description="Print the gateway's GraphQL schema in SDL, as committed in schema.graphql (`make schema`).",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from services.gateway.contract import export_sdl

    sys.stdout.write(export_sdl(load_settings()))
    return 0
