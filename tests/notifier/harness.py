"""Run a real Dramatiq worker in-process and read what reached the SMTP server and the SMS gateway."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from email.parser import BytesHeaderParser
from pathlib import Path

import dramatiq

from services.notifier.setup import build_notifier_broker, declare_deliver_actor
from shared.mongo import NOTIFICATIONS, Database
from shared.settings import Settings

WORKER_TIMEOUT_MS = 100


@contextmanager
def running_worker(settings: Settings, threads: int = 4) -> Iterator[dramatiq.Broker]:
    """Start a worker on a broker built from `settings`; stop it and close the broker on exit."""
    broker = build_notifier_broker(settings)
    declare_deliver_actor(broker)
    worker = dramatiq.Worker(broker, worker_threads=threads, worker_timeout=WORKER_TIMEOUT_MS)
    worker.start()
    try:
        yield broker
    finally:
        worker.stop(timeout=15_000)
        broker.close()


async def wait_for(check: Callable[[], Awaitable[bool]], timeout: float, what: str, interval: float = 0.5) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if await check():
            return
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        await asyncio.sleep(interval)


async def status_count_is(db: Database, status: str, expected: int) -> bool:
    """Return True once `expected` notifications of the test's database have `status`.

    Each test has a database of its own, so counting by status alone is
    enough. A filter on hundreds of ids makes SecantusDB scan far longer.
    """
    return await db[NOTIFICATIONS].count_documents({"status": status}) >= expected


def mail_counts(directory: Path) -> Counter[str]:
    """Return how many stored mails carry each Message-ID."""
    parser = BytesHeaderParser()
    counts: Counter[str] = Counter()
    for path in directory.glob("*.eml"):
        with path.open("rb") as handle:
            counts[str(parser.parse(handle).get("Message-ID", ""))] += 1
    return counts
