"""`tanggap run`: the development stack starts in order, prints where to look, and stops without leftovers."""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import smtplib
import socket
import time
import urllib.request
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

import pytest
from pymongo import MongoClient

from tanggap.servers import is_listening

from cli_harness import StackProcess, live_group_members

pytestmark = pytest.mark.slow

SERVICE_MODULES = ("services.gateway.__main__", "services.sla_watcher.__main__", "services.notifier.broker", "services.notifier.actors")
SERVERS = ("SecantusDB", "Redis", "SMTP sink")
SERVICES = ("gateway", "SLA watcher", "notifier")


def is_ready(line: str) -> bool:
    return line == "ready"


def assert_all_gone(pids: dict[str, int]) -> None:
    for name, pid in pids.items():
        assert live_group_members(pid) == [], f"{name} (process group {pid}) was left running"


def count_agencies(port: int) -> int:
    with MongoClient(f"mongodb://127.0.0.1:{port}/?directConnection=true&retryWrites=false", serverSelectionTimeoutMS=5000) as client:
        return client["tanggap"]["agencies"].count_documents({})


def send_mail(port: int) -> None:
    message = EmailMessage()
    message["From"] = "noreply@tanggap.example"
    message["To"] = "warga@contoh.example"
    message["Subject"] = "Uji kotak keluar"
    message.set_content("Pesan uji.")
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.send_message(message)


def services_missing() -> list[str]:
    missing = []
    for module in SERVICE_MODULES:
        try:
            if importlib.util.find_spec(module) is None:
                missing.append(module)
        except ModuleNotFoundError:
            missing.append(module)
    return missing


def test_servers_only_lifecycle(start_stack: Callable[..., StackProcess], stack_env: dict[str, str]) -> None:
    # given a stack of the servers alone in a fresh var folder
    first = start_stack(["--servers-only"], stack_env)

    # when it is ready
    ready = first.wait_for_line(is_ready, 60)

    # then every server runs, the demo data is loaded and the outbox receives mail
    assert ready == "ready", first.output
    pids = first.child_pids()
    assert sorted(pids) == sorted(SERVERS)
    assert "Created 13 agencies" in first.output
    assert count_agencies(int(stack_env["TANGGAP_EMBEDDED_MONGODB_PORT"])) == 13
    assert first.wait_for_line(lambda line: line == "Press Ctrl-C to stop.", 5) is not None
    assert any("var/outbox/sms.jsonl" in line for line in first.lines)

    send_mail(int(stack_env["TANGGAP_SMTP_PORT"]))
    mail_folder = Path(stack_env["TANGGAP_VAR_DIR"]) / "outbox" / "mail"
    deadline = time.monotonic() + 10
    while not list(mail_folder.glob("*.eml")) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(list(mail_folder.glob("*.eml"))) == 1

    # when a second run starts on the same var folder
    second = start_stack(["--servers-only"], stack_env)

    # then it exits with an error that names the first
    assert second.finish(30) == 2
    assert f"pid {first.process.pid}" in second.output
    assert "Traceback" not in second.output

    # when Ctrl-C reaches the first run
    first.process.send_signal(signal.SIGINT)

    # then it stops every process it started and frees the ports
    assert first.finish(30) == 0, first.output
    assert "Stopped." in first.output
    assert_all_gone(pids)
    for setting in ("TANGGAP_EMBEDDED_MONGODB_PORT", "TANGGAP_EMBEDDED_REDIS_PORT", "TANGGAP_SMTP_PORT"):
        assert not is_listening(int(stack_env[setting])), f"{setting} still listening"

    # when the stack starts again and gets SIGTERM
    again = start_stack(["--servers-only"], stack_env)
    assert again.wait_for_line(is_ready, 60) == "ready", again.output
    again_pids = again.child_pids()
    again.process.send_signal(signal.SIGTERM)

    # then the data was kept and everything stops again
    assert again.finish(30) == 0, again.output
    assert "already loaded" in again.output
    assert_all_gone(again_pids)


def test_ports_in_use_named_together(start_stack: Callable[..., StackProcess], stack_env: dict[str, str]) -> None:
    # given programs already listening on the SMTP sink's and Redis's ports
    with socket.socket() as smtp_occupant, socket.socket() as redis_occupant:
        for occupant in (smtp_occupant, redis_occupant):
            occupant.bind(("127.0.0.1", 0))
            occupant.listen()
        smtp_port = smtp_occupant.getsockname()[1]
        redis_port = redis_occupant.getsockname()[1]
        env = {**stack_env, "TANGGAP_SMTP_PORT": str(smtp_port), "TANGGAP_EMBEDDED_REDIS_PORT": str(redis_port)}

        # when the stack starts
        stack = start_stack(["--servers-only"], env)
        code = stack.finish(30)

    # then one message names both ports with their settings, and nothing started
    assert code == 2
    assert f"port {smtp_port} on 127.0.0.1 (SMTP sink, TANGGAP_SMTP_PORT)" in stack.output
    assert f"port {redis_port} on 127.0.0.1 (Redis, TANGGAP_EMBEDDED_REDIS_PORT)" in stack.output
    assert "TANGGAP_EMBEDDED_REDIS_PORT=PORT TANGGAP_SMTP_PORT=PORT" in stack.output
    assert "Traceback" not in stack.output
    assert stack.child_pids() == {}
    assert not is_listening(int(stack_env["TANGGAP_EMBEDDED_MONGODB_PORT"]))


def test_dead_child_stops_stack(start_stack: Callable[..., StackProcess], stack_env: dict[str, str]) -> None:
    # given a ready stack
    stack = start_stack(["--servers-only"], stack_env)
    assert stack.wait_for_line(is_ready, 60) == "ready", stack.output
    pids = stack.child_pids()

    # when one of its children dies
    os.kill(pids["SMTP sink"], signal.SIGKILL)

    # then the stack names it with its log file and stops the rest
    assert stack.finish(30) == 1, stack.output
    assert f"The SMTP sink (pid {pids['SMTP sink']}) was killed by signal 9 (SIGKILL)" in stack.output
    assert "smtp-sink.log" in stack.output
    assert_all_gone(pids)

    record = json.loads((Path(stack_env["TANGGAP_VAR_DIR"]) / "run" / "devstack.json").read_text())
    assert record["children"] == {}


def test_full_stack_ready_then_stopped(start_stack: Callable[..., StackProcess], stack_env: dict[str, str]) -> None:
    missing = services_missing()
    if missing:
        pytest.skip(f"the services are not all in the code yet: {', '.join(missing)} missing")

    # given the whole stack, logging JSON as in production
    stack = start_stack([], {**stack_env, "TANGGAP_LOG_FORMAT": "json"})

    # when it prints that it is ready
    ready = stack.wait_for_line(is_ready, 90)

    # then the gateway responds and GraphiQL's address is printed
    assert ready == "ready", stack.output
    gateway = f"http://127.0.0.1:{stack_env['TANGGAP_GATEWAY_PORT']}"
    assert stack.wait_for_line(lambda line: f"{gateway}/graphql" in line, 5) is not None
    gateway_line = next(line for line in stack.lines if line.strip().startswith("gateway: pid "))
    assert f"port {stack_env['TANGGAP_GATEWAY_PORT']} ({gateway}/graphql)" in gateway_line
    watcher_line = next(line for line in stack.lines if line.strip().startswith("SLA watcher: pid "))
    assert f"metrics port {stack_env['TANGGAP_WATCHER_METRICS_PORT']}" in watcher_line
    notifier_line = next(line for line in stack.lines if line.strip().startswith("notifier: pid "))
    assert "1 Dramatiq worker process with 4 threads" in notifier_line
    with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(f"{gateway}/readyz", timeout=5) as response:
        assert response.status == 200
    pids = stack.child_pids()
    assert sorted(pids) == sorted(SERVERS + SERVICES)
    notifier_processes = live_group_members(pids["notifier"])

    # when Ctrl-C reaches it
    stack.process.send_signal(signal.SIGINT)

    # then every process it started is gone, the notifier's worker processes too
    assert stack.finish(45) == 0, stack.output
    assert len(notifier_processes) >= 2
    assert_all_gone(pids)

    # and the gateway's JSON log lines, Uvicorn's included, carry no terminal colour codes
    gateway_log = (Path(stack_env["TANGGAP_VAR_DIR"]) / "log" / "gateway.log").read_text()
    entries = [json.loads(line) for line in gateway_log.splitlines() if line.startswith("{")]
    assert any(entry["logger"].startswith("uvicorn") for entry in entries), gateway_log
    assert "\x1b" not in gateway_log
    assert all("color_message" not in entry for entry in entries)


def test_leftover_of_killed_run_named(start_stack: Callable[..., StackProcess], stack_env: dict[str, str]) -> None:
    # given a stack whose `tanggap run` was killed with SIGKILL, so it could not stop its servers
    killed = start_stack(["--servers-only"], stack_env)
    assert killed.wait_for_line(is_ready, 60) == "ready", killed.output
    pids = killed.child_pids()
    killed.process.kill()
    assert killed.finish(10) == -signal.SIGKILL

    # when the stack starts again
    again = start_stack(["--servers-only"], stack_env)

    # then it names the process left running on the database port
    assert again.finish(30) == 2
    assert f"left its SecantusDB process running as pid {pids['SecantusDB']}" in again.output
    assert f"kill {pids['SecantusDB']}" in again.output
