"""Start the development stack in order, watch it, and stop every process it started.

The order is SecantusDB and Redis, the SMTP sink, the demo data, then the
gateway, the SLA watcher and the notifier. The stack is ready once the
gateway responds to `/readyz` with 200. SIGINT, SIGTERM and SIGHUP stop everything, and so
does a child that exits by itself, after its log has been shown.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any, TextIO

from pymongo.errors import PyMongoError

from tanggap.devstack.children import Child, log_tail, spawn, stop_children
from tanggap.devstack.database import DatabaseUnavailable, describe_seed, seed_configured_database
from tanggap.devstack.layout import display_path
from tanggap.devstack.plan import StackPlan
from tanggap.devstack.ports import PortInUse, taken_claims
from tanggap.devstack.runlock import RunLock
from tanggap.servers import ServerStartError, is_listening, start_redis, start_secantus

log = logging.getLogger(__name__)

READY_TIMEOUT = 120.0
LISTEN_TIMEOUT = 30.0
POLL_INTERVAL = 0.25
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class StopRequested(Exception):
    """A stop signal arrived; the stack shuts down and the run ends normally."""


class StackFailed(Exception):
    """A part of the stack did not start or exited; the message names it and its log file."""


class Supervisor:
    def __init__(self, plan: StackPlan, out: TextIO = sys.stdout, base_env: dict[str, str] | None = None) -> None:
        self.plan = plan
        self.out = out
        self.env = plan.environment(os.environ if base_env is None else base_env)
        self.lock = RunLock(plan.layout.run / "devstack.json")
        self.servers: list[Child] = []
        self.services: list[Child] = []
        self.stop_signal: int | None = None

    def run(self) -> int:
        """Run the stack until a stop signal (exit code 0) or a failure (exit code 1).

        Raises `PortInUse` or `StackAlreadyRunning` before starting anything.
        """
        previous_handlers = {signum: signal.signal(signum, self._request_stop) for signum in STOP_SIGNALS}
        try:
            return self._run()
        finally:
            self._shut_down()
            for signum, handler in previous_handlers.items():
                signal.signal(signum, handler)

    def _run(self) -> int:
        self.lock.acquire()
        self._check_ports()
        try:
            self._start_servers()
            self._seed()
            self._start_services()
            self._announce_ready()
            self._watch()
        except StopRequested:
            return 0
        except StackFailed as exc:
            self.say(str(exc))
            return 1
        return 0

    def say(self, line: str = "") -> None:
        print(line, file=self.out, flush=True)

    def _request_stop(self, signum: int, frame: FrameType | None) -> None:
        if self.stop_signal is None:
            self.stop_signal = signum
            log.info("Stop requested.", extra={"signal": signal.Signals(signum).name})

    def _check_stop(self) -> None:
        if self.stop_signal is not None:
            raise StopRequested

    def _check_ports(self) -> None:
        # NOTE: SecantusDB and Redis get no parent-death signal from
        # tanggap.servers, so a `tanggap run` killed with SIGKILL leaves them
        # running; the check below then names them by pid.
        taken = taken_claims(self.plan.port_claims())
        if taken:
            raise PortInUse([(claim, self.lock.leftover_pid(claim.owner)) for claim in taken])

    def _start_servers(self) -> None:
        plan = self.plan
        layout = plan.layout
        layout.create()
        self.say(f"Starting the development stack in {display_path(layout.root)} …")

        if plan.start_database:
            port = plan.settings.embedded_mongodb_port
            self._start_server("SecantusDB", "secantus", port, lambda log_file: start_secantus(layout.database, port, log_file))
        else:
            self.say("  MongoDB: using TANGGAP_MONGODB_URI")

        if plan.start_redis:
            port = plan.settings.embedded_redis_port
            self._start_server("Redis", "redis", port, lambda log_file: start_redis(layout.redis, port, log_file))
        if plan.settings.broker_url:
            self.say("  broker: using TANGGAP_BROKER_URL")

        if plan.start_smtp_sink:
            self._start_smtp_sink()
        else:
            self.say(f"  mail: sent to {plan.settings.smtp_host}:{plan.settings.smtp_port}")

    def _start_server(self, name: str, log_name: str, port: int, start: Callable[[Path], Any]) -> None:
        self._check_stop()
        log_file = self.plan.layout.log_file(log_name)
        try:
            process = start(log_file)
        except ServerStartError as exc:
            raise StackFailed(f"{name} did not start: {exc}; see {display_path(log_file)}") from exc
        self._adopt(self.servers, Child(name, process, log_file), f"port {port}")

    def _start_smtp_sink(self) -> None:
        self._check_stop()
        settings = self.plan.settings
        command = [
            sys.executable, "-m", "tanggap.smtp_sink",
            "--host", settings.smtp_host,
            "--port", str(settings.smtp_port),
            "--directory", str(self.plan.layout.mail),
        ]
        child = spawn("SMTP sink", command, self.env, self.plan.layout.log_file("smtp-sink"))
        self._adopt(self.servers, child, f"port {settings.smtp_port}")
        self._wait_until(lambda: is_listening(settings.smtp_port, settings.smtp_host), LISTEN_TIMEOUT, "the SMTP sink to listen")

    def _seed(self) -> None:
        self._check_stop()
        try:
            created = asyncio.run(seed_configured_database(self.plan.settings))
        except DatabaseUnavailable as exc:
            raise StackFailed(f"Loading the demo data failed: {exc}") from exc
        except PyMongoError as exc:
            raise StackFailed(f"Loading the demo data failed: {exc}; see {display_path(self.plan.layout.logs)}") from exc
        self.say(f"  demo data: {describe_seed(created)}")

    def _start_services(self) -> None:
        for spec in self.plan.services:
            self._check_stop()
            child = spawn(spec.name, spec.command, {**self.env, **spec.extra_env}, self.plan.layout.log_file(spec.log_name))
            self._adopt(self.services, child, spec.detail)

        if self.plan.services:
            readyz = f"{self.plan.gateway_url}/readyz"
            self._wait_until(lambda: responds_ok(readyz), READY_TIMEOUT, f"the gateway to answer {readyz}")

    def _adopt(self, group: list[Child], child: Child, detail: str = "") -> None:
        group.append(child)
        self.lock.record({c.name: c.pid for c in self.servers + self.services})
        where = f", {detail}" if detail else ""
        self.say(f"  {child.name}: pid {child.pid}{where}, log {display_path(child.log_path)}")

    def _wait_until(self, condition: Callable[[], bool], timeout: float, description: str) -> None:
        """Poll `condition` while checking for stop signals and dead children; raise after `timeout` s."""
        deadline = time.monotonic() + timeout
        while not condition():
            self._check_stop()
            self._check_children()
            if time.monotonic() > deadline:
                raise StackFailed(f"Timed out after {timeout:.0f} s waiting for {description}; see the logs in {display_path(self.plan.layout.logs)}")
            time.sleep(POLL_INTERVAL)

    def _check_children(self) -> None:
        for child in self.servers + self.services:
            code = child.exit_code()
            if code is None:
                continue
            lines = [f"The {child.name} (pid {child.pid}) {describe_exit(code)}; its log is {display_path(child.log_path)}."]
            tail = log_tail(child.log_path)
            if tail:
                lines.append("Its last lines:")
                lines.extend(f"    {line}" for line in tail)
            raise StackFailed("\n".join(lines))

    def _announce_ready(self) -> None:
        layout = self.plan.layout
        tanggap = display_path(Path(sys.executable).with_name("tanggap"))
        self.say("ready")
        if self.plan.services:
            self.say(f"  GraphiQL: {self.plan.gateway_url}/graphql")
        else:
            self.say("  servers only: start the gateway, the SLA watcher and the notifier yourself")
        self.say(f"  e-mail:   {display_path(layout.mail)}/*.eml")
        self.say(f"  SMS:      {display_path(layout.sms)}")
        self.say(f"  logs:     {display_path(layout.logs)}/")
        self.say(f"  token:    {tanggap} token --role citizen --phone 081234567890 --email warga@contoh.example --format header")
        self.say("Press Ctrl-C to stop.")

    def _watch(self) -> None:
        while True:
            self._check_stop()
            self._check_children()
            time.sleep(POLL_INTERVAL)

    def _shut_down(self) -> None:
        if self.servers or self.services:
            self.say("Stopping …")
            # Services first, so that nothing writes to a database or broker that is going away.
            stop_children(self.services)
            stop_children(list(reversed(self.servers)))
            self.say("Stopped.")
        self.servers.clear()
        self.services.clear()
        self.lock.release()


def describe_exit(code: int) -> str:
    """Describe a return code as `subprocess` gives it: negative means the process died of that signal."""
    if code >= 0:
        return f"exited with code {code}"
    try:
        name = signal.Signals(-code).name
    except ValueError:
        return f"was killed by signal {-code}"
    return f"was killed by signal {-code} ({name})"


def responds_ok(url: str) -> bool:
    """Return whether a GET of `url` returns status 200, bypassing any proxy set in the environment."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False
