"""A local HTTP server that plays an SMS provider: the generic gateway and the Twilio-style API.

It records every request and responds as its behaviour sets: accept, fail
with a status, respond slowly, or drop the connection. Behaviours queued with `script`
apply to the next requests in order; `default` applies after them.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit


@dataclass(frozen=True)
class Behaviour:
    status: int = 200
    delay: float = 0.0
    drop: bool = False
    body: dict[str, Any] | None = None


ACCEPT = Behaviour()


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    fields: dict[str, str]
    answered_with: int | None
    at: float = field(default_factory=time.monotonic)
    wall_clock: float = field(default_factory=time.time)


class SmsGatewayDouble:
    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self.default = ACCEPT
        self._script: deque[Behaviour] = deque()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="sms-gateway-double", daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def url(self) -> str:
        return f"{self.base_url}/api/sms/send"

    def start(self) -> SmsGatewayDouble:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def script(self, *behaviours: Behaviour) -> None:
        with self._lock:
            self._script.extend(behaviours)

    def next_behaviour(self) -> Behaviour:
        with self._lock:
            return self._script.popleft() if self._script else self.default

    def record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)


def _handler_for(gateway: SmsGatewayDouble) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode("utf-8")
            if self.headers.get("Content-Type", "").startswith("application/json"):
                fields = {str(k): str(v) for k, v in json.loads(raw or "{}").items()}
            else:
                fields = dict(parse_qsl(raw, keep_blank_values=True))
            self._answer(fields)

        def do_GET(self) -> None:
            self._answer(dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True)))

        def _answer(self, fields: dict[str, str]) -> None:
            behaviour = gateway.next_behaviour()
            if behaviour.delay:
                time.sleep(behaviour.delay)
            answered = None if behaviour.drop else behaviour.status
            gateway.record(RecordedRequest(self.command, urlsplit(self.path).path, dict(self.headers), fields, answered))
            if behaviour.drop:
                self.close_connection = True
                return

            sid = f"SM{uuid.uuid4().hex}"
            body = behaviour.body or (
                {"message_id": sid, "sid": sid, "status": "queued"}
                if behaviour.status < 400
                else {"code": 21211, "message": f"answered {behaviour.status} on purpose"}
            )
            payload = json.dumps(body).encode("utf-8")
            try:
                self.send_response(behaviour.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                # The client gave up waiting (a timeout test), so no one reads the response.
                self.close_connection = True

        def log_message(self, format: str, *args: Any) -> None:
            """Keep the test output quiet."""

    return Handler
