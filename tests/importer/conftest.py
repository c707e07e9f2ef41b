"""Fixtures for the importer tests: small export files written by the test, and the shared data file."""

from __future__ import annotations

from pathlib import Path

import pytest

from export_files import ExportWriter, write_rows
from shared.mongo import Database
from shared.settings import Settings
from tanggap.seed import seed_demo

SHARED_EXPORT = Path(__file__).resolve().parents[3] / "shared" / "data" / "complaints-2022h1.csv"


@pytest.fixture
def write_export(tmp_path: Path) -> ExportWriter:
    """Return a function that writes rows to a new CSV export under the test's folder."""
    written = 0

    def write(rows: list[dict[str, str]]) -> Path:
        nonlocal written
        written += 1
        return write_rows(tmp_path / f"export-{written}.csv", rows)

    return write


@pytest.fixture(scope="session")
def shared_export() -> Path:
    if not SHARED_EXPORT.exists():
        pytest.skip(f"the shared export {SHARED_EXPORT} is absent; it lies beside the repository in ../shared/data")
    return SHARED_EXPORT


@pytest.fixture
async def seeded(db: Database, settings: Settings) -> Database:
    """The test's database with the demo catalogue loaded."""
    await seed_demo(db, settings)
    return db
