"""The resend sweep and its repair of a lost enqueue."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

import redis
from bson import ObjectId

from shared.broker import build_broker
from shared.mongo import NOTIFICATIONS, Database
from shared.settings import Settings
from tanggap.servers import free_port

from services.sla_watcher.metrics import WatcherMetrics
from services.sla_watcher.watcher import Watcher
from tests.watcher.conftest import ComplaintFactory, queued_ids, run_at, wita


def notification(status: str, not_before: Any, updated_at: Any) -> dict[str, Any]:
    return {
        "_id": ObjectId(),
        "idempotencyKey": f"test:{ObjectId()}",
        "event": "status_changed",
        "status": status,
        "notBefore": not_before,
        "createdAt": updated_at,
        "updatedAt": updated_at,
    }


async def test_resend_sweep_requeues_lost_notifications(
    watcher: Watcher, seeded: Database, redis_client: redis.Redis
) -> None:
    # given: resend after 300 s (the default); the sweep at 10:10:00 takes pending
    # notifications whose not-before and last update are both at or before 10:05:00
    now = wita(3, 10, 10)
    lost = notification("pending", wita(3, 10), wita(3, 10, 5))
    docs = [
        lost,
        notification("pending", wita(3, 10), wita(3, 10, 5, 1)),  # updated 299 s ago
        notification("pending", wita(3, 10, 5, 1), wita(3, 9)),  # held until 10:05:01
        notification("sent", wita(3, 9), wita(3, 9)),
        notification("superseded", wita(3, 9), wita(3, 9)),
        notification("failed", wita(3, 9), wita(3, 9)),
        {**notification("sending", wita(3, 9), wita(3, 9)), "leaseUntil": wita(3, 10, 5, 1)},  # lease ends 299 s ago
    ]
    stuck = {**notification("sending", wita(3, 9), wita(3, 9)), "leaseUntil": wita(3, 10, 5)}
    docs.append(stuck)
    await seeded[NOTIFICATIONS].insert_many(docs)

    # when
    report = await run_at(watcher, now)

    # then: the lost pending one, and the one whose worker's lease ended 300 s ago
    assert report.resent == 2
    assert sorted(queued_ids(redis_client)) == sorted([str(lost["_id"]), str(stuck["_id"])])
    saved = await seeded[NOTIFICATIONS].find_one({"_id": lost["_id"]})
    assert saved["updatedAt"] == now
    assert saved["resends"] == 1

    # A repeated sweep leaves them alone. One second later the three others reach
    # the limit; five minutes after their resend the first two are due again.
    assert (await run_at(watcher, now)).resent == 0
    assert (await run_at(watcher, now + timedelta(seconds=1))).resent == 3
    assert (await run_at(watcher, now + timedelta(seconds=300))).resent == 2
    assert (await seeded[NOTIFICATIONS].find_one({"_id": lost["_id"]}))["resends"] == 2


async def test_failed_enqueue_repaired_by_resend(
    complaints: ComplaintFactory, seeded: Database, watcher_settings: Settings, redis_client: redis.Redis, broker: Any
) -> None:
    # given: a watcher whose broker is unreachable, as if it died between commit and enqueue
    unreachable = watcher_settings.model_copy(update={"broker_url": f"redis://127.0.0.1:{free_port()}/0"})
    broken = Watcher(seeded, build_broker(unreachable), watcher_settings, WatcherMetrics(), "broken", random.Random(1))
    doc = await complaints.insert(wita(2, 9))

    # when: warn-50 is claimed on Tue 10:00 but not enqueued
    report = await run_at(broken, wita(3, 10))

    # then: the claim is complete in the database, and nothing reached the broker
    assert report.sent == 1
    pending = [n async for n in seeded[NOTIFICATIONS].find({"complaintId": doc["_id"], "status": "pending"})]
    assert len(pending) == 4
    assert queued_ids(redis_client) == []

    # when: its own sweep five minutes later cannot reach the broker either
    failed_sweep = await run_at(broken, wita(3, 10, 5))

    # then: the pass goes on and reports the error; the sweep's claim moved the
    # notifications' updatedAt to 10:05, so the next try is due at 10:10
    assert failed_sweep.errors == 1
    assert failed_sweep.resent == 0

    # when: a healthy watcher sweeps before and after that
    healthy = Watcher(seeded, broker, watcher_settings, WatcherMetrics(), "healthy", random.Random(2))
    early = await run_at(healthy, wita(3, 10, 9, 59))
    late = await run_at(healthy, wita(3, 10, 10))

    # then
    assert early.resent == 0
    assert late.resent == 4
    assert sorted(queued_ids(redis_client)) == sorted(str(n["_id"]) for n in pending)
    broken.broker.close()
