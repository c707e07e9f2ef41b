"""Delivery through a real worker on a real Redis broker, to a real SMTP server and a local SMS gateway."""

from __future__ import annotations

import json
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

import redis

from services.notifier.retry_policy import RetryPolicy
from shared.broker import enqueue_notifications
from shared.mongo import NOTIFICATIONS, Database
from shared.notify import events
from shared.settings import Settings
from shared.timeutil import clock

from .harness import mail_counts, running_worker, status_count_is, wait_for
from .samples import notification
from .sms_gateway import Behaviour, SmsGatewayDouble


async def insert(db: Database, documents: list[dict[str, Any]]) -> list[Any]:
    await db[NOTIFICATIONS].insert_many(documents)
    return [document["_id"] for document in documents]


async def test_500_notifications_each_delivered_once(
    db: Database, notifier_settings: Settings, smtp_sink: tuple[int, Path], sms_gateway: SmsGatewayDouble
) -> None:
    # given 300 e-mails and 200 SMS, each message enqueued twice as a redelivery would
    emails = [notification(events.STATUS_CHANGED, channel="email") for _ in range(300)]
    texts = [notification(events.STATUS_CHANGED, channel="sms", address=f"0812{i:08d}") for i in range(200)]
    ids = await insert(db, emails + texts)

    with running_worker(notifier_settings, threads=8) as broker:
        await enqueue_notifications(broker, [str(i) for i in ids])
        await enqueue_notifications(broker, [str(i) for i in ids])
        await wait_for(lambda: status_count_is(db, "sent", 500), 120, "500 notifications sent")
        # when every message is delivered once more after the sends
        await enqueue_notifications(broker, [str(i) for i in ids])
        broker.join("notifications", timeout=60_000)
        time.sleep(0.5)

    # then each mail and each SMS reached its server exactly once
    _, mail_dir = smtp_sink
    mails = mail_counts(mail_dir)
    for document in emails:
        assert mails[f"<{document['_id']}@tanggap.example>"] == 1
    references = Counter(request.fields["reference"] for request in sms_gateway.requests)
    assert len(sms_gateway.requests) == 200
    assert all(references[str(document["_id"])] == 1 for document in texts)
    assert {request.fields["to"] for request in sms_gateway.requests} == {f"+62812{i:08d}" for i in range(200)}

    # and every document records one attempt, its provider and the provider's message id
    async for document in db[NOTIFICATIONS].find({"_id": {"$in": ids}}):
        assert document["status"] == "sent"
        assert len(document["attempts"]) == 1
        attempt = document["attempts"][0]
        assert attempt["outcome"] == "sent"
        assert attempt["provider"] == ("smtp" if document["channel"] == "email" else "http")
        assert attempt["providerMessageId"] == document["providerMessageId"]
        assert document["providerMessageId"]
        assert document["claims"] == 1
        assert "claim" not in document


async def test_future_not_before_defers_then_sends(
    db: Database, notifier_settings: Settings, smtp_sink: tuple[int, Path]
) -> None:
    not_before = clock.now() + timedelta(seconds=2)
    document = notification(events.COMPLAINT_RECEIVED, not_before=not_before)
    [identifier] = await insert(db, [document])

    with running_worker(notifier_settings) as broker:
        await enqueue_notifications(broker, [str(identifier)])
        await wait_for(lambda: _has_field(db, identifier, "deferredUntil"), 5, "the deferral to be recorded")
        waiting = await db[NOTIFICATIONS].find_one({"_id": identifier})
        await wait_for(lambda: status_count_is(db, "sent", 1), 15, "the deferred notification to be sent")

    sent = await db[NOTIFICATIONS].find_one({"_id": identifier})
    assert waiting is not None and sent is not None
    assert waiting["status"] == "pending"
    assert waiting["attempts"] == []
    assert waiting["deferredUntil"] == not_before.replace(microsecond=not_before.microsecond // 1000 * 1000)
    assert sent["attempts"][0]["at"] >= not_before.replace(microsecond=not_before.microsecond // 1000 * 1000)
    _, mail_dir = smtp_sink
    assert mail_counts(mail_dir)[f"<{identifier}@tanggap.example>"] == 1


async def test_settled_notifications_are_not_sent_again(
    db: Database, notifier_settings: Settings, sms_gateway: SmsGatewayDouble
) -> None:
    superseded = notification(events.SLA_WARNING, channel="sms")
    superseded["status"] = "superseded"
    already_sent = notification(events.SLA_WARNING, channel="sms")
    already_sent["status"] = "sent"
    ids = await insert(db, [superseded, already_sent])

    with running_worker(notifier_settings) as broker:
        await enqueue_notifications(broker, [str(i) for i in ids])
        broker.join("notifications", timeout=10_000)
        time.sleep(0.5)

    assert sms_gateway.requests == []
    assert await db[NOTIFICATIONS].count_documents({"status": "superseded"}) == 1
    assert await db[NOTIFICATIONS].count_documents({"status": "sent", "attempts": []}) == 1


async def test_transient_failures_are_retried_until_sent(
    db: Database, notifier_settings: Settings, sms_gateway: SmsGatewayDouble
) -> None:
    # given a gateway that responds 503, then times out, then drops the connection, then accepts
    sms_gateway.script(Behaviour(status=503), Behaviour(delay=1.5), Behaviour(drop=True))
    [identifier] = await insert(db, [notification(events.PUBLIC_REPLY, channel="sms")])

    with running_worker(notifier_settings) as broker:
        await enqueue_notifications(broker, [str(identifier)])
        await wait_for(lambda: status_count_is(db, "sent", 1), 30, "the notification to be sent after retries")

    document = await db[NOTIFICATIONS].find_one({"_id": identifier})
    assert document is not None
    assert [a["outcome"] for a in document["attempts"]] == ["retry", "retry", "retry", "sent"]
    assert [a["error"]["code"] for a in document["attempts"][:3]] == ["provider_unavailable", "provider_timeout", "provider_unreachable"]
    assert document["attempts"][0]["error"]["status"] == 503
    assert "lastError" not in document
    # The gateway responded to the timed-out request after the client gave up; a provider
    # that times out may still send, which is why timeouts cannot be made exactly-once.
    assert [r.answered_with for r in sms_gateway.requests] == [503, 200, None, 200]


async def test_retries_back_off_then_dead_letter(
    db: Database, notifier_settings: Settings, sms_gateway: SmsGatewayDouble
) -> None:
    # given a gateway that is always down and 3 retries from 300 ms
    sms_gateway.default = Behaviour(status=503)
    policy = RetryPolicy.from_settings(notifier_settings)
    [identifier] = await insert(db, [notification(events.NEW_COMPLAINT, channel="sms")])

    with running_worker(notifier_settings) as broker:
        await enqueue_notifications(broker, [str(identifier)])
        await wait_for(lambda: status_count_is(db, "dead", 1), 30, "the notification to be dead-lettered")
        time.sleep(1.0)

    # then it was tried 1 + 3 times, each wait within what Dramatiq's backoff allows
    document = await db[NOTIFICATIONS].find_one({"_id": identifier})
    assert document is not None
    assert len(sms_gateway.requests) == 4
    assert [a["outcome"] for a in document["attempts"]] == ["retry"] * 4
    times = [request.at for request in sms_gateway.requests]
    for retries, (earlier, later) in enumerate(zip(times, times[1:])):
        shortest, longest = policy.delay_range_ms(retries)
        waited_ms = (later - earlier) * 1000
        # The worker polls its delay queue every 100 ms and sends take a few ms more.
        assert shortest - 20 <= waited_ms <= longest + 800, (retries, waited_ms, shortest, longest)

    # and both the document and the broker's dead-letter queue record it
    assert document["status"] == "dead"
    assert document["lastError"]["code"] == "retries_exhausted"
    assert "503" in document["attempts"][-1]["error"]["message"]
    dead_letters = redis.Redis.from_url(notifier_settings.effective_broker_url)
    assert dead_letters.zcard("dramatiq:notifications.XQ") == 1
    dead_letters.close()


async def test_permanent_failure_is_not_retried(
    db: Database, notifier_settings: Settings, sms_gateway: SmsGatewayDouble
) -> None:
    sms_gateway.default = Behaviour(status=400)
    ids = await insert(
        db,
        [
            notification(events.INFO_REQUESTED, channel="sms"),
            notification(events.INFO_REQUESTED, channel="sms", address="0812"),
        ],
    )

    with running_worker(notifier_settings) as broker:
        await enqueue_notifications(broker, [str(i) for i in ids])
        await wait_for(lambda: status_count_is(db, "failed", 2), 15, "both notifications to fail")
        time.sleep(1.5)  # longer than the first retry would wait

    rejected = await db[NOTIFICATIONS].find_one({"_id": ids[0]})
    impossible = await db[NOTIFICATIONS].find_one({"_id": ids[1]})
    assert rejected is not None and impossible is not None
    assert len(sms_gateway.requests) == 1
    assert [a["outcome"] for a in rejected["attempts"]] == ["failed"]
    assert rejected["lastError"]["code"] == "provider_rejected"
    assert rejected["lastError"]["status"] == 400
    assert impossible["attempts"][0]["provider"] is None
    assert impossible["lastError"]["code"] == "invalid_phone_number"
    assert "too short" in impossible["lastError"]["message"]


async def test_sms_failover_to_outbox(
    db: Database, notifier_settings: Settings, sms_gateway: SmsGatewayDouble
) -> None:
    # given a primary gateway that fails once with 500 and once by timing out
    sms_gateway.script(Behaviour(status=500), Behaviour(delay=1.5))
    settings = notifier_settings.model_copy(update={"sms_fallback_provider": "outbox"})
    ids = await insert(db, [notification(events.STATUS_CHANGED, channel="sms", address=f"0812345678{i:02d}") for i in range(2)])

    with running_worker(settings, threads=1) as broker:
        await enqueue_notifications(broker, [str(i) for i in ids])
        await wait_for(lambda: status_count_is(db, "sent", 2), 15, "both notifications to be sent")

    # then each went out through the outbox at the first try, with both attempts recorded
    async for document in db[NOTIFICATIONS].find({"_id": {"$in": ids}}):
        assert document["provider"] == "outbox"
        assert [(a["provider"], a["outcome"]) for a in document["attempts"]] == [("http", "retry"), ("outbox", "sent")]
    lines = [json.loads(line) for line in (settings.outbox_dir / "sms.jsonl").read_text().splitlines()]
    assert sorted(line["notification_id"] for line in lines) == sorted(str(i) for i in ids)
    assert {line["to"] for line in lines} == {"+6281234567800", "+6281234567801"}
    assert all(line["text"].startswith("Yth. Bapak/Ibu") and line["sent_at"] for line in lines)


async def _has_field(db: Database, identifier: Any, field: str) -> bool:
    return await db[NOTIFICATIONS].count_documents({"_id": identifier, field: {"$exists": True}}) == 1


async def test_provider_rate_limit_spreads_sends_over_seconds(
    db: Database, notifier_settings: Settings, sms_gateway: SmsGatewayDouble
) -> None:
    # given 15 SMS and a limit of 5 per second for the provider
    settings = notifier_settings.model_copy(update={"sms_rate_limit": 5})
    ids = await insert(db, [notification(events.STATUS_CHANGED, channel="sms", address=f"0812555{i:05d}") for i in range(15)])

    with running_worker(settings, threads=8) as broker:
        await enqueue_notifications(broker, [str(i) for i in ids])
        await wait_for(lambda: status_count_is(db, "sent", 15), 30, "15 rate-limited SMS")

    # then no wall-clock second saw more than 5 sends, so they took at least 3 windows
    per_second = Counter(int(request.wall_clock) for request in sms_gateway.requests)
    assert len(sms_gateway.requests) == 15
    assert max(per_second.values()) <= 5
    assert len(per_second) >= 3
    assert await db[NOTIFICATIONS].count_documents({"attempts.outcome": "retry"}) == 0


async def test_notification_without_not_before_is_sent(
    db: Database, notifier_settings: Settings, sms_gateway: SmsGatewayDouble
) -> None:
    document = notification(events.COMPLAINT_CLOSED, channel="sms")
    del document["notBefore"]
    [identifier] = await insert(db, [document])

    with running_worker(notifier_settings, threads=1) as broker:
        await enqueue_notifications(broker, [str(identifier)])
        await wait_for(lambda: status_count_is(db, "sent", 1), 10, "the notification to be sent")

    assert len(sms_gateway.requests) == 1
