"""Importing another system's complaints as closed history.

`source` reads and checks the CSV, `mapping` places its agencies and topics
in the catalogue, `history` builds the closed complaint documents, and
`run` ties them together with bulk inserts and the report.
"""
