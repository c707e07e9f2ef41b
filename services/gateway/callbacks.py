"""Delivery-status callbacks from SMS providers, handled by the shared delivery-status module."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from shared.delivery_status import twilio_status_endpoint


async def twilio_status(request: Request) -> Response:
    services = request.app.state.services
    return await twilio_status_endpoint(request, services.db, services.settings)
