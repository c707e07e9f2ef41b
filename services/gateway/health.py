"""Liveness and readiness: /healthz answers while the process runs, /readyz only while MongoDB answers."""

from __future__ import annotations

import asyncio
import logging

from pymongo.errors import PyMongoError
from starlette.requests import Request
from starlette.responses import JSONResponse

log = logging.getLogger(__name__)

READY_TIMEOUT_SECONDS = 2.0


async def healthz(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> JSONResponse:
    services = request.app.state.services
    try:
        await asyncio.wait_for(services.db.command("ping"), READY_TIMEOUT_SECONDS)
    except (PyMongoError, TimeoutError) as exc:
        log.warning("Not ready: MongoDB did not answer a ping: %s", exc)
        return JSONResponse({"status": "unavailable", "mongodb": "unreachable"}, status_code=503)
    return JSONResponse({"status": "ready", "mongodb": "ok"})
