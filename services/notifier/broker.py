"""The worker's broker module: `dramatiq services.notifier.broker services.notifier.actors`.

Dramatiq imports this module first. It reads the settings, configures
logging and builds the broker, setting it as Dramatiq's global broker
before the actors package declares any actor on it.
"""

from __future__ import annotations

from services.notifier.setup import build_notifier_broker
from shared.logs import configure_logging
from shared.settings import get_settings

settings = get_settings()
configure_logging("notifier", settings.log_level, settings.log_format)
broker = build_notifier_broker(settings)
