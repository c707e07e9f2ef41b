"""Prometheus metrics of one gateway app, in a registry of its own so that several apps can share a process."""

from __future__ import annotations

import time

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class GatewayMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "tanggap_gateway_http_requests", "HTTP requests by route and status.", ["method", "route", "status"], registry=self.registry
        )
        self.latency = Histogram(
            "tanggap_gateway_http_request_seconds", "HTTP request duration by route.", ["route"], registry=self.registry
        )
        self.graphql_errors = Counter(
            "tanggap_gateway_graphql_errors", "Top-level GraphQL errors by code.", ["code"], registry=self.registry
        )
        self.subscriptions = Gauge(
            "tanggap_gateway_active_subscriptions", "complaintUpdated subscriptions running now.", registry=self.registry
        )

    def render(self, request: Request) -> Response:
        return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_LATEST)


class MetricsMiddleware:
    """Count every HTTP request and time it, labelled by route path (not by raw URL, to bound cardinality)."""

    def __init__(self, app: ASGIApp, metrics: GatewayMetrics, routes: frozenset[str]) -> None:
        self.app = app
        self.metrics = metrics
        self.routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        route = scope["path"] if scope["path"] in self.routes else "other"
        status = {"code": 500}
        started = time.perf_counter()

        async def send_with_status(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_with_status)
        finally:
            self.metrics.latency.labels(route).observe(time.perf_counter() - started)
            self.metrics.requests.labels(scope["method"], route, str(status["code"])).inc()
