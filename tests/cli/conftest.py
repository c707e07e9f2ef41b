"""Fixtures for the command-line tests: private settings and `tanggap run` processes cleaned up after each test."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cli_harness import StackProcess, clean_environment, live_group_members

from tanggap.servers import free_port


@pytest.fixture
def stack_env(tmp_path: Path) -> dict[str, str]:
    """Settings for a private stack: its own var folder and free ports."""
    return clean_environment(
        TANGGAP_VAR_DIR=str(tmp_path / "var"),
        TANGGAP_EMBEDDED_MONGODB_PORT=str(free_port()),
        TANGGAP_EMBEDDED_REDIS_PORT=str(free_port()),
        TANGGAP_SMTP_PORT=str(free_port()),
        TANGGAP_GATEWAY_PORT=str(free_port()),
        TANGGAP_WATCHER_METRICS_PORT=str(free_port()),
        TANGGAP_LOG_FORMAT="text",
    )


@pytest.fixture
def start_stack(tmp_path: Path) -> Iterator[Callable[..., StackProcess]]:
    """Start `tanggap run` processes; any left running or leaving children behind is killed at the end."""
    started: list[StackProcess] = []

    def start(args: list[str], env: dict[str, str]) -> StackProcess:
        stack = StackProcess(["run", *args], env, tmp_path)
        started.append(stack)
        return stack

    yield start

    for stack in started:
        if stack.process.poll() is None:
            os.killpg(stack.process.pid, signal.SIGKILL)
            stack.finish(10)
        for pid in stack.child_pids().values():
            for member in live_group_members(pid):
                os.kill(member, signal.SIGKILL)
