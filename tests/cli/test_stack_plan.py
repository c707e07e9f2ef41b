"""What `tanggap run` decides to start, from the settings alone."""

from __future__ import annotations

from pathlib import Path

from shared.settings import Settings
import signal
import socket

from tanggap.devstack.plan import build_plan
from tanggap.devstack.ports import PortClaim, PortInUse, taken_claims
from tanggap.devstack.supervisor import describe_exit


def make_settings(tmp_path: Path, **values: object) -> Settings:
    return Settings(var_dir=tmp_path / "var", **values)  # type: ignore[arg-type]


def test_embedded_default_starts_every_server(tmp_path: Path) -> None:
    plan = build_plan(make_settings(tmp_path, embedded_redis_port=6401), {})

    assert plan.start_database
    assert plan.start_redis
    assert plan.start_smtp_sink
    assert plan.broker_url == "redis://127.0.0.1:6401/0"
    assert plan.rate_limit_redis_url == "redis://127.0.0.1:6401/0"
    assert [service.name for service in plan.services] == ["gateway", "SLA watcher", "notifier"]


def test_given_database_replaces_secantus(tmp_path: Path) -> None:
    plan = build_plan(make_settings(tmp_path, mongodb_uri="mongodb://db.internal:27017/?replicaSet=rs0"), {})

    env = plan.environment({})

    assert not plan.start_database
    assert env["TANGGAP_MONGODB_URI"] == "mongodb://db.internal:27017/?replicaSet=rs0"
    assert "SecantusDB" not in [claim.owner for claim in plan.port_claims()]


def test_given_rabbitmq_still_needs_redis_for_rate_limits(tmp_path: Path) -> None:
    plan = build_plan(make_settings(tmp_path, broker_url="amqp://guest:guest@127.0.0.1:5672/%2F", embedded_redis_port=6402), {})

    env = plan.environment({})

    assert plan.start_redis
    assert env["TANGGAP_BROKER_URL"] == "amqp://guest:guest@127.0.0.1:5672/%2F"
    assert env["TANGGAP_RATE_LIMIT_REDIS_URL"] == "redis://127.0.0.1:6402/0"


def test_given_redis_broker_serves_rate_limits_too(tmp_path: Path) -> None:
    plan = build_plan(make_settings(tmp_path, broker_url="redis://127.0.0.1:6500/2"), {})

    assert not plan.start_redis
    assert plan.rate_limit_redis_url == "redis://127.0.0.1:6500/2"


def test_remote_smtp_server_needs_no_sink(tmp_path: Path) -> None:
    plan = build_plan(make_settings(tmp_path, smtp_host="smtp.pemkot-makassar.example"), {})

    assert not plan.start_smtp_sink
    assert "SMTP sink" not in [claim.owner for claim in plan.port_claims()]


def test_watcher_scans_every_five_seconds_unless_set(tmp_path: Path) -> None:
    default = build_plan(make_settings(tmp_path), {})
    chosen = build_plan(make_settings(tmp_path), {"TANGGAP_WATCH_INTERVAL": "30"})

    assert [s.extra_env for s in default.services if s.name == "SLA watcher"] == [{"TANGGAP_WATCH_INTERVAL": "5"}]
    assert [s.extra_env for s in chosen.services if s.name == "SLA watcher"] == [{}]


def test_services_get_absolute_var_dir(tmp_path: Path) -> None:
    plan = build_plan(Settings(var_dir=Path("relative-var")), {"PATH": "/usr/bin"})

    env = plan.environment({"PATH": "/usr/bin"})

    assert Path(env["TANGGAP_VAR_DIR"]).is_absolute()
    assert env["PATH"] == "/usr/bin"


def test_servers_only_claims_no_service_port(tmp_path: Path) -> None:
    plan = build_plan(make_settings(tmp_path, gateway_port=8123), {}, servers_only=True)

    assert plan.services == []
    assert 8123 not in [claim.port for claim in plan.port_claims()]


def test_gateway_url_for_wildcard_host(tmp_path: Path) -> None:
    plan = build_plan(make_settings(tmp_path, gateway_host="0.0.0.0", gateway_port=8001), {})

    assert plan.gateway_url == "http://127.0.0.1:8001"


def test_every_taken_port_found(tmp_path: Path) -> None:
    with socket.socket() as first, socket.socket() as second:
        for occupant in (first, second):
            occupant.bind(("127.0.0.1", 0))
            occupant.listen()
        claims = [
            PortClaim("gateway", "127.0.0.1", first.getsockname()[1], "TANGGAP_GATEWAY_PORT"),
            PortClaim("SLA watcher", "127.0.0.1", second.getsockname()[1], "TANGGAP_WATCHER_METRICS_PORT"),
        ]

        taken = taken_claims(claims)

    assert taken == claims


def test_port_message_names_leftover_pid() -> None:
    claims = [
        (PortClaim("SecantusDB", "127.0.0.1", 27117, "TANGGAP_EMBEDDED_MONGODB_PORT"), 4242),
        (PortClaim("gateway", "127.0.0.1", 8000, "TANGGAP_GATEWAY_PORT"), None),
    ]

    message = str(PortInUse(claims))

    assert "left its SecantusDB process running as pid 4242" in message
    assert "kill 4242" in message
    assert "port 8000 on 127.0.0.1 (gateway, TANGGAP_GATEWAY_PORT)" in message
    assert "TANGGAP_EMBEDDED_MONGODB_PORT=PORT TANGGAP_GATEWAY_PORT=PORT" in message


def test_service_lines_name_ports(tmp_path: Path) -> None:
    plan = build_plan(make_settings(tmp_path, gateway_port=8123, watcher_metrics_port=9123), {})

    details = {service.name: service.detail for service in plan.services}

    assert details["gateway"] == "port 8123 (http://127.0.0.1:8123/graphql)"
    assert details["SLA watcher"] == "metrics port 9123"
    assert details["notifier"] == "1 Dramatiq worker process with 4 threads"


def test_watcher_line_says_metrics_off(tmp_path: Path) -> None:
    plan = build_plan(make_settings(tmp_path, watcher_metrics_port=0), {})

    details = {service.name: service.detail for service in plan.services}

    assert details["SLA watcher"] == "metrics off (TANGGAP_WATCHER_METRICS_PORT=0)"


def test_exit_description_names_signal() -> None:
    assert describe_exit(0) == "exited with code 0"
    assert describe_exit(3) == "exited with code 3"
    assert describe_exit(-signal.SIGKILL) == "was killed by signal 9 (SIGKILL)"
    assert describe_exit(-signal.SIGTERM) == "was killed by signal 15 (SIGTERM)"
