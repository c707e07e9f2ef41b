"""The watcher as a real process: killed mid-scan, restarted, stopped with SIGTERM."""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import dramatiq
import httpx
import pytest
import redis
from bson import ObjectId

from shared.mongo import ALERTS, COMPLAINT_EVENTS, COMPLAINTS, NOTIFICATIONS, Database
from shared.settings import Settings
from tanggap.servers import free_port

from services.sla_watcher.metrics import WatcherMetrics
from services.sla_watcher.watcher import Watcher
from tests.watcher.conftest import ComplaintFactory, queued_ids, run_at, wita

REPO_ROOT = Path(__file__).resolve().parents[2]
DUE_COMPLAINTS = 300
NOTIFICATIONS_PER_ALERT = 4  # two DLH officers, e-mail and SMS each
NOW = wita(3, 10)

pytestmark = pytest.mark.slow


def watcher_env(settings: Settings, now: datetime, metrics_port: int) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("TANGGAP_")}
    env.update(
        {
            "TANGGAP_ENVIRONMENT": "test",
            "TANGGAP_MONGODB_URI": settings.effective_mongodb_uri,
            "TANGGAP_MONGODB_DATABASE": settings.mongodb_database,
            "TANGGAP_BROKER_URL": settings.effective_broker_url,
            "TANGGAP_WATCH_INTERVAL": "0.2",
            "TANGGAP_TEST_FROZEN_NOW": now.isoformat(),
            "TANGGAP_WATCHER_METRICS_PORT": str(metrics_port),
            "TANGGAP_LOG_FORMAT": "json",
            "TANGGAP_LOG_LEVEL": "INFO",
        }
    )
    return env


def start_watcher(env: dict[str, str], log_path: Path) -> subprocess.Popen[bytes]:
    with log_path.open("ab") as log_file:
        return subprocess.Popen(
            [sys.executable, "-m", "services.sla_watcher"], cwd=REPO_ROOT, env=env, stdout=log_file, stderr=log_file
        )


async def wait_for_alerts(db: Database, at_least: int, process: subprocess.Popen[bytes], timeout: float = 90.0) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        count = await db[ALERTS].count_documents({})
        if count >= at_least:
            return count
        if process.poll() is not None:
            raise AssertionError(f"watcher exited with code {process.returncode} before {at_least} alerts")
        await asyncio.sleep(0.05)
    raise AssertionError(f"fewer than {at_least} alerts after {timeout:.0f} s")


async def wait_for_log(log_path: Path, message: str, count: int, process: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if log_messages(log_path).count(message) >= count:
            return
        if process.poll() is not None:
            raise AssertionError(f"watcher exited with code {process.returncode} before logging {message!r}")
        await asyncio.sleep(0.05)
    raise AssertionError(f"{message!r} logged fewer than {count} times after {timeout:.0f} s")


def log_messages(log_path: Path) -> list[str]:
    messages = []
    for line in log_path.read_text().splitlines():
        if line.startswith("{"):
            messages.append(json.loads(line)["message"])
    return messages


def sent_metric(text: str) -> float:
    match = re.search(r'^tanggap_watcher_alerts_total\{stage="warn-50",status="sent"\} (\S+)$', text, re.MULTILINE)
    if match is None:
        raise AssertionError(f"no warn-50 alert counter in the metrics:\n{text[:2000]}")
    return float(match.group(1))


async def assert_claims_complete(db: Database, alerts: int) -> None:
    """Check that every claim written so far is whole: event, notifications and clocks."""
    assert await db[COMPLAINT_EVENTS].count_documents({"kind": "sla_alert"}) == alerts
    assert await db[NOTIFICATIONS].count_documents({}) == NOTIFICATIONS_PER_ALERT * alerts
    assert await db[COMPLAINTS].count_documents({"clocks.response.alerted": "warn-50"}) == alerts


async def test_killed_watcher_restarts_without_gaps(
    complaints: ComplaintFactory,
    seeded: Database,
    watcher_settings: Settings,
    redis_client: redis.Redis,
    broker: dramatiq.Broker,
    tmp_path: Path,
) -> None:
    # given: 300 complaints filed Mon 09:00, each with only response warn-50 due on
    # Tue 10:00 (25 h / 48 h = 0.52; resolution 9 / 23 working hours = 0.39)
    docs = [await complaints.doc(wita(2, 9)) for _ in range(DUE_COMPLAINTS)]
    await seeded[COMPLAINTS].insert_many(docs)
    log_path = tmp_path / "watcher.log"

    # when: the first watcher is killed with SIGKILL in the middle of its scan
    first = start_watcher(watcher_env(watcher_settings, NOW, 0), log_path)
    try:
        await wait_for_alerts(seeded, 30, first)
    finally:
        first.kill()
        first.wait()
    killed_at = await seeded[ALERTS].count_documents({})

    # then: it stopped part way, and each claim it made is whole
    assert 30 <= killed_at < DUE_COMPLAINTS
    await assert_claims_complete(seeded, killed_at)

    # when: a second watcher starts, and gets SIGTERM in the middle of its scan
    metrics_port = free_port()
    second = start_watcher(watcher_env(watcher_settings, NOW, metrics_port), log_path)
    try:
        await wait_for_alerts(seeded, killed_at + 30, second)
        metrics = httpx.get(f"http://127.0.0.1:{metrics_port}/metrics", timeout=5).text
        stopped_at = await seeded[ALERTS].count_documents({})
        second.send_signal(signal.SIGTERM)
        exit_code = second.wait(timeout=120)
    finally:
        if second.poll() is None:
            second.kill()
            second.wait()

    # then: it finished that scan before it exited, cleanly. The one complaint
    # the kill may have caught inside a transaction stays locked until the server
    # reaps that transaction (60 s idle), so this scan may leave it out.
    assert stopped_at < DUE_COMPLAINTS
    assert exit_code == 0
    assert await seeded[ALERTS].count_documents({}) >= DUE_COMPLAINTS - 1
    assert 1 <= sent_metric(metrics) <= stopped_at - killed_at
    messages = log_messages(log_path)
    assert messages.count("SLA watcher started.") == 2
    tail = messages[messages.index("Stop requested; finishing the current scan.") :]
    assert tail.index("Scan finished.") < tail.index("SLA watcher stopped.")

    # when: a third watcher runs until nothing is left
    third = start_watcher(watcher_env(watcher_settings, NOW, 0), log_path)
    try:
        await wait_for_alerts(seeded, DUE_COMPLAINTS, third, timeout=120)
        # The second watcher may already have claimed everything; the stop
        # must then still reach a started watcher, not one still importing.
        await wait_for_log(log_path, "SLA watcher started.", 3, third)
        third.send_signal(signal.SIGTERM)
        assert third.wait(timeout=60) == 0
    finally:
        if third.poll() is None:
            third.kill()
            third.wait()

    # and together they claimed every complaint exactly once, each claim whole
    alerts = [a async for a in seeded[ALERTS].find({})]
    assert len(alerts) == DUE_COMPLAINTS
    assert len({a["complaintId"] for a in alerts}) == DUE_COMPLAINTS
    assert {(a["clock"], a["cycle"], a["stage"], a["status"]) for a in alerts} == {("response", 1, "warn-50", "sent")}
    await assert_claims_complete(seeded, DUE_COMPLAINTS)
    async for saved in seeded[COMPLAINTS].find({}):
        assert saved["clocks"]["response"]["alerted"] == ["warn-50"]
        assert saved["nextAlertAt"] == wita(3, 12, 30)

    # Messages: none twice; at most the one claim the kill cut off between its
    # commit and its enqueue is missing from the broker.
    all_ids = {str(doc["_id"]) async for doc in seeded[NOTIFICATIONS].find({}, {"_id": 1})}
    queued = queued_ids(redis_client)
    assert len(queued) == len(set(queued))
    assert set(queued) <= all_ids
    missing = all_ids - set(queued)
    assert len(missing) in (0, NOTIFICATIONS_PER_ALERT)

    # when: the notifier delivered what it got, and a resend sweep runs after the limit
    await seeded[NOTIFICATIONS].update_many({"_id": {"$in": [ObjectId(i) for i in queued]}}, {"$set": {"status": "sent"}})
    sweeper = Watcher(seeded, broker, watcher_settings, WatcherMetrics(), "sweeper", random.Random(3))
    report = await run_at(sweeper, NOW + timedelta(seconds=watcher_settings.notification_resend_after))

    # then: exactly the missing ones are handed over again
    assert report.resent == len(missing)
    assert set(queued_ids(redis_client)) == all_ids
