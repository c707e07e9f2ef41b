"""A complaint through the workflow over HTTP: submission, clocks, pauses, resolution, reopening and rating."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from services.gateway.schema.ids import object_id
from shared.mongo import COMPLAINT_EVENTS, COMPLAINTS, NOTIFICATIONS
from shared.notify import events
from shared.timeutil import clock
from tests.gateway.conftest import Gateway
from tests.gateway.documents import (
    ASSIGN,
    RATE,
    SUBMIT,
    category_id,
    citizen_token,
    comment,
    move,
    official_id,
    official_token,
    submit,
)

WITA = ZoneInfo("Asia/Makassar")
# A Thursday morning in Makassar, with no holiday in the following week.
THURSDAY_9 = datetime(2026, 3, 5, 9, 0, tzinfo=WITA)


def at(instant: datetime) -> None:
    clock.freeze(instant)


def parse(value: str) -> datetime:
    return datetime.fromisoformat(value)


async def test_submit_returns_ticket_and_due_dates(gateway: Gateway) -> None:
    # given
    at(THURSDAY_9)

    # when
    complaint = await submit(gateway)

    # then: 48 calendar hours to respond, 2 working days to resolve (Friday, Monday) on the office calendar
    assert complaint["ticketNumber"] == "MKS-2026-000001"
    assert complaint["status"] == "SUBMITTED"
    assert complaint["agency"]["code"] == "DLH"
    assert parse(complaint["sla"]["responseDueAt"]) == THURSDAY_9 + timedelta(hours=48)
    assert parse(complaint["sla"]["resolutionDueAt"]) == datetime(2026, 3, 9, 16, 0, tzinfo=WITA)
    assert complaint["sla"]["state"] == "ON_TRACK"
    assert complaint["reporter"]["phone"] == "+6281234567890"
    assert sorted(complaint["reporter"]["notificationChannels"]) == ["EMAIL", "SMS"]
    assert [e["kind"] for e in complaint["timeline"]] == ["SUBMITTED"]


async def test_submit_creates_notifications_in_same_write(gateway: Gateway) -> None:
    at(THURSDAY_9)

    complaint = await submit(gateway)

    oid = object_id(complaint["id"], "Complaint")
    notes = await gateway.db[NOTIFICATIONS].find({"complaintId": oid}).to_list()
    event = await gateway.db[COMPLAINT_EVENTS].find_one({"complaintId": oid})
    to_citizen = [n for n in notes if n["event"] == "complaint_received"]
    to_officers = [n for n in notes if n["event"] == "new_complaint"]
    assert sorted(n["channel"] for n in to_citizen) == ["email", "sms"]
    assert {n["recipient"]["subject"] for n in to_officers} == {"dlh-officer-1", "dlh-officer-2"}
    assert all(n["idempotencyKey"].startswith(f"{oid}:{event['_id']}:") for n in notes)
    context = to_citizen[0]["context"]
    assert context["ticketNumber"] == complaint["ticketNumber"]
    assert context["agencyName"] == "Dinas Lingkungan Hidup Kota Makassar"
    assert context["resolutionDueAt"] == "2026-03-09T16:00:00+08:00"
    assert context["timezone"] == "Asia/Makassar"
    assert to_officers[0]["context"]["district"] == "Ujung Pandang"


async def test_retry_with_client_request_id_returns_first(gateway: Gateway) -> None:
    first = await submit(gateway, clientRequestId="android-7f3a")

    second = await submit(gateway, clientRequestId="android-7f3a", title="Judul yang berbeda sama sekali")

    assert second["id"] == first["id"]
    assert second["ticketNumber"] == first["ticketNumber"]
    assert await gateway.db[COMPLAINTS].count_documents({}) == 1


async def test_same_request_id_of_other_citizen_is_new(gateway: Gateway) -> None:
    first = await submit(gateway, clientRequestId="web-1")

    second = await submit(gateway, token=citizen_token(gateway, "warga-2"), clientRequestId="web-1")

    assert second["id"] != first["id"]


async def test_short_title_rejected_with_field(gateway: Gateway) -> None:
    variables = {"input": {"categoryId": category_id("sampah"), "title": "Oi", "description": "Sampah tidak diangkut tiga hari."}}

    indonesian = await gateway.execute(SUBMIT, variables, token=citizen_token(gateway))
    english = await gateway.execute(SUBMIT, variables, token=citizen_token(gateway), language="en-US,en;q=0.9")

    error = indonesian["data"]["submitComplaint"]["errors"][0]
    assert indonesian["data"]["submitComplaint"]["complaint"] is None
    assert error["field"] == ["input", "title"]
    assert error["code"] == "VALUE_TOO_SHORT"
    assert error["message"] == "Isian terlalu pendek: minimal 5 karakter."
    assert english["data"]["submitComplaint"]["errors"][0]["message"] == "The value is too short: at least 5 characters."
    assert await gateway.db[COMPLAINTS].count_documents({}) == 0


async def test_disallowed_move_names_current_and_allowed(gateway: Gateway) -> None:
    complaint = await submit(gateway)
    officer = official_token(gateway, "DLH")

    indonesian = await move(gateway, officer, complaint, "RESOLVED")
    english = await move(gateway, officer, complaint, "RESOLVED", language="en")

    error = indonesian["errors"][0]
    assert indonesian["complaint"] is None
    assert error["code"] == "TRANSITION_NOT_ALLOWED"
    assert error["field"] == ["input", "toStatus"]
    assert error["message"] == (
        "Status aduan tidak dapat diubah dari Diterima (SUBMITTED) ke Selesai (RESOLVED). "
        "Status berikutnya yang dapat Anda pilih: Diverifikasi (VERIFIED), Ditolak (REJECTED)."
    )
    assert english["errors"][0]["message"] == (
        "The complaint cannot move from Received (SUBMITTED) to Resolved (RESOLVED). "
        "Statuses you can choose next: Verified (VERIFIED), Rejected (REJECTED)."
    )


async def test_reporter_cannot_verify_own_complaint(gateway: Gateway) -> None:
    complaint = await submit(gateway)

    result = await move(gateway, citizen_token(gateway), complaint, "VERIFIED")

    assert result["errors"][0]["code"] == "TRANSITION_FORBIDDEN_FOR_ROLE"
    assert "Status berikutnya yang dapat Anda pilih: tidak ada." in result["errors"][0]["message"]


async def test_reject_requires_note(gateway: Gateway) -> None:
    complaint = await submit(gateway)
    officer = official_token(gateway, "DLH")

    without = await move(gateway, officer, complaint, "REJECTED")
    with_note = await move(gateway, officer, complaint, "REJECTED", note="Aduan ganda dengan MKS-2026-000009.")

    assert without["errors"][0]["code"] == "NOTE_REQUIRED"
    assert with_note["complaint"]["status"] == "REJECTED"
    assert with_note["complaint"]["sla"]["resolution"]["outcome"] == "rejected"


async def test_pause_and_resume_move_due_later(gateway: Gateway) -> None:
    # given: verified and in progress on Thursday
    at(THURSDAY_9)
    complaint = await submit(gateway)
    officer = official_token(gateway, "DLH")
    verified = await move(gateway, officer, complaint, "VERIFIED")
    await move(gateway, officer, complaint, "IN_PROGRESS")
    due_before = parse(verified["complaint"]["sla"]["resolutionDueAt"])

    # when: the agency requests information at 10:00 and the reporter replies at 13:00
    at(THURSDAY_9 + timedelta(hours=1))
    waiting = await move(gateway, officer, complaint, "WAITING_FOR_REPORTER", note="Mohon kirim foto lokasi.")
    at(THURSDAY_9 + timedelta(hours=4))
    replied = await comment(gateway, citizen_token(gateway), complaint, "Foto sudah saya kirim lewat aplikasi.")

    # then
    assert verified["complaint"]["sla"]["response"]["outcome"] == "responded"
    assert verified["complaint"]["sla"]["response"]["met"] is True
    assert waiting["complaint"]["sla"]["state"] == "PAUSED"
    assert waiting["complaint"]["sla"]["resolution"]["paused"] is True
    resumed = replied["complaint"]
    assert resumed["status"] == "IN_PROGRESS"
    assert resumed["sla"]["resolution"]["paused"] is False
    # three working hours paused: Monday 16:00 becomes Tuesday 11:00
    assert due_before == datetime(2026, 3, 9, 16, 0, tzinfo=WITA)
    assert parse(resumed["sla"]["resolutionDueAt"]) == datetime(2026, 3, 10, 11, 0, tzinfo=WITA)
    kinds = [(e["kind"], e["toStatus"]) for e in resumed["timeline"]]
    assert kinds[-2:] == [("COMMENT", None), ("STATUS_CHANGED", "IN_PROGRESS")]
    notes = await gateway.db[NOTIFICATIONS].find({"event": {"$in": ["info_requested", "reporter_replied"]}}).to_list()
    assert {n["event"] for n in notes} == {"info_requested", "reporter_replied"}


async def test_resolve_reopen_close_and_rate(gateway: Gateway) -> None:
    # given
    at(THURSDAY_9)
    complaint = await submit(gateway)
    officer = official_token(gateway, "DLH")
    citizen = citizen_token(gateway)
    for status in ("VERIFIED", "IN_PROGRESS"):
        await move(gateway, officer, complaint, status)

    # when: resolved on Thursday afternoon, reopened Friday, resolved again and confirmed
    at(THURSDAY_9 + timedelta(hours=5))
    resolved = await move(gateway, officer, complaint, "RESOLVED", note="Sampah sudah diangkut.")
    at(THURSDAY_9 + timedelta(days=1))
    reopened = await move(gateway, citizen, complaint, "IN_PROGRESS", note="Masih ada sisa sampah.")
    at(THURSDAY_9 + timedelta(days=1, hours=2))
    await move(gateway, officer, complaint, "RESOLVED")
    closed = await move(gateway, citizen, complaint, "CLOSED")
    rated = await gateway.execute(RATE, {"input": {"complaintId": complaint["id"], "score": 5, "comment": "Cepat."}}, token=citizen)
    again = await gateway.execute(RATE, {"input": {"complaintId": complaint["id"], "score": 1}}, token=citizen)

    # then: five working days after Thursday 14:00 end at the close of the next Thursday
    assert parse(resolved["complaint"]["autoCloseAt"]) == datetime(2026, 3, 12, 16, 0, tzinfo=WITA)
    assert resolved["complaint"]["sla"]["resolution"]["outcome"] == "resolved"
    assert reopened["complaint"]["autoCloseAt"] is None
    assert reopened["complaint"]["sla"]["resolution"]["cycle"] == 2
    assert parse(reopened["complaint"]["sla"]["resolution"]["startedAt"]) == THURSDAY_9 + timedelta(days=1)
    assert closed["complaint"]["status"] == "CLOSED"
    assert closed["complaint"]["allowedTransitions"] == []
    assert rated["data"]["rateComplaint"]["complaint"]["rating"] == {"score": 5, "comment": "Cepat."}
    assert again["data"]["rateComplaint"]["errors"][0]["code"] == "ALREADY_RATED"
    resolved_notes = await gateway.db[NOTIFICATIONS].find({"event": "complaint_resolved"}).to_list()
    assert resolved_notes[0]["context"]["autoCloseAt"] == "2026-03-12T16:00:00+08:00"
    reopen_notes = await gateway.db[NOTIFICATIONS].find({"audience": "citizen", "context.fromStatus": "RESOLVED"}).to_list()
    assert reopen_notes == []


async def test_reporter_closing_is_confirmed_once(gateway: Gateway) -> None:
    # given: a resolved complaint
    at(THURSDAY_9)
    complaint = await submit(gateway)
    officer = official_token(gateway, "DLH")
    for status in ("VERIFIED", "IN_PROGRESS", "RESOLVED"):
        await move(gateway, officer, complaint, status)

    # when: the reporter confirms the result by closing it, and then tries again
    at(THURSDAY_9 + timedelta(hours=3))
    closed = await move(gateway, citizen_token(gateway), complaint, "CLOSED", note="Sudah bersih, terima kasih.")
    again = await move(gateway, citizen_token(gateway), complaint, "CLOSED")

    # then: the reporter gets one closing message on each of their channels
    assert closed["complaint"]["status"] == "CLOSED"
    assert again["errors"][0]["code"] == "TRANSITION_NOT_ALLOWED"
    notes = await gateway.db[NOTIFICATIONS].find({"event": "complaint_closed"}).to_list()
    assert sorted((n["channel"], n["address"]) for n in notes) == [("email", "warga1@contoh.example"), ("sms", "+6281234567890")]
    assert {n["audience"] for n in notes} == {"citizen"}
    assert {n["recipient"]["subject"] for n in notes} == {"warga-1"}
    assert {n["context"]["note"] for n in notes} == {"Sudah bersih, terima kasih."}
    assert {n["notBefore"] for n in notes} == {THURSDAY_9 + timedelta(hours=3)}


async def resolve_on_thursday(gateway: Gateway, assignee: str | None = None) -> dict[str, Any]:
    """File a complaint on Thursday 09:00, optionally assign it, and resolve it at 14:00."""
    at(THURSDAY_9)
    complaint = await submit(gateway)
    officer = official_token(gateway, "DLH")
    if assignee is not None:
        variables = {"input": {"complaintId": complaint["id"], "assigneeId": official_id(assignee)}}
        assigned = await gateway.execute(ASSIGN, variables, token=official_token(gateway, "DLH", "supervisor"))
        assert assigned["data"]["assignComplaint"]["errors"] == []
    for status in ("VERIFIED", "IN_PROGRESS"):
        await move(gateway, officer, complaint, status)
    at(THURSDAY_9 + timedelta(hours=5))
    await move(gateway, officer, complaint, "RESOLVED", note="Sampah sudah diangkut.")
    return complaint


async def test_reopening_tells_agency_officers(gateway: Gateway) -> None:
    # given: a resolved complaint nobody is assigned to
    complaint = await resolve_on_thursday(gateway)

    # when: the reporter reopens it on Friday at 09:00, inside office hours
    friday_9 = THURSDAY_9 + timedelta(days=1)
    at(friday_9)
    reopened = await move(gateway, citizen_token(gateway), complaint, "IN_PROGRESS", note="Masih ada sisa sampah.")

    # then: each officer of the agency gets one message per channel, sent at once
    assert reopened["errors"] == []
    notes = await gateway.db[NOTIFICATIONS].find({"event": "complaint_reopened"}).to_list()
    recipients = sorted((n["recipient"]["subject"], n["channel"]) for n in notes)
    assert recipients == [("dlh-officer-1", "email"), ("dlh-officer-1", "sms"), ("dlh-officer-2", "email"), ("dlh-officer-2", "sms")]
    assert {n["audience"] for n in notes} == {"official"}
    assert {n["notBefore"] for n in notes} == {friday_9}
    # the new resolution cycle has 2 working days from Friday: Monday and Tuesday
    due = reopened["complaint"]["sla"]["resolutionDueAt"]
    assert parse(due) == datetime(2026, 3, 10, 16, 0, tzinfo=WITA)
    context = notes[0]["context"]
    assert context["resolutionDueAt"] == "2026-03-10T16:00:00+08:00"
    assert context["note"] == "Masih ada sisa sampah."
    assert context["ticketNumber"] == complaint["ticketNumber"]
    assert context["agencyName"] == "Dinas Lingkungan Hidup Kota Makassar"
    assert set(context) == events.context_keys(events.COMPLAINT_REOPENED)

    # and the reporter gets nothing about their own reopening
    to_reporter = await gateway.db[NOTIFICATIONS].find({"audience": "citizen", "createdAt": {"$gte": friday_9}}).to_list()
    assert to_reporter == []


async def test_reopening_tells_only_assignee(gateway: Gateway) -> None:
    # given: a resolved complaint assigned to the second officer
    complaint = await resolve_on_thursday(gateway, assignee="dlh-officer-2")

    # when: the reporter reopens it on Saturday, outside office hours
    at(datetime(2026, 3, 7, 10, 0, tzinfo=WITA))
    reopened = await move(gateway, citizen_token(gateway), complaint, "IN_PROGRESS")

    # then: only the assignee is told, when the office opens on Monday
    assert reopened["errors"] == []
    notes = await gateway.db[NOTIFICATIONS].find({"event": "complaint_reopened"}).to_list()
    assert sorted((n["recipient"]["subject"], n["channel"]) for n in notes) == [("dlh-officer-2", "email"), ("dlh-officer-2", "sms")]
    assert {n["notBefore"] for n in notes} == {datetime(2026, 3, 9, 8, 0, tzinfo=WITA)}
    assert {n["context"]["note"] for n in notes} == {None}


async def test_official_moves_send_no_reopened(gateway: Gateway) -> None:
    # given: a complaint waiting for the reporter
    at(THURSDAY_9)
    complaint = await submit(gateway)
    officer = official_token(gateway, "DLH")
    for status in ("VERIFIED", "IN_PROGRESS"):
        await move(gateway, officer, complaint, status)
    await move(gateway, officer, complaint, "WAITING_FOR_REPORTER", note="Mohon kirim foto lokasi.")

    # when: the reporter resumes it, then the officer resolves and the reporter closes it
    await move(gateway, citizen_token(gateway), complaint, "IN_PROGRESS")
    await move(gateway, officer, complaint, "RESOLVED")
    await move(gateway, citizen_token(gateway), complaint, "CLOSED")

    # then: none of these moves is a reopening
    assert await gateway.db[NOTIFICATIONS].count_documents({"event": "complaint_reopened"}) == 0


async def test_reopen_after_auto_close_instant_rejected(gateway: Gateway) -> None:
    at(THURSDAY_9)
    complaint = await submit(gateway)
    officer = official_token(gateway, "DLH")
    for status in ("VERIFIED", "IN_PROGRESS", "RESOLVED"):
        await move(gateway, officer, complaint, status)

    at(THURSDAY_9 + timedelta(days=14))
    late = await move(gateway, citizen_token(gateway), complaint, "IN_PROGRESS")

    assert late["errors"][0]["code"] == "REOPEN_PERIOD_ENDED"


async def test_public_reply_stops_response_clock(gateway: Gateway) -> None:
    at(THURSDAY_9)
    complaint = await submit(gateway)

    at(THURSDAY_9 + timedelta(hours=2))
    internal = await comment(gateway, official_token(gateway, "DLH"), complaint, "Cek armada dulu.", internal=True)
    public = await comment(gateway, official_token(gateway, "DLH"), complaint, "Aduan Anda sedang kami tindak lanjuti.")

    assert internal["complaint"]["sla"]["response"]["stoppedAt"] is None
    assert public["complaint"]["sla"]["response"]["outcome"] == "responded"
    assert parse(public["complaint"]["sla"]["response"]["stoppedAt"]) == THURSDAY_9 + timedelta(hours=2)
    replies = await gateway.db[NOTIFICATIONS].find({"event": "public_reply"}).to_list()
    assert {n["context"]["body"] for n in replies} == {"Aduan Anda sedang kami tindak lanjuti."}
    reporter_view = await gateway.execute(
        "query($id: ID) { complaint(id: $id) { timeline { body internal } } }", {"id": complaint["id"]}, token=citizen_token(gateway)
    )
    assert [e["body"] for e in reporter_view["data"]["complaint"]["timeline"]] == [None, "Aduan Anda sedang kami tindak lanjuti."]


async def test_unknown_category_is_user_error(gateway: Gateway) -> None:
    variables = {"input": {"categoryId": category_id("tidak-ada"), "title": "Judul aduan", "description": "Isi aduan yang cukup panjang."}}

    body = await gateway.execute(SUBMIT, variables, token=citizen_token(gateway))

    assert body["data"]["submitComplaint"]["errors"][0]["code"] == "NOT_FOUND"
    assert body["data"]["submitComplaint"]["errors"][0]["message"] == "Kategori layanan tidak ditemukan."
