"""Hand a message to a chain of providers in order, recording one attempt per provider.

The chain of an SMS is the primary provider followed by the fallback, when
one is configured; the chain of an e-mail is the SMTP server alone. The
first provider that accepts the message ends the chain. When none does,
the outcome carries the error that decides what happens next: a transient
one when any provider failed transiently (a retry may still succeed),
otherwise the last permanent one.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from services.notifier.errors import DeliveryError
from services.notifier.providers.base import MessageT, Provider, Receipt
from services.notifier.rate_limits import ProviderRateLimits
from shared.timeutil import clock

log = logging.getLogger(__name__)

SENT = "sent"
RETRY = "retry"
FAILED = "failed"


@dataclass
class SendOutcome:
    attempts: list[dict[str, Any]]
    receipt: Receipt | None = None
    error: DeliveryError | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def attempt_doc(
    at: datetime,
    provider: str | None,
    channel: str,
    outcome: str,
    provider_message_id: str | None = None,
    error: DeliveryError | None = None,
    duration_ms: int = 0,
) -> dict[str, Any]:
    return {
        "at": at,
        "provider": provider,
        "channel": channel,
        "outcome": outcome,
        "providerMessageId": provider_message_id,
        "error": error.to_doc() if error else None,
        "durationMs": duration_ms,
    }


def failed_before_sending(channel: str, error: DeliveryError) -> SendOutcome:
    """Return the outcome of a message that could not be built (template, address or number)."""
    outcome = RETRY if error.transient else FAILED
    return SendOutcome([attempt_doc(clock.now(), None, channel, outcome, error=error)], error=error)


async def send_through(
    chain: Sequence[Provider[MessageT]],
    message: MessageT,
    rate_limits: ProviderRateLimits,
    channel: str,
    notification_id: str,
) -> SendOutcome:
    attempts: list[dict[str, Any]] = []
    errors: list[DeliveryError] = []
    for provider in chain:
        if errors:
            log.warning(
                "Provider failed; trying the next one.",
                extra={"notification_id": notification_id, "failed_provider": errors[-1].provider, "provider": provider.name},
            )
        at = clock.now()
        started = time.monotonic()
        try:
            await rate_limits.wait_for_slot(provider.name)
            receipt = await provider.send(message)
        except DeliveryError as exc:
            exc.provider = exc.provider or provider.name
            outcome = RETRY if exc.transient else FAILED
            attempts.append(attempt_doc(at, provider.name, channel, outcome, error=exc, duration_ms=_elapsed_ms(started)))
            errors.append(exc)
            continue
        attempts.append(attempt_doc(at, provider.name, channel, SENT, receipt.message_id, duration_ms=_elapsed_ms(started)))
        return SendOutcome(attempts, receipt=receipt)

    return SendOutcome(attempts, error=_decisive_error(errors))


def _decisive_error(errors: list[DeliveryError]) -> DeliveryError:
    if not errors:
        raise ValueError("a provider chain must hold at least one provider")
    transient = [error for error in errors if error.transient]
    return transient[-1] if transient else errors[-1]


def _elapsed_ms(started: float) -> int:
    return round((time.monotonic() - started) * 1000)
