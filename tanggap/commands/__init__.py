"""Subcommands of `tanggap`, one module each.

`tanggap.cli` imports every module of this package whose name does not start
with an underscore and calls its `register(subparsers)`. A module adds its
parser there and sets `func` with `set_defaults(func=...)`: a callable that
takes the parsed arguments and returns the exit code. Heavy imports belong
inside `func`, so that `tanggap --help` stays fast.

Bad input raises `CommandError`; the CLI prints its message on one line and
exits with code 2, never with a traceback.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import ValidationError

if TYPE_CHECKING:
    from shared.settings import Settings


class CommandError(Exception):
    """A command could not do its work; the message names the value and what to do.

    The exit code is 2 for invalid input or configuration (the default) and 1
    when a server the command needs failed.
    """

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def describe_settings_error(error: ValidationError) -> str:
    """Name each invalid `TANGGAP_*` variable with its value and the reason."""
    problems = []
    for detail in error.errors():
        field = str(detail["loc"][0]) if detail["loc"] else "?"
        variable = f"TANGGAP_{field.upper()}"
        problems.append(f"{variable}={detail.get('input')!r} is invalid: {detail['msg']}")
    return "; ".join(problems) + "; fix or unset the environment variable"


def load_settings() -> Settings:
    """Read the settings once, turning an invalid environment variable into a `CommandError`."""
    from shared.settings import get_settings

    try:
        return get_settings()
    except ValidationError as exc:
        raise CommandError(describe_settings_error(exc)) from exc
