"""Several watchers at once, and a claim racing a gateway edit."""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from typing import Any

import redis
from pymongo import AsyncMongoClient

from shared.broker import build_broker
from shared.complaints import clocks_of, policy_of
from shared.mongo import ALERTS, COMPLAINT_EVENTS, COMPLAINTS, NOTIFICATIONS, Database
from shared.settings import Settings
from shared.timeutil import clock

from services.sla_watcher.catalogue import load_catalogue
from services.sla_watcher.claim import ClaimConflict, build_claim, commit_claim
from services.sla_watcher.metrics import WatcherMetrics
from services.sla_watcher.recipients import stage_recipients
from services.sla_watcher.stages_due import plan_alerts
from services.sla_watcher.watcher import Watcher
from tests.watcher.conftest import ComplaintFactory, queued_ids, run_at, wita

DUE_COMPLAINTS = 200


async def test_two_watchers_alert_once_per_stage(
    complaints: ComplaintFactory, seeded: Database, watcher_settings: Settings, redis_client: redis.Redis
) -> None:
    # given: 200 complaints filed Mon 09:00. On Tue 10:00 the response clock is at
    # 25 h / 48 h = 0.52 (warn-50 came at Tue 09:00) and the resolution clock at
    # 9 / 23 working hours = 0.39, so each complaint has exactly one due stage.
    docs = [await complaints.doc(wita(2, 9)) for _ in range(DUE_COMPLAINTS)]
    await seeded[COMPLAINTS].insert_many(docs)
    clients: list[AsyncMongoClient[dict[str, Any]]] = []
    watchers = []
    for name, seed in (("watcher-a", 1), ("watcher-b", 2)):
        client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(watcher_settings.effective_mongodb_uri, tz_aware=True, journal=True)
        db = client[watcher_settings.mongodb_database]
        watchers.append(Watcher(db, build_broker(watcher_settings), watcher_settings, WatcherMetrics(), name, random.Random(seed)))
        clients.append(client)

    # when: both scan at the same time
    clock.freeze(wita(3, 10))
    reports = await asyncio.gather(*(watcher.run_pass() for watcher in watchers))
    again = await asyncio.gather(*(watcher.run_pass() for watcher in watchers))

    # then: one alert per complaint, claimed by one watcher or the other
    assert sum(report.sent for report in reports) == DUE_COMPLAINTS
    assert all(report.sent > 0 for report in reports)
    # Random orders and re-reads keep races rare: about 1 in 10 complaints on the
    # development machines; half would mean the two walked the same order.
    assert sum(report.conflicts for report in reports) < DUE_COMPLAINTS // 2
    assert sum(report.sent for report in again) == 0
    stages = Counter([(a["complaintId"], a["clock"], a["cycle"], a["stage"]) async for a in seeded[ALERTS].find({})])
    assert len(stages) == DUE_COMPLAINTS
    assert set(stages.values()) == {1}
    assert {key[1:] for key in stages} == {("response", 1, "warn-50")}
    assert await seeded[COMPLAINT_EVENTS].count_documents({"kind": "sla_alert"}) == DUE_COMPLAINTS

    # Each alert notifies the two DLH officers by e-mail and SMS: 4 x 200 documents,
    # each enqueued exactly once.
    notification_ids = [str(doc["_id"]) async for doc in seeded[NOTIFICATIONS].find({}, {"_id": 1})]
    assert len(notification_ids) == 4 * DUE_COMPLAINTS
    queued = queued_ids(redis_client)
    assert len(queued) == len(set(queued))
    assert set(queued) == set(notification_ids)

    async for saved in seeded[COMPLAINTS].find({}):
        assert saved["clocks"]["response"]["alerted"] == ["warn-50"]
        assert saved["nextAlertAt"] == wita(3, 12, 30)
    for watcher, client in zip(watchers, clients):
        watcher.broker.close()
        await client.close()


async def test_claim_loses_to_concurrent_gateway_edit(
    watcher: Watcher, complaints: ComplaintFactory, seeded: Database
) -> None:
    # given: a claim planned from a read of the complaint (response warn-50 due on Tue 10:00)
    doc = await complaints.insert(wita(2, 9))
    now = wita(3, 10)
    clock.freeze(now)
    catalogue = await load_catalogue(seeded, "Asia/Makassar")
    calendar = catalogue.calendar("office")
    plan = plan_alerts(calendar, policy_of(doc), clocks_of(doc), now)
    recipients = {"response": await stage_recipients(seeded, doc, plan.clocks[0].sent.stage)}  # type: ignore[union-attr]
    writes = build_claim(complaint=doc, catalogue=catalogue, calendar=calendar, plan=plan, recipients=recipients, now=now, claimed_by="stale")

    # when: an official assigns the complaint before the claim commits
    await seeded[COMPLAINTS].update_one({"_id": doc["_id"]}, {"$set": {"assignedTo": "dlh-officer-1"}})
    try:
        await commit_claim(seeded, writes, now)
        conflict = False
    except ClaimConflict:
        conflict = True

    # then: the stale claim writes nothing
    assert conflict
    assert await seeded[ALERTS].count_documents({}) == 0
    assert await seeded[NOTIFICATIONS].count_documents({}) == 0
    assert await seeded[COMPLAINT_EVENTS].count_documents({}) == 0

    # and the watcher plans again from the new state: warnings go to the assigned officer
    report = await run_at(watcher, now)
    assert report.sent == 1
    subjects = {n["recipient"]["subject"] async for n in seeded[NOTIFICATIONS].find({})}
    assert subjects == {"dlh-officer-1"}


async def test_lost_alerted_update_is_recovered(watcher: Watcher, complaints: ComplaintFactory, seeded: Database) -> None:
    # given: warn-50 claimed, then a writer saves stale clocks over the claim's update
    doc = await complaints.insert(wita(2, 9))
    assert (await run_at(watcher, wita(3, 10))).sent == 1
    await seeded[COMPLAINTS].update_one(
        {"_id": doc["_id"]}, {"$set": {"clocks": doc["clocks"], "nextAlertAt": doc["nextAlertAt"]}}
    )

    # when
    report = await run_at(watcher, wita(3, 10, 5))

    # then: the claim in `alerts` is honoured, nothing is sent twice and the
    # complaint's clocks and next alert instant (Tue 12:30) are right again
    assert report.sent == 0
    assert await seeded[ALERTS].count_documents({}) == 1
    assert await seeded[NOTIFICATIONS].count_documents({}) == 4
    saved = await seeded[COMPLAINTS].find_one({"_id": doc["_id"]})
    assert saved["clocks"]["response"]["alerted"] == ["warn-50"]
    assert saved["nextAlertAt"] == wita(3, 12, 30)
