"""The development stack's folders and files under the var folder."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from shared.settings import Settings


@dataclass(frozen=True)
class VarLayout:
    """Folders and files under `TANGGAP_VAR_DIR` (default `var/`)."""

    root: Path
    outbox: Path

    @classmethod
    def from_settings(cls, settings: Settings) -> VarLayout:
        return cls(root=settings.var_dir.resolve(), outbox=settings.outbox_dir.resolve())

    @property
    def database(self) -> Path:
        return self.root / "db"

    @property
    def redis(self) -> Path:
        return self.root / "redis"

    @property
    def logs(self) -> Path:
        return self.root / "log"

    @property
    def run(self) -> Path:
        return self.root / "run"

    @property
    def mail(self) -> Path:
        return self.outbox / "mail"

    @property
    def sms(self) -> Path:
        return self.outbox / "sms.jsonl"

    def log_file(self, name: str) -> Path:
        return self.logs / f"{name}.log"

    def create(self) -> None:
        for folder in (self.root, self.logs, self.run, self.mail):
            folder.mkdir(parents=True, exist_ok=True)


def display_path(path: Path) -> str:
    """Return `path` relative to the working folder when it lies inside it, for shorter messages."""
    try:
        return os.path.relpath(path) if path.is_relative_to(Path.cwd()) else str(path)
    except ValueError:
        return str(path)
