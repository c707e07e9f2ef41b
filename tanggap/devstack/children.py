"""Child processes of the development stack, each the leader of its own process group.

A child runs in a new session, so Ctrl-C in the terminal reaches only
`tanggap run`, which then stops the children in order. SIGTERM goes to the
child alone, because a parent such as Dramatiq's master process passes it on
to its own children, and Dramatiq's workers take a second SIGTERM as an order
to exit at once. SIGKILL, for a child that does not stop in time, goes to the
whole group, so that none of the child's own processes is left behind.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1
STOP_TIMEOUT = 15.0


@dataclass
class Child:
    """A started process: its name for people, its `Popen` and its log file."""

    name: str
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def exit_code(self) -> int | None:
        return self.process.poll()


def terminate_with_parent() -> Callable[[], None] | None:
    """Return a pre-exec hook that makes the child receive SIGTERM when its parent dies.

    This covers a `tanggap run` that is itself killed with SIGKILL and so cannot
    stop its children. Returns None where prctl is unavailable (not Linux).
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        prctl = libc.prctl
    except (OSError, AttributeError):
        return None

    def hook() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)

    return hook


def spawn(name: str, command: Sequence[str], env: dict[str, str], log_path: Path) -> Child:
    """Start `command` in its own session with stdout and stderr appended to `log_path`."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("ab") as output:
        process = subprocess.Popen(
            list(command),
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
            preexec_fn=terminate_with_parent(),
        )
    log.info("Child started.", extra={"child": name, "pid": process.pid, "log": str(log_path)})
    return Child(name, process, log_path)


def group_members(pgid: int) -> list[int]:
    """Return the live (non-zombie) processes of process group `pgid`, read from /proc."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name in brackets may contain spaces, so split after its closing bracket.
        fields = stat[stat.rindex(")") + 2 :].split()
        state, process_group = fields[0], int(fields[2])
        if process_group == pgid and state != "Z":
            members.append(int(entry.name))
    return members


def signal_group(child: Child, signum: int) -> None:
    try:
        os.killpg(child.pid, signum)
    except ProcessLookupError:
        pass


def stop_children(children: Sequence[Child], timeout: float = STOP_TIMEOUT) -> None:
    """Send SIGTERM to every child, wait up to `timeout` for their groups to empty, then SIGKILL what is left."""
    for child in children:
        if child.process.poll() is None:
            child.process.terminate()

    deadline = time.monotonic() + timeout
    for child in children:
        wait_for_group(child, deadline)

    for child in children:
        if child.process.poll() is None or group_members(child.pid):
            log.warning(
                "Child did not stop within %.0f s; killing its process group.",
                timeout,
                extra={"child": child.name, "pid": child.pid},
            )
            signal_group(child, signal.SIGKILL)
            child.process.wait()
            wait_for_group(child, time.monotonic() + 5.0)
        log.info("Child stopped.", extra={"child": child.name, "pid": child.pid, "exit_code": child.process.returncode})


def wait_for_group(child: Child, deadline: float) -> None:
    """Wait until the child has exited and no process of its group is left, or the deadline passes."""
    while time.monotonic() < deadline:
        if child.process.poll() is not None and not group_members(child.pid):
            return
        time.sleep(0.05)


def log_tail(path: Path, lines: int = 12) -> list[str]:
    """Return the last lines of a log file, for the report of a child that died."""
    try:
        with path.open("rb") as handle:
            handle.seek(0, os.SEEK_END)
            handle.seek(max(0, handle.tell() - 8192))
            text = handle.read().decode("utf-8", errors="replace")
    except OSError:
        return []
    return text.splitlines()[-lines:]
