"""Measure the SLA watcher's scan against the number of open complaints, and its alert lag.

1. One scan with 1,000 due complaints among 10,000 open ones, then, after
   190,000 more open complaints are added, one scan with 1,000 newly due
   among 200,000 open. It prints the time of the due query alone (median
   of several runs) and of the whole pass (claiming the 1,000 alerts), and
   the ratio of each between the two sizes. The scan reads only the
   `next_alert` index, so the target is a ratio under 2.
2. The alert lag at the default interval (15 s): 200 complaints on a 24x7
   policy whose first warning falls at a random instant within one minute,
   watched by the real service loop while the clock runs in real time. Lag
   is the claim instant minus the threshold.

It starts its own SecantusDB and Redis on free ports under a temporary
folder and stops them at the end. Inserting the documents dominates the
run time: SecantusDB takes about 2,500 small documents/s in bulk inserts on
2 cores, and fewer for complaints with their clocks and ten indexes, so the
200,000 take several minutes. The script prints the rate it got.

    .venv/bin/python bench/watcher.py
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import bson
from bson import ObjectId
from bson.codec_options import CodecOptions
from pymongo import AsyncMongoClient

from shared.broker import build_broker
from shared.complaints import new_complaint_doc
from shared.logs import configure_logging
from shared.mongo import ALERTS, COMPLAINTS, Database
from shared.settings import Settings
from shared.sla.calendar_store import load_calendar
from shared.sla.policy_store import policy_in_force
from shared.timeutil import clock
from tanggap.seed import seed_demo
from tanggap.servers import free_port, start_redis, start_secantus, stop_process

from services.sla_watcher.metrics import WatcherMetrics
from services.sla_watcher.scan import due_complaint_ids
from services.sla_watcher.service import run_loop
from services.sla_watcher.watcher import Watcher

WITA = ZoneInfo("Asia/Makassar")
# Tue 3 Feb 2026 10:00 WITA. A `sampah` complaint filed Mon 09:00 has its
# response warn-50 due since Tue 09:00. One filed Tue 09:30 has nothing due
# before Wed 09:30, so it is open but not due.
NOW = datetime(2026, 2, 3, 10, 0, tzinfo=WITA)
DUE_FILED = datetime(2026, 2, 2, 9, 0, tzinfo=WITA)
NOT_DUE_FILED = datetime(2026, 2, 3, 9, 30, tzinfo=WITA)
DUE_COUNT = 1_000
SMALL_OPEN = 10_000
LARGE_OPEN = 200_000
INSERT_CHUNK = 1_000
QUERY_RUNS = 5
LAG_COMPLAINTS = 200
LAG_WINDOW = timedelta(seconds=60)
CODEC = CodecOptions(tz_aware=True)


class DocumentCopier:
    """Copies a template complaint cheaply: encode once, decode per copy, new id and ticket."""

    def __init__(self, template: dict[str, Any]) -> None:
        self.raw = bson.encode(template)
        self.count = 0

    def copy(self, prefix: str, **changes: Any) -> dict[str, Any]:
        self.count += 1
        doc = bson.decode(self.raw, codec_options=CODEC)
        doc["_id"] = ObjectId()
        doc["ticketNumber"] = f"{prefix}-{self.count:07d}"
        doc.update(changes)
        return doc


async def template(db: Database, submitted_at: datetime, agency: str, category: str) -> dict[str, Any]:
    policy = await policy_in_force(db, agency, category)
    calendar = await load_calendar(db, policy.calendar_code)
    return new_complaint_doc(
        ticket_number="TEMPLATE",
        category_code=category,
        agency_code=agency,
        title="Sampah menumpuk di pinggir jalan",
        description="Sampah tidak diangkut selama tiga hari di depan pasar.",
        location={"district": "Tamalate", "subdistrict": "Mangasa"},
        channel="web",
        reporter={
            "subject": "citizen-bench",
            "name": "Warga Uji",
            "phone": "+6281234567890",
            "email": "warga@uji.example",
            "notify": {"channels": ["email", "sms"], "locale": "id"},
        },
        policy=policy,
        calendar=calendar,
        submitted_at=submitted_at,
    )


async def insert_copies(db: Database, make: Callable[[], dict[str, Any]], count: int, label: str) -> float:
    started = time.perf_counter()
    done = 0
    while done < count:
        size = min(INSERT_CHUNK, count - done)
        await db[COMPLAINTS].insert_many([make() for _ in range(size)], ordered=False)
        done += size
    seconds = time.perf_counter() - started
    print(f"  inserted {count:,} {label} in {seconds:.1f} s ({count / seconds:,.0f} docs/s)", flush=True)
    return seconds


async def time_scan(watcher: Watcher, db: Database, label: str) -> tuple[float, float]:
    """Return the median due-query time and the time of one whole pass at NOW."""
    clock.freeze(NOW)
    query_times = []
    for _ in range(QUERY_RUNS):
        started = time.perf_counter()
        ids = await due_complaint_ids(db, NOW, watcher.settings.watch_batch_size)
        query_times.append(time.perf_counter() - started)
    if len(ids) != DUE_COUNT:
        raise RuntimeError(f"expected {DUE_COUNT} due complaints, the query found {len(ids)}")

    report = await watcher.run_pass()
    if report.sent != DUE_COUNT:
        raise RuntimeError(f"expected {DUE_COUNT} alerts, the pass sent {report.sent} (errors: {report.errors})")
    query = statistics.median(query_times)
    print(f"  {label}: due query {query * 1000:.1f} ms (median of {QUERY_RUNS}), whole pass {report.seconds:.2f} s", flush=True)
    return query, report.seconds


async def measure_lag(db: Database, settings: Settings, rng: random.Random) -> list[float]:
    """Run the real loop at the default interval while the clock runs in real time; return each alert's lag."""
    base = NOW + timedelta(seconds=10)
    # DAMKAR's response target is 15 minutes on the 24x7 calendar: warn-50 comes 7.5 minutes after filing.
    docs = []
    for number in range(LAG_COMPLAINTS):
        threshold = base + LAG_WINDOW * rng.random()
        doc = await template(db, threshold - timedelta(minutes=7.5), "DAMKAR", "kebakaran")
        doc["ticketNumber"] = f"LAG-{number:07d}"
        docs.append(doc)
    await db[COMPLAINTS].insert_many(docs)

    started = time.monotonic()
    clock.set_source(lambda: base + timedelta(seconds=time.monotonic() - started))
    watcher = Watcher(db, build_broker(settings), settings, WatcherMetrics(), "bench-lag")
    stop = asyncio.Event()
    loop_task = asyncio.create_task(run_loop(watcher, settings, stop))
    await asyncio.sleep(LAG_WINDOW.total_seconds() + 2 * settings.watch_interval)
    stop.set()
    await loop_task
    clock.reset()

    ids = [doc["_id"] for doc in docs]
    lags = [alert["lagSeconds"] async for alert in db[ALERTS].find({"complaintId": {"$in": ids}, "status": "sent"})]
    if len(lags) != LAG_COMPLAINTS:
        raise RuntimeError(f"expected {LAG_COMPLAINTS} alerts in the lag run, found {len(lags)}")
    return lags


async def run(root: Path, seed: int) -> None:
    mongo_port, redis_port = free_port(), free_port()
    secantus = start_secantus(root / "secantus", mongo_port, root / "secantus.log")
    redis = start_redis(root / "redis", redis_port, root / "redis.log", persistent=False)
    settings = Settings(
        environment="test",
        mongodb_uri=f"mongodb://127.0.0.1:{mongo_port}/?directConnection=true&retryWrites=false",
        mongodb_database="bench_watcher",
        broker_url=f"redis://127.0.0.1:{redis_port}/0",
        var_dir=root / "var",
        watcher_metrics_port=0,
        # One pass takes all 1,000 due complaints (the default batch is 500).
        watch_batch_size=DUE_COUNT,
        log_level="WARNING",
        log_format="text",
    )
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(settings.effective_mongodb_uri, tz_aware=True, w=1, journal=True)
    db = client[settings.mongodb_database]
    rng = random.Random(seed)
    try:
        clock.freeze(NOW - timedelta(days=2))
        await seed_demo(db, settings)
        due = DocumentCopier(await template(db, DUE_FILED, "DLH", "sampah"))
        open_only = DocumentCopier(await template(db, NOT_DUE_FILED, "DLH", "sampah"))
        watcher = Watcher(db, build_broker(settings), settings, WatcherMetrics(), "bench", rng)

        print(f"Scan with {DUE_COUNT:,} due among {SMALL_OPEN:,} open complaints:", flush=True)
        await insert_copies(db, lambda: open_only.copy("OPEN"), SMALL_OPEN - DUE_COUNT, "open, not due")
        await insert_copies(db, lambda: due.copy("DUE"), DUE_COUNT, "due")
        small_query, small_pass = await time_scan(watcher, db, "10k open")

        # The first 1,000 are alerted now, so they count as open but not due.
        print(f"Scan with {DUE_COUNT:,} due among {LARGE_OPEN:,} open complaints:", flush=True)
        await insert_copies(db, lambda: open_only.copy("OPEN"), LARGE_OPEN - SMALL_OPEN - DUE_COUNT, "open, not due")
        await insert_copies(db, lambda: due.copy("DUE"), DUE_COUNT, "due")
        large_query, large_pass = await time_scan(watcher, db, "200k open")

        print(f"Alert lag at the default interval ({settings.watch_interval:.0f} s), {LAG_COMPLAINTS} thresholds over {LAG_WINDOW.total_seconds():.0f} s:", flush=True)
        lags = sorted(await measure_lag(db, settings, rng))

        print()
        print(f"due query:  10k {small_query * 1000:8.1f} ms   200k {large_query * 1000:8.1f} ms   ratio {large_query / small_query:.2f}")
        print(f"whole pass: 10k {small_pass:8.2f} s    200k {large_pass:8.2f} s    ratio {large_pass / small_pass:.2f}   (target < 2)")
        print(
            f"alert lag:  mean {statistics.mean(lags):.1f} s   median {statistics.median(lags):.1f} s   "
            f"p95 {lags[int(0.95 * (len(lags) - 1))]:.1f} s   max {lags[-1]:.1f} s   (interval {settings.watch_interval:.0f} s)"
        )
    finally:
        clock.reset()
        await client.close()
        stop_process(redis, "Redis")
        stop_process(secantus, "SecantusDB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1, help="Seed of the random instants and scan order.")
    args = parser.parse_args()
    configure_logging("bench-watcher", "WARNING", "text")
    logging.getLogger("services.sla_watcher").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="tanggap-bench-watcher-") as folder:
        asyncio.run(run(Path(folder), args.seed))


if __name__ == "__main__":
    main()
