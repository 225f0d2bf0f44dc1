"""How long each input of a report may be, written once (as letters/limits.py for letters); a
version's title and note are as long as a letter's (documents/limits.py)."""

from documents.limits import NOTE as NOTE
from documents.limits import TITLE as TITLE

BODY = 500_000  # a report is longer than a letter; also bounds the text extracted from a file
COMMENT = 200_000  # comments sent as text
FILE_BYTES = 50 * 1024 * 1024  # an uploaded PDF or DOCX
