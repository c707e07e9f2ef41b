"""`tanggap seed`: load the Makassar demo data into the configured MongoDB (idempotent)."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from tanggap.commands import CommandError, load_settings


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    parser = subparsers.add_parser(
        "seed",
        help="load the demo agencies, categories, calendars, SLA policies and officials",
        description=(
            "Load the Makassar demo data into TANGGAP_MONGODB_URI, or into the embedded database "
            "(started for this command when `tanggap run` is not running). Running it again creates nothing new."
        ),
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tanggap.devstack.database import (
        DatabaseUnavailable,
        describe_seed,
        embedded_database_for_command,
        redact_uri,
        seed_configured_database,
    )

    settings = load_settings()
    try:
        with embedded_database_for_command(settings):
            created = asyncio.run(seed_configured_database(settings))
    except DatabaseUnavailable as exc:
        raise CommandError(str(exc), exit_code=1) from exc

    print(f"Demo data in database {settings.mongodb_database!r} at {redact_uri(settings.effective_mongodb_uri)}.")
    print(describe_seed(created))
    return 0
