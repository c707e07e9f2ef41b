"""Throughput of the notifier's whole path against a bare client loop, measured in the same run.

    .venv/bin/python bench/notifier.py [--emails 5000] [--sms 5000] [--threads 8]

The whole path: notification documents in SecantusDB, one message each on
a Redis broker, an in-process Dramatiq worker that claims, renders, sends
and records, to a local SMTP server (aiosmtpd) and a local HTTP SMS gateway.
The baselines: a bare aiosmtplib loop and a bare httpx loop sending the same
number of messages to the same servers with the same concurrency, one SMTP
connection per message as the SMTP provider does. Every server is started
here on a free port of 127.0.0.1 and stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import aiosmtplib  # noqa: E402
import dramatiq  # noqa: E402
import httpx  # noqa: E402
from pymongo import AsyncMongoClient  # noqa: E402

from services.notifier.setup import build_notifier_broker, declare_deliver_actor  # noqa: E402
from shared.broker import enqueue_notifications  # noqa: E402
from shared.mongo import NOTIFICATIONS, ensure_indexes  # noqa: E402
from shared.notify import events  # noqa: E402
from shared.settings import Settings  # noqa: E402
from tanggap.servers import free_port, start_redis, start_secantus, stop_process  # noqa: E402
from tanggap.smtp_sink import start_sink  # noqa: E402
from tests.notifier.samples import notification  # noqa: E402
from tests.notifier.sms_gateway import SmsGatewayDouble  # noqa: E402


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--emails", type=int, default=5000, help="e-mails to send on each path (default 5000)")
    parser.add_argument("--sms", type=int, default=5000, help="SMS to send on each path (default 5000)")
    parser.add_argument("--threads", type=int, default=8, help="worker threads, and the concurrency of the bare loops")
    return parser.parse_args()


async def whole_path(settings: Settings, documents: list[dict[str, Any]], threads: int) -> float:
    """Insert the documents, enqueue their ids and return the seconds until every one is sent."""
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(settings.effective_mongodb_uri, tz_aware=True)
    db = client[settings.mongodb_database]
    await ensure_indexes(db)
    await db[NOTIFICATIONS].delete_many({})
    for start in range(0, len(documents), 1000):
        await db[NOTIFICATIONS].insert_many(documents[start : start + 1000])

    broker = build_notifier_broker(settings)
    declare_deliver_actor(broker)
    worker = dramatiq.Worker(broker, worker_threads=threads, worker_timeout=100)
    worker.start()
    try:
        started = time.perf_counter()
        await enqueue_notifications(broker, [str(document["_id"]) for document in documents])
        while await db[NOTIFICATIONS].count_documents({"status": "sent"}) < len(documents):
            failed = await db[NOTIFICATIONS].count_documents({"status": {"$in": ["failed", "dead"]}})
            if failed:
                raise RuntimeError(f"{failed} notifications failed; see the log")
            await asyncio.sleep(0.25)
        return time.perf_counter() - started
    finally:
        worker.stop()
        broker.close()
        await client.close()


async def bare_smtp(port: int, count: int, concurrency: int) -> float:
    semaphore = asyncio.Semaphore(concurrency)

    async def send_one(index: int) -> None:
        message = EmailMessage()
        message["From"] = "Tanggap <noreply@tanggap.example>"
        message["To"] = f"warga-{index}@example.org"
        message["Subject"] = "Status laporan MKS-2026-000123: Diverifikasi"
        message.set_content("Yth. Bapak/Ibu, status laporan Anda telah berubah.\n" * 20)
        message.add_alternative("<p>Yth. Bapak/Ibu, status laporan Anda telah berubah.</p>\n" * 20, subtype="html")
        async with semaphore:
            await aiosmtplib.send(message, hostname="127.0.0.1", port=port, start_tls=False)

    started = time.perf_counter()
    await asyncio.gather(*(send_one(i) for i in range(count)))
    return time.perf_counter() - started


async def bare_http(url: str, count: int, concurrency: int) -> float:
    semaphore = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient() as client:

        async def send_one(index: int) -> None:
            async with semaphore:
                response = await client.post(
                    url, json={"to": f"+62812{index:08d}", "text": "Yth. Bapak/Ibu, status laporan Anda telah berubah.", "sender": "TANGGAP"}
                )
                response.raise_for_status()

        started = time.perf_counter()
        await asyncio.gather(*(send_one(i) for i in range(count)))
        return time.perf_counter() - started


def report(name: str, count: int, seconds: float, baseline: float) -> None:
    rate = count / seconds
    base_rate = count / baseline
    print(f"{name:<6} whole path {count:>5} in {seconds:6.1f} s = {rate:7.1f}/s | "
          f"bare loop {base_rate:7.1f}/s | ratio {rate / base_rate:.3f}")


async def main() -> None:
    arguments = parse_arguments()
    workdir = Path(tempfile.mkdtemp(prefix="tanggap-bench-"))
    mongo_port, redis_port, smtp_port = free_port(), free_port(), free_port()
    mongo = start_secantus(workdir / "secantus", mongo_port, workdir / "secantus.log")
    redis_server = start_redis(workdir / "redis", redis_port, workdir / "redis.log", persistent=False)
    sink = start_sink(workdir / "mail", smtp_port)
    gateway = SmsGatewayDouble().start()
    settings = Settings(
        environment="test",
        var_dir=workdir / "var",
        mongodb_uri=f"mongodb://127.0.0.1:{mongo_port}/?directConnection=true&retryWrites=false",
        mongodb_database="bench",
        broker_url=f"redis://127.0.0.1:{redis_port}/0",
        smtp_port=smtp_port,
        sms_provider="http",
        sms_http_url=gateway.url,
        # The benchmark measures the path, not the configured provider limits.
        smtp_rate_limit=1_000_000,
        sms_rate_limit=1_000_000,
        log_level="WARNING",
    )
    try:
        print(f"notifier benchmark: {arguments.emails} e-mails, {arguments.sms} SMS, {arguments.threads} threads")
        emails = [notification(events.STATUS_CHANGED, channel="email") for _ in range(arguments.emails)]
        email_seconds = await whole_path(settings, emails, arguments.threads)
        smtp_seconds = await bare_smtp(smtp_port, arguments.emails, arguments.threads)

        texts = [notification(events.STATUS_CHANGED, channel="sms", address=f"0812{i:08d}") for i in range(arguments.sms)]
        sms_seconds = await whole_path(settings, texts, arguments.threads)
        http_seconds = await bare_http(gateway.url, arguments.sms, arguments.threads)

        report("e-mail", arguments.emails, email_seconds, smtp_seconds)
        report("SMS", arguments.sms, sms_seconds, http_seconds)
    finally:
        gateway.stop()
        sink.stop()
        stop_process(redis_server, "Redis")
        stop_process(mongo, "SecantusDB")


if __name__ == "__main__":
    asyncio.run(main())
