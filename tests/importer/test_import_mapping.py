import json
from pathlib import Path

import pytest

from tanggap.importer.errors import ImportInputError
from tanggap.importer.mapping import DEFAULT_MAPPING, CataloguePlacer, load_mapping
from tanggap.seed import load_catalogue

CATALOGUE = {category["code"]: category["agency"] for category in load_catalogue()["categories"]}


def write_mapping(path: Path, **overrides: object) -> Path:
    data: dict[str, object] = {
        "system": "test-source",
        "timezone": "UTC",
        "triageCategory": "lainnya",
        "topics": {"lampu-jalan": ["PJU"], "sampah": ["Sampah Full di TPS"]},
        "agencies": {"lalu-lintas": ["Dinas Perhubungan"]},
        "agencyPatterns": [{"pattern": "^kelurahan ", "category": "kewilayahan"}],
    }
    data.update(overrides)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_topic_rule_wins_over_agency(tmp_path: Path) -> None:
    placer = CataloguePlacer(load_mapping(write_mapping(tmp_path / "m.json")), CATALOGUE)

    placement = placer.place("PJU", "Dinas Perhubungan")

    assert placement.category_code == "lampu-jalan"
    assert placement.agency_code == "DISHUB"
    assert placement.rule == "topic"


def test_agency_rule_when_topic_unknown(tmp_path: Path) -> None:
    placer = CataloguePlacer(load_mapping(write_mapping(tmp_path / "m.json")), CATALOGUE)

    placement = placer.place("Marka Jalan", "Dinas Perhubungan")

    assert placement.category_code == "lalu-lintas"
    assert placement.rule == "agency"


def test_agency_pattern_matches_office(tmp_path: Path) -> None:
    placer = CataloguePlacer(load_mapping(write_mapping(tmp_path / "m.json")), CATALOGUE)

    placement = placer.place("", "Kelurahan Dukuh Setro")

    assert placement.category_code == "kewilayahan"
    assert placement.agency_code == "KECAMATAN"
    assert placement.rule == "agency"


def test_unmapped_row_goes_to_triage(tmp_path: Path) -> None:
    placer = CataloguePlacer(load_mapping(write_mapping(tmp_path / "m.json")), CATALOGUE)

    placement = placer.place("Lowongan Pekerjaan", "Dinas Tenaga Kerja")

    assert placement.category_code == "lainnya"
    assert placement.agency_code == "DISKOMINFO"
    assert placement.rule == "triage"


def test_names_match_ignoring_case_and_spaces(tmp_path: Path) -> None:
    placer = CataloguePlacer(load_mapping(write_mapping(tmp_path / "m.json")), CATALOGUE)

    assert placer.place("  sampah   full di tps ", "").category_code == "sampah"
    assert placer.place("", "DINAS  PERHUBUNGAN").category_code == "lalu-lintas"


def test_unknown_category_rejected(tmp_path: Path) -> None:
    mapping = load_mapping(write_mapping(tmp_path / "m.json", topics={"taman-bermain": ["Taman"]}))

    with pytest.raises(ImportInputError, match="taman-bermain"):
        CataloguePlacer(mapping, CATALOGUE)


def test_name_under_two_categories_rejected(tmp_path: Path) -> None:
    path = write_mapping(tmp_path / "m.json", topics={"sampah": ["Taman"], "lingkungan": ["taman"]})

    with pytest.raises(ImportInputError, match="listed under both"):
        load_mapping(path)


def test_mapping_unknown_timezone_rejected(tmp_path: Path) -> None:
    path = write_mapping(tmp_path / "m.json", timezone="Java/Surabaya")

    with pytest.raises(ImportInputError, match="unknown timezone 'Java/Surabaya'"):
        load_mapping(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"triageCategory": "lainnya"}', "missing `system`"),
        ('{"system": "s", "triageCategory": "lainnya", "agencyPatterns": [{"pattern": "(", "category": "lainnya"}]}', "is invalid"),
    ],
)
def test_invalid_mapping_file_rejected(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "m.json"
    path.write_text(content, encoding="utf-8")

    with pytest.raises(ImportInputError, match=message):
        load_mapping(path)


def test_bundled_mapping_fits_catalogue() -> None:
    mapping = load_mapping(DEFAULT_MAPPING)

    placer = CataloguePlacer(mapping, CATALOGUE)

    assert mapping.timezone is not None
    assert str(mapping.timezone) == "UTC"
    assert placer.place("PJU", "Dinas Perhubungan").agency_code == "DISHUB"
    assert placer.place("Informasi Pemangkasan/Perantingan Pohon", "Dinas Lingkungan Hidup").agency_code == "DLH"
    assert placer.place("Jalan Rusak dan Berlubang", "Dinas Sumber Daya Air dan Bina Marga").category_code == "jalan-rusak"
    assert placer.place("Informasi PBB", "Badan Pendapatan Daerah").agency_code == "DISKOMINFO"
    assert placer.place("Permasalahan Kewilayahan Kecamatan", "Kecamatan Tambaksari").agency_code == "KECAMATAN"
