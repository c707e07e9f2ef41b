"""The development stack for the end-to-end tests, and its logs in the report of a failed test."""

from __future__ import annotations

import subprocess
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest

from tests.e2e.stack import STORY_SETTINGS, DevStack, stack_environment

STACK_KEY = pytest.StashKey[DevStack]()


@pytest.fixture
def stack_settings() -> dict[str, str]:
    """Return the settings the stack starts with; a test module overrides this fixture to change them."""
    return dict(STORY_SETTINGS)


@pytest.fixture
def dev_stack(request: pytest.FixtureRequest, tmp_path: Path, stack_settings: dict[str, str]) -> Iterator[DevStack]:
    """Start `tanggap run` in a fresh var folder on free ports and wait until it is ready.

    The test stops the stack itself and checks the stop. Whatever is still
    running afterwards, e.g. after a failure, is stopped here.
    """
    env = stack_environment(tmp_path / "var", **stack_settings)
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
