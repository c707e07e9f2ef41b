"""What the development stack starts: servers, services, their commands and environment.

The plan follows the settings. A given `TANGGAP_MONGODB_URI` replaces the
embedded SecantusDB, and a given `TANGGAP_BROKER_URL` replaces the embedded
Redis. Redis still starts when the notifier's rate limiters need one and none
is configured. The SMTP sink starts only when mail goes to this machine.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field

from shared.settings import Settings
from tanggap.devstack.layout import VarLayout
from tanggap.devstack.ports import PortClaim

# The watcher's scan interval in the development stack, in seconds, unless
# TANGGAP_WATCH_INTERVAL is set. It is short so that alerts show up while one watches.
DEV_WATCH_INTERVAL = "5"

# Dramatiq 2.2 waits up to 10 minutes for running messages when it stops
# (its --worker-shutdown-timeout default). Ctrl-C in development should not.
NOTIFIER_SHUTDOWN_TIMEOUT_MS = "10000"

# One Dramatiq worker process with a few threads is enough for one person's traffic.
NOTIFIER_PROCESSES = 1
NOTIFIER_THREADS = 4

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


@dataclass(frozen=True)
class ServiceSpec:
    """One of the three services: its name for people, its log file's name, its command.

    `detail` is what `tanggap run` prints about it beside its pid: where it listens, or how it works.
    """

    name: str
    log_name: str
    command: list[str]
    detail: str
    extra_env: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class StackPlan:
    """The embedded servers to start and the addresses the services are given."""

    settings: Settings
    layout: VarLayout
    start_database: bool
    start_redis: bool
    start_smtp_sink: bool
    services: list[ServiceSpec]

    @property
    def redis_url(self) -> str:
        return f"redis://127.0.0.1:{self.settings.embedded_redis_port}/0"

    @property
    def broker_url(self) -> str:
        return self.settings.broker_url or self.redis_url

    @property
    def rate_limit_redis_url(self) -> str:
        if self.settings.rate_limit_redis_url:
            return self.settings.rate_limit_redis_url
        if self.broker_url.startswith(("redis://", "rediss://")):
            return self.broker_url
        return self.redis_url

    @property
    def gateway_url(self) -> str:
        return gateway_url(self.settings)

    def port_claims(self) -> list[PortClaim]:
        settings = self.settings
        claims = []
        if self.start_database:
            claims.append(PortClaim("SecantusDB", "127.0.0.1", settings.embedded_mongodb_port, "TANGGAP_EMBEDDED_MONGODB_PORT"))
        if self.start_redis:
            claims.append(PortClaim("Redis", "127.0.0.1", settings.embedded_redis_port, "TANGGAP_EMBEDDED_REDIS_PORT"))
        if self.start_smtp_sink:
            claims.append(PortClaim("SMTP sink", settings.smtp_host, settings.smtp_port, "TANGGAP_SMTP_PORT"))
        if self.services:
            claims.append(PortClaim("gateway", settings.gateway_host, settings.gateway_port, "TANGGAP_GATEWAY_PORT"))
        if self.services and settings.watcher_metrics_port:
            claims.append(
                PortClaim(
                    "SLA watcher", settings.watcher_metrics_host, settings.watcher_metrics_port, "TANGGAP_WATCHER_METRICS_PORT"
                )
            )
        return claims

    def environment(self, base: Mapping[str, str]) -> dict[str, str]:
        """Return the services' environment: the caller's, with every address the stack decided made explicit."""
        env = dict(base)
        env["TANGGAP_VAR_DIR"] = str(self.layout.root)
        env["TANGGAP_MONGODB_URI"] = self.settings.effective_mongodb_uri
        env["TANGGAP_BROKER_URL"] = self.broker_url
        env["TANGGAP_RATE_LIMIT_REDIS_URL"] = self.rate_limit_redis_url
        env["PYTHONUNBUFFERED"] = "1"
        return env


def gateway_url(settings: Settings) -> str:
    """Return the gateway's base URL as seen from this machine."""
    host = settings.gateway_host
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{settings.gateway_port}"


def watcher_detail(settings: Settings) -> str:
    if not settings.watcher_metrics_port:
        return "metrics off (TANGGAP_WATCHER_METRICS_PORT=0)"
    return f"metrics port {settings.watcher_metrics_port}"


def service_specs(settings: Settings, watcher_env: dict[str, str], python: str = sys.executable) -> list[ServiceSpec]:
    return [
        ServiceSpec(
            "gateway",
            "gateway",
            [python, "-m", "services.gateway"],
            f"port {settings.gateway_port} ({gateway_url(settings)}/graphql)",
        ),
        ServiceSpec(
            "SLA watcher",
            "sla-watcher",
            [python, "-m", "services.sla_watcher"],
            watcher_detail(settings),
            watcher_env,
        ),
        ServiceSpec(
            "notifier",
            "notifier",
            [
                python, "-m", "dramatiq",
                "services.notifier.broker", "services.notifier.actors",
                "--processes", str(NOTIFIER_PROCESSES),
                "--threads", str(NOTIFIER_THREADS),
                "--worker-shutdown-timeout", NOTIFIER_SHUTDOWN_TIMEOUT_MS,
            ],
            f"{NOTIFIER_PROCESSES} Dramatiq worker process with {NOTIFIER_THREADS} threads",
        ),
    ]


def build_plan(settings: Settings, base_env: Mapping[str, str], servers_only: bool = False) -> StackPlan:
    broker_given = settings.broker_url is not None
    rate_limits_need_redis = settings.rate_limit_redis_url is None and not (
        broker_given and str(settings.broker_url).startswith(("redis://", "rediss://"))
    )
    watcher_env = {} if "TANGGAP_WATCH_INTERVAL" in base_env else {"TANGGAP_WATCH_INTERVAL": DEV_WATCH_INTERVAL}
    services = [] if servers_only else service_specs(settings, watcher_env)
    return StackPlan(
        settings=settings,
        layout=VarLayout.from_settings(settings),
        start_database=settings.mongodb_uri is None,
        start_redis=not broker_given or rate_limits_need_redis,
        start_smtp_sink=settings.smtp_host in LOCAL_HOSTS,
        services=services,
    )
