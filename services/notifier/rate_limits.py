"""Per-provider rate limits, shared by every worker through Dramatiq's rate limiters on Redis.

Each provider gets a `WindowRateLimiter` of N sends per one-second window
(`smtp_rate_limit`, `sms_rate_limit`). A send that finds the window full
waits for the next second instead of failing, so a burst is spread out
rather than retried with backoff. When the limiter's Redis cannot be
reached, sending goes on without the limit: the providers enforce their
own limits, and a notification held back by a broken limiter would be
worse than one sent a little fast.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time

import redis
from dramatiq.rate_limits import WindowRateLimiter
from dramatiq.rate_limits.backends import RedisBackend

from services.notifier.errors import TransientDeliveryError
from shared.settings import Settings

log = logging.getLogger(__name__)

KEY_PREFIX = "tanggap:rate-limit"
MAX_WAIT_SECONDS = 30.0
REDIS_TIMEOUT_SECONDS = 2.0
UNAVAILABLE_LOG_INTERVAL = 60.0


class ProviderRateLimits:
    def __init__(self, settings: Settings, limits: dict[str, int]) -> None:
        """`limits` maps a provider name to its sends per second."""
        self.client = redis.Redis.from_url(
            settings.effective_rate_limit_redis_url,
            socket_timeout=REDIS_TIMEOUT_SECONDS,
            socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
        )
        backend = RedisBackend(client=self.client)
        self.limiters = {
            name: WindowRateLimiter(backend, f"{KEY_PREFIX}:{name}", limit=limit, window=1)
            for name, limit in limits.items()
        }
        self._last_unavailable_log = 0.0

    async def wait_for_slot(self, provider: str) -> None:
        """Return once `provider` may send one message; raise TransientDeliveryError after MAX_WAIT_SECONDS."""
        limiter = self.limiters.get(provider)
        if limiter is None:
            return
        deadline = time.monotonic() + MAX_WAIT_SECONDS
        while True:
            try:
                acquired = await asyncio.to_thread(_try_acquire, limiter)
            except redis.RedisError as exc:
                self._log_unavailable(provider, exc)
                return
            if acquired:
                return
            if time.monotonic() >= deadline:
                raise TransientDeliveryError(
                    f"rate limit of {provider} stayed full for {MAX_WAIT_SECONDS:.0f} s",
                    code="rate_limited",
                    provider=provider,
                )
            # The window is one wall-clock second: wait for the next one, with
            # jitter so that waiting workers do not all ask at the same instant.
            await asyncio.sleep(1.0 - time.time() % 1.0 + random.uniform(0.0, 0.05))

    def close(self) -> None:
        self.client.close()

    def _log_unavailable(self, provider: str, exc: redis.RedisError) -> None:
        now = time.monotonic()
        if now - self._last_unavailable_log < UNAVAILABLE_LOG_INTERVAL:
            return
        self._last_unavailable_log = now
        log.warning(
            "Rate limiter unavailable; sending without it.",
            extra={"provider": provider, "error": repr(exc)},
        )


def _try_acquire(limiter: WindowRateLimiter) -> bool:
    with limiter.acquire(raise_on_failure=False) as acquired:
        return bool(acquired)
