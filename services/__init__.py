"""The three Tanggap services: gateway, SLA watcher and notifier."""
