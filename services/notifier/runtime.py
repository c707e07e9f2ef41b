"""Resources that every delivery in one worker process shares, opened on Dramatiq's event-loop thread.

Async actors run on the one event loop that Dramatiq's AsyncIO middleware
starts in each worker process. The AsyncMongoClient and the HTTP client
belong to the loop that first uses them, so `NotifierRuntime` opens them
on that loop once the worker has booted and closes them there before the
loop stops.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

import dramatiq
import httpx
from dramatiq.asyncio import get_event_loop_thread
from dramatiq.middleware import Middleware, MiddlewareError
from jinja2 import Environment
from pymongo import AsyncMongoClient

from services.notifier.providers.base import Provider, SmsMessage
from services.notifier.providers.factory import email_chain, rate_limits_per_second, sms_chain
from services.notifier.rate_limits import ProviderRateLimits
from services.notifier.templating import build_environment
from shared.mongo import Database, database, make_client
from shared.settings import Settings

log = logging.getLogger(__name__)

HTTP_CONNECTIONS = 32


@dataclass
class NotifierResources:
    settings: Settings
    broker: dramatiq.Broker
    client: AsyncMongoClient[dict[str, Any]]
    db: Database
    environment: Environment
    http: httpx.AsyncClient
    email_chain: list[Provider[EmailMessage]]
    sms_chain: list[Provider[SmsMessage]]
    rate_limits: ProviderRateLimits

    async def aclose(self) -> None:
        for provider in [*self.email_chain, *self.sms_chain]:
            await provider.aclose()
        await self.http.aclose()
        await self.client.close()
        self.rate_limits.close()


async def open_resources(settings: Settings, broker: dramatiq.Broker) -> NotifierResources:
    """Create the clients; call it on the event loop that the actors run on."""
    client = make_client(settings)
    http = httpx.AsyncClient(limits=httpx.Limits(max_connections=HTTP_CONNECTIONS))
    return NotifierResources(
        settings=settings,
        broker=broker,
        client=client,
        db=database(client, settings),
        environment=build_environment(),
        http=http,
        email_chain=email_chain(settings),
        sms_chain=sms_chain(settings, http),
        rate_limits=ProviderRateLimits(settings, rate_limits_per_second(settings)),
    )


class NotifierBootError(MiddlewareError):
    """The worker cannot deliver anything: stop it rather than fail every message."""


class NotifierRuntime(Middleware):
    """Opens the shared resources when a worker boots and closes them when it stops."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._resources: NotifierResources | None = None

    @property
    def resources(self) -> NotifierResources:
        if self._resources is None:
            raise RuntimeError("notifier resources are not open; actors run only inside a booted Dramatiq worker")
        return self._resources

    def before_worker_boot(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        # AsyncIO's before-hook has started the loop already (before-hooks run in
        # order), and no worker thread takes a message until every before-hook ran.
        loop_thread = get_event_loop_thread()
        if loop_thread is None:
            raise NotifierBootError("the AsyncIO middleware must come before NotifierRuntime on the broker")
        try:
            self._resources = loop_thread.run_coroutine(open_resources(self.settings, broker))
        except ValueError as exc:
            raise NotifierBootError(f"notifier settings are invalid: {exc}") from exc
        log.info(
            "Notifier resources opened.",
            extra={"sms_providers": [p.name for p in self._resources.sms_chain], "database": self.settings.mongodb_database},
        )

    def after_worker_shutdown(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        # Runs before AsyncIO's own hook (after-hooks run in reverse order), so the loop still runs.
        loop_thread = get_event_loop_thread()
        if self._resources is None or loop_thread is None:
            return
        resources, self._resources = self._resources, None
        loop_thread.run_coroutine(resources.aclose())
        log.info("Notifier resources closed.")
