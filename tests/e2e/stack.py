"""The development stack as `make run` starts it: `tanggap run` in a private var folder on free ports.

The stack's own output names each child and its pid (`  gateway: pid 123, log …`).
Every child leads its own process group, so a group left with a live member
after the stop is a process the stack failed to end.
"""

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
from tanggap.servers import free_port

READY_TIMEOUT = 120.0
STOP_TIMEOUT = 60.0
LOG_TAIL_LINES = 40

STORY_SETTINGS = {
    # The watcher scans every second, so an alert follows its threshold closely.
    "TANGGAP_WATCH_INTERVAL": "1",
    # Citizens' messages are held in quiet hours (21:00 to 06:00 WITA by default).
    # A window that starts and ends at the same time is empty (see
    # `in_quiet_hours` in shared/notify/schedule.py), so the tests pass at any hour.
    "TANGGAP_QUIET_HOURS_START": "00:00",
    "TANGGAP_QUIET_HOURS_END": "00:00",
}


def tanggap_command() -> list[str]:
    script = Path(sys.executable).with_name("tanggap")
    return [str(script)] if script.exists() else [sys.executable, "-m", "tanggap.cli"]


def stack_environment(var_dir: Path, **settings: str) -> dict[str, str]:
    """Return this process's environment without TANGGAP_ variables, with a private var folder and free ports."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("TANGGAP_")}
    env.update(
        TANGGAP_VAR_DIR=str(var_dir),
        TANGGAP_EMBEDDED_MONGODB_PORT=str(free_port()),
        TANGGAP_EMBEDDED_REDIS_PORT=str(free_port()),
        TANGGAP_SMTP_PORT=str(free_port()),
        TANGGAP_GATEWAY_PORT=str(free_port()),
        TANGGAP_WATCHER_METRICS_PORT=str(free_port()),
    )
    env.update(settings)
    return env


def log_tail(path: Path, lines: int = LOG_TAIL_LINES) -> list[str]:
    try:
        with path.open("rb") as handle:
            handle.seek(0, os.SEEK_END)
            handle.seek(max(0, handle.tell() - 64 * 1024))
            text = handle.read().decode("utf-8", errors="replace")
    except OSError as exc:
        return [f"(cannot read {path}: {exc})"]
    return text.splitlines()[-lines:]


class DevStack:
    """A running `tanggap run`, its output read line by line in a thread."""

    def __init__(self, env: dict[str, str], cwd: Path) -> None:
        self.env = env
        self.var_dir = Path(env["TANGGAP_VAR_DIR"])
        self.gateway_url = f"http://127.0.0.1:{env['TANGGAP_GATEWAY_PORT']}"
        self.process = subprocess.Popen(
            [*tanggap_command(), "run"],
            env=env,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
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

    def _drain(self, timeout: float) -> str | None:
        """Move one line of output into `lines` and return it; None at the end of output or on timeout."""
        try:
            line = self._queue.get(timeout=timeout)
        except queue.Empty:
            return None
        if line is not None:
            self.lines.append(line)
        return line

    def wait_for_line(self, predicate: Callable[[str], bool], timeout: float) -> str | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self._drain(max(0.05, deadline - time.monotonic()))
            if line is None:
                if self.process.poll() is not None and self._queue.empty():
                    return None
                continue
            if predicate(line):
                return line
        return None

    def wait_until_ready(self, timeout: float = READY_TIMEOUT) -> bool:
        return self.wait_for_line(lambda line: line == "ready", timeout) is not None

    def child_pids(self) -> dict[str, int]:
        """Return the pid of each child the stack announced, by its name."""
        pids = {}
        for line in self.lines:
            name, separator, rest = line.strip().partition(": pid ")
            if separator:
                pids[name] = int(rest.split(",")[0])
        return pids

    def stop(self, timeout: float = STOP_TIMEOUT) -> int:
        """Send SIGINT, as Ctrl-C does, wait for the exit and return the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        code = self.process.wait(timeout)
        self._reader.join(5)
        while self._drain(0.01) is not None:
            pass
        return code

    def kill_leftovers(self) -> None:
        """SIGKILL `tanggap run` and every process left in the groups of the children it announced."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
        for pid in self.child_pids().values():
            for member in live_group_members(pid):
                try:
                    os.kill(member, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        if self.process.stdout is not None:
            self.process.stdout.close()

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def report(self) -> str:
        """Return the stack's own output and the tail of each log under var/log/, to explain a failure."""
        while self._drain(0.01) is not None:
            pass
        parts = ["tanggap run output:", *(f"    {line}" for line in self.lines)]
        for path in sorted((self.var_dir / "log").glob("*.log")):
            parts.append(f"{path.name} (last {LOG_TAIL_LINES} lines):")
            parts.extend(f"    {line}" for line in log_tail(path))
        return "\n".join(parts)
