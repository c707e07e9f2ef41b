"""Stages of the watcher: each escalation step, catch-up, paused clocks, holding and superseding.

The hand-worked thresholds are in the table of `conftest.py`.
"""

from __future__ import annotations

from datetime import timedelta

import redis

from shared.mongo import ALERTS, COMPLAINT_EVENTS, COMPLAINTS, NOTIFICATIONS, Database
from shared.notify.events import context_keys
from shared.workflow import ComplaintStatus

from services.sla_watcher.watcher import Watcher
from tests.watcher.conftest import (
    DELAYED_QUEUE_KEY,
    ComplaintFactory,
    alerts_of,
    move,
    notifications_of,
    queued_ids,
    run_at,
    wita,
)


EVENT_BY_STAGE = {"warn": "sla_warning", "breach": "sla_breach", "escalation": "sla_escalation"}


def recipients(notifications: list[dict]) -> set[tuple[str, str]]:
    return {(doc["recipient"]["subject"], doc["channel"]) for doc in notifications}


async def test_every_escalation_step_alerts_once(watcher: Watcher, complaints: ComplaintFactory, seeded: Database) -> None:
    # given: only the resolution clock runs (verified Monday 10:00), assigned to dlh-officer-2
    doc = await complaints.insert(wita(2, 9))
    await move(seeded, doc["_id"], ComplaintStatus.VERIFIED, wita(2, 10), assignedTo="dlh-officer-2")

    # (threshold, stage, recipients, not-before, next alert): office hours close at
    # 16:00 Mon-Thu, so the breach at Wed 16:00 waits for Thu 08:00, escalation-1
    # (Thu 16:00) for Fri 08:00 and escalation-2 (Mon 16:00) for Tue 10 08:00.
    officer = {("dlh-officer-2", "email"), ("dlh-officer-2", "sms")}
    supervisor = {("dlh-supervisor-1", "email"), ("dlh-supervisor-1", "sms")}
    steps = [
        (wita(3, 12, 30), "warn-50", officer, wita(3, 12, 30), wita(4, 10, 15)),
        (wita(4, 10, 15), "warn-75", officer, wita(4, 10, 15), wita(4, 13, 42)),
        (wita(4, 13, 42), "warn-90", officer, wita(4, 13, 42), wita(4, 16)),
        (wita(4, 16), "breach", supervisor | officer, wita(5, 8), wita(5, 16)),
        (wita(5, 16), "escalation-1", {("dlh-head-1", "email"), ("dlh-head-1", "sms")}, wita(6, 8), wita(9, 16)),
        (wita(9, 16), "escalation-2", {("admin-kota", "email"), ("admin-kota", "sms")}, wita(10, 8), None),
    ]

    for threshold, stage, expected_recipients, not_before, next_alert in steps:
        # when: one minute early, then at the threshold
        early = await run_at(watcher, threshold - timedelta(minutes=1))
        on_time = await run_at(watcher, threshold)

        # then
        assert early.sent == 0, stage
        assert on_time.sent == 1, stage
        assert on_time.skipped == 0, stage
        alert = await seeded[ALERTS].find_one({"complaintId": doc["_id"], "stage": stage})
        assert alert["clock"] == "resolution"
        assert alert["cycle"] == 1
        assert alert["status"] == "sent"
        assert alert["threshold"] == threshold
        assert alert["lagSeconds"] == 0.0
        sent = await notifications_of(seeded, doc["_id"], **{"alert.stage": stage})
        assert recipients(sent) == expected_recipients, stage
        assert {n["notBefore"] for n in sent} == {not_before}, stage
        assert {n["event"] for n in sent} == {EVENT_BY_STAGE[stage.split("-")[0]]}
        for note in sent:
            assert context_keys(note["event"]) <= set(note["context"]), stage
        saved = await seeded[COMPLAINTS].find_one({"_id": doc["_id"]})
        assert saved.get("nextAlertAt") == next_alert, stage

    events = [event async for event in seeded[COMPLAINT_EVENTS].find({"complaintId": doc["_id"], "kind": "sla_alert"}).sort("at", 1)]
    assert [event["stage"] for event in events] == [step[1] for step in steps]
    assert [event["escalationRole"] for event in events] == ["officer", "officer", "officer", "supervisor", "head", "admin"]
    assert all(event["actor"]["role"] == "system" for event in events)
    assert all(event["internal"] for event in events)
    escalation = await notifications_of(seeded, doc["_id"], **{"alert.stage": "escalation-2"})
    assert escalation[0]["context"]["escalationRole"] == "admin"
    assert escalation[0]["context"]["dueAt"] == "2026-02-04T16:00:00+08:00"
    assert await seeded[ALERTS].count_documents({"complaintId": doc["_id"]}) == 6


async def test_catch_up_sends_most_severe_stage(
    watcher: Watcher, complaints: ComplaintFactory, seeded: Database, redis_client: redis.Redis
) -> None:
    # given: no watcher ran between Monday 09:00 and Wednesday 14:00
    doc = await complaints.insert(wita(2, 9))

    # when
    report = await run_at(watcher, wita(4, 14))

    # then: response 53 h / 48 h = 1.104, so its breach (Wed 09:00) is sent and the
    # three warnings skipped; escalation-1 (Thu 16:00) has not come. Resolution
    # 7 + 8 + 6 = 21 working hours / 23 = 0.913: warn-90 sent, warn-50 and 75 skipped.
    assert report.sent == 2
    assert report.skipped == 5
    alerts = await alerts_of(seeded, doc["_id"])
    by_key = {(a["clock"], a["stage"]): a["status"] for a in alerts}
    assert by_key == {
        ("response", "warn-50"): "skipped",
        ("response", "warn-75"): "skipped",
        ("response", "warn-90"): "skipped",
        ("response", "breach"): "sent",
        ("resolution", "warn-50"): "skipped",
        ("resolution", "warn-75"): "skipped",
        ("resolution", "warn-90"): "sent",
    }
    lags = {(a["clock"], a["stage"]): a.get("lagSeconds") for a in alerts if a["status"] == "sent"}
    assert lags == {("response", "breach"): 5 * 3600.0, ("resolution", "warn-90"): 18 * 60.0}

    # The breach goes to the supervisor only (no officer is assigned), warn-90 to both officers.
    breach = await notifications_of(seeded, doc["_id"], **{"alert.stage": "breach"})
    warning = await notifications_of(seeded, doc["_id"], **{"alert.stage": "warn-90"})
    assert recipients(breach) == {("dlh-supervisor-1", "email"), ("dlh-supervisor-1", "sms")}
    assert recipients(warning) == {(f"dlh-officer-{n}", channel) for n in (1, 2) for channel in ("email", "sms")}
    assert await seeded[NOTIFICATIONS].count_documents({"complaintId": doc["_id"]}) == 6
    assert sorted(queued_ids(redis_client)) == sorted(str(n["_id"]) for n in breach + warning)

    events = [e async for e in seeded[COMPLAINT_EVENTS].find({"complaintId": doc["_id"]}).sort("clock", 1)]
    assert [(e["clock"], e["stage"], e["skipped"]) for e in events] == [
        ("resolution", "warn-90", ["warn-50", "warn-75"]),
        ("response", "breach", ["warn-50", "warn-75", "warn-90"]),
    ]

    saved = await seeded[COMPLAINTS].find_one({"_id": doc["_id"]})
    assert saved["nextAlertAt"] == wita(4, 16)
    assert saved["clocks"]["response"]["alerted"] == ["warn-50", "warn-75", "warn-90", "breach"]
    assert (await run_at(watcher, wita(4, 14))).sent == 0


async def test_paused_clock_sends_no_alert(watcher: Watcher, complaints: ComplaintFactory, seeded: Database) -> None:
    # given: verified Mon 10:00 (response stopped), waiting for the reporter from Mon 11:00
    doc = await complaints.insert(wita(2, 9))
    await move(seeded, doc["_id"], ComplaintStatus.VERIFIED, wita(2, 10))
    await move(seeded, doc["_id"], ComplaintStatus.IN_PROGRESS, wita(2, 10, 30))
    paused = await move(seeded, doc["_id"], ComplaintStatus.WAITING_FOR_REPORTER, wita(2, 11))
    assert "nextAlertAt" not in paused

    # when: Thursday noon, long past the unpaused due instant (Wed 16:00)
    report = await run_at(watcher, wita(5, 12))

    # then
    assert report.due == 0
    assert await seeded[ALERTS].count_documents({}) == 0

    # given: a stale nextAlertAt left on the paused complaint
    await seeded[COMPLAINTS].update_one({"_id": doc["_id"]}, {"$set": {"nextAlertAt": wita(3, 12, 30)}})

    # when
    report = await run_at(watcher, wita(5, 12))

    # then: found, nothing sent, and the stale instant removed
    assert report.due == 1
    assert report.sent == 0
    assert report.repaired == 1
    assert await seeded[ALERTS].count_documents({}) == 0
    assert "nextAlertAt" not in await seeded[COMPLAINTS].find_one({"_id": doc["_id"]})

    # when: resumed Thu 13:00. The pause counted Mon 11-16 (5 h) + Tue 8 + Wed 8 +
    # Thu 08-13 (5 h) = 26 working hours, so warn-50 (11.5 h of work) comes after
    # Mon 09-11 (2 h) + Thu 13-16 (3 h) + 6.5 h on Friday = Fri 14:30.
    resumed = await move(seeded, doc["_id"], ComplaintStatus.IN_PROGRESS, wita(5, 13))

    # then
    assert resumed["nextAlertAt"] == wita(6, 14, 30)
    assert (await run_at(watcher, wita(6, 14, 29))).sent == 0
    assert (await run_at(watcher, wita(6, 14, 30))).sent == 1
    alerts = await alerts_of(seeded, doc["_id"])
    assert [(a["clock"], a["stage"], a["status"]) for a in alerts] == [("resolution", "warn-50", "sent")]


async def test_held_alert_superseded_by_severer_stage(
    watcher: Watcher, complaints: ComplaintFactory, seeded: Database, redis_client: redis.Redis
) -> None:
    # given: warn-50 of both clocks sent on Tuesday at 13:00, in office hours
    doc = await complaints.insert(wita(2, 9))
    first = await run_at(watcher, wita(3, 13))
    assert first.sent == 2

    # when: response warn-75 comes at Tue 21:00, after office hours
    night = await run_at(watcher, wita(3, 21, 0, 10))

    # then: it is held until Wednesday 08:00, and waits in the broker's delayed queue
    assert night.sent == 1
    warn_75 = await notifications_of(seeded, doc["_id"], **{"alert.stage": "warn-75"})
    assert len(warn_75) == 4
    assert {n["notBefore"] for n in warn_75} == {wita(4, 8)}
    assert {n["status"] for n in warn_75} == {"pending"}
    assert set(queued_ids(redis_client, DELAYED_QUEUE_KEY)) == {str(n["_id"]) for n in warn_75}

    # when: response warn-90 comes at Wed 04:12, before the held warn-75 went out
    dawn = await run_at(watcher, wita(4, 4, 15))

    # then: warn-75's notifications and alert are superseded, warn-90 is held
    # in its place, and the earlier warn-50s (already due to go out) are untouched.
    assert dawn.sent == 1
    assert dawn.superseded == 4
    warn_75 = await notifications_of(seeded, doc["_id"], **{"alert.stage": "warn-75"})
    assert {(n["status"], n["supersededBy"]) for n in warn_75} == {("superseded", "warn-90")}
    warn_90 = await notifications_of(seeded, doc["_id"], **{"alert.stage": "warn-90"})
    assert {(n["status"], n["notBefore"]) for n in warn_90} == {("pending", wita(4, 8))}
    warn_50 = await notifications_of(seeded, doc["_id"], **{"alert.stage": "warn-50"})
    assert len(warn_50) == 8
    assert {n["status"] for n in warn_50} == {"pending"}
    statuses = {(a["clock"], a["stage"]): a["status"] for a in await alerts_of(seeded, doc["_id"])}
    assert statuses == {
        ("response", "warn-50"): "sent",
        ("response", "warn-75"): "superseded",
        ("response", "warn-90"): "sent",
        ("resolution", "warn-50"): "sent",
    }


async def test_urgent_policy_alerts_at_night(
    watcher: Watcher, complaints: ComplaintFactory, seeded: Database, redis_client: redis.Redis
) -> None:
    # given: a BPBD flood report on the 24x7 calendar filed Tue 21:00; response
    # target 30 minutes, escalations 1 h (head) and 3 h (admin) after the breach
    doc = await complaints.insert(wita(3, 21), agency="BPBD", category="banjir")

    # when: at 21:15 warn-50 (15 min) has come
    first = await run_at(watcher, wita(3, 21, 15))

    # then: sent at once although offices are closed
    assert first.sent == 1
    warning = await notifications_of(seeded, doc["_id"], **{"alert.stage": "warn-50"})
    assert recipients(warning) == {(f"bpbd-officer-{n}", channel) for n in (1, 2) for channel in ("email", "sms")}
    assert {n["notBefore"] for n in warning} == {wita(3, 21, 15)}
    assert sorted(queued_ids(redis_client)) == sorted(str(n["_id"]) for n in warning)

    # when: the watcher was down until 00:30, 3 h 30 min after filing
    caught_up = await run_at(watcher, wita(4, 0, 30))

    # then: the breach came at 21:30, escalation-1 at 22:30, escalation-2 at 00:30:
    # escalation-2 goes to the city administrator at once, the four stages between are skipped.
    assert caught_up.sent == 1
    assert caught_up.skipped == 4
    escalation = await notifications_of(seeded, doc["_id"], **{"alert.stage": "escalation-2"})
    assert recipients(escalation) == {("admin-kota", "email"), ("admin-kota", "sms")}
    assert {n["notBefore"] for n in escalation} == {wita(4, 0, 30)}
    statuses = [(a["stage"], a["status"]) for a in await alerts_of(seeded, doc["_id"]) if a["clock"] == "response"]
    assert statuses == [
        ("warn-50", "sent"),
        ("warn-75", "skipped"),
        ("warn-90", "skipped"),
        ("breach", "skipped"),
        ("escalation-1", "skipped"),
        ("escalation-2", "sent"),
    ]
    # Resolution: 3.5 h of 24 h = 0.146, nothing yet; its warn-50 comes 12 h after filing.
    saved = await seeded[COMPLAINTS].find_one({"_id": doc["_id"]})
    assert saved["nextAlertAt"] == wita(4, 9)
