"""Every actor of the notifier; importing the package declares them on the global broker.

Import `services.notifier.broker` first: it sets the broker these actors
are declared on.
"""

from services.notifier.actors import deliver_notification as deliver_notification
