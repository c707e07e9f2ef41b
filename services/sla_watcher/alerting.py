"""Alerting one due complaint: plan, find recipients, claim, then enqueue.

A claim can lose a race to another watcher or to the gateway changing the
complaint. It is then planned again from a fresh read, a few times at most,
and what is still left goes to the next scan.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import dramatiq
from pymongo.errors import BulkWriteError, DuplicateKeyError, OperationFailure

from shared.complaints import clock_update, clocks_of, policy_of
from shared.mongo import COMPLAINTS, Database
from shared.notify.recipients import Recipient
from shared.timeutil import clock
from shared.workflow import OPEN_STATUSES, ComplaintStatus

from services.sla_watcher.catalogue import Catalogue
from services.sla_watcher.claim import ClaimConflict, ClaimOutcome, build_claim, commit_claim, complaint_guard
from services.sla_watcher.enqueue import enqueue_new_notifications
from services.sla_watcher.metrics import WatcherMetrics
from services.sla_watcher.recipients import stage_recipients
from services.sla_watcher.scan import claimed_keys, due_filter
from services.sla_watcher.stages_due import AlertPlan, ClaimKey, plan_alerts
from services.sla_watcher.transaction import TransactionBusyError

log = logging.getLogger(__name__)

MAX_CLAIM_ATTEMPTS = 3
DUPLICATE_KEY = 11000


def is_duplicate_claim(exc: Exception) -> bool:
    """Return whether `exc` is a duplicate key on the unique index of `alerts`: a stage claimed already."""
    if isinstance(exc, DuplicateKeyError):
        return True
    if isinstance(exc, BulkWriteError):
        errors = exc.details.get("writeErrors", [])
        return bool(errors) and all(error.get("code") == DUPLICATE_KEY for error in errors)
    return isinstance(exc, OperationFailure) and exc.code == DUPLICATE_KEY


@dataclass
class ComplaintResult:
    outcome: ClaimOutcome | None = None
    conflicts: int = 0
    repaired: bool = False


class ComplaintAlerter:
    """Claims the due alerts of one complaint at a time for one watcher."""

    def __init__(self, db: Database, broker: dramatiq.Broker, metrics: WatcherMetrics, watcher_id: str) -> None:
        self.db = db
        self.broker = broker
        self.metrics = metrics
        self.watcher_id = watcher_id

    async def alert(self, complaint: dict[str, Any], catalogue: Catalogue, claimed: set[ClaimKey]) -> ComplaintResult:
        """Claim what is due on `complaint`; `claimed` contains the keys already in `alerts`."""
        result = ComplaintResult()
        doc = complaint
        for _attempt in range(MAX_CLAIM_ATTEMPTS):
            now = clock.now()
            try:
                return await self._claim_once(doc, catalogue, claimed, now, result)
            except ClaimConflict:
                reason = "the complaint changed"
            except TransactionBusyError:
                return self._give_up_locked(complaint, result)
            except (DuplicateKeyError, BulkWriteError, OperationFailure) as exc:
                if not is_duplicate_claim(exc):
                    raise
                reason = "another watcher claimed a stage first"

            result.conflicts += 1
            self.metrics.conflicts.inc()
            log.debug("Claim lost a race; reading the complaint again.", extra={"complaintId": str(complaint["_id"]), "reason": reason})
            fresh = await self.db[COMPLAINTS].find_one({"_id": complaint["_id"], **due_filter(now)})
            if fresh is None:
                return result
            doc = fresh
            claimed = (await claimed_keys(self.db, [complaint["_id"]]))[complaint["_id"]]

        log.warning(
            "Claim lost every race; the next scan tries again.",
            extra={"complaintId": str(complaint["_id"]), "ticketNumber": complaint.get("ticketNumber"), "attempts": MAX_CLAIM_ATTEMPTS},
        )
        return result

    def _give_up_locked(self, complaint: dict[str, Any], result: ComplaintResult) -> ComplaintResult:
        result.conflicts += 1
        self.metrics.conflicts.inc()
        log.warning(
            "Claim timed out on write conflicts: another transaction locks the complaint. The next pass tries again.",
            extra={"complaintId": str(complaint["_id"]), "ticketNumber": complaint.get("ticketNumber")},
        )
        return result

    async def _claim_once(
        self, doc: dict[str, Any], catalogue: Catalogue, claimed: set[ClaimKey], now: datetime, result: ComplaintResult
    ) -> ComplaintResult:
        policy = policy_of(doc)
        calendar = catalogue.calendar(policy.calendar_code)
        status = ComplaintStatus(doc["status"])
        alertable = status in OPEN_STATUSES and not doc.get("imported")
        plan = plan_alerts(calendar, policy, clocks_of(doc), now, claimed) if alertable else AlertPlan()

        if plan.is_empty:
            result.repaired = await self._repair_next_alert(doc, catalogue, status)
            return result

        recipients: dict[str, list[Recipient]] = {}
        for clock_plan in plan.clocks:
            if clock_plan.sent is not None:
                recipients[clock_plan.kind] = await stage_recipients(self.db, doc, clock_plan.sent.stage)
                if not recipients[clock_plan.kind]:
                    log.warning(
                        "SLA alert has no recipient with an address; it is recorded without notifications.",
                        extra={"complaintId": str(doc["_id"]), "ticketNumber": doc.get("ticketNumber"), "stage": clock_plan.sent.stage.key},
                    )

        writes = build_claim(
            complaint=doc, catalogue=catalogue, calendar=calendar, plan=plan, recipients=recipients, now=now, claimed_by=self.watcher_id
        )
        result.outcome = await commit_claim(self.db, writes, now)
        self._record(result.outcome, now)
        await self._enqueue(result.outcome, now)
        return result

    async def _repair_next_alert(self, doc: dict[str, Any], catalogue: Catalogue, status: ComplaintStatus) -> bool:
        """Save a `nextAlertAt` worked out again when nothing is due at the stored one.

        This happens to a complaint whose stored instant is stale, e.g. a
        paused clock or an imported complaint: without the repair every
        scan would find it again.
        """
        policy = policy_of(doc)
        calendar = catalogue.calendar(policy.calendar_code)
        effective = ComplaintStatus.CLOSED if doc.get("imported") else status
        update = clock_update(calendar, policy, clocks_of(doc), effective)
        saved = await self.db[COMPLAINTS].update_one(complaint_guard(doc), update)
        log.info(
            "Nothing was due at the stored next alert instant; saved it again.",
            extra={
                "complaintId": str(doc["_id"]),
                "ticketNumber": doc.get("ticketNumber"),
                "stored": doc.get("nextAlertAt"),
                "nextAlertAt": update["$set"].get("nextAlertAt"),
            },
        )
        return saved.modified_count == 1

    def _record(self, outcome: ClaimOutcome, now: datetime) -> None:
        for sent in outcome.sent:
            lag = max((now - sent.threshold).total_seconds(), 0.0)
            self.metrics.alerts.labels(stage=sent.stage, status="sent").inc()
            self.metrics.alert_lag_seconds.observe(lag)
            log.info(
                "SLA alert sent.",
                extra={
                    "complaintId": str(sent.complaint_id),
                    "ticketNumber": sent.ticket_number,
                    "clock": sent.clock,
                    "cycle": sent.cycle,
                    "stage": sent.stage,
                    "skipped": list(sent.skipped),
                    "notifications": sent.notifications,
                    "notBefore": sent.not_before.isoformat(),
                    "lagSeconds": round(lag, 3),
                },
            )
        for _clock, stage in outcome.skipped:
            self.metrics.alerts.labels(stage=stage, status="skipped").inc()
        if outcome.superseded:
            self.metrics.superseded.inc(outcome.superseded)

    async def _enqueue(self, outcome: ClaimOutcome, now: datetime) -> None:
        try:
            await enqueue_new_notifications(self.broker, outcome.notifications, now)
        except Exception:
            # The documents are committed and pending, so the resend sweep
            # hands them to the broker later whatever went wrong here.
            self.metrics.errors.labels(step="enqueue").inc()
            log.exception(
                "Enqueueing alert notifications failed; the resend sweep will send them.",
                extra={"notificationIds": [str(doc["_id"]) for doc in outcome.notifications]},
            )
