"""`undersigned register export DIR`: the register as the four files `register import` reads.

Rows are sorted in Python, by codepoint, so the same register gives the same bytes on SQLite and
PostgreSQL, and importing the files into it again changes nothing. Countries are written as
ISO3 codes, dates as YYYY-MM-DD, lines end with a line feed.
"""

import csv
import datetime
from pathlib import Path

from register import formats
from register.models import TEXT_FILE_FIELDS, MembershipTerm, Participant, Text, Vote

FILE_NAMES = {name: f"{name}.csv" for name in formats.ORDER}


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _no_date_first(value: datetime.date | None) -> str:
    # Undated events first: a source listed them without saying when, so they were there by then.
    return value.isoformat() if value else ""


def text_rows() -> list[tuple]:
    rows = Text.objects.values_list(*TEXT_FILE_FIELDS)
    return sorted(rows, key=lambda row: (row[4].isoformat(), row[0]))


def participant_rows() -> list[tuple]:
    rows = Participant.objects.values_list("text__identifier", "country_id", "event", "date", "provenance", "source")
    return sorted(rows, key=lambda row: (row[0], _no_date_first(row[3]), row[1], row[2], row[4], row[5]))


def member_rows() -> list[tuple]:
    rows = MembershipTerm.objects.values_list(
        "body", "country_id", "regional_group", "term_start", "term_end", "suspended_from", "suspended_to"
    )
    return sorted(rows, key=lambda row: (row[0], row[3].isoformat(), row[1]))


def vote_rows() -> list[tuple]:
    rows = Vote.objects.values_list("text__identifier", "date", "country_id", "vote")
    return sorted(rows, key=lambda row: (row[0], row[1].isoformat(), row[2]))


ROWS = {
    formats.TEXTS: text_rows,
    formats.PARTICIPANTS: participant_rows,
    formats.MEMBERS: member_rows,
    formats.VOTES: vote_rows,
}


def write_csv(path: Path, columns: tuple[str, ...], rows: list[tuple]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([_cell(value) for value in row] for row in rows)


def export_to(directory: Path | str) -> dict[str, int]:
    """Write texts.csv, participants.csv, members.csv and votes.csv into `directory` (made if
    missing); return the rows written per file."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = {}
    for name in formats.ORDER:
        rows = ROWS[name]()
        write_csv(directory / FILE_NAMES[name], formats.COLUMNS[name], rows)
        written[name] = len(rows)
    return written
