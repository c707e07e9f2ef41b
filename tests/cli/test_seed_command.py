"""`tanggap seed`: the demo data in the configured database, idempotent, with the embedded one started when needed."""

from __future__ import annotations

from pathlib import Path

from cli_harness import clean_environment, run_tanggap

from shared.mongo import AGENCIES, CATEGORIES, OFFICIALS, Database
from shared.settings import Settings
from tanggap.servers import free_port, is_listening


async def test_seed_into_configured_database_twice(mongodb_uri: str, settings: Settings, db: Database) -> None:
    env = clean_environment(TANGGAP_MONGODB_URI=mongodb_uri, TANGGAP_MONGODB_DATABASE=settings.mongodb_database)

    first = run_tanggap(["seed"], env)
    counts = {name: await db[name].count_documents({}) for name in (AGENCIES, CATEGORIES, OFFICIALS)}
    second = run_tanggap(["seed"], env)

    assert first.returncode == 0, first.stderr
    assert "Created 13 agencies" in first.stdout
    assert "17 categories" in first.stdout
    assert counts[AGENCIES] == 13
    assert counts[CATEGORIES] == 17
    assert second.returncode == 0, second.stderr
    assert "nothing new was created" in second.stdout
    assert counts == {name: await db[name].count_documents({}) for name in counts}


def test_seed_starts_embedded_database_for_itself(tmp_path: Path) -> None:
    port = free_port()
    env = clean_environment(TANGGAP_VAR_DIR=str(tmp_path / "var"), TANGGAP_EMBEDDED_MONGODB_PORT=str(port))

    result = run_tanggap(["seed"], env, cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert "The embedded database was not running" in result.stdout
    assert "Created 13 agencies" in result.stdout
    assert (tmp_path / "var" / "db").is_dir()
    assert not is_listening(port)
