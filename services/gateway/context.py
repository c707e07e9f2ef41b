"""The resolver context: the caller, the request's language, the database and the loaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import dramatiq
from pymongo import AsyncMongoClient
from starlette.requests import HTTPConnection

from services.gateway.auth import Principal
from services.gateway.errors import AuthenticationError
from services.gateway.loaders import Loaders
from services.gateway.metrics import GatewayMetrics
from shared.mongo import Database
from shared.settings import Settings


@dataclass
class Services:
    """The long-lived objects the lifespan builds once per process."""

    settings: Settings
    client: AsyncMongoClient[dict[str, Any]]
    db: Database
    broker: dramatiq.Broker
    metrics: GatewayMetrics


@dataclass
class GatewayContext:
    """Strawberry's context: made per HTTP request, or once per WebSocket connection."""

    services: Services
    request: HTTPConnection
    response: Any
    locale: str
    principal: Principal | None = None
    # True when a WebSocket upgrade carried an invalid Authorization header; connection_init then fails.
    header_rejected: bool = False
    loaders: Loaders = field(init=False)
    # Set by Strawberry from a WebSocket's connection_init payload.
    connection_params: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.services.db)

    @property
    def settings(self) -> Settings:
        return self.services.settings

    @property
    def db(self) -> Database:
        return self.services.db

    def require_principal(self) -> Principal:
        if self.principal is None:
            raise AuthenticationError()
        return self.principal

    def reset_loaders(self) -> None:
        """Start with empty caches, e.g. before each event of a long-lived subscription."""
        self.loaders = Loaders(self.services.db)
