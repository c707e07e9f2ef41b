"""Creating notification documents: recipients, not-before instants and idempotency keys.

The gateway and the watcher create notifications here; the notifier only
delivers documents that already exist.
"""
