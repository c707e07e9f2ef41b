"""Nothing is lost when a worker is killed or the broker restarts; a kill doubles at most one send.

The worker runs as `dramatiq services.notifier.broker services.notifier.actors`,
as in production, with one process and one thread: the duplicate a crash
can cause is a send in flight when the process dies, so the bound is one per
kill per worker thread.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from services.sla_watcher.resend import resend_lost_notifications
from shared.broker import build_broker, enqueue_notifications
from shared.mongo import NOTIFICATIONS, Database
from shared.notify import events
from shared.settings import Settings
from shared.timeutil import clock
from tanggap.servers import free_port, start_redis, stop_process

from .harness import mail_counts, running_worker, status_count_is, wait_for
from .samples import notification

pytestmark = pytest.mark.slow

BATCH = 300
KILLS = 2


def worker_environment(settings: Settings) -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("TANGGAP_")}
    environment.update(
        {
            "TANGGAP_ENVIRONMENT": "test",
            "TANGGAP_MONGODB_URI": settings.effective_mongodb_uri,
            "TANGGAP_MONGODB_DATABASE": settings.mongodb_database,
            "TANGGAP_BROKER_URL": settings.effective_broker_url,
            "TANGGAP_SMTP_PORT": str(settings.smtp_port),
            "TANGGAP_SMTP_RATE_LIMIT": str(settings.smtp_rate_limit),
            "TANGGAP_NOTIFICATION_CLAIM_LEASE": "5",
            "TANGGAP_VAR_DIR": str(settings.var_dir),
            "TANGGAP_LOG_FORMAT": "text",
            "TANGGAP_LOG_LEVEL": "INFO",
        }
    )
    return environment


def start_worker_process(settings: Settings, log_file: Path) -> subprocess.Popen[bytes]:
    dramatiq_cli = str(Path(sys.executable).with_name("dramatiq"))
    command = [dramatiq_cli, "services.notifier.broker", "services.notifier.actors", "--processes", "1", "--threads", "1"]
    with log_file.open("ab") as output:
        return subprocess.Popen(
            command,
            env=worker_environment(settings),
            cwd=Path(__file__).resolve().parents[2],
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # the CLI forks its worker: a kill of the group takes both
        )


@pytest.fixture
def worker_processes() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


async def insert_emails(db: Database, count: int) -> list[Any]:
    documents = [notification(events.COMPLAINT_RECEIVED, channel="email") for _ in range(count)]
    await db[NOTIFICATIONS].insert_many(documents)
    return [document["_id"] for document in documents]


async def test_killed_worker_loses_nothing(
    db: Database,
    notifier_settings: Settings,
    smtp_sink: tuple[int, Path],
    tmp_path: Path,
    worker_processes: list[subprocess.Popen[bytes]],
) -> None:
    # given a batch of e-mails on the broker
    ids = await insert_emails(db, BATCH)
    broker = build_broker(notifier_settings)
    await enqueue_notifications(broker, [str(i) for i in ids])
    broker.close()

    # when the worker is killed with SIGKILL twice in the middle of the batch and started again
    log_file = tmp_path / "worker.log"
    for kill in range(1, KILLS + 1):
        process = start_worker_process(notifier_settings, log_file)
        worker_processes.append(process)
        threshold = BATCH * kill // (KILLS + 1)
        await wait_for(lambda: status_count_is(db, "sent", threshold), 90, f"{threshold} sends before kill {kill}", interval=0.05)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    process = start_worker_process(notifier_settings, log_file)
    worker_processes.append(process)
    await wait_for(lambda: status_count_is(db, "sent", BATCH), 120, "every e-mail to be sent after the kills")
    # SIGTERM to the main process only: it stops its worker gracefully.
    os.kill(process.pid, signal.SIGTERM)
    process.wait(timeout=30)

    # then every e-mail arrived, and at most one per kill arrived twice
    _, mail_dir = smtp_sink
    counts = mail_counts(mail_dir)
    arrivals = [counts[f"<{identifier}@tanggap.example>"] for identifier in ids]
    assert min(arrivals) >= 1, "an e-mail was lost"
    assert sum(arrival - 1 for arrival in arrivals) <= KILLS
    taken_over = await db[NOTIFICATIONS].count_documents({"claims": {"$gt": 1}})
    assert taken_over <= KILLS


async def test_broker_restart_mid_run_loses_nothing(
    db: Database, notifier_settings: Settings, smtp_sink: tuple[int, Path], server_root: Path
) -> None:
    # given a persistent Redis of this test's own as the broker
    port = free_port()
    data_dir = server_root / f"restart-redis-{port}"
    redis_log = server_root / f"restart-redis-{port}.log"
    redis_server = start_redis(data_dir, port, redis_log, persistent=True)
    settings = notifier_settings.model_copy(update={"broker_url": f"redis://127.0.0.1:{port}/0"})
    ids = await insert_emails(db, BATCH)

    try:
        with running_worker(settings, threads=4) as broker:
            await enqueue_notifications(broker, [str(i) for i in ids])

            # when Redis is killed a third of the way through and started again on the same data
            await wait_for(lambda: status_count_is(db, "sent", BATCH // 3), 60, "a third of the batch", interval=0.05)
            redis_server.kill()
            redis_server.wait()
            time.sleep(1.0)
            redis_server = start_redis(data_dir, port, redis_log, persistent=True)

            await wait_for(lambda: status_count_is(db, "sent", BATCH), 90, "every e-mail after the restart")
    finally:
        stop_process(redis_server, "Redis")

    # then every e-mail arrived exactly once
    _, mail_dir = smtp_sink
    counts = mail_counts(mail_dir)
    assert [counts[f"<{identifier}@tanggap.example>"] for identifier in ids] == [1] * BATCH


async def test_deferred_messages_survive_broker_restart(
    db: Database, notifier_settings: Settings, smtp_sink: tuple[int, Path], server_root: Path
) -> None:
    # A worker keeps delayed messages in memory and, on a broker connection
    # error, drops them; Redis keeps them in that worker's unacknowledged set
    # until the worker stops. The watcher's resend sweep hands such pending
    # notifications to the broker again, so they are late but not lost.
    port = free_port()
    data_dir = server_root / f"deferred-redis-{port}"
    redis_log = server_root / f"deferred-redis-{port}.log"
    redis_server = start_redis(data_dir, port, redis_log, persistent=True)
    settings = notifier_settings.model_copy(update={"broker_url": f"redis://127.0.0.1:{port}/0"})
    not_before = clock.now() + timedelta(seconds=3)
    documents = [notification(events.COMPLAINT_RECEIVED, not_before=not_before) for _ in range(20)]
    await db[NOTIFICATIONS].insert_many(documents)
    ids = [document["_id"] for document in documents]

    try:
        with running_worker(settings, threads=4) as broker:
            # given 20 notifications deferred by the worker, their messages on its delay queue
            await enqueue_notifications(broker, [str(i) for i in ids])
            await wait_for(lambda: deferred_count_is(db, 20), 15, "20 deferrals")

            # when Redis is killed and started again before they are due
            redis_server.kill()
            redis_server.wait()
            time.sleep(1.0)
            redis_server = start_redis(data_dir, port, redis_log, persistent=True)

            # then the resend sweep, run as the watcher runs it, brings every one to the inbox
            async def swept_and_sent() -> bool:
                await resend_lost_notifications(db, broker, clock.now(), timedelta(seconds=2), limit=100)
                return await status_count_is(db, "sent", 20)

            await wait_for(swept_and_sent, 60, "every deferred e-mail after the restart", interval=1.0)
    finally:
        stop_process(redis_server, "Redis")

    _, mail_dir = smtp_sink
    counts = mail_counts(mail_dir)
    assert [counts[f"<{identifier}@tanggap.example>"] for identifier in ids] == [1] * 20


async def deferred_count_is(db: Database, expected: int) -> bool:
    return await db[NOTIFICATIONS].count_documents({"deferredUntil": {"$exists": True}}) >= expected
