"""A calendar edit's recompute against the gateway's revision guard: neither write overwrites the other."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from services.gateway.complaints.writes import ComplaintChange, commit_change
from services.gateway.errors import UserInputError
from services.gateway.schema.ids import object_id
from shared.mongo import CALENDARS, COMPLAINTS
from shared.sla.calendar_store import load_calendar
from shared.sla.recompute import recompute_complaint, recompute_open_complaints
from shared.timeutil import clock
from tests.gateway.conftest import Gateway
from tests.gateway.documents import submit

WITA = ZoneInfo("Asia/Makassar")
THURSDAY_9 = datetime(2026, 3, 5, 9, 0, tzinfo=WITA)
# Two working days after Thursday: Friday and Monday, or Monday and Tuesday once Friday is a day off.
DUE_BEFORE = datetime(2026, 3, 9, 16, 0, tzinfo=WITA)
DUE_AFTER = datetime(2026, 3, 10, 16, 0, tzinfo=WITA)


async def stored(gateway: Gateway, complaint: dict[str, Any]) -> dict[str, Any]:
    doc = await gateway.db[COMPLAINTS].find_one({"_id": object_id(complaint["id"], "Complaint")})
    assert doc is not None
    return doc


async def declare_friday_off(gateway: Gateway) -> None:
    await gateway.db[CALENDARS].update_one({"code": "office"}, {"$set": {"addedDaysOff": ["2026-03-06"]}})


async def test_recompute_increments_revision(gateway: Gateway) -> None:
    # given
    clock.freeze(THURSDAY_9)
    complaint = await submit(gateway)
    before = await stored(gateway, complaint)
    await declare_friday_off(gateway)

    # when
    count = await recompute_open_complaints(gateway.db, "office")

    # then
    after = await stored(gateway, complaint)
    assert count == 1
    assert before["revision"] == 0
    assert after["revision"] == 1
    assert before["clocks"]["resolution"]["dueAt"] == DUE_BEFORE
    assert after["clocks"]["resolution"]["dueAt"] == DUE_AFTER


async def test_stale_gateway_write_rejected_after_recompute(gateway: Gateway) -> None:
    # given: the gateway has read the complaint, and then the calendar edit recomputes it
    clock.freeze(THURSDAY_9)
    complaint = await submit(gateway)
    read_by_gateway = await stored(gateway, complaint)
    await declare_friday_off(gateway)
    await recompute_open_complaints(gateway.db, "office")

    # when: the gateway saves clocks worked out on what it read
    stale = ComplaintChange(before=read_by_gateway, update={"$set": {"clocks": read_by_gateway["clocks"]}})
    with pytest.raises(UserInputError) as caught:
        await commit_change(gateway.app.state.services, stale)

    # then: the write is rejected and the recomputed clocks stay
    assert caught.value.code == "CONCURRENT_UPDATE"
    after = await stored(gateway, complaint)
    assert after["clocks"]["resolution"]["dueAt"] == DUE_AFTER
    assert after["revision"] == 1


async def test_recompute_retries_after_gateway_write(gateway: Gateway, caplog: pytest.LogCaptureFixture) -> None:
    # given: the recompute has read the complaint, and then the gateway saves a change to it
    clock.freeze(THURSDAY_9)
    complaint = await submit(gateway)
    read_by_recompute = await stored(gateway, complaint)
    assignment = ComplaintChange(before=read_by_recompute, update={"$set": {"assignedTo": "dlh-officer-2"}})
    await commit_change(gateway.app.state.services, assignment)
    await declare_friday_off(gateway)
    calendar = await load_calendar(gateway.db, "office")

    # when
    with caplog.at_level(logging.INFO, logger="shared.sla.recompute"):
        saved = await recompute_complaint(gateway.db, read_by_recompute, calendar)

    # then: it read the complaint again, kept the gateway's change and saved the new clocks
    after = await stored(gateway, complaint)
    assert saved is True
    assert after["assignedTo"] == "dlh-officer-2"
    assert after["clocks"]["resolution"]["dueAt"] == DUE_AFTER
    assert after["revision"] == 2
    retries = [record for record in caplog.records if "reading it again" in record.getMessage()]
    assert len(retries) == 1
    assert str(read_by_recompute["_id"]) in retries[0].getMessage()


async def test_recompute_skips_complaint_closed_meanwhile(gateway: Gateway) -> None:
    # given: the recompute has read the complaint, and then it is closed
    clock.freeze(THURSDAY_9)
    complaint = await submit(gateway)
    read_by_recompute = await stored(gateway, complaint)
    closing = ComplaintChange(before=read_by_recompute, update={"$set": {"open": False, "status": "REJECTED"}})
    await commit_change(gateway.app.state.services, closing)
    calendar = await load_calendar(gateway.db, "office")

    # when
    saved = await recompute_complaint(gateway.db, read_by_recompute, calendar)

    # then
    after = await stored(gateway, complaint)
    assert saved is False
    assert after["clocks"] == read_by_recompute["clocks"]
    assert after["revision"] == 1
