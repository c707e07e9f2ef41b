"""Complaint operations behind the schema: access, workflow moves, comments, lists and the writes they make."""
