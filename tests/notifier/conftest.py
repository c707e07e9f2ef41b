"""Fixtures of the notifier's tests: a broker Redis of their own, the SMS gateway double, fast retries."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from shared.settings import Settings
from tanggap.servers import free_port, start_redis, stop_process

from .sms_gateway import SmsGatewayDouble


@pytest.fixture(scope="session")
def notifier_redis_url(server_root: Path) -> Iterator[str]:
    """A Redis only the notifier's tests use, so no other test's messages reach these workers."""
    port = free_port()
    process = start_redis(server_root / "notifier-redis", port, server_root / "notifier-redis.log", persistent=False)
    yield f"redis://127.0.0.1:{port}/0"
    stop_process(process, "Redis")


@pytest.fixture
def clean_redis(notifier_redis_url: str) -> str:
    client = redis.Redis.from_url(notifier_redis_url)
    client.flushdb()
    client.close()
    return notifier_redis_url


@pytest.fixture
def sms_gateway() -> Iterator[SmsGatewayDouble]:
    gateway = SmsGatewayDouble().start()
    yield gateway
    gateway.stop()


@pytest.fixture
def notifier_settings(
    settings: Settings, clean_redis: str, smtp_sink: tuple[int, Path], sms_gateway: SmsGatewayDouble
) -> Settings:
    """Settings for a worker: the test's database, the local servers, retries in milliseconds, no rate limit to speak of."""
    smtp_port, _ = smtp_sink
    return settings.model_copy(
        update={
            "broker_url": clean_redis,
            "smtp_port": smtp_port,
            "smtp_timeout": 5.0,
            "sms_provider": "http",
            "sms_http_url": sms_gateway.url,
            "sms_http_reference_field": "reference",
            "sms_http_timeout": 1.0,
            "notification_max_retries": 3,
            "notification_min_backoff_ms": 300,
            "notification_max_backoff_ms": 5_000,
            "notification_claim_lease": 15.0,
            "smtp_rate_limit": 100_000,
            "sms_rate_limit": 100_000,
        }
    )
