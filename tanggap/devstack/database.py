"""The configured MongoDB for one command, such as `tanggap seed`.

With `TANGGAP_MONGODB_URI` unset the embedded SecantusDB is the database. When
`tanggap run` is not running, the command starts SecantusDB on the same data
folder for its own duration and stops it afterwards.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pymongo.errors import PyMongoError

from shared.mongo import Database, database, make_client
from shared.settings import Settings
from tanggap.devstack.layout import VarLayout, display_path
from tanggap.servers import ServerStartError, is_listening, start_secantus, stop_process

log = logging.getLogger(__name__)

class DatabaseUnavailable(RuntimeError):
    """The configured MongoDB did not respond; the message names its URI and what to do."""


def redact_uri(uri: str) -> str:
    """Return the URI with its password replaced, so that it can be printed and logged."""
    return re.sub(r"//([^:/@]+):[^@/]*@", r"//\1:***@", uri)


@contextmanager
def embedded_database_for_command(settings: Settings, notice: Any = print) -> Iterator[bool]:
    """Start SecantusDB for the duration of the block when it is the database and not running.

    Yields whether it was started here. `notice` receives one sentence for the user.
    """
    if settings.mongodb_uri or is_listening(settings.embedded_mongodb_port):
        yield False
        return

    layout = VarLayout.from_settings(settings)
    layout.create()
    log_file = layout.log_file("secantus")
    try:
        process = start_secantus(layout.database, settings.embedded_mongodb_port, log_file)
    except ServerStartError as exc:
        raise DatabaseUnavailable(f"the embedded database did not start: {exc}; see {display_path(log_file)}") from exc

    notice(
        f"The embedded database was not running; started it for this command "
        f"on port {settings.embedded_mongodb_port} with the data in {display_path(layout.database)}."
    )
    try:
        yield True
    finally:
        stop_process(process, "SecantusDB")


async def ping(db: Database, settings: Settings) -> None:
    try:
        await db.command("ping")
    except PyMongoError as exc:
        uri = redact_uri(settings.effective_mongodb_uri)
        hint = "start it or fix TANGGAP_MONGODB_URI" if settings.mongodb_uri else "start it with `make run`"
        raise DatabaseUnavailable(f"MongoDB at {uri} did not respond ({type(exc).__name__}); {hint}") from exc


async def seed_configured_database(settings: Settings) -> dict[str, int]:
    """Load the demo data into the configured database and return the count created per kind."""
    from tanggap.seed import seed_demo

    client = make_client(settings)
    try:
        db = database(client, settings)
        await ping(db, settings)
        report = await seed_demo(db, settings)
    finally:
        await client.close()
    log.info("Seed finished.", extra={"created": report.created, "database": settings.mongodb_database})
    return dict(report.created)


def describe_seed(created: dict[str, int]) -> str:
    if not created:
        return "The demo data was already loaded; nothing new was created."
    parts = ", ".join(f"{count} {kind}" for kind, count in sorted(created.items()))
    return f"Created {parts}."
