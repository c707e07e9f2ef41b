"""Administrators' changes to agencies, categories, calendars, officials and SLA policies, each audited."""
