"""The import report: rows read, imported, skipped and why, data errors and mapping coverage."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from tanggap.importer.mapping import RuleKind
from tanggap.importer.source import RowFault

# Rows that are fine but not imported; data errors are counted apart.
ALREADY_IMPORTED = "already imported"

EXAMPLES_SHOWN = 20
RULE_KINDS: tuple[RuleKind, ...] = ("topic", "agency", "triage")


@dataclass
class ImportReport:
    rows_read: int = 0
    imported: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    data_errors: list[RowFault] = field(default_factory=list)
    placed_by: Counter[RuleKind] = field(default_factory=Counter)
    triaged_sources: Counter[tuple[str, str]] = field(default_factory=Counter)
    events: int = 0
    seconds: float = 0.0
    dry_run: bool = False

    @property
    def data_error_counts(self) -> Counter[str]:
        return Counter(fault.reason for fault in self.data_errors)

    def lines(self) -> list[str]:
        """Return the report as the lines the command prints."""
        verb = "would be imported" if self.dry_run else "imported"
        lines = [
            f"rows read: {self.rows_read}",
            f"{verb}: {self.imported} (response events: {self.events})",
            f"skipped: {sum(self.skipped.values())}",
            *(f"  {reason}: {count}" for reason, count in sorted(self.skipped.items())),
            f"data errors: {len(self.data_errors)}",
            *(f"  {reason}: {count}" for reason, count in sorted(self.data_error_counts.items())),
        ]
        for fault in self.data_errors[:EXAMPLES_SHOWN]:
            lines.append(f"    row {fault.row_number} (source_id {fault.source_id or '-'}): {fault.detail}")
        if len(self.data_errors) > EXAMPLES_SHOWN:
            lines.append(f"    … and {len(self.data_errors) - EXAMPLES_SHOWN} more")

        placed = sum(self.placed_by.values())
        if not placed:
            lines.append("mapping coverage: no new rows to place")
            lines.append(f"seconds: {self.seconds:.1f}")
            return lines
        lines.append(f"mapping coverage of {placed} new rows:")
        for rule in RULE_KINDS:
            count = self.placed_by[rule]
            share = count / placed if placed else 0.0
            lines.append(f"  by {rule}: {count} ({share:.1%})")
        for (topic, agency), count in self.triaged_sources.most_common(5):
            lines.append(f"    to triage: {count} x topic {topic or '(empty)'!r}, agency {agency or '(empty)'!r}")
        lines.append(f"seconds: {self.seconds:.1f}")
        return lines
