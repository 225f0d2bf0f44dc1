"""`undersigned register import FILE...`: the four CSV formats into the register.

All the files are one import: every row is read and checked in memory first, against the files
and what the register already holds, and only when nothing is wrong is anything written, in one
transaction. So a bad file changes nothing, and each error names its `file:line` and what is
wrong. Rows the register already holds are left alone, so importing the same files again adds
nothing; a text or a membership term whose fields changed is updated, and a vote given again
with different ballots is replaced (it must still list every member exactly once).

The checks (docs/register.md): the header is exactly one of the four formats; dates are ISO
(YYYY-MM-DD); kinds, events, provenances, bodies, groups and votes are the contract's words;
countries are ISO3 codes or names (register.names); a participant, a vote's text exist; a
withdrawal follows a support by the same State; a reported count is at most the 195 States and
not below the States listed as supporting the text now; a membership term does not overlap
another of the same State nor overfill its group's seats; a vote is on a draft, and lists every
member on its date once and nobody else.
"""

import csv
import datetime
import io
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from core.text import first_invisible_character
from register import formats
from register import vocabulary as v
from register.models import Forum, MembershipTerm, Participant, Session, Text, Vote
from register.names import CountryNameError, english_name, resolve
from register.support import Event, replay

ERROR_LIMIT = 100
BATCH_SIZE = 2000
# SQLite allows 32,766 parameters per statement; chunks of this many keep every IN (...) under it.
IN_CHUNK = 900
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
LIMITS = {"text": 200, "forum": 100, "session": 50, "title": 500, "symbol": 100, "topic": 100, "source": 2000}


class ImportRefused(Exception):
    """The files were refused: nothing was imported. `errors` are lines "file:line: what"."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Where:
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


class _Errors:
    def __init__(self):
        self.lines: list[str] = []
        self.more = 0

    def add(self, where: Where | str, message: str) -> None:
        if len(self.lines) < ERROR_LIMIT:
            self.lines.append(f"{where}: {message}")
        else:
            self.more += 1

    def __bool__(self):
        return bool(self.lines)

    def refuse(self) -> ImportRefused:
        more = [f"... and {self.more} more errors"] if self.more else []
        return ImportRefused(self.lines + more + ["nothing was imported"])


# ---------------------------------------------------------------- rows as read


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
        return (self.kind, self.forum, self.session, self.date, self.title, self.lead, self.symbol, self.topic,
                self.reported_count, self.source)


@dataclass(slots=True)
class ParticipantRow:
    text: str
    country: str
    event: str
    date: datetime.date | None
    provenance: str
    source: str
    where: Where

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

    def holds_seat_on(self, day: datetime.date) -> bool:
        return self.term_start <= day <= self.term_end

    def votes_on(self, day: datetime.date) -> bool:
        """A member may vote on a day of its term when its rights are not suspended."""
        if not self.holds_seat_on(day):
            return False
        if self.suspended_from is None or day < self.suspended_from:
            return True
        return self.suspended_to is not None and day > self.suspended_to


@dataclass(slots=True)
class VoteRow:
    text: str
    date: datetime.date
    country: str
    vote: str
    where: Where


# ---------------------------------------------------------------- reading files


class _Reader:
    """Reads and checks the cells of each file, row by row, into the row classes above."""

    def __init__(self, errors: _Errors):
        self.errors = errors
        self.rows: dict[str, list] = {name: [] for name in formats.ORDER}
        self._dates: dict[str, datetime.date | None] = {}

    def read(self, path: Path, label: str) -> None:
        try:
            content = path.read_bytes()
        except OSError as exc:
            self.errors.add(label, f"cannot be read: {exc.strerror or exc}")
            return
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = content[:exc.start].count(b"\n") + 1
            self.errors.add(Where(label, line), "is not UTF-8 text")
            return
        self._read_rows(csv.reader(io.StringIO(text, newline="")), label)

    def _read_rows(self, reader, label: str) -> None:
        line = 1
        try:
            header = next(reader, None)
            if header is None:
                self.errors.add(Where(label, 1), "is empty: a register file starts with its header row")
                return
            kind = self._format(header, Where(label, 1))
            if kind is None:
                return
            width = len(formats.COLUMNS[kind])
            parse = getattr(self, f"_{kind}")
            line = reader.line_num + 1
            for cells in reader:
                where = Where(label, line)
                line = reader.line_num + 1
                if not cells or cells == [""]:
                    continue
                if len(cells) != width:
                    self.errors.add(where, f"has {len(cells)} fields; the {kind} header has {width}")
                    continue
                parse([cell.strip() for cell in cells], where)
        except csv.Error as exc:
            self.errors.add(Where(label, line), f"is not valid CSV: {exc}")

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

    def _plain(self, value: str, column: str, where: Where, required: bool = False) -> str:
        if required and not value:
            self.errors.add(where, f"{column} is empty")
        elif len(value) > LIMITS.get(column, 2000):
            self.errors.add(where, f"{column} is longer than {LIMITS.get(column, 2000)} characters")
        elif first_invisible_character(value):
            code = f"U+{ord(first_invisible_character(value)):04X}"
            self.errors.add(where, f"{column} contains the invisible character {code}")
        return value

    def _date(self, value: str, column: str, where: Where, required: bool = True) -> datetime.date | None:
        if not value:
            if required:
                self.errors.add(where, f"{column} is empty")
            return None
        if value not in self._dates:
            parsed = None
            if _ISO_DATE.fullmatch(value):
                try:
                    parsed = datetime.date.fromisoformat(value)
                except ValueError:
                    parsed = None
            self._dates[value] = parsed
        parsed = self._dates[value]
        if parsed is None:
            self.errors.add(where, f'{column} "{value}" is not a date written YYYY-MM-DD')
        return parsed

    def _word(self, value: str, column: str, allowed: Sequence[str], where: Where) -> str:
        if value not in allowed:
            self.errors.add(where, f'{column} "{value}" is not one of {", ".join(allowed)}')
        return value

    def _country(self, value: str, column: str, where: Where, required: bool = True) -> str | None:
        if not value:
            if required:
                self.errors.add(where, f"{column} is empty")
            return None
        try:
            return resolve(value)
        except CountryNameError as exc:
            self.errors.add(where, f"{column}: {exc.message}")
            return None

    def _count(self, value: str, where: Where) -> int | None:
        if not value:
            return None
        if not value.isascii() or not value.isdigit():
            self.errors.add(where, f'reported_count "{value}" is not a whole number')
            return None
        number = int(value)
        if number > v.STATE_COUNT:
            self.errors.add(where, f"reported_count {number} is more than the {v.STATE_COUNT} UN Member and "
                                   "observer States")
        return number

    # -- rows, one method per format

    def _texts(self, cells: list[str], where: Where) -> None:
        text, kind, forum, session, date, title, lead, symbol, topic, count, source = cells
        if session and not forum:
            self.errors.add(where, "session is given without a forum")
        self.rows[formats.TEXTS].append(TextRow(
            self._plain(text, "text", where, required=True), self._word(kind, "kind", v.KINDS, where),
            self._plain(forum, "forum", where), self._plain(session, "session", where),
            self._date(date, "date", where), self._plain(title, "title", where),
            self._country(lead, "lead", where, required=False), self._plain(symbol, "symbol", where),
            self._plain(topic, "topic", where), self._count(count, where), self._plain(source, "source", where),
            where,
        ))

    def _participants(self, cells: list[str], where: Where) -> None:
        text, country, event, date, provenance, source = cells
        provenance = self._word(provenance, "provenance", v.PROVENANCES, where)
        # A fact from elsewhere than this platform says where it comes from: the UN symbol,
        # the State's URL, the press report (docs/register.md).
        self._plain(source, "source", where, required=provenance != v.PROVENANCE_SIGNED)
        self.rows[formats.PARTICIPANTS].append(ParticipantRow(
            self._plain(text, "text", where, required=True), self._country(country, "country", where),
            self._word(event, "event", v.EVENTS, where), self._date(date, "date", where, required=False),
            provenance, source, where,
        ))

    def _members(self, cells: list[str], where: Where) -> None:
        body, country, group, start, end, suspended_from, suspended_to = cells
        row = TermRow(
            self._word(body, "body", v.BODIES, where), self._country(country, "country", where),
            self._word(group, "regional_group", v.GROUPS, where), self._date(start, "term_start", where),
            self._date(end, "term_end", where), self._date(suspended_from, "suspended_from", where, required=False),
            self._date(suspended_to, "suspended_to", where, required=False), where,
        )
        self._check_term_dates(row)
        self.rows[formats.MEMBERS].append(row)

    def _check_term_dates(self, row: TermRow) -> None:
        where = row.where
        if row.term_start and row.term_end and row.term_start > row.term_end:
            self.errors.add(where, "term_end is before term_start")
        if row.suspended_to and not row.suspended_from:
            self.errors.add(where, "suspended_to is given without suspended_from")
        if row.suspended_from and row.term_start and row.term_end:
            if not row.term_start <= row.suspended_from <= row.term_end:
                self.errors.add(where, "suspended_from is outside the term")
            if row.suspended_to and not row.suspended_from <= row.suspended_to <= row.term_end:
                self.errors.add(where, "suspended_to is not between suspended_from and term_end")

    def _votes(self, cells: list[str], where: Where) -> None:
        text, date, country, vote = cells
        self.rows[formats.VOTES].append(VoteRow(
            self._plain(text, "text", where, required=True), self._date(date, "date", where),
            self._country(country, "country", where), self._word(vote, "vote", v.VOTES, where), where,
        ))


# ---------------------------------------------------------------- what the register holds


@dataclass(slots=True)
class _StoredText:
    id: int
    fields: tuple


def _chunks(items: Sequence, size: int = IN_CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _stored_texts(identifiers: set[str]) -> dict[str, _StoredText]:
    stored = {}
    columns = ("id", "identifier", "kind", "forum__name", "session__name", "date", "title", "lead_id", "symbol",
               "topic", "reported_count", "source")
    for chunk in _chunks(sorted(identifiers)):
        for row in Text.objects.filter(identifier__in=chunk).values_list(*columns):
            pk, identifier, kind, forum, session, *rest = row
            stored[identifier] = _StoredText(pk, (kind, forum or "", session or "", *rest))
    return stored


def _stored_participants(text_ids: dict[int, str]) -> dict[str, list[tuple]]:
    """Each text's participant rows, as keys (text, country, event, date, provenance, source)."""
    rows: dict[str, list[tuple]] = defaultdict(list)
    columns = ("text_id", "country_id", "event", "date", "provenance", "source")
    for chunk in _chunks(sorted(text_ids)):
        for text_id, *rest in Participant.objects.filter(text_id__in=chunk).values_list(*columns):
            rows[text_ids[text_id]].append((text_ids[text_id], *rest))
    return rows


def _stored_terms() -> list[TermRow]:
    columns = ("body", "country_id", "regional_group", "term_start", "term_end", "suspended_from", "suspended_to")
    return [TermRow(*row) for row in MembershipTerm.objects.values_list(*columns)]


def _stored_votes(text_ids: dict[int, str]) -> dict[tuple, dict[str, str]]:
    """Every stored vote, or those on the given texts: {(text, date): {country: ballot}}."""
    votes: dict[tuple, dict[str, str]] = defaultdict(dict)
    query = Vote.objects.values_list("text__identifier", "date", "country_id", "vote")
    chunks = _chunks(sorted(text_ids)) if text_ids is not None else [None]
    for chunk in chunks:
        rows = query.filter(text_id__in=chunk) if chunk is not None else query
        for identifier, date, country, ballot in rows:
            votes[(identifier, date)][country] = ballot
    return votes


# ---------------------------------------------------------------- checks across rows


class _Plan:
    """What the import would do, checked against the files and the register together."""

    def __init__(self, rows: dict[str, list], errors: _Errors):
        self.rows = rows
        self.errors = errors
        self.summary = Summary()
        self.new_texts: list[TextRow] = []
        self.changed_texts: list[TextRow] = []
        self.new_participants: list[ParticipantRow] = []
        self.new_terms: list[TermRow] = []
        self.changed_terms: list[TermRow] = []
        self.votes_to_write: dict[tuple, list[VoteRow]] = {}
        self.votes_replacing: set[tuple] = set()

    def check(self) -> None:
        file_texts = self._unique_texts()
        referenced = set(file_texts)
        referenced.update(row.text for row in self.rows[formats.PARTICIPANTS])
        referenced.update(row.text for row in self.rows[formats.VOTES])
        self.stored = _stored_texts(referenced)
        self._plan_texts(file_texts)
        self._check_participants(file_texts)
        terms = self._plan_terms()
        self._check_votes(file_texts, terms)
        if self.new_terms or self.changed_terms:
            self._check_stored_votes_still_hold(terms)

    # -- texts

    def _unique_texts(self) -> dict[str, TextRow]:
        seen: dict[str, TextRow] = {}
        for row in self.rows[formats.TEXTS]:
            if row.identifier in seen:
                self.errors.add(row.where, f'text "{row.identifier}" is given again (first at {seen[row.identifier].where})')
            else:
                seen[row.identifier] = row
        return seen

    def _plan_texts(self, file_texts: dict[str, TextRow]) -> None:
        for identifier, row in file_texts.items():
            stored = self.stored.get(identifier)
            if stored is None:
                self.new_texts.append(row)
            elif stored.fields != row.fields():
                self.changed_texts.append(row)
        self.summary.added[formats.TEXTS] = len(self.new_texts)
        self.summary.updated[formats.TEXTS] = len(self.changed_texts)
        no_longer_drafts = {self.stored[row.identifier].id: row for row in self.changed_texts if row.kind not in v.DRAFTS}
        voted = Vote.objects.filter(text_id__in=list(no_longer_drafts)).values_list("text_id", flat=True).distinct()
        for text_id in voted if no_longer_drafts else ():
            row = no_longer_drafts[text_id]
            self.errors.add(row.where, f'"{row.identifier}" has recorded votes, so it stays a draft resolution '
                                       "or decision")

    def _kind_of(self, identifier: str, file_texts: dict[str, TextRow]) -> str | None:
        if identifier in file_texts:
            return file_texts[identifier].kind
        stored = self.stored.get(identifier)
        return stored.fields[0] if stored else None

    # -- participants

    def _check_participants(self, file_texts: dict[str, TextRow]) -> None:
        stored_rows = _stored_participants({s.id: name for name, s in self.stored.items()})
        by_text: dict[str, list[ParticipantRow]] = defaultdict(list)
        seen: dict[tuple, Where] = {}
        for row in self.rows[formats.PARTICIPANTS]:
            if row.text not in file_texts and row.text not in self.stored:
                self.errors.add(row.where, f'text "{row.text}" is neither in the texts file nor in the register')
                continue
            key = row.key()
            if key in seen:
                self.errors.add(row.where, f"repeats the participant of {seen[key]}")
                continue
            seen[key] = row.where
            by_text[row.text].append(row)
        for identifier in set(by_text) | set(file_texts):
            self._check_text_support(identifier, by_text.get(identifier, []), stored_rows.get(identifier, []),
                                     file_texts.get(identifier))
        self.summary.added[formats.PARTICIPANTS] = len(self.new_participants)

    def _check_text_support(self, identifier: str, rows: list[ParticipantRow], stored: list[tuple],
                            text_row: TextRow | None) -> None:
        held = set(stored)
        new = [row for row in rows if row.key() not in held]
        self.new_participants.extend(new)
        if not new and text_row is None:
            return
        events = [Event(country, event, date) for _, country, event, date, _, _ in stored]
        events += [Event(row.country, row.event, row.date, row.where) for row in new]
        live, refused = replay(events)
        for event in refused:
            self._refuse_withdrawal(identifier, event, new)
        count = text_row.reported_count if text_row else self.stored[identifier].fields[8]
        if count is not None and count < len(live):
            where = text_row.where if text_row else new[-1].where
            self.errors.add(where, f'the reported count of "{identifier}" is {count}, below the {len(live)} States '
                                   "listed as supporting it: a count cannot be below its list")

    def _refuse_withdrawal(self, identifier: str, event: Event, new: list[ParticipantRow]) -> None:
        when = f" on {event.date}" if event.date else ""
        state = f"{english_name(event.country)} ({event.country})"
        if event.where is not None:
            self.errors.add(event.where, f'{state} withdrew from "{identifier}"{when} without supporting it before')
        else:
            self.errors.add(new[0].where, f'with these rows, the register\'s withdrawal of {state} from '
                                          f'"{identifier}"{when} would no longer follow a support')

    # -- membership terms

    def _plan_terms(self) -> dict[str, list[TermRow]]:
        """Every term the register would hold afterwards, by body."""
        merged = {term.key(): term for term in _stored_terms()}
        stored_fields = {key: term.fields() for key, term in merged.items()}
        seen: dict[tuple, Where] = {}
        for row in self.rows[formats.MEMBERS]:
            key = row.key()
            if key in seen:
                self.errors.add(row.where, f"repeats the term of {seen[key]}")
                continue
            seen[key] = row.where
            if key not in stored_fields:
                self.new_terms.append(row)
            elif stored_fields[key] != row.fields():
                self.changed_terms.append(row)
            merged[key] = row
        self.summary.added[formats.MEMBERS] = len(self.new_terms)
        self.summary.updated[formats.MEMBERS] = len(self.changed_terms)
        by_body: dict[str, list[TermRow]] = defaultdict(list)
        for term in merged.values():
            if term.term_start and term.term_end:
                by_body[term.body].append(term)
        for terms in by_body.values():
            self._check_overlaps(terms)
            self._check_seats(terms)
        return by_body

    def _check_overlaps(self, terms: list[TermRow]) -> None:
        by_country: dict[str, list[TermRow]] = defaultdict(list)
        for term in terms:
            by_country[term.country].append(term)
        for country_terms in by_country.values():
            country_terms.sort(key=lambda term: term.term_start)
            for earlier, later in zip(country_terms, country_terms[1:]):
                if later.term_start <= earlier.term_end:
                    blamed = later if later.where else earlier
                    other = earlier.where or "the register"
                    self.errors.add(blamed.where or "", f"the term of {english_name(later.country)} "
                                    f"({later.country}) from {later.term_start} overlaps its term in {other}")

    def _check_seats(self, terms: list[TermRow]) -> None:
        # Seats fill only when a term starts, so checking each start date finds every excess.
        for day in sorted({term.term_start for term in terms}):
            holding: dict[str, list[TermRow]] = defaultdict(list)
            for term in terms:
                if term.holds_seat_on(day):
                    holding[term.regional_group].append(term)
            for group, seated in holding.items():
                seats = v.HRC_SEATS.get(group)
                from_files = [term for term in seated if term.where]
                if seats is not None and len(seated) > seats and from_files:
                    self.errors.add(from_files[-1].where, f"on {day} the Council would seat {len(seated)} "
                                                          f"{group}, more than its {seats} seats")

    # -- votes

    def _check_votes(self, file_texts: dict[str, TextRow], terms: dict[str, list[TermRow]]) -> None:
        grouped: dict[tuple, list[VoteRow]] = defaultdict(list)
        for row in self.rows[formats.VOTES]:
            kind = self._kind_of(row.text, file_texts)
            if kind is None:
                self.errors.add(row.where, f'text "{row.text}" is neither in the texts file nor in the register')
            elif kind not in v.DRAFTS:
                self.errors.add(row.where, f'"{row.text}" is a {kind}: only draft resolutions and decisions are voted on')
            elif row.date and row.country:
                grouped[(row.text, row.date)].append(row)
        if not grouped:
            return
        stored = _stored_votes({s.id: name for name, s in self.stored.items() if name in {t for t, _ in grouped}})
        council = terms.get(v.HRC, [])
        for (identifier, day), rows in grouped.items():
            if self._check_one_vote(identifier, day, rows, council):
                self._plan_vote((identifier, day), rows, stored.get((identifier, day)))

    def _check_one_vote(self, identifier: str, day: datetime.date, rows: list[VoteRow],
                        council: list[TermRow]) -> bool:
        members = {term.country for term in council if term.votes_on(day)}
        ok = True
        seen: dict[str, Where] = {}
        for row in rows:
            state = f"{english_name(row.country)} ({row.country})"
            if row.country in seen:
                self.errors.add(row.where, f"{state} votes again on \"{identifier}\" of {day} (first at {seen[row.country]})")
                ok = False
            elif row.country not in members:
                self.errors.add(row.where, f"{state} was not a member of the Council with a vote on {day}")
                ok = False
            seen.setdefault(row.country, row.where)
        missing = sorted(members - set(seen), key=english_name)
        if missing:
            named = ", ".join(f"{english_name(code)} ({code})" for code in missing)
            self.errors.add(rows[0].where, f'the vote on "{identifier}" of {day} lacks {len(missing)} of the '
                                           f"{len(members)} members: {named}")
            ok = False
        return ok

    def _plan_vote(self, key: tuple, rows: list[VoteRow], stored: dict[str, str] | None) -> None:
        ballots = {row.country: row.vote for row in rows}
        if stored == ballots:
            return
        self.votes_to_write[key] = rows
        if stored is None:
            self.summary.added[formats.VOTES] += len(rows)
            return
        self.votes_replacing.add(key)
        changed = sum(1 for country in set(ballots) | set(stored) if ballots.get(country) != stored.get(country))
        self.summary.updated[formats.VOTES] += changed

    def _check_stored_votes_still_hold(self, terms: dict[str, list[TermRow]]) -> None:
        """New or changed terms must not leave a stored vote with a non-member or a missing member."""
        council = terms.get(v.HRC, [])
        changed = self.new_terms + self.changed_terms
        for (identifier, day), ballots in _stored_votes(None).items():
            if (identifier, day) in self.votes_to_write:
                continue
            members = {term.country for term in council if term.votes_on(day)}
            if members != set(ballots):
                differ = sorted(members ^ set(ballots))
                blamed = next((t for t in changed if t.country in differ), changed[0])
                named = ", ".join(f"{english_name(code)} ({code})" for code in differ)
                self.errors.add(blamed.where, f'with these terms, the register\'s vote on "{identifier}" of {day} '
                                              f"would no longer list exactly the members: {named}")


# ---------------------------------------------------------------- writing


class _Writer:
    def __init__(self, plan: _Plan):
        self.plan = plan
        self.forums: dict[str, Forum] = {}
        self.sessions: dict[tuple[str, str], Session] = {}

    def write(self) -> None:
        self._write_texts()
        ids = {name: stored.id for name, stored in self.plan.stored.items()}
        ids.update({text.identifier: text.id for text in self._created})
        self._write_participants(ids)
        self._write_terms()
        self._write_votes(ids)

    def _forum(self, name: str) -> Forum | None:
        if not name:
            return None
        if name not in self.forums:
            self.forums[name] = Forum.objects.get_or_create(name=name)[0]
        return self.forums[name]

    def _session(self, forum: str, name: str) -> Session | None:
        if not forum or not name:
            return None
        if (forum, name) not in self.sessions:
            self.sessions[(forum, name)] = Session.objects.get_or_create(forum=self._forum(forum), name=name)[0]
        return self.sessions[(forum, name)]

    def _text_fields(self, row: TextRow) -> dict:
        return {"kind": row.kind, "forum": self._forum(row.forum), "session": self._session(row.forum, row.session),
                "date": row.date, "title": row.title, "lead_id": row.lead, "symbol": row.symbol, "topic": row.topic,
                "reported_count": row.reported_count, "source": row.source}

    def _write_texts(self) -> None:
        self._created = Text.objects.bulk_create(
            [Text(identifier=row.identifier, **self._text_fields(row)) for row in self.plan.new_texts],
            batch_size=BATCH_SIZE,
        )
        if any(text.pk is None for text in self._created):  # a database that does not return new keys
            self._created = list(Text.objects.filter(identifier__in=[t.identifier for t in self._created]))
        for row in self.plan.changed_texts:
            Text.objects.filter(identifier=row.identifier).update(**self._text_fields(row))

    def _write_participants(self, ids: dict[str, int]) -> None:
        Participant.objects.bulk_create(
            (Participant(text_id=ids[row.text], country_id=row.country, event=row.event, date=row.date,
                         provenance=row.provenance, source=row.source) for row in self.plan.new_participants),
            batch_size=BATCH_SIZE,
        )

    def _write_terms(self) -> None:
        MembershipTerm.objects.bulk_create([MembershipTerm(**self._term_fields(row)) for row in self.plan.new_terms])
        for row in self.plan.changed_terms:
            MembershipTerm.objects.filter(body=row.body, country_id=row.country, term_start=row.term_start).update(
                **self._term_fields(row))

    @staticmethod
    def _term_fields(row: TermRow) -> dict:
        return {"body": row.body, "country_id": row.country, "regional_group": row.regional_group,
                "term_start": row.term_start, "term_end": row.term_end, "suspended_from": row.suspended_from,
                "suspended_to": row.suspended_to}

    def _write_votes(self, ids: dict[str, int]) -> None:
        for identifier, day in self.plan.votes_replacing:
            Vote.objects.filter(text_id=ids[identifier], date=day).delete()
        Vote.objects.bulk_create(
            (Vote(text_id=ids[row.text], date=row.date, country_id=row.country, vote=row.vote)
             for rows in self.plan.votes_to_write.values() for row in rows),
            batch_size=BATCH_SIZE,
        )


# ---------------------------------------------------------------- the entry point


def import_files(paths: Sequence[Path | str]) -> Summary:
    """Import the files as one: all of them or nothing (ImportRefused lists every error found,
    up to a hundred, each as "file:line: what")."""
    errors = _Errors()
    reader = _Reader(errors)
    for path in paths:
        reader.read(Path(path), str(path))
    if errors:
        raise errors.refuse()
    with transaction.atomic():
        # Read what the register holds inside the transaction that writes, so no other import
        # can slip in between the checks and the writes.
        plan = _Plan(reader.rows, errors)
        plan.check()
        if errors:
            raise errors.refuse()
        _Writer(plan).write()
    return plan.summary
