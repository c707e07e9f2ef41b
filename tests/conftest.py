"""Real servers for the tests: SecantusDB, Redis (the broker) and an SMTP sink.

Each is started once per test session on a free port, under a temporary
folder, and stopped at the end; the machine's own servers are never touched.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from pymongo import AsyncMongoClient

from shared.mongo import Database, ensure_indexes
from shared.settings import Settings
from shared.timeutil import clock
from tanggap.servers import free_port, start_redis, start_secantus, stop_process
from tanggap.smtp_sink import start_sink


@pytest.fixture(scope="session")
def server_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("servers")


@pytest.fixture(scope="session")
def mongodb_uri(server_root: Path) -> Iterator[str]:
    if os.environ.get("TANGGAP_TEST_MONGODB_URI"):
        yield os.environ["TANGGAP_TEST_MONGODB_URI"]
        return
    port = free_port()
    process = start_secantus(server_root / "secantus", port, server_root / "secantus.log")
    yield f"mongodb://127.0.0.1:{port}/?directConnection=true&retryWrites=false"
    stop_process(process, "SecantusDB")


@pytest.fixture(scope="session")
def redis_url(server_root: Path) -> Iterator[str]:
    port = free_port()
    process = start_redis(server_root / "redis", port, server_root / "redis.log", persistent=False)
    yield f"redis://127.0.0.1:{port}/0"
    stop_process(process, "Redis")


@pytest.fixture(scope="session")
def smtp_sink(server_root: Path) -> Iterator[tuple[int, Path]]:
    port = free_port()
    directory = server_root / "mail"
    controller = start_sink(directory, port)
    yield port, directory
    controller.stop()


@pytest.fixture
def settings(mongodb_uri: str, redis_url: str, tmp_path: Path) -> Settings:
    """Settings for one test: its own database and outbox folder."""
    return Settings(
        environment="test",
        mongodb_uri=mongodb_uri,
        mongodb_database=f"test_{uuid.uuid4().hex[:12]}",
        broker_url=redis_url,
        var_dir=tmp_path / "var",
        log_format="text",
    )


@pytest.fixture
async def db(settings: Settings) -> AsyncIterator[Database]:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(settings.effective_mongodb_uri, tz_aware=True, w=1, journal=True)
    database = client[settings.mongodb_database]
    await ensure_indexes(database)
    yield database
    await client.drop_database(settings.mongodb_database)
    await client.close()


@pytest.fixture(autouse=True)
def real_clock() -> Iterator[None]:
    """Give every test the real clock back after it froze or replaced it."""
    yield
    clock.reset()
