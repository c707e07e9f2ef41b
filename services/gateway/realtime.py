"""Following one complaint through a MongoDB change stream, surviving interrupted and silent streams.

The stream is filtered to the complaint's `_id` and reads full documents.
When it fails, it is reopened from the last resume token; when that fails
too, it is reopened from now. SecantusDB can deliver an event for a write a
crash then loses, and a stream resumed from such a token returns nothing
ever after, without an error. The driver also resumes by itself on some
errors, so a silent stream cannot always be seen as an error. Hence the
complaint is read again after every resume and whenever the stream has
been idle for `recheck_seconds`. If it changed without an event, the stream
is presumed broken: the current document is delivered and a new stream is
opened from now.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from bson import ObjectId
from pymongo.errors import PyMongoError

from shared.mongo import COMPLAINTS, Database

log = logging.getLogger(__name__)

Document = dict[str, Any]
StreamOpener = Callable[[Database, list[dict[str, Any]], Any, int], Awaitable[Any]]

RETRY_DELAY_SECONDS = 1.0


async def open_change_stream(db: Database, pipeline: list[dict[str, Any]], resume_after: Any, max_await_ms: int) -> Any:
    return await db[COMPLAINTS].watch(
        pipeline, full_document="updateLookup", resume_after=resume_after, max_await_time_ms=max_await_ms
    )


def version_of(doc: Document | None) -> tuple[Any, Any]:
    """Return what changes with every write to a complaint: its revision and update instant."""
    if doc is None:
        return (None, None)
    return (doc.get("revision"), doc.get("updatedAt"))


class ComplaintWatch:
    """Yield the complaint each time it changes, until the consumer stops iterating."""

    def __init__(
        self,
        db: Database,
        complaint_id: ObjectId,
        *,
        recheck_seconds: float = 30.0,
        max_await_ms: int = 1000,
        open_stream: StreamOpener = open_change_stream,
    ) -> None:
        self.db = db
        self.complaint_id = complaint_id
        self.recheck_seconds = recheck_seconds
        self.max_await_ms = max_await_ms
        self.open_stream = open_stream
        self.pipeline = [{"$match": {"documentKey._id": complaint_id}}]
        self.resume_token: Any = None
        self.seen = (None, None)
        self.restarts = 0
        self.finished = False

    async def _read(self) -> Document | None:
        return await self.db[COMPLAINTS].find_one({"_id": self.complaint_id})

    async def _open(self) -> Any:
        if self.resume_token is not None:
            try:
                return await self.open_stream(self.db, self.pipeline, self.resume_token, self.max_await_ms)
            except PyMongoError as exc:
                log.warning("Could not resume the change stream of complaint %s; starting from now: %s", self.complaint_id, exc)
                self.resume_token = None
        return await self.open_stream(self.db, self.pipeline, None, self.max_await_ms)

    async def _changed_without_event(self) -> Document | None:
        """Return the complaint when it differs from the last version delivered, else None."""
        doc = await self._read()
        if doc is not None and version_of(doc) != self.seen:
            return doc
        return None

    async def updates(self) -> AsyncIterator[Document]:
        self.seen = version_of(await self._read())
        log.debug("Watching complaint %s.", self.complaint_id)
        try:
            while not self.finished:
                async for doc in self._follow_one_stream():
                    yield doc
                self.restarts += 1
        finally:
            log.debug("Stopped watching complaint %s.", self.complaint_id)

    async def _follow_one_stream(self) -> AsyncIterator[Document]:
        """Yield changes from one stream; return when it must be replaced."""
        resumed = self.resume_token is not None
        try:
            stream = await self._open()
        except PyMongoError as exc:
            log.warning("Could not open the change stream of complaint %s: %s; retrying.", self.complaint_id, exc)
            await asyncio.sleep(RETRY_DELAY_SECONDS)
            return

        try:
            if resumed and (missed := await self._changed_without_event()) is not None:
                yield self._deliver(missed)
            loop = asyncio.get_running_loop()
            since = loop.time()
            while True:
                change = await stream.try_next()
                if change is None:
                    if loop.time() - since >= self.recheck_seconds:
                        since = loop.time()
                        if (missed := await self._changed_without_event()) is not None:
                            log.warning(
                                "The change stream of complaint %s missed a change; restarting it from now.", self.complaint_id
                            )
                            self.resume_token = None
                            yield self._deliver(missed)
                            return
                    continue
                since = loop.time()
                self.resume_token = stream.resume_token
                doc = change.get("fullDocument")
                if change.get("operationType") == "delete":
                    self.finished = True
                    return
                if doc is not None and version_of(doc) != self.seen:
                    yield self._deliver(doc)
        except PyMongoError as exc:
            log.warning("The change stream of complaint %s failed: %s; resuming.", self.complaint_id, exc)
            await asyncio.sleep(RETRY_DELAY_SECONDS)
        finally:
            await stream.close()

    def _deliver(self, doc: Document) -> Document:
        self.seen = version_of(doc)
        return doc
