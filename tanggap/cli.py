"""The `tanggap` command line: argparse with one subcommand per module of `tanggap.commands`."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from typing import NoReturn

import tanggap.commands
from tanggap.commands import CommandError


class ArgumentParser(argparse.ArgumentParser):
    """An argparse parser whose usage errors are one line with a pointer to `--help`."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message}; see `{self.prog} --help`\n")


def discover_commands(subparsers: argparse._SubParsersAction[ArgumentParser]) -> None:
    """Import every public module of `tanggap.commands` and let it register its subcommand."""
    package = tanggap.commands
    for module_info in sorted(pkgutil.iter_modules(package.__path__), key=lambda info: info.name):
        if module_info.name.startswith("_"):
            continue
        module_name = f"{package.__name__}.{module_info.name}"
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            # One broken command must not take the others (`tanggap run` above all) down with it.
            print(f"tanggap: the command module {module_name} could not be imported: {exc}", file=sys.stderr)
            continue
        module.register(subparsers)


def build_parser() -> ArgumentParser:
    parser = ArgumentParser(
        prog="tanggap",
        description="Tanggap: the development stack, tokens, demo data and imports.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log at INFO level instead of WARNING")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=ArgumentParser)
    discover_commands(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one subcommand and return its exit code: 0 on success, 2 for bad input."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "func", None) is None:
        parser.print_help(sys.stderr)
        return 2

    from shared.logs import configure_logging

    configure_logging("cli", "INFO" if args.verbose else "WARNING", "text")

    try:
        return int(args.func(args))
    except CommandError as exc:
        print(f"tanggap {args.command}: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"tanggap {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
