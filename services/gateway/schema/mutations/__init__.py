"""Mutations, one module per area: complaints, handling, SLA policies and the catalogue."""
