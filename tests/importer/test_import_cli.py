import os
import subprocess
import sys
from pathlib import Path

from shared.mongo import COMPLAINTS, Database
from shared.settings import Settings

from export_files import ExportWriter, export_row


def run_cli(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `tanggap import-complaints` in its own process, against the test's database only."""
    env = {
        **os.environ,
        "TANGGAP_MONGODB_URI": settings.effective_mongodb_uri,
        "TANGGAP_MONGODB_DATABASE": settings.mongodb_database,
        "TANGGAP_VAR_DIR": str(settings.var_dir),
    }
    return subprocess.run(
        [sys.executable, "-m", "tanggap.cli", "import-complaints", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_cli_missing_file(settings: Settings, tmp_path: Path) -> None:
    result = run_cli(settings, str(tmp_path / "absent.csv"))

    assert result.returncode == 2
    assert f"file {tmp_path / 'absent.csv'} not found" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_unknown_timezone(settings: Settings, write_export: ExportWriter) -> None:
    path = write_export([export_row("1")])

    result = run_cli(settings, str(path), "--timezone", "WITA")

    assert result.returncode == 2
    assert "unknown timezone 'WITA'" in result.stderr
    assert "Asia/Makassar" in result.stderr


def test_cli_bad_header(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("id;isi;waktu\n1;lampu mati;2022-01-01\n", encoding="utf-8")

    result = run_cli(settings, str(path))

    assert result.returncode == 2
    assert "lacks the columns source_id" in result.stderr
    assert "source_id,text,topic,agency,district,subdistrict,submitted_at,responded_at" in result.stderr


def test_cli_missing_mapping(settings: Settings, write_export: ExportWriter, tmp_path: Path) -> None:
    path = write_export([export_row("1")])

    result = run_cli(settings, str(path), "--mapping", str(tmp_path / "none.json"))

    assert result.returncode == 2
    assert "mapping file" in result.stderr
    assert "not found" in result.stderr


async def test_cli_imports_and_reports(seeded: Database, settings: Settings, write_export: ExportWriter) -> None:
    path = write_export(
        [
            export_row("1", responded_at="2022-03-01T02:00:00"),
            export_row("2", submitted_at="2022-03-02T00:00:00", responded_at="2022-03-01T00:00:00"),
        ]
    )

    result = run_cli(settings, str(path), "--timezone", "UTC")

    assert result.returncode == 0, result.stderr
    assert "rows read: 2" in result.stdout
    assert "imported: 1 (response events: 1)" in result.stdout
    assert "responded before submitted: 1" in result.stdout
    assert "Importing [" in result.stderr
    assert await seeded[COMPLAINTS].count_documents({"imported": True}) == 1


async def test_cli_dry_run_stores_nothing(seeded: Database, settings: Settings, write_export: ExportWriter) -> None:
    path = write_export([export_row("1")])

    result = run_cli(settings, str(path), "--dry-run")

    assert result.returncode == 0, result.stderr
    assert "would be imported: 1" in result.stdout
    assert await seeded[COMPLAINTS].count_documents({}) == 0
