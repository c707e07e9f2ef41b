"""Transactions whose retries on write conflicts stop after a few seconds.

PyMongo's `with_transaction` retries transient errors (write conflicts) for
up to 120 s. A transaction left open by a killed process keeps its
documents locked until the server reaps it: after 60 s idle by default in
MongoDB (`transactionLifetimeLimitSeconds`) and in SecantusDB 0.7.0b3 (its
`transactions.py`). Retrying that long would stall a whole scan behind one
complaint, so the watcher gives up after `retry_for` seconds and leaves
the complaint to a later pass.

The limit is not PyMongo's client-side timeout (`pymongo.timeout`): once
that expires, `abortTransaction` is not sent either, and a statement that
had just taken its lock leaves the transaction open on the server for
another 60 s. Here every failed attempt is aborted before the next.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.errors import PyMongoError

from shared.mongo import Database

T = TypeVar("T")

RETRY_FOR_SECONDS = 3.0
FIRST_BACKOFF_SECONDS = 0.01
MAX_BACKOFF_SECONDS = 0.5
COMMIT_ATTEMPTS = 3

TRANSIENT = "TransientTransactionError"
UNKNOWN_COMMIT = "UnknownTransactionCommitResult"


class TransactionBusyError(Exception):
    """Write conflicts lasted longer than the retry time, because another transaction locks the documents."""


def _backoff(attempt: int) -> float:
    return random.random() * min(FIRST_BACKOFF_SECONDS * 2**attempt, MAX_BACKOFF_SECONDS)


async def _commit(session: AsyncClientSession) -> None:
    """Commit, retrying only the commit when its outcome is unknown (a lost reply)."""
    for attempt in range(1, COMMIT_ATTEMPTS + 1):
        try:
            await session.commit_transaction()
            return
        except PyMongoError as exc:
            if not exc.has_error_label(UNKNOWN_COMMIT) or attempt == COMMIT_ATTEMPTS:
                raise


async def run_transaction(
    db: Database, callback: Callable[[AsyncClientSession], Awaitable[T]], retry_for: float = RETRY_FOR_SECONDS
) -> T:
    """Run `callback` in a transaction, retried on transient errors for at most `retry_for` seconds.

    Raises `TransactionBusyError` when conflicts outlast that time; any other
    error of the callback or the commit is raised as it is, after an abort.
    """
    deadline = time.monotonic() + retry_for
    async with db.client.start_session() as session:
        attempt = 0
        while True:
            attempt += 1
            await session.start_transaction()
            try:
                result = await callback(session)
                await _commit(session)
                return result
            except BaseException as exc:
                if session.in_transaction:
                    await session.abort_transaction()
                if not isinstance(exc, PyMongoError) or not exc.has_error_label(TRANSIENT):
                    raise
                if time.monotonic() >= deadline:
                    raise TransactionBusyError(
                        f"write conflicts timed out after {retry_for:.0f} s and {attempt} attempts: another transaction locks the documents"
                    ) from exc
                await asyncio.sleep(_backoff(attempt))
