"""The GraphQL endpoint: Strawberry's ASGI view with our context and token checks.

An HTTP request with an invalid token gets a 401 response with a GraphQL-shaped
error before any resolver runs. Over WebSocket the token may come in the
upgrade request's Authorization header or in the connection_init payload
as {"Authorization": "Bearer …"}; an invalid one closes the connection
with 4403.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from cross_web import HTTPException
from starlette.requests import HTTPConnection, Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError

from services.gateway.auth import authenticate
from services.gateway.context import GatewayContext, Services
from services.gateway.errors import AuthenticationError
from services.gateway.messages import pick_locale, translate

log = logging.getLogger(__name__)


def _auth_error_body(error: AuthenticationError, locale: str) -> dict[str, Any]:
    return {"data": None, "errors": [{"message": translate(error.message_key, locale, error.params), "extensions": {"code": error.code}}]}


def _check_no_lone_surrogates(value: object, text: str) -> None:
    """Raise JSONDecodeError for a string holding a lone UTF-16 surrogate escape such as \\ud800.

    JSON's grammar allows such an escape, but no UTF-8 text can hold it: MongoDB,
    the JSON logs and the e-mail renderer would fail on it later, deep inside a resolver.
    """
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise json.JSONDecodeError("a string holds a lone UTF-16 surrogate escape", text, 0) from exc
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_no_lone_surrogates(key, text)
            _check_no_lone_surrogates(item, text)
    elif isinstance(value, list):
        for item in value:
            _check_no_lone_surrogates(item, text)


class GatewayView(GraphQL):  # type: ignore[type-arg]
    def __init__(self, services: Services | None, **kwargs: Any) -> None:
        self._services = services
        super().__init__(**kwargs)

    @property
    def services(self) -> Services:
        if self._services is None:
            raise RuntimeError("the gateway received a request before its lifespan started; run it under an ASGI server")
        return self._services

    @services.setter
    def services(self, services: Services) -> None:
        self._services = services

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            connection = HTTPConnection(scope)
            try:
                authenticate(connection.headers.get("authorization"), self.services.settings)
            except AuthenticationError as exc:
                locale = pick_locale(connection.headers.get("accept-language"))
                body = json.dumps(_auth_error_body(exc, locale), ensure_ascii=False)
                response = Response(body, status_code=401, media_type="application/json", headers={"WWW-Authenticate": "Bearer"})
                await response(scope, receive, send)
                return
        await super().__call__(scope, receive, send)

    def decode_json(self, data: str | bytes) -> object:
        """Parse a request body or WebSocket message, raising JSONDecodeError for anything that is not UTF-8 JSON text.

        Strawberry answers a JSONDecodeError with 400 over HTTP and closes a WebSocket with 4400.
        """
        if isinstance(data, bytes):
            try:
                data = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise json.JSONDecodeError(f"the body is not valid UTF-8 (byte {exc.start})", repr(data[:100]), 0) from exc
        try:
            value = json.loads(data)
            _check_no_lone_surrogates(value, data)
        except RecursionError as exc:
            raise json.JSONDecodeError("the JSON is nested too deeply", data, 0) from exc
        return value

    def parse_json(self, data: str | bytes) -> Any:
        try:
            return self.decode_json(data)
        except json.JSONDecodeError as exc:
            raise HTTPException(400, f"The request body is not valid JSON: {exc.msg}. Send UTF-8 JSON text.") from exc

    async def get_context(self, request: Request | WebSocket, response: Any) -> GatewayContext:
        locale = pick_locale(request.headers.get("accept-language"))
        context = GatewayContext(services=self.services, request=request, response=response, locale=locale)
        try:
            context.principal = authenticate(request.headers.get("authorization"), self.services.settings)
        except AuthenticationError:
            # Only a WebSocket reaches this with a bad header, because __call__ rejects HTTP requests first. on_ws_connect closes it.
            context.header_rejected = True
        return context

    async def on_ws_connect(self, context: GatewayContext) -> Any:
        if context.header_rejected:
            log.info("Rejected a WebSocket connection with an invalid Authorization header.")
            raise ConnectionRejectionError({"code": "INVALID_TOKEN"})
        params = context.connection_params or {}
        token_value = params.get("Authorization") or params.get("authorization")
        if token_value and context.principal is None:
            try:
                context.principal = authenticate(str(token_value), self.services.settings)
            except AuthenticationError as exc:
                log.info("Rejected a WebSocket connection with an invalid token.")
                raise ConnectionRejectionError({"code": exc.code}) from exc
        return None
