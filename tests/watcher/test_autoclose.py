"""Closing resolved complaints whose confirmation period has run out."""

from __future__ import annotations

import redis

from shared.mongo import COMPLAINT_EVENTS, COMPLAINTS, Database
from shared.notify.events import context_keys
from shared.workflow import Actor, ComplaintStatus

from services.sla_watcher.watcher import Watcher
from tests.watcher.conftest import DELAYED_QUEUE_KEY, ComplaintFactory, move, notifications_of, queued_ids, run_at, wita


async def resolve(seeded: Database, complaint_id: object, auto_close_at: object) -> dict:  # type: ignore[type-arg]
    await move(seeded, complaint_id, ComplaintStatus.VERIFIED, wita(2, 10))
    await move(seeded, complaint_id, ComplaintStatus.IN_PROGRESS, wita(2, 11))
    return await move(seeded, complaint_id, ComplaintStatus.RESOLVED, wita(3, 10), resolvedAt=wita(3, 10), autoCloseAt=auto_close_at)


async def test_resolved_complaint_closes_after_deadline(
    watcher: Watcher, complaints: ComplaintFactory, seeded: Database, redis_client: redis.Redis
) -> None:
    # given: one resolved Tue 3 Feb 10:00, which closes 5 working days later (Wed,
    # Thu, Fri, Mon, Tue) on Tue 10 Feb at 16:00. A second one has a later deadline.
    # A third was reopened by the citizen and still carries its old deadline.
    due = await complaints.insert(wita(2, 9))
    await resolve(seeded, due["_id"], wita(10, 16))
    later = await complaints.insert(wita(2, 9))
    await resolve(seeded, later["_id"], wita(11, 16))
    reopened = await complaints.insert(wita(2, 9))
    await resolve(seeded, reopened["_id"], wita(10, 16))
    await move(seeded, reopened["_id"], ComplaintStatus.IN_PROGRESS, wita(4, 9), actor=Actor.REPORTER)

    revision_before = (await seeded[COMPLAINTS].find_one({"_id": due["_id"]})).get("revision", 0)

    # when: the watcher runs on Tue 10 Feb at 22:00, during citizens' quiet hours
    report = await run_at(watcher, wita(10, 22))

    # then: only the first is closed, by the system
    assert report.closed == 1
    closed = await seeded[COMPLAINTS].find_one({"_id": due["_id"]})
    assert closed["status"] == "CLOSED"
    assert closed["revision"] == revision_before + 1
    assert closed["closedAt"] == wita(10, 22)
    assert closed["open"] is False
    assert "autoCloseAt" not in closed
    assert "nextAlertAt" not in closed
    assert closed["clocks"]["resolution"]["outcome"] == "resolved"
    assert (await seeded[COMPLAINTS].find_one({"_id": later["_id"]}))["status"] == "RESOLVED"
    still_open = await seeded[COMPLAINTS].find_one({"_id": reopened["_id"]})
    assert still_open["status"] == "IN_PROGRESS"
    assert "autoCloseAt" not in still_open

    event = await seeded[COMPLAINT_EVENTS].find_one({"complaintId": due["_id"], "kind": "status_changed"})
    assert (event["fromStatus"], event["toStatus"], event["actor"]["role"]) == ("RESOLVED", "CLOSED", "system")
    assert event["internal"] is False
    assert event["at"] == wita(10, 22)
    assert "5 hari kerja" in event["note"]

    # The citizen's e-mail and SMS wait for the end of quiet hours (06:00) in the delayed queue.
    notes = await notifications_of(seeded, due["_id"], event="complaint_closed")
    assert {(n["channel"], n["address"]) for n in notes} == {("email", "andi@warga.example"), ("sms", "+6281234567890")}
    assert {n["notBefore"] for n in notes} == {wita(11, 6)}
    assert {n["context"]["statusLabel"] for n in notes} == {"Ditutup"}
    assert {n["context"]["note"] for n in notes} == {event["note"]}
    for note in notes:
        assert context_keys("complaint_closed") <= set(note["context"])
    # (The reopened complaint's overdue alerts wait in the same queue for office hours.)
    held = set(queued_ids(redis_client, DELAYED_QUEUE_KEY))
    assert {str(n["_id"]) for n in notes} <= held
    reopened_alerts = await notifications_of(seeded, reopened["_id"])
    assert held == {str(n["_id"]) for n in notes + reopened_alerts}

    # and a second pass changes nothing
    assert (await run_at(watcher, wita(10, 22, 1))).closed == 0
    assert await seeded[COMPLAINT_EVENTS].count_documents({"kind": "status_changed", "toStatus": "CLOSED"}) == 1


async def test_auto_close_during_day_sends_at_once(
    watcher: Watcher, complaints: ComplaintFactory, seeded: Database, redis_client: redis.Redis
) -> None:
    # given
    due = await complaints.insert(wita(2, 9))
    await resolve(seeded, due["_id"], wita(10, 16))

    # when: the pass runs at 16:00:20, outside quiet hours
    report = await run_at(watcher, wita(10, 16, 0, 20))

    # then
    assert report.closed == 1
    notes = await notifications_of(seeded, due["_id"], event="complaint_closed")
    assert {n["notBefore"] for n in notes} == {wita(10, 16, 0, 20)}
    assert set(queued_ids(redis_client)) == {str(n["_id"]) for n in notes}
