"""Every setting is documented in both READMEs and passed to the containers by the compose file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from shared.settings import Settings

ROOT = Path(__file__).resolve().parents[2]

# Settings that only the development stack or the tests use: the compose file
# must not pass them to production containers.
DEVELOPMENT_ONLY = {"embedded_mongodb_port", "embedded_redis_port", "test_frozen_now"}


def table_variables(readme: Path) -> set[str]:
    """Return the variables named in the first cell of each table row."""
    variables = set()
    for line in readme.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\|\s*`(TANGGAP_[A-Z0-9_]+)`\s*\|", line)
        if match:
            variables.add(match.group(1))
    return variables


def setting_variables() -> set[str]:
    return {f"TANGGAP_{name.upper()}" for name in Settings.model_fields}


@pytest.mark.parametrize("readme", ["README.md", "README.id.md"])
def test_readme_table_lists_every_setting(readme: str) -> None:
    documented = table_variables(ROOT / readme)

    missing = sorted(setting_variables() - documented)
    unknown = sorted(documented - setting_variables())

    assert missing == [], f"{readme}'s settings table lacks {missing}; add a row for each"
    assert unknown == [], f"{readme}'s settings table names {unknown}, which are not fields of shared.settings.Settings"


def test_compose_passes_every_production_setting() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    expected = {f"TANGGAP_{name.upper()}" for name in Settings.model_fields if name not in DEVELOPMENT_ONLY}

    for service in ("gateway", "sla-watcher", "notifier"):
        passed = set(compose["services"][service]["environment"])

        missing = sorted(expected - passed)
        assert missing == [], f"docker-compose.yml does not pass {missing} to {service}"
        assert passed & {f"TANGGAP_{name.upper()}" for name in DEVELOPMENT_ONLY} == set()
