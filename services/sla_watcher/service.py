"""The watcher's long-running loop: set-up, a pass every `watch_interval` seconds, and a clean stop.

SIGTERM and SIGINT set a stop flag that is read between passes, so the pass
under way finishes (its claims are transactions, but its enqueues come after
them) before the process exits.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from typing import Any

from pymongo import AsyncMongoClient
from pymongo.errors import ConnectionFailure, OperationFailure

from shared.broker import build_broker
from shared.mongo import Database, database, ensure_indexes, make_client
from shared.settings import Settings

from services.sla_watcher.metrics import WatcherMetrics
from services.sla_watcher.watcher import Watcher

log = logging.getLogger(__name__)

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
CONNECT_RETRY_SECONDS = 5.0


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    """Sleep for `seconds`, or less when `stop` is set meanwhile."""
    try:
        await asyncio.wait_for(stop.wait(), timeout=max(seconds, 0.0))
    except TimeoutError:
        pass


async def _prepare_database(db: Database, stop: asyncio.Event) -> bool:
    """Create the indexes, retrying while MongoDB is unreachable; return False when stopped first."""
    while not stop.is_set():
        try:
            await ensure_indexes(db)
            return True
        except ConnectionFailure as exc:
            log.warning(
                "MongoDB is not reachable; retrying.", extra={"error": str(exc), "retryInSeconds": CONNECT_RETRY_SECONDS}
            )
            await _wait(stop, CONNECT_RETRY_SECONDS)
        except OperationFailure as exc:
            # E.g. an index of the same name with other options, left by an older version.
            log.error(
                "Creating the indexes failed; drop the conflicting index named in the error and start again.",
                extra={"error": str(exc), "code": exc.code},
            )
            raise
    return False


def _install_signal_handlers(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for signum in STOP_SIGNALS:
        loop.add_signal_handler(signum, _request_stop, stop, signum)


def _request_stop(stop: asyncio.Event, signum: signal.Signals) -> None:
    log.info("Stop requested; finishing the current scan.", extra={"signal": signal.Signals(signum).name})
    stop.set()


async def run_loop(watcher: Watcher, settings: Settings, stop: asyncio.Event) -> None:
    """Run passes until `stop` is set; a pass that filled its batch is followed at once by the next."""
    while not stop.is_set():
        try:
            report = await watcher.run_pass()
        except Exception:
            # Each step catches the errors it expects; anything else is a bug,
            # and one bad pass must not stop the alerts of the next ones.
            log.exception("Watcher pass failed unexpectedly; the next pass tries again.", extra={"watcher": watcher.watcher_id})
            await _wait(stop, settings.watch_interval)
            continue
        if report.batch_full and report.errors == 0:
            continue
        await _wait(stop, settings.watch_interval - report.seconds)


async def run_service(settings: Settings, stop: asyncio.Event | None = None) -> None:
    """Start the watcher and run it until SIGTERM, SIGINT or `stop`."""
    stop = stop or asyncio.Event()
    _install_signal_handlers(stop)
    client: AsyncMongoClient[dict[str, Any]] = make_client(settings)
    db = database(client, settings)
    broker = build_broker(settings)
    metrics = WatcherMetrics()
    metrics.serve(settings.watcher_metrics_host, settings.watcher_metrics_port)
    watcher = Watcher(db, broker, settings, metrics)

    log.info(
        "SLA watcher started.",
        extra={
            "watcher": watcher.watcher_id,
            "intervalSeconds": settings.watch_interval,
            "batchSize": settings.watch_batch_size,
            "database": settings.mongodb_database,
        },
    )
    try:
        if await _prepare_database(db, stop):
            await run_loop(watcher, settings, stop)
    finally:
        loop = asyncio.get_running_loop()
        for signum in STOP_SIGNALS:
            loop.remove_signal_handler(signum)
        broker.close()
        await client.close()
        log.info("SLA watcher stopped.", extra={"watcher": watcher.watcher_id})
