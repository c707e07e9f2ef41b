"""Code shared by the gateway, the SLA watcher and the notifier."""
