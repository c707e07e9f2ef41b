"""Prometheus metrics of the SLA watcher, in a registry of their own.

A registry per `WatcherMetrics` (instead of the process-wide default) lets
tests and the benchmark run several watchers in one process.
"""

from __future__ import annotations

import logging

from prometheus_client import CollectorRegistry, Counter, Histogram, start_http_server

log = logging.getLogger(__name__)

# Lag is at least the wait for the next scan (15 s by default), so the
# buckets spread from a fraction of one interval to several hours of downtime.
LAG_BUCKETS = (1, 5, 10, 15, 20, 30, 60, 120, 300, 900, 3600, 4 * 3600, 24 * 3600)
SCAN_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)


class WatcherMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.scan_seconds = Histogram(
            "tanggap_watcher_scan_seconds",
            "Duration of one watcher pass: the alert scan, auto-close and resend sweep.",
            buckets=SCAN_BUCKETS,
            registry=self.registry,
        )
        self.alerts = Counter(
            "tanggap_watcher_alerts",
            "SLA alerts claimed, by stage and status (sent or skipped).",
            ["stage", "status"],
            registry=self.registry,
        )
        self.alert_lag_seconds = Histogram(
            "tanggap_watcher_alert_lag_seconds",
            "Seconds from a stage's threshold to the claim of its alert.",
            buckets=LAG_BUCKETS,
            registry=self.registry,
        )
        self.superseded = Counter(
            "tanggap_watcher_superseded_notifications",
            "Held notifications superseded by a more severe stage before they went out.",
            registry=self.registry,
        )
        self.conflicts = Counter(
            "tanggap_watcher_claim_conflicts",
            "Claims that lost a race with another writer and were planned again or left to the next scan.",
            registry=self.registry,
        )
        self.errors = Counter(
            "tanggap_watcher_errors",
            "Errors caught by the watcher, by step.",
            ["step"],
            registry=self.registry,
        )
        self.auto_closed = Counter(
            "tanggap_watcher_auto_closed",
            "Resolved complaints closed by the system.",
            registry=self.registry,
        )
        self.resent = Counter(
            "tanggap_watcher_resent_notifications",
            "Pending notifications handed to the broker again by the resend sweep.",
            registry=self.registry,
        )

    def serve(self, host: str, port: int) -> None:
        """Serve `/metrics` over HTTP in a background thread; port 0 serves nothing."""
        if port == 0:
            log.info("Metrics endpoint is turned off (watcher_metrics_port is 0).")
            return
        start_http_server(port, addr=host, registry=self.registry)
        log.info("Metrics endpoint started.", extra={"host": host, "port": port})
