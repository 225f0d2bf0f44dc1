"""How long each input of a report may be, written once (as letters/limits.py for letters)."""

TITLE = 300
BODY = 500_000  # a report is longer than a letter; also bounds the text extracted from a file
NOTE = 500
COMMENT = 200_000  # comments sent as text
FILE_BYTES = 50 * 1024 * 1024  # an uploaded PDF or DOCX
