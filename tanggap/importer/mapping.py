"""The mapping file that puts another system's agencies and topics into the city's catalogue.

A mapping file is JSON with these keys:

- `system`: the source system's name, stored as `source.system` on every
  imported complaint (re-runs are keyed by it and the row's `source_id`);
- `timezone` (optional): the IANA zone of the file's offset-less timestamps;
- `triageCategory`: the category for rows that no rule matches;
- `topics`: category code -> list of source topics;
- `agencies`: category code -> list of source agency names;
- `agencyPatterns`: list of `{pattern, category}`, regular expressions
  tried against agency names that no exact agency rule matched.

A row's topic is looked up first, then its agency, and a row that matches
neither goes to the triage category. Names are compared case-insensitively
with runs of white space collapsed, so "Dinas  Perhubungan" matches.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from tanggap.importer.errors import ImportInputError
from tanggap.importer.timestamps import load_zone

DEFAULT_MAPPING = Path(__file__).resolve().parent.parent / "data" / "import-mapping-2022h1.json"

RuleKind = Literal["topic", "agency", "triage"]


def normalise_name(name: str) -> str:
    """Return `name` case-folded with runs of white space collapsed, the form rules are matched in."""
    return " ".join(name.split()).casefold()


@dataclass(frozen=True)
class Placement:
    """The agency and category of one source row, and the kind of rule that chose them."""

    agency_code: str
    category_code: str
    rule: RuleKind


@dataclass(frozen=True)
class CatalogueMapping:
    system: str
    timezone: ZoneInfo | None
    triage_category: str
    topics: Mapping[str, str]
    agencies: Mapping[str, str]
    agency_patterns: tuple[tuple[re.Pattern[str], str], ...]
    path: Path

    def category_for(self, topic: str, agency: str) -> tuple[str, RuleKind]:
        """Return the category code for a row's topic and agency, and the kind of rule that matched."""
        by_topic = self.topics.get(normalise_name(topic))
        if by_topic is not None:
            return by_topic, "topic"

        agency_key = normalise_name(agency)
        by_agency = self.agencies.get(agency_key)
        if by_agency is not None:
            return by_agency, "agency"

        for pattern, category in self.agency_patterns:
            if pattern.search(agency_key):
                return category, "agency"

        return self.triage_category, "triage"

    def categories(self) -> set[str]:
        """Return every category code the mapping names, the triage category included."""
        return {self.triage_category, *self.topics.values(), *self.agencies.values(), *(c for _, c in self.agency_patterns)}


class CataloguePlacer:
    """Places rows into the catalogue: a mapping checked against the categories that exist."""

    def __init__(self, mapping: CatalogueMapping, category_agencies: Mapping[str, str]) -> None:
        missing = sorted(mapping.categories() - set(category_agencies))
        if missing:
            raise ImportInputError(
                f"mapping {mapping.path} names categories that are not in the catalogue: {', '.join(missing)}; "
                "load the catalogue with `tanggap seed` or fix the mapping"
            )
        self.mapping = mapping
        self._category_agencies = dict(category_agencies)

    def place(self, topic: str, agency: str) -> Placement:
        category, rule = self.mapping.category_for(topic, agency)
        return Placement(agency_code=self._category_agencies[category], category_code=category, rule=rule)


def _rules(data: dict[str, Any], key: str, path: Path) -> dict[str, str]:
    """Invert a `category -> [names]` table into `normalised name -> category`, rejecting a name listed twice."""
    table = data.get(key, {})
    if not isinstance(table, dict):
        raise ImportInputError(f"mapping {path}: `{key}` must be an object of category code -> list of names")

    rules: dict[str, str] = {}
    for category, names in table.items():
        if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
            raise ImportInputError(f"mapping {path}: `{key}.{category}` must be a list of names")
        for name in names:
            normalised = normalise_name(name)
            if normalised in rules and rules[normalised] != category:
                raise ImportInputError(
                    f"mapping {path}: {key[:-1]} {name!r} is listed under both {rules[normalised]!r} and {category!r}; keep one"
                )
            rules[normalised] = category
    return rules


def _patterns(data: dict[str, Any], path: Path) -> tuple[tuple[re.Pattern[str], str], ...]:
    patterns = []
    for index, item in enumerate(data.get("agencyPatterns", [])):
        if not isinstance(item, dict) or not isinstance(item.get("pattern"), str) or not isinstance(item.get("category"), str):
            raise ImportInputError(f"mapping {path}: agencyPatterns[{index}] needs a `pattern` and a `category` string")
        try:
            compiled = re.compile(item["pattern"], re.IGNORECASE)
        except re.error as exc:
            raise ImportInputError(f"mapping {path}: agencyPatterns[{index}] pattern {item['pattern']!r} is invalid: {exc}") from exc
        patterns.append((compiled, item["category"]))
    return tuple(patterns)


def load_mapping(path: Path) -> CatalogueMapping:
    """Read and check a mapping file; raise `ImportInputError` naming the file and the fault."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ImportInputError(f"mapping file {path} not found; give an existing file with --mapping") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportInputError(f"mapping file {path} cannot be read: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise ImportInputError(f"mapping file {path} is not valid JSON: {exc}") from exc

    if not isinstance(data, dict):
        raise ImportInputError(f"mapping {path} must be a JSON object")
    for key in ("system", "triageCategory"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise ImportInputError(f"mapping {path} is missing `{key}`; add it as a non-empty string")

    zone_name = data.get("timezone")
    return CatalogueMapping(
        system=data["system"],
        timezone=load_zone(zone_name, f"mapping {path}") if zone_name else None,
        triage_category=data["triageCategory"],
        topics=_rules(data, "topics", path),
        agencies=_rules(data, "agencies", path),
        agency_patterns=_patterns(data, path),
        path=path,
    )
