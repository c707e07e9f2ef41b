"""One `tanggap run` per var folder, and a record of its children's pids.

The lock is an flock on `var/run/devstack.json`, so the kernel releases it
even when `tanggap run` is killed. The file lists the running children, and
a clean stop empties the list. A non-empty list found at start-up therefore
names processes that an earlier run could not stop.
"""

from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path
from typing import Any


class StackAlreadyRunning(RuntimeError):
    """Another `tanggap run` holds the lock on the same var folder."""


class RunLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd: int | None = None
        self.previous_children: dict[str, int] = {}

    def acquire(self) -> None:
        """Take the lock and remember what an earlier run left in the file; raise when another run holds it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = read_state(fd).get("pid", "unknown")
            os.close(fd)
            raise StackAlreadyRunning(
                f"another `tanggap run` (pid {holder}) is using {self.path.parent.parent}; "
                f"stop it with Ctrl-C in its terminal or `kill {holder}`, or set TANGGAP_VAR_DIR to another folder"
            ) from None

        self.fd = fd
        self.previous_children = {str(name): int(pid) for name, pid in read_state(fd).get("children", {}).items()}
        self.record({})

    def record(self, children: dict[str, int]) -> None:
        if self.fd is None:
            return
        content = json.dumps({"pid": os.getpid(), "children": children}).encode()
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, content, 0)

    def leftover_pid(self, name: str) -> int | None:
        """Return the pid an earlier run recorded for `name` when that process still exists."""
        pid = self.previous_children.get(name)
        if pid is None:
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            pass
        return pid

    def release(self) -> None:
        if self.fd is None:
            return
        self.record({})
        os.close(self.fd)
        self.fd = None


def read_state(fd: int) -> dict[str, Any]:
    try:
        data = os.pread(fd, 65536, 0)
        state = json.loads(data) if data else {}
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}
