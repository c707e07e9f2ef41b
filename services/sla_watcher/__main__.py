"""Entry point: `python -m services.sla_watcher`, configured by `TANGGAP_*` environment variables."""

from __future__ import annotations

import asyncio
import logging

from shared.logs import configure_logging
from shared.settings import get_settings
from shared.timeutil import clock

from services.sla_watcher.service import run_service

log = logging.getLogger(__name__)


def main() -> None:
    settings = get_settings()
    configure_logging("sla-watcher", settings.log_level, settings.log_format)
    if settings.test_frozen_now is not None:
        clock.freeze(settings.test_frozen_now)
        log.warning("Clock frozen for tests.", extra={"now": settings.test_frozen_now.isoformat()})
    asyncio.run(run_service(settings))


if __name__ == "__main__":
    main()
