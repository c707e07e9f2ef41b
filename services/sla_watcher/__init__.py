"""The SLA watcher: finds complaints whose next SLA threshold has come and claims their alerts.

Run it with `python -m services.sla_watcher`; several instances may run at
once without alerting twice.
"""
