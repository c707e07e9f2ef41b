"""`tanggap run`: the embedded development stack, as `make run` starts it."""

from __future__ import annotations

import argparse
import os
from typing import Any

from tanggap.commands import CommandError, load_settings


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    parser = subparsers.add_parser(
        "run",
        help="start the development stack: database, broker, mail sink, gateway, watcher and notifier",
        description=(
            "Start SecantusDB (unless TANGGAP_MONGODB_URI is set), Redis as the broker (unless "
            "TANGGAP_BROKER_URL is set), the SMTP sink, the demo data, the gateway, the SLA watcher "
            "and the notifier, each as its own process with its log under var/log/. Ctrl-C stops them all."
        ),
    )
    parser.add_argument(
        "--servers-only",
        action="store_true",
        help="start the database, broker and SMTP sink and load the demo data, but none of the three services",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tanggap.devstack.plan import build_plan
    from tanggap.devstack.ports import PortInUse
    from tanggap.devstack.runlock import StackAlreadyRunning
    from tanggap.devstack.supervisor import Supervisor

    settings = load_settings()
    plan = build_plan(settings, os.environ, servers_only=args.servers_only)
    try:
        return Supervisor(plan).run()
    except (PortInUse, StackAlreadyRunning) as exc:
        raise CommandError(str(exc)) from exc
