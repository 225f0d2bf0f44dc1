"""The rows of the four files as read, where each came from, errors and the summary."""

import datetime
from dataclasses import dataclass, field
from typing import NamedTuple

from register import formats

ERROR_LIMIT = 100


class ImportRefused(Exception):
    """The files were refused: nothing was imported. `errors` are lines "file:line: what"."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


class Where(NamedTuple):
    file: str
    line: int

    def __str__(self):
        return f"{self.file}:{self.line}"


@dataclass
class Summary:
    """Rows added and updated, by format."""

    added: dict[str, int] = field(default_factory=lambda: dict.fromkeys(formats.ORDER, 0))
    updated: dict[str, int] = field(default_factory=lambda: dict.fromkeys(formats.ORDER, 0))

    @property
    def changed(self) -> bool:
        return any(self.added.values()) or any(self.updated.values())

    def describe(self) -> str:
        if not self.changed:
            return "nothing new: the register already holds every row of these files"
        lines = ["added: " + ", ".join(f"{self.added[k]} {formats.ROW_NAMES[k]}" for k in formats.ORDER)]
        if any(self.updated.values()):
            lines.append("updated: " + ", ".join(f"{self.updated[k]} {formats.ROW_NAMES[k]}" for k in formats.ORDER))
        return "\n".join(lines)


class Errors:
    """Every error found, up to ERROR_LIMIT of them."""

    def __init__(self):
        self.lines: list[str] = []
        self.more = 0

    def add(self, where: object, message: str) -> None:
        """`where` is a Where, a file's name, or None for a row the register holds already."""
        if len(self.lines) < ERROR_LIMIT:
            self.lines.append(f"{where if where is not None else 'the register'}: {message}")
        else:
            self.more += 1

    def __bool__(self):
        return bool(self.lines)

    def refuse(self) -> ImportRefused:
        more = [f"... and {self.more} more errors"] if self.more else []
        return ImportRefused(self.lines + more + ["nothing was imported"])


@dataclass(slots=True)
class TextRow:
    identifier: str
    kind: str
    forum: str
    session: str
    date: datetime.date | None
    title: str
    lead: str | None
    symbol: str
    topic: str
    reported_count: int | None
    source: str
    where: Where

    def fields(self) -> tuple:
        return (
            self.kind,
            self.forum,
            self.session,
            self.date,
            self.title,
            self.lead,
            self.symbol,
            self.topic,
            self.reported_count,
            self.source,
        )


# Participants and votes, half a million rows in an import, keep their file and line as they
# are: a Where of their own each took longer to make than the row itself, and few are ever named.


@dataclass(slots=True)
class ParticipantRow:
    text: str
    country: str
    event: str
    date: datetime.date | None
    provenance: str
    source: str
    file: str
    line: int

    @property
    def where(self) -> Where:
        return Where(self.file, self.line)

    def key(self) -> tuple:
        return (self.text, self.country, self.event, self.date, self.provenance, self.source)


@dataclass(slots=True)
class TermRow:
    body: str
    country: str
    regional_group: str
    term_start: datetime.date
    term_end: datetime.date
    suspended_from: datetime.date | None
    suspended_to: datetime.date | None
    where: Where | None = None  # None: held by the register already

    def key(self) -> tuple:
        return (self.body, self.country, self.term_start)

    def fields(self) -> tuple:
        return (self.regional_group, self.term_end, self.suspended_from, self.suspended_to)


@dataclass(slots=True)
class VoteRow:
    text: str
    date: datetime.date
    country: str
    vote: str
    file: str
    line: int

    @property
    def where(self) -> Where:
        return Where(self.file, self.line)
