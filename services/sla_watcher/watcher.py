"""One pass of the SLA watcher: alert due complaints, close expired resolved ones, resend lost messages.

Each step catches and logs its own errors, so a failing step does not
keep the others from running; the next pass tries again.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import time
import uuid
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import dramatiq
import redis
from pymongo.errors import PyMongoError

from shared.mongo import Database
from shared.settings import Settings
from shared.sla.calendar_store import CalendarNotFoundError
from shared.timeutil import clock

from services.sla_watcher.alerting import ComplaintAlerter
from services.sla_watcher.autoclose import close_due_complaints
from services.sla_watcher.catalogue import Catalogue, load_catalogue
from services.sla_watcher.metrics import WatcherMetrics
from services.sla_watcher.resend import resend_lost_notifications
from services.sla_watcher.scan import claimed_keys, due_complaint_ids, groups_in_random_order, still_due
from services.sla_watcher.stages_due import ClaimKey

log = logging.getLogger(__name__)


def make_watcher_id() -> str:
    """Return an id for this process, written on its claims to trace them: host, pid and a random part."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


@dataclass
class PassReport:
    due: int = 0
    sent: int = 0
    skipped: int = 0
    superseded: int = 0
    conflicts: int = 0
    repaired: int = 0
    closed: int = 0
    resent: int = 0
    errors: int = 0
    batch_full: bool = False
    seconds: float = 0.0


class Watcher:
    def __init__(
        self,
        db: Database,
        broker: dramatiq.Broker,
        settings: Settings,
        metrics: WatcherMetrics | None = None,
        watcher_id: str | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.db = db
        self.broker = broker
        self.settings = settings
        self.metrics = metrics or WatcherMetrics()
        self.watcher_id = watcher_id or make_watcher_id()
        self.rng = rng or random.Random()
        self.alerter = ComplaintAlerter(db, broker, self.metrics, self.watcher_id)
        # Errors that repeat on every pass (a deleted calendar) are logged once per complaint.
        self._reported: set[tuple[str, str]] = set()

    async def run_pass(self) -> PassReport:
        """Run every step once and log the pass's counts and duration."""
        started = time.perf_counter()
        now = clock.now()
        report = PassReport()
        try:
            catalogue = await load_catalogue(self.db, self.settings.timezone)
        except PyMongoError:
            report.errors += 1
            self.metrics.errors.labels(step="catalogue").inc()
            log.exception("Reading the catalogue failed; the pass is skipped.", extra={"watcher": self.watcher_id})
            return report

        await self._step("alerts", report, self.scan_alerts(catalogue, now, report))
        await self._step("auto_close", report, self._close(catalogue, now, report))
        await self._step("resend", report, self._resend(now, report))

        report.seconds = time.perf_counter() - started
        self.metrics.scan_seconds.observe(report.seconds)
        log.info(
            "Scan finished.",
            extra={
                "watcher": self.watcher_id,
                "due": report.due,
                "sent": report.sent,
                "skipped": report.skipped,
                "superseded": report.superseded,
                "conflicts": report.conflicts,
                "closed": report.closed,
                "resent": report.resent,
                "errors": report.errors,
                "durationSeconds": round(report.seconds, 3),
            },
        )
        return report

    async def _step(self, name: str, report: PassReport, work: Awaitable[None]) -> None:
        try:
            await work
        except (PyMongoError, dramatiq.errors.DramatiqError, redis.RedisError, OSError):
            report.errors += 1
            self.metrics.errors.labels(step=name).inc()
            log.exception("Watcher step failed; the next pass tries again.", extra={"step": name, "watcher": self.watcher_id})

    async def scan_alerts(self, catalogue: Catalogue, now: datetime, report: PassReport) -> None:
        """Claim the alerts of complaints due at `now`, in random groups (see `scan`)."""
        ids = await due_complaint_ids(self.db, now, self.settings.watch_batch_size)
        report.due = len(ids)
        report.batch_full = len(ids) >= self.settings.watch_batch_size

        for group in groups_in_random_order(ids, self.rng):
            docs = await still_due(self.db, group, now)
            if not docs:
                continue
            claimed = await claimed_keys(self.db, [doc["_id"] for doc in docs])
            for doc in docs:
                await self._alert_one(doc, catalogue, claimed[doc["_id"]], report)

    async def _alert_one(self, doc: dict[str, Any], catalogue: Catalogue, claimed: set[ClaimKey], report: PassReport) -> None:
        ids = {"complaintId": str(doc["_id"]), "ticketNumber": doc.get("ticketNumber"), "watcher": self.watcher_id}
        try:
            result = await self.alerter.alert(doc, catalogue, claimed)
        except CalendarNotFoundError as exc:
            report.errors += 1
            self.metrics.errors.labels(step="alerts").inc()
            key = (str(doc["_id"]), "calendar")
            if key not in self._reported:
                self._reported.add(key)
                log.error("Complaint's calendar is missing; it cannot be alerted.", extra={**ids, "error": str(exc)})
            return
        except (PyMongoError, ValueError, KeyError):
            # One malformed or unlucky complaint must not stop the others.
            report.errors += 1
            self.metrics.errors.labels(step="alerts").inc()
            log.exception("Alerting a complaint failed; the next pass tries again.", extra=ids)
            return

        report.conflicts += result.conflicts
        report.repaired += int(result.repaired)
        if result.outcome is not None:
            report.sent += len(result.outcome.sent)
            report.skipped += len(result.outcome.skipped)
            report.superseded += result.outcome.superseded

    async def _close(self, catalogue: Catalogue, now: datetime, report: PassReport) -> None:
        report.closed = await close_due_complaints(
            self.db, self.broker, catalogue, self.settings, now, self.settings.watch_batch_size
        )
        self.metrics.auto_closed.inc(report.closed)

    async def _resend(self, now: datetime, report: PassReport) -> None:
        resend_after = timedelta(seconds=self.settings.notification_resend_after)
        report.resent = await resend_lost_notifications(self.db, self.broker, now, resend_after, self.settings.watch_batch_size)
        self.metrics.resent.inc(report.resent)
