"""Reading the files: each known by its header, each cell checked, each row kept with its
file:line.

Half a million rows are read in a few seconds, so the common case is kept cheap: a plain file is
split at its line feeds and commas rather than parsed (csvrows), and asked once rather than row
by row whether it is all printable and whether a cell may need stripping; dates and country
names are parsed once per distinct value; a row is searched for invisible characters cell by
cell only when it is not plainly printable; and the participants and votes, by far the most
numerous rows, have loops of their own that keep a plain row at once.
"""

import datetime
import re
from collections.abc import Iterator
from pathlib import Path

from core.text import first_invisible_character
from register import formats
from register import vocabulary as v
from register.importer.csvrows import NotCsv, file_rows, printable_but_line_feeds
from register.importer.rows import Errors, ParticipantRow, TermRow, TextRow, VoteRow, Where
from register.names import CountryNameError, resolve

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
LIMITS = {"text": 200, "forum": 100, "session": 50, "title": 500, "symbol": 100, "topic": 100, "source": 2000}
_KINDS, _EVENTS, _PROVENANCES = frozenset(v.KINDS), frozenset(v.EVENTS), frozenset(v.PROVENANCES)
_VOTES, _BODIES, _GROUPS = frozenset(v.VOTES), frozenset(v.BODIES), frozenset(v.GROUPS)


def _printable(text: str) -> bool:
    return text.replace("\n", "").replace("\t", "").isprintable()


class Reader:
    """Reads and checks the cells of each file, row by row, into `rows` by format."""

    def __init__(self, errors: Errors):
        self.errors = errors
        self.rows: dict[str, list] = {name: [] for name in formats.ORDER}
        self._dates: dict[str, datetime.date | None] = {}
        self._countries: dict[str, str | CountryNameError] = {}
        self._participant_rows = self.rows[formats.PARTICIPANTS]
        # Of the file being read (read() sets them): whether its cells need stripping, and
        # whether all its characters are printable.
        self._strip = True
        self._printable = False

    def read(self, path: Path, label: str) -> None:
        try:
            content = path.read_bytes()
        except OSError as exc:
            self.errors.add(label, f"cannot be read: {exc.strerror or exc}")
            return
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = content[: exc.start].count(b"\n") + 1
            self.errors.add(Where(label, line), "is not UTF-8 text")
            return
        rows, self._strip = file_rows(text)
        # Asked of the whole file once rather than of each row.
        self._printable = printable_but_line_feeds(content, text)
        try:
            self._read_rows(rows, label)
        except NotCsv as exc:
            self.errors.add(Where(label, exc.line), f"is not valid CSV: {exc.reason}")

    def _read_rows(self, rows: Iterator[tuple[int, list[str]]], label: str) -> None:
        header = next(rows, None)
        if header is None:
            self.errors.add(Where(label, 1), "is empty: a register file starts with its header row")
            return
        kind = self._format(header[1], Where(label, 1))
        if kind == formats.PARTICIPANTS:
            self._read_participants(rows, label)
        elif kind == formats.VOTES:
            self._read_votes(rows, label)
        elif kind is not None:
            for line, cells in rows:
                self._row(kind, cells, Where(label, line))

    def _row(self, kind: str, cells: list[str], where: Where) -> None:
        """One row of any format: its width, invisible characters and lengths, then its cells."""
        columns = formats.COLUMNS[kind]
        if len(cells) != len(columns):
            if cells and cells != [""]:  # a blank line is skipped
                self.errors.add(where, f"has {len(cells)} fields; the {kind} header has {len(columns)}")
            return
        cells = [cell.strip() for cell in cells]
        joined = "".join(cells)
        if not joined.isprintable() and not _printable(joined):
            self._invisible(cells, columns, where)
        for column, cell in zip(columns, cells, strict=True):
            limit = LIMITS.get(column)
            if limit is not None and len(cell) > limit:
                self.errors.add(where, f"{column} is longer than {limit} characters")
        getattr(self, f"_{kind}")(cells, where)

    def _read_participants(self, rows: Iterator[tuple[int, list[str]]], label: str) -> None:
        """The participants' loop, written for speed (an import may bring half a million): a row
        that passes the quick checks below, with a State and a date already seen, is kept at once;
        any other goes through _row(), which checks it in full and says what is wrong."""
        countries, dates, kept = self._countries, self._dates, self._participant_rows
        strip, printable = self._strip, self._printable
        text_limit, source_limit = LIMITS["text"], LIMITS["source"]
        for line, cells in rows:
            if len(cells) == 6:
                if strip:
                    cells = list(map(str.strip, cells))
                text, country, event, date, provenance, source = cells
                iso3 = countries.get(country)
                day = dates.get(date) if date else None
                if (
                    type(iso3) is str
                    and (day is not None or not date)
                    and text
                    and event in _EVENTS
                    and provenance in _PROVENANCES
                    and (source or provenance == v.PROVENANCE_SIGNED)
                    and len(text) <= text_limit
                    and len(source) <= source_limit
                    and (printable or "".join(cells).isprintable())
                ):
                    kept.append(ParticipantRow(text, iso3, event, day, provenance, source, label, line))
                    continue
            self._row(formats.PARTICIPANTS, cells, Where(label, line))

    def _read_votes(self, rows: Iterator[tuple[int, list[str]]], label: str) -> None:
        """The votes' loop, as the participants' (a vote is 47 rows, and a register holds
        thousands of votes): a row that passes the quick checks below, with a State and a date
        already seen, is kept at once; any other goes through _row(), which says what is wrong."""
        countries, dates, kept = self._countries, self._dates, self.rows[formats.VOTES]
        strip, printable = self._strip, self._printable
        text_limit = LIMITS["text"]
        for line, cells in rows:
            if len(cells) == 4:
                if strip:
                    cells = list(map(str.strip, cells))
                text, date, country, vote = cells
                iso3 = countries.get(country)
                day = dates.get(date)
                if (
                    type(iso3) is str
                    and day is not None
                    and text
                    and vote in _VOTES
                    and len(text) <= text_limit
                    and (printable or "".join(cells).isprintable())
                ):
                    kept.append(VoteRow(text, day, iso3, vote, label, line))
                    continue
            self._row(formats.VOTES, cells, Where(label, line))

    def _format(self, header: list[str], where: Where) -> str | None:
        header = [name.strip() for name in header]
        kind = formats.format_of(header)
        if kind:
            return kind
        meant = formats.closest_format(header)
        expected = ",".join(formats.COLUMNS[meant])
        unknown = [name for name in header if name not in formats.COLUMNS[meant]]
        if unknown:
            listed = ", ".join(f'"{name}"' for name in unknown)
            self.errors.add(where, f"unknown column {listed}: a {meant} file has the columns {expected}")
        else:
            self.errors.add(where, f"the header must be exactly {expected} (a {meant} file)")
        return None

    # -- cells

    def _invisible(self, cells: list[str], columns: tuple[str, ...], where: Where) -> None:
        for column, cell in zip(columns, cells, strict=True):
            character = first_invisible_character(cell)
            if character:
                self.errors.add(where, f"{column} contains the invisible character U+{ord(character):04X}")

    def _required(self, value: str, column: str, where: Where) -> str:
        if not value:
            self.errors.add(where, f"{column} is empty")
        return value

    # A cell in error reads as a placeholder (no date, no State): the row is kept only to find
    # more errors, since the import stops before anything is written.

    def _date(self, value: str, column: str, where: Where) -> datetime.date:
        if not value:
            self.errors.add(where, f"{column} is empty")
        return self._optional_date(value, column, where) or datetime.date.min

    def _optional_date(self, value: str, column: str, where: Where) -> datetime.date | None:
        if not value:
            return None
        try:
            parsed = self._dates[value]
        except KeyError:
            parsed = None
            if _ISO_DATE.fullmatch(value):
                try:
                    parsed = datetime.date.fromisoformat(value)
                except ValueError:
                    parsed = None
            self._dates[value] = parsed
        if parsed is None:
            self.errors.add(where, f'{column} "{value}" is not a date written YYYY-MM-DD')
        return parsed

    def _word(self, value: str, column: str, allowed: frozenset[str], spelled: tuple[str, ...], where: Where) -> str:
        if value not in allowed:
            self.errors.add(where, f'{column} "{value}" is not one of {", ".join(spelled)}')
        return value

    def _country(self, value: str, column: str, where: Where) -> str:
        if not value:
            self.errors.add(where, f"{column} is empty")
        return self._optional_country(value, column, where) or ""

    def _optional_country(self, value: str, column: str, where: Where) -> str | None:
        if not value:
            return None
        found = self._countries.get(value)
        if found is None:
            try:
                found = resolve(value)
            except CountryNameError as exc:
                found = exc
            self._countries[value] = found
        if isinstance(found, CountryNameError):
            self.errors.add(where, f"{column}: {found.message}")
            return None
        return found

    def _count(self, value: str, where: Where) -> int | None:
        if not value:
            return None
        if not value.isascii() or not value.isdigit():
            self.errors.add(where, f'reported_count "{value}" is not a whole number')
            return None
        number = int(value)
        if number > v.STATE_COUNT:
            self.errors.add(
                where, f"reported_count {number} is more than the {v.STATE_COUNT} UN Member and observer States"
            )
        return number

    # -- rows, one method per format

    def _texts(self, cells: list[str], where: Where) -> None:
        text, kind, forum, session, date, title, lead, symbol, topic, count, source = cells
        if session and not forum:
            self.errors.add(where, "session is given without a forum")
        self.rows[formats.TEXTS].append(
            TextRow(
                self._required(text, "text", where),
                self._word(kind, "kind", _KINDS, v.KINDS, where),
                forum,
                session,
                self._date(date, "date", where),
                title,
                self._optional_country(lead, "lead", where),
                symbol,
                topic,
                self._count(count, where),
                source,
                where,
            )
        )

    def _participants(self, cells: list[str], where: Where) -> None:
        text, country, event, date, provenance, source = cells
        if not text:
            self.errors.add(where, "text is empty")
        if event not in _EVENTS:
            self._word(event, "event", _EVENTS, v.EVENTS, where)
        if provenance not in _PROVENANCES:
            self._word(provenance, "provenance", _PROVENANCES, v.PROVENANCES, where)
        elif not source and provenance != v.PROVENANCE_SIGNED:
            # A fact from elsewhere than this platform says where it comes from: the UN symbol,
            # the State's URL, the press report (docs/register.md).
            self.errors.add(where, "source is empty")
        self._participant_rows.append(
            ParticipantRow(
                text,
                self._country(country, "country", where),
                event,
                self._optional_date(date, "date", where),
                provenance,
                source,
                where.file,
                where.line,
            )
        )

    def _members(self, cells: list[str], where: Where) -> None:
        body, country, group, start, end, suspended_from, suspended_to = cells
        errors_before = len(self.errors.lines)
        row = TermRow(
            self._word(body, "body", _BODIES, v.BODIES, where),
            self._country(country, "country", where),
            self._word(group, "regional_group", _GROUPS, v.GROUPS, where),
            self._date(start, "term_start", where),
            self._date(end, "term_end", where),
            self._optional_date(suspended_from, "suspended_from", where),
            self._optional_date(suspended_to, "suspended_to", where),
            where,
        )
        if len(self.errors.lines) == errors_before:  # dates compared only once each one is read
            self._check_term_dates(row)
        self.rows[formats.MEMBERS].append(row)

    def _check_term_dates(self, row: TermRow) -> None:
        where = row.where
        if row.term_start > row.term_end:
            self.errors.add(where, "term_end is before term_start")
        if row.suspended_to and not row.suspended_from:
            self.errors.add(where, "suspended_to is given without suspended_from")
        if row.suspended_from:
            if not row.term_start <= row.suspended_from <= row.term_end:
                self.errors.add(where, "suspended_from is outside the term")
            if row.suspended_to and not row.suspended_from <= row.suspended_to <= row.term_end:
                self.errors.add(where, "suspended_to is not between suspended_from and term_end")

    def _votes(self, cells: list[str], where: Where) -> None:
        text, date, country, vote = cells
        self.rows[formats.VOTES].append(
            VoteRow(
                self._required(text, "text", where),
                self._date(date, "date", where),
                self._country(country, "country", where),
                self._word(vote, "vote", _VOTES, v.VOTES, where),
                where.file,
                where.line,
            )
        )
