"""The production compose file, read without a Docker engine: each service's command exists in the code."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("gateway", "sla-watcher", "notifier")
REQUIRED_VARIABLES = {
    "TANGGAP_JWT_SECRET": "a-long-random-value",
    "RABBITMQ_PASSWORD": "letters0and0digits",
    "TANGGAP_SMTP_HOST": "smtp.pemkot-makassar.example",
    "TANGGAP_SMS_PROVIDER": "http",
}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return dict(yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8")))


def module_is_runnable(module: str) -> bool:
    """Return whether `python -m module` would find code to run."""
    spec = importlib.util.find_spec(module)
    if spec is None:
        return False
    if spec.submodule_search_locations is not None:
        return importlib.util.find_spec(f"{module}.__main__") is not None
    return True


def console_scripts() -> dict[str, str]:
    return {entry.name: entry.value for entry in importlib.metadata.entry_points(group="console_scripts")}


def test_servers_and_services_present(compose: dict[str, Any]) -> None:
    assert set(compose["services"]) == {"mongo", "rabbitmq", "redis", *SERVICES}
    for name, service in compose["services"].items():
        assert "healthcheck" in service, f"{name} has no healthcheck"


def test_mongo_is_replica_set_initiated_by_healthcheck(compose: dict[str, Any]) -> None:
    mongo = compose["services"]["mongo"]
    script_mount = next(volume for volume in mongo["volumes"] if volume.startswith("./"))
    local_path, container_path = script_mount.split(":")[:2]
    script = (ROOT / local_path).read_text(encoding="utf-8")

    assert mongo["command"][mongo["command"].index("--replSet") + 1] == "rs0"
    assert container_path in mongo["healthcheck"]["test"]
    assert 'rs.initiate({ _id: "rs0", members: [{ _id: 0, host: "mongo:27017" }] })' in script
    assert "isWritablePrimary" in script
    assert compose["services"]["gateway"]["environment"]["TANGGAP_MONGODB_URI"].endswith(
        "mongodb://mongo:27017/?replicaSet=rs0}"
    )


def test_services_share_image_and_wait(compose: dict[str, Any]) -> None:
    for name in SERVICES:
        service = compose["services"][name]

        assert service["build"] == "."
        assert service["environment"]["TANGGAP_ENVIRONMENT"] == "production"
        assert service["environment"]["TANGGAP_BROKER_URL"].startswith("amqp://")
        assert service["environment"]["TANGGAP_RATE_LIMIT_REDIS_URL"].endswith("redis://redis:6379/0}")
        assert {server: rule["condition"] for server, rule in service["depends_on"].items()} == {
            "mongo": "service_healthy",
            "rabbitmq": "service_healthy",
            "redis": "service_healthy",
        }
    assert (ROOT / "Dockerfile").is_file()


@pytest.mark.parametrize("name", SERVICES)
def test_service_command_exists_in_code(compose: dict[str, Any], name: str) -> None:
    command = compose["services"][name]["command"]

    if command[:2] == ["python", "-m"]:
        assert module_is_runnable(command[2]), f"{name} runs `python -m {command[2]}`, which does not exist"
    elif command[0] == "dramatiq":
        assert "dramatiq" in console_scripts()
        modules = [argument for argument in command[1:] if not argument.startswith("-") and not argument.isdigit()]
        assert modules, f"{name} names no broker module"
        for module in modules:
            assert importlib.util.find_spec(module) is not None, f"{name} imports {module}, which does not exist"
    else:
        pytest.fail(f"{name} runs {command!r}; expected `python -m MODULE` or `dramatiq BROKER ACTORS`")


def test_gateway_healthcheck_asks_readyz(compose: dict[str, Any]) -> None:
    gateway = compose["services"]["gateway"]

    probe = " ".join(gateway["healthcheck"]["test"])

    assert f"127.0.0.1:{gateway['environment']['TANGGAP_GATEWAY_PORT']}/readyz" in probe


def test_production_image_leaves_out_dev_extra() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]

    install_lines = [line for line in dockerfile.splitlines() if "pip install" in line]
    assert install_lines, "the Dockerfile installs nothing"
    assert all("[dev]" not in line and "-e " not in line for line in install_lines)
    assert not any(requirement.lower().startswith("secantusdb") for requirement in project["dependencies"])
    assert any(requirement.lower().startswith("secantusdb") for requirement in project["optional-dependencies"]["dev"])
    assert project["scripts"]["tanggap"] == "tanggap.cli:main"


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="Debian's docker-compose is not installed")
def test_docker_compose_validates_offline() -> None:
    env = {**os.environ, **REQUIRED_VARIABLES}

    result = subprocess.run(
        ["docker-compose", "config", "-q"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )

    assert result.returncode == 0, result.stderr
