"""What moves thresholds and what does not: policy versions, calendar edits, reopening, transfers."""

from __future__ import annotations

from shared.mongo import ALERTS, CALENDARS, COMPLAINTS, SLA_POLICIES, Database
from shared.sla.recompute import recompute_open_complaints
from shared.workflow import Actor, ComplaintStatus

from services.sla_watcher.watcher import Watcher
from tests.watcher.conftest import ComplaintFactory, alerts_of, move, notifications_of, run_at, transfer, wita


async def test_new_policy_version_keeps_old_thresholds(
    watcher: Watcher, complaints: ComplaintFactory, seeded: Database
) -> None:
    # given: one complaint filed under version 1 of the `sampah` policy, then version 2
    # published (response 4 HOURS, resolution 1 WORKING_DAYS, one warning at 0.25, no
    # escalation) and a second complaint filed under it, both on Mon 09:00
    old = await complaints.insert(wita(2, 9))
    await seeded[SLA_POLICIES].insert_one(
        {
            "agencyCode": "DLH",
            "categoryCode": "sampah",
            "version": 2,
            "responseTarget": {"amount": 4, "unit": "HOURS"},
            "resolutionTarget": {"amount": 1, "unit": "WORKING_DAYS"},
            "calendarCode": "office",
            "warnAt": [0.25],
            "escalation": [],
            "publishedAt": wita(2, 9, 30),
            "publishedBy": "admin-kota",
        }
    )
    new = await complaints.insert(wita(2, 9))
    assert new["policy"]["version"] == 2

    # when
    report = await run_at(watcher, wita(3, 13))

    # then: the old complaint keeps version 1: response 28 h / 48 h = 0.58 and
    # resolution 12 / 23 working hours = 0.52, so warn-50 of each, due Wed 09:00 and 16:00.
    assert report.sent == 4
    old_alerts = await alerts_of(seeded, old["_id"])
    assert [(a["clock"], a["stage"], a["status"], a["policyVersion"]) for a in old_alerts] == [
        ("resolution", "warn-50", "sent", 1),
        ("response", "warn-50", "sent", 1),
    ]
    old_notes = await notifications_of(seeded, old["_id"])
    assert {(n["context"]["clock"], n["context"]["dueAt"]) for n in old_notes} == {
        ("response", "2026-02-04T09:00:00+08:00"),
        ("resolution", "2026-02-04T16:00:00+08:00"),
    }
    saved = await seeded[COMPLAINTS].find_one({"_id": old["_id"]})
    assert saved["policy"]["version"] == 1
    assert saved["clocks"]["resolution"]["dueAt"] == wita(4, 16)
    assert saved["nextAlertAt"] == wita(3, 21)

    # The new complaint follows version 2: response due Mon 13:00, so at Tue 13:00 its
    # breach is sent (warn-25 skipped); resolution due Tue 16:00 after 7 + 8 = 15
    # working hours, 12 of them elapsed = 0.8, so warn-25 is sent.
    new_alerts = await alerts_of(seeded, new["_id"])
    assert [(a["clock"], a["stage"], a["status"], a["policyVersion"]) for a in new_alerts] == [
        ("resolution", "warn-25", "sent", 2),
        ("response", "warn-25", "skipped", 2),
        ("response", "breach", "sent", 2),
    ]
    saved = await seeded[COMPLAINTS].find_one({"_id": new["_id"]})
    assert saved["nextAlertAt"] == wita(3, 16)


async def test_calendar_edit_moves_open_due_instants(
    watcher: Watcher, complaints: ComplaintFactory, seeded: Database
) -> None:
    # given: an open office complaint whose response clock stopped (verified Mon 10:00),
    # a resolved office complaint and an open 24x7 complaint, all filed Mon 09:00
    open_office = await complaints.insert(wita(2, 9))
    await move(seeded, open_office["_id"], ComplaintStatus.VERIFIED, wita(2, 10))
    resolved = await complaints.insert(wita(2, 9))
    await move(seeded, resolved["_id"], ComplaintStatus.VERIFIED, wita(2, 10))
    await move(seeded, resolved["_id"], ComplaintStatus.IN_PROGRESS, wita(2, 10))
    resolved = await move(seeded, resolved["_id"], ComplaintStatus.RESOLVED, wita(2, 11))
    flood = await complaints.insert(wita(2, 9), agency="BPBD", category="banjir")
    before = await seeded[COMPLAINTS].find_one({"_id": open_office["_id"]})
    assert before["clocks"]["resolution"]["dueAt"] == wita(4, 16)
    assert before["nextAlertAt"] == wita(3, 12, 30)

    # when: a decree makes Tuesday 3 February a day off
    await seeded[CALENDARS].update_one({"code": "office"}, {"$set": {"addedDaysOff": ["2026-02-03"]}})
    count = await recompute_open_complaints(seeded, "office")

    # then: 2 working days after Monday are now Wed and Thu, due Thu 16:00; warn-50
    # (11.5 of the 23 working hours: Mon 7 h + Wed 4.5 h) comes at Wed 12:30.
    assert count == 1
    after = await seeded[COMPLAINTS].find_one({"_id": open_office["_id"]})
    assert after["clocks"]["resolution"]["dueAt"] == wita(5, 16)
    assert after["clocks"]["resolution"]["baseDueAt"] == wita(5, 16)
    assert after["nextAlertAt"] == wita(4, 12, 30)
    untouched = await seeded[COMPLAINTS].find_one({"_id": resolved["_id"]})
    assert untouched["clocks"] == resolved["clocks"]
    assert (await seeded[COMPLAINTS].find_one({"_id": flood["_id"]}))["clocks"] == flood["clocks"]

    # and the watcher follows the moved instants (the flood report alerts on its own 24x7 clock)
    await run_at(watcher, wita(3, 13))
    assert await alerts_of(seeded, open_office["_id"]) == []
    await run_at(watcher, wita(4, 12, 30))
    alerts = await alerts_of(seeded, open_office["_id"])
    assert [(a["clock"], a["stage"], a["status"]) for a in alerts] == [("resolution", "warn-50", "sent")]
    notes = await notifications_of(seeded, open_office["_id"])
    assert {n["context"]["dueAt"] for n in notes} == {"2026-02-05T16:00:00+08:00"}


async def test_reopened_complaint_alerts_in_new_cycle(
    watcher: Watcher, complaints: ComplaintFactory, seeded: Database
) -> None:
    # given: warn-50 of both clocks sent on Tue 13:00, then resolved Tue 15:00
    doc = await complaints.insert(wita(2, 9))
    assert (await run_at(watcher, wita(3, 13))).sent == 2
    await move(seeded, doc["_id"], ComplaintStatus.VERIFIED, wita(3, 14))
    await move(seeded, doc["_id"], ComplaintStatus.IN_PROGRESS, wita(3, 14))
    resolved = await move(seeded, doc["_id"], ComplaintStatus.RESOLVED, wita(3, 15))
    assert "nextAlertAt" not in resolved

    # when: the citizen reopens on Wed 09:00; the new resolution cycle has 2 working
    # days (Thu, Fri) and ends Fri 16:30: 7 + 8 + 8.5 = 23.5 working hours, so
    # warn-50 (11.75 h) comes after Wed 7 h + Thu 4.75 h = Thu 12:45.
    reopened = await move(seeded, doc["_id"], ComplaintStatus.IN_PROGRESS, wita(4, 9), actor=Actor.REPORTER)
    assert reopened["clocks"]["resolution"]["cycle"] == 2
    assert reopened["nextAlertAt"] == wita(5, 12, 45)
    early = await run_at(watcher, wita(5, 12, 44))
    report = await run_at(watcher, wita(5, 12, 45))

    # then
    assert early.sent == 0
    assert report.sent == 1
    resolution = [(a["cycle"], a["stage"], a["status"]) for a in await alerts_of(seeded, doc["_id"]) if a["clock"] == "resolution"]
    assert resolution == [(1, "warn-50", "sent"), (2, "warn-50", "sent")]
    keys = {n["idempotencyKey"].rsplit(":", 2)[0] async for n in seeded["notifications"].find({"alert.cycle": 2})}
    assert keys == {f"alert:{doc['_id']}:resolution:2:warn-50"}


async def test_transferred_complaint_alerts_under_new_agency(
    watcher: Watcher, complaints: ComplaintFactory, seeded: Database
) -> None:
    # given: response warn-50 sent to DLH on Tue 09:30, then a transfer to DPU at Tue 10:00
    doc = await complaints.insert(wita(2, 9))
    assert (await run_at(watcher, wita(3, 9, 30))).sent == 1
    moved = await transfer(seeded, doc["_id"], "DPU", "jalan-rusak", wita(3, 10))

    # DPU's default policy: response 48 HOURS from Tue 10:00, warn-50 at Wed 10:00;
    # resolution 5 working days (due Tue 10 16:00, 46.5 working hours), warn-50
    # after 23.25 h: Tue 6 + Wed 8 + Thu 8 + Fri 1.25 = Fri 09:15.
    assert moved["clocks"]["response"]["cycle"] == 2
    assert moved["nextAlertAt"] == wita(4, 10)

    # when
    early = await run_at(watcher, wita(4, 9, 59))
    report = await run_at(watcher, wita(4, 10))

    # then: the new cycle's warn-50 goes to DPU's officers under DPU's name
    assert early.sent == 0
    assert report.sent == 1
    alert = await seeded[ALERTS].find_one({"complaintId": doc["_id"], "cycle": 2})
    assert (alert["clock"], alert["stage"], alert["agencyCode"]) == ("response", "warn-50", "DPU")
    notes = await notifications_of(seeded, doc["_id"], **{"alert.cycle": 2})
    assert {n["recipient"]["subject"] for n in notes} == {"dpu-officer-1", "dpu-officer-2"}
    assert {n["agencyCode"] for n in notes} == {"DPU"}
    assert {n["context"]["agencyName"] for n in notes} == {"Dinas Pekerjaan Umum Kota Makassar"}
    assert {n["context"]["categoryName"] for n in notes} == {"Jalan Rusak dan Berlubang"}
    first_cycle = await notifications_of(seeded, doc["_id"], **{"alert.cycle": 1})
    assert {n["recipient"]["subject"] for n in first_cycle} == {"dlh-officer-1", "dlh-officer-2"}
    # Next: response warn-75 at Tue 10:00 + 36 h = Wed 22:00, before resolution warn-50 (Fri 09:15).
    saved = await seeded[COMPLAINTS].find_one({"_id": doc["_id"]})
    assert saved["clocks"]["resolution"]["dueAt"] == wita(10, 16)
    assert saved["nextAlertAt"] == wita(4, 22)
