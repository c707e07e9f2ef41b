"""Run the gateway: `python -m services.gateway` serves on TANGGAP_GATEWAY_HOST:TANGGAP_GATEWAY_PORT."""

from __future__ import annotations

import uvicorn

from services.gateway.app import create_app
from shared.logs import configure_logging
from shared.settings import get_settings


def main() -> None:
    settings = get_settings()
    configure_logging("gateway", settings.log_level, settings.log_format)
    uvicorn.run(
        create_app(settings),
        host=settings.gateway_host,
        port=settings.gateway_port,
        log_config=None,
        ws="websockets-sansio",
        proxy_headers=True,
    )


if __name__ == "__main__":
    main()
