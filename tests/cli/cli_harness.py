"""Run the `tanggap` command as a user does: a real process with its own environment."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from tanggap.devstack.children import group_members as live_group_members


def tanggap_command() -> list[str]:
    script = Path(sys.executable).with_name("tanggap")
    return [str(script)] if script.exists() else [sys.executable, "-m", "tanggap.cli"]


def clean_environment(**settings: str) -> dict[str, str]:
    """Return this process's environment without any TANGGAP_ variable, plus `settings`."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("TANGGAP_")}
    env.update(settings)
    return env


def run_tanggap(args: list[str], env: dict[str, str], cwd: Path | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        tanggap_command() + args, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
    )


class StackProcess:
    """A running `tanggap run`, with its output read line by line in a thread."""

    def __init__(self, args: list[str], env: dict[str, str], cwd: Path) -> None:
        self.process = subprocess.Popen(
            tanggap_command() + args,
            env=env,
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def wait_for_line(self, predicate: Callable[[str], bool], timeout: float) -> str | None:
        """Return the first new output line that matches, or None at the end of output or on timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self._queue.get(timeout=max(0.05, deadline - time.monotonic()))
            except queue.Empty:
                break
            if line is None:
                return None
            self.lines.append(line)
            if predicate(line):
                return line
        return None

    def child_pids(self) -> dict[str, int]:
        """Return the pid of each child the stack reported, by its name (`  Redis: pid 123, …`)."""
        pids = {}
        for line in self.lines:
            name, separator, rest = line.strip().partition(": pid ")
            if separator:
                pids[name] = int(rest.split(",")[0])
        return pids

    def finish(self, timeout: float) -> int:
        """Wait for the exit, collect the remaining output and return the exit code."""
        code = self.process.wait(timeout)
        self._reader.join(5)
        while not self._queue.empty():
            line = self._queue.get()
            if line is not None:
                self.lines.append(line)
        if self.process.stdout is not None:
            self.process.stdout.close()
        return code

    @property
    def output(self) -> str:
        return "\n".join(self.lines)
