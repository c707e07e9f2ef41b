"""Entry point: `python -m services.sla_watcher`, configured by `TANGGAP_*` environment variables."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from types import FrameType

from shared.logs import configure_logging
from shared.settings import get_settings
from shared.timeutil import clock

from services.sla_watcher.service import run_service

log = logging.getLogger(__name__)


def _exit_before_start(signum: int, _frame: FrameType | None) -> None:
    # Nothing has been claimed yet, so a stop during start-up is a clean exit.
    log.info("Stop requested before the watcher started.", extra={"signal": signal.Signals(signum).name})
    sys.exit(0)


def main() -> None:
    signal.signal(signal.SIGTERM, _exit_before_start)
    settings = get_settings()
    configure_logging("sla-watcher", settings.log_level, settings.log_format)
    if settings.test_frozen_now is not None:
        clock.freeze(settings.test_frozen_now)
        log.warning("Clock frozen for tests.", extra={"now": settings.test_frozen_now.isoformat()})
    asyncio.run(run_service(settings))


if __name__ == "__main__":
    main()
