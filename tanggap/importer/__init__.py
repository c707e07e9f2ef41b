"""Importing another system's complaints as closed history.

`source` reads and checks the CSV, `mapping` places its agencies and topics
in the catalogue, `history` builds the closed complaint documents, and
`run` ties the steps together: `prepare` (no database), `pending` (rows
not imported before) and `writes` (ticket numbers and batch transactions).
"""
