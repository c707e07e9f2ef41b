"""Fixtures of the SLA watcher tests: a seeded database, a real Redis broker and complaint builders.

The hand-worked instants in these tests use the seeded `sampah` policy of
DLH: response 48 HOURS (plain time), resolution 2 WORKING_DAYS on the
`office` calendar (Mon-Thu 08:00-16:00, Fri 08:00-16:30 WITA), warnings at
0.5/0.75/0.9, escalation to the head 1 working day and to the city
administrator 3 working days after the breach. A complaint filed on Monday
2026-02-02 at 09:00 WITA (no holiday from 2 to 10 February 2026) has:

| stage        | response (48 h)   | resolution (23 working hours, due Wed 16:00) |
|--------------|-------------------|----------------------------------------------|
| warn-50      | Tue 03 09:00      | Tue 03 12:30 (11.5 h: Mon 7 h + Tue 4.5 h)    |
| warn-75      | Tue 03 21:00      | Wed 04 10:15 (17.25 h: 7 + 8 + 2.25)          |
| warn-90      | Wed 04 04:12      | Wed 04 13:42 (20.7 h: 7 + 8 + 5.7)            |
| breach       | Wed 04 09:00      | Wed 04 16:00                                 |
| escalation-1 | Thu 05 16:00      | Thu 05 16:00 (close of the 1st working day)   |
| escalation-2 | Mon 09 16:00      | Mon 09 16:00 (Thu, Fri, Mon)                  |
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import dramatiq
import pytest
import redis

from shared.broker import build_broker
from shared.complaints import clock_update, clocks_of, new_complaint_doc, policy_of
from shared.mongo import ALERTS, COMPLAINTS, NOTIFICATIONS, Database
from shared.settings import Settings
from shared.sla.calendar_store import load_calendar
from shared.sla.lifecycle import apply_effect, transfer_clocks
from shared.sla.policy import PolicySnapshot
from shared.sla.policy_store import policy_in_force
from shared.timeutil import clock
from shared.workflow import Actor, ComplaintStatus, find_transition
from tanggap.seed import seed_demo

from services.sla_watcher.metrics import WatcherMetrics
from services.sla_watcher.watcher import Watcher

WITA = ZoneInfo("Asia/Makassar")
# A Redis database of its own, so the broker checks see only these tests' messages.
WATCHER_REDIS_DB = 11
QUEUE_KEY = "dramatiq:notifications.msgs"
DELAYED_QUEUE_KEY = "dramatiq:notifications.DQ.msgs"


def wita(day: int, hour: int, minute: int = 0, second: int = 0, month: int = 2) -> datetime:
    """Return an instant of 2026 in Makassar's time (WITA, UTC+8)."""
    return datetime(2026, month, day, hour, minute, second, tzinfo=WITA)


@pytest.fixture
def watcher_settings(settings: Settings, redis_url: str) -> Settings:
    broker_url = redis_url.rsplit("/", 1)[0] + f"/{WATCHER_REDIS_DB}"
    return settings.model_copy(update={"broker_url": broker_url, "watcher_metrics_port": 0, "log_format": "text"})


@pytest.fixture
def redis_client(watcher_settings: Settings) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(watcher_settings.effective_broker_url)
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


@pytest.fixture
def broker(watcher_settings: Settings, redis_client: redis.Redis) -> Iterator[dramatiq.Broker]:
    built = build_broker(watcher_settings)
    yield built
    built.close()


@pytest.fixture
async def seeded(db: Database, settings: Settings) -> Database:
    clock.freeze(wita(1, 12))
    await seed_demo(db, settings)
    return db


@pytest.fixture
def watcher(seeded: Database, broker: dramatiq.Broker, watcher_settings: Settings) -> Watcher:
    return Watcher(seeded, broker, watcher_settings, WatcherMetrics(), watcher_id="test-watcher", rng=random.Random(7))


def queued_ids(client: redis.Redis, key: str = QUEUE_KEY) -> list[str]:
    """Return the notification ids of the messages waiting in one of the broker's queues."""
    ids = []
    for raw in client.hvals(key):
        message = json.loads(raw)
        ids.append(message["args"][0])
    return ids


@dataclass
class ComplaintFactory:
    db: Database
    count: int = 0

    async def doc(
        self,
        submitted_at: datetime,
        agency: str = "DLH",
        category: str = "sampah",
        policy: PolicySnapshot | None = None,
        reporter: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Build (without inserting) a SUBMITTED complaint under the policy in force."""
        policy = policy or await policy_in_force(self.db, agency, category)
        calendar = await load_calendar(self.db, policy.calendar_code)
        self.count += 1
        return new_complaint_doc(
            ticket_number=f"MKS-2026-{self.count:06d}",
            category_code=category,
            agency_code=agency,
            title=f"Sampah menumpuk {self.count}",
            description="Sampah tidak diangkut selama tiga hari.",
            location={"district": "Tamalate"},
            channel="web",
            reporter=reporter
            or {
                "subject": f"citizen-{self.count}",
                "name": "Andi Wijaya",
                "phone": "+6281234567890",
                "email": "andi@warga.example",
                "notify": {"channels": ["email", "sms"], "locale": "id"},
            },
            policy=policy,
            calendar=calendar,
            submitted_at=submitted_at,
        )

    async def insert(self, submitted_at: datetime, **kwargs: Any) -> dict[str, Any]:
        doc = await self.doc(submitted_at, **kwargs)
        await self.db[COMPLAINTS].insert_one(doc)
        return doc


@pytest.fixture
def complaints(seeded: Database) -> ComplaintFactory:
    return ComplaintFactory(seeded)


async def move(
    db: Database, complaint_id: Any, target: ComplaintStatus, at: datetime, actor: Actor = Actor.OFFICIAL, **extra: Any
) -> dict[str, Any]:
    """Apply a workflow transition the way the gateway does and return the saved complaint."""
    doc = await db[COMPLAINTS].find_one({"_id": complaint_id})
    transition = find_transition(ComplaintStatus(doc["status"]), target, actor)
    policy = policy_of(doc)
    calendar = await load_calendar(db, policy.calendar_code)
    clocks = apply_effect(calendar, policy, clocks_of(doc), transition.effect, at)
    update = clock_update(calendar, policy, clocks, target)
    update["$set"].update({"status": target.value, "updatedAt": at, **extra})
    await db[COMPLAINTS].update_one({"_id": complaint_id}, update)
    return await db[COMPLAINTS].find_one({"_id": complaint_id})


async def transfer(db: Database, complaint_id: Any, agency: str, category: str, at: datetime) -> dict[str, Any]:
    """Transfer a complaint to another agency the way the gateway does: new cycles under its policy."""
    doc = await db[COMPLAINTS].find_one({"_id": complaint_id})
    policy = await policy_in_force(db, agency, category)
    calendar = await load_calendar(db, policy.calendar_code)
    clocks = transfer_clocks(calendar, policy, clocks_of(doc), at)
    update = clock_update(calendar, policy, clocks, ComplaintStatus.SUBMITTED)
    update["$set"].update(
        {"status": "SUBMITTED", "agencyCode": agency, "categoryCode": category, "policy": policy.to_doc(), "assignedTo": None, "updatedAt": at}
    )
    await db[COMPLAINTS].update_one({"_id": complaint_id}, update)
    return await db[COMPLAINTS].find_one({"_id": complaint_id})


async def alerts_of(db: Database, complaint_id: Any) -> list[dict[str, Any]]:
    return [doc async for doc in db[ALERTS].find({"complaintId": complaint_id}).sort([("clock", 1), ("cycle", 1), ("severity", 1)])]


async def notifications_of(db: Database, complaint_id: Any, **query: Any) -> list[dict[str, Any]]:
    cursor = db[NOTIFICATIONS].find({"complaintId": complaint_id, **query}).sort([("alert.severity", 1), ("idempotencyKey", 1)])
    return [doc async for doc in cursor]


async def run_at(watcher: Watcher, instant: datetime) -> Any:
    """Run one watcher pass with the clock frozen at `instant`."""
    clock.freeze(instant)
    return await watcher.run_pass()

