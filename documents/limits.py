"""How long a version's title and note may be, for a letter as for a report: the columns of
documents.models.HashedVersion are sized by them, and letters/limits.py and reports/limits.py
give them to each flow's actions, schemas and forms."""

TITLE = 300
NOTE = 500  # why a version exists
