"""How officials read a notification's delivery failure in `Complaint.notifications`."""

from __future__ import annotations

from shared.mongo import NOTIFICATIONS
from services.gateway.schema.ids import object_id
from tests.gateway.conftest import Gateway
from tests.gateway.documents import admin_token, submit

NOTIFICATIONS_OF = "query($id: ID) { complaint(id: $id) { notifications { channel status lastError } } }"


async def test_last_error_reads_as_sentence(gateway: Gateway) -> None:
    # given: the notifier recorded a permanent failure, as it stores one: a code and a message
    complaint = await submit(gateway)
    error = {"code": "invalid_address", "message": "e-mail address 'x@' is invalid", "status": None, "transient": False}
    await gateway.db[NOTIFICATIONS].update_one(
        {"complaintId": object_id(complaint["id"], "Complaint"), "channel": "email", "audience": "citizen"},
        {"$set": {"status": "failed", "lastError": error}},
    )

    # when
    body = await gateway.execute(NOTIFICATIONS_OF, {"id": complaint["id"]}, admin_token(gateway))

    # then
    failed = [n for n in body["data"]["complaint"]["notifications"] if n["status"] == "failed"]
    assert len(failed) == 1
    assert failed[0]["lastError"] == "e-mail address 'x@' is invalid (invalid_address)"
