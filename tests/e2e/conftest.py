"""The development stack for the end-to-end tests, and its logs in the report of a failed test."""

from __future__ import annotations

import subprocess
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest

from tests.e2e.stack import DevStack, stack_environment

STACK_KEY = pytest.StashKey[DevStack]()

STORY_SETTINGS = {
    # The watcher scans every second, so an alert follows its threshold closely.
    "TANGGAP_WATCH_INTERVAL": "1",
    # Citizens' messages are held in quiet hours (21:00 to 06:00 WITA by default).
    # A window that starts and ends at the same time is empty, so the test
    # passes at any hour.
    "TANGGAP_QUIET_HOURS_START": "00:00",
    "TANGGAP_QUIET_HOURS_END": "00:00",
}


@pytest.fixture
def dev_stack(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DevStack]:
    """Start `tanggap run` in a fresh var folder on free ports and wait until it is ready.

    The test stops the stack itself and checks the stop. Whatever is still
    running afterwards, e.g. after a failure, is stopped here.
    """
    env = stack_environment(tmp_path / "var", **STORY_SETTINGS)
    stack = DevStack(env, cwd=tmp_path)
    request.node.stash[STACK_KEY] = stack
    try:
        if not stack.wait_until_ready():
            pytest.fail("the development stack did not print `ready`; its output and logs are in the report")
        yield stack
    finally:
        if stack.process.poll() is None:
            try:
                stack.stop()
            except subprocess.TimeoutExpired:
                pass
        stack.kill_leftovers()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Attach the stack's output and the tail of each process log to a failed test's report."""
    report = yield
    stack = item.stash.get(STACK_KEY, None)
    if stack is not None and report.failed:
        report.sections.append(("development stack output and logs", stack.report()))
    return report
