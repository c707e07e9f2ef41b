"""How often and how late a notification is retried, as Dramatiq's Retries middleware does it.

Before retry n+1 (n retries so far) Dramatiq waits `min_backoff * 2**n`
milliseconds, stretched by a random factor between 1 and 2; a wait that
would pass `max_backoff` becomes a random value between half of it and all
of it. After `max_retries` retries the message is dead-lettered.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shared.settings import Settings


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int
    min_backoff_ms: int
    max_backoff_ms: int

    @classmethod
    def from_settings(cls, settings: Settings) -> RetryPolicy:
        return cls(
            max_retries=settings.notification_max_retries,
            min_backoff_ms=settings.notification_min_backoff_ms,
            max_backoff_ms=settings.notification_max_backoff_ms,
        )

    def actor_options(self) -> dict[str, Any]:
        return {"max_retries": self.max_retries, "min_backoff": self.min_backoff_ms, "max_backoff": self.max_backoff_ms}

    def delay_range_ms(self, retries: int) -> tuple[int, int]:
        """Return the shortest and longest wait before the retry that follows `retries` earlier ones."""
        base = self.min_backoff_ms * 2**retries
        if base >= self.max_backoff_ms:
            return self.max_backoff_ms // 2, self.max_backoff_ms
        if 2 * base <= self.max_backoff_ms:
            return base, 2 * base
        return min(base, self.max_backoff_ms // 2), self.max_backoff_ms
