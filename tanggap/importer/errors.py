"""Errors that stop an import before any row is written.

`ImportInputError` covers everything the person running the import can fix:
a missing or unreadable file, a header without the expected columns, an
unknown timezone, an invalid mapping or a mapping that names categories the
catalogue lacks. Faults in single rows are not errors: they are counted in
the import report and the row is skipped.
"""

from __future__ import annotations


class ImportInputError(ValueError):
    """The file, its header, the timezone or the mapping is invalid; the message names the faulty value and the fix."""
