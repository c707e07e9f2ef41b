"""Liveness and readiness: /healthz responds while the process runs, /readyz reports ready only while MongoDB responds."""

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
        log.warning("Not ready: the MongoDB ping failed: %s", exc)
        return JSONResponse({"status": "unavailable", "mongodb": "unreachable"}, status_code=503)
    return JSONResponse({"status": "ready", "mongodb": "ok"})
