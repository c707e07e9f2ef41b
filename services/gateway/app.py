"""The Starlette application: GraphQL, health, metrics and provider callbacks.

The lifespan builds what lives as long as the process, inside the event
loop that uses it: the MongoDB client (its indexes ensured) and the broker.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Route, WebSocketRoute

from services.gateway.callbacks import twilio_status
from services.gateway.context import Services
from services.gateway.health import healthz, readyz
from services.gateway.metrics import GatewayMetrics, MetricsMiddleware
from services.gateway.schema import build_schema
from services.gateway.view import GatewayView
from shared.broker import build_broker
from shared.mongo import database, ensure_indexes, make_client
from shared.settings import Settings, get_settings

log = logging.getLogger(__name__)

GRAPHQL_PATH = "/graphql"
ROUTES = frozenset({GRAPHQL_PATH, "/healthz", "/readyz", "/metrics", "/callbacks/sms/twilio"})


def create_app(settings: Settings | None = None) -> Starlette:
    """Return the gateway; its database client and broker are built when the app starts."""
    settings = settings or get_settings()
    metrics = GatewayMetrics()
    schema = build_schema(settings)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        log.info("Gateway starting.", extra={"database": settings.mongodb_database, "environment": settings.environment})
        client = make_client(settings)
        db = database(client, settings)
        await ensure_indexes(db)
        broker = build_broker(settings)
        services = Services(settings=settings, client=client, db=db, broker=broker, metrics=metrics)
        app.state.services = services
        view.services = services
        log.info("Gateway started.", extra={"host": settings.gateway_host, "port": settings.gateway_port})
        try:
            yield
        finally:
            log.info("Gateway stopping.")
            broker.close()
            await client.close()
            log.info("Gateway stopped.")

    view = GatewayView(
        services=None,  # set by the lifespan
        schema=schema,
        graphql_ide="graphiql" if settings.graphiql else None,
        allow_queries_via_get=False,
        keep_alive=True,
        keep_alive_interval=15,
    )
    routes = [
        Route(GRAPHQL_PATH, view, methods=["GET", "POST"]),
        WebSocketRoute(GRAPHQL_PATH, view),
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/metrics", metrics.render),
        Route("/callbacks/sms/twilio", twilio_status, methods=["POST"]),
    ]
    return Starlette(
        routes=routes,
        middleware=[Middleware(MetricsMiddleware, metrics=metrics, routes=ROUTES)],
        lifespan=lifespan,
    )
