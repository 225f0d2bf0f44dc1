"""Checks across rows: the files against each other and against what the register holds, and
the plan of what to add, update and replace."""

import datetime
import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter

from core import sql
from register import dbdates, formats
from register import vocabulary as v
from register.council import Council, holds_seat
from register.dbdates import from_db
from register.importer.rows import Errors, ParticipantRow, Summary, TermRow, TextRow, VoteRow, Where
from register.models import TEXT_FILE_FIELDS, MembershipTerm, Participant, Text, Vote
from register.names import english_name
from register.support import Event, replay

# What tells two participant rows of one text apart (ParticipantRow.key() but the text).
_key_within_text = attrgetter("country", "event", "date", "provenance", "source")

# SQLite allows 32,766 parameters per statement; chunks of this many keep every IN (...) under it.
IN_CHUNK = 900


# ---------------------------------------------------------------- what the register holds


@dataclass(slots=True)
class _StoredText:
    id: int
    fields: tuple


def _chunks(items: Sequence, size: int = IN_CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _stored_texts(identifiers: set[str]) -> dict[str, _StoredText]:
    stored = {}
    columns = ("id", *TEXT_FILE_FIELDS)
    for chunk in _chunks(sorted(identifiers)):
        for row in Text.objects.filter(identifier__in=chunk).values_list(*columns):
            pk, identifier, kind, forum, session, *rest = row
            stored[identifier] = _StoredText(pk, (kind, forum or "", session or "", *rest))
    return stored


def _stored_participants(text_ids: dict[int, str]) -> dict[str, list[tuple]]:
    """Each text's participant rows, as keys (text, country, event, date, provenance, source)."""
    rows: dict[str, list[tuple]] = defaultdict(list)
    # By hand: importing a file again reads back every participant of its texts, and Django's
    # per-value date converters were most of that time. Names from the models' _meta.
    fields = ["text", "country", "event", "date", "provenance", "source"]
    select = (
        f"SELECT {dbdates.columns(Participant, fields)} FROM {sql.table(Participant)} "  # noqa: S608
        f"WHERE {sql.column(Participant, 'text')} IN "
    )
    for chunk in _chunks(sorted(text_ids)):
        for text_id, country, event, day, provenance, source in sql.fetch_all(f"{select}({sql.in_list(chunk)})", chunk):
            name = text_ids[text_id]
            rows[name].append((name, country, event, from_db(day), provenance, source))
    return rows


def _stored_terms() -> list[TermRow]:
    columns = ("body", "country_id", "regional_group", "term_start", "term_end", "suspended_from", "suspended_to")
    return [TermRow(*row) for row in MembershipTerm.objects.values_list(*columns)]


def _stored_votes(text_ids: dict[int, str] | None) -> dict[tuple, dict[str, str]]:
    """Every stored vote, or those on the given texts: {(text, date): {country: ballot}}."""
    votes: dict[tuple, dict[str, str]] = defaultdict(dict)
    query = Vote.objects.values_list("text__identifier", "date", "country_id", "vote")
    parts = [query] if text_ids is None else [query.filter(text_id__in=c) for c in _chunks(sorted(text_ids))]
    for rows in parts:
        for identifier, date, country, ballot in rows:
            votes[(identifier, date)][country] = ballot
    return votes


# ---------------------------------------------------------------- checks across rows


def _state(iso3: str) -> str:
    return f"{english_name(iso3)} ({iso3})"


class Plan:
    """What the import would do, checked against the files and the register together."""

    def __init__(self, rows: dict[str, list], errors: Errors):
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
                first = seen[row.identifier].where
                self.errors.add(row.where, f'text "{row.identifier}" is given again (first at {first})')
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
        no_longer_drafts = {
            self.stored[row.identifier].id: row for row in self.changed_texts if row.kind not in v.DRAFTS
        }
        voted = Vote.objects.filter(text_id__in=list(no_longer_drafts)).values_list("text_id", flat=True).distinct()
        for text_id in voted if no_longer_drafts else ():
            row = no_longer_drafts[text_id]
            self.errors.add(
                row.where, f'"{row.identifier}" has recorded votes, so it stays a draft resolution or decision'
            )

    def _kind_of(self, identifier: str, file_texts: dict[str, TextRow]) -> str | None:
        if identifier in file_texts:
            return file_texts[identifier].kind
        stored = self.stored.get(identifier)
        return stored.fields[0] if stored else None

    # -- participants

    def _check_participants(self, file_texts: dict[str, TextRow]) -> None:
        stored_rows = _stored_participants({s.id: name for name, s in self.stored.items()})
        by_text = self._participants_by_text(file_texts)
        for identifier in set(by_text) | set(file_texts):
            self._check_text_support(
                identifier, by_text.get(identifier, []), stored_rows.get(identifier, []), file_texts.get(identifier)
            )
        self.summary.added[formats.PARTICIPANTS] = len(self.new_participants)

    def _participants_by_text(self, file_texts: dict[str, TextRow]) -> dict[str, list[ParticipantRow]]:
        """The files' participant rows by text. When a text is unknown or a row is given twice,
        the rows are gone through again one by one, to say so in the files' order."""
        by_text: dict[str, list[ParticipantRow]] = defaultdict(list)
        for row in self.rows[formats.PARTICIPANTS]:
            by_text[row.text].append(row)
        # Each text's rows compared among themselves: one dictionary of the half million rows'
        # keys took more than twice as long (bench/register.py).
        known = all(identifier in file_texts or identifier in self.stored for identifier in by_text)
        if known and all(len(set(map(_key_within_text, rows))) == len(rows) for rows in by_text.values()):
            return by_text
        return self._participants_by_text_refusing(file_texts)

    def _participants_by_text_refusing(self, file_texts: dict[str, TextRow]) -> dict[str, list[ParticipantRow]]:
        by_text: dict[str, list[ParticipantRow]] = defaultdict(list)
        seen: dict[tuple, ParticipantRow] = {}
        for row in self.rows[formats.PARTICIPANTS]:
            if row.text not in file_texts and row.text not in self.stored:
                self.errors.add(row.where, f'text "{row.text}" is neither in the texts file nor in the register')
                continue
            key = row.key()
            if key in seen:
                self.errors.add(row.where, f"repeats the participant of {seen[key].where}")
                continue
            seen[key] = row
            by_text[row.text].append(row)
        return by_text

    def _check_text_support(
        self, identifier: str, rows: list[ParticipantRow], stored: list[tuple], text_row: TextRow | None
    ) -> None:
        if stored:
            held = set(stored)
            new = [row for row in rows if row.key() not in held]
        else:
            new = rows
        self.new_participants.extend(new)
        if not new and text_row is None:
            return
        # The file's rows are replayed as they are (they have an event's fields and their where).
        events: list[Event | ParticipantRow] = [Event(country, event, date) for _, country, event, date, _, _ in stored]
        events.extend(new)
        live, refused = replay(events)
        for event in refused:
            self._refuse_withdrawal(identifier, event, new)
        count = text_row.reported_count if text_row else self.stored[identifier].fields[8]
        if count is not None and count < len(live):
            where = text_row.where if text_row else new[-1].where
            self.errors.add(
                where,
                f'the reported count of "{identifier}" is {count}, below the {len(live)} States '
                "listed as supporting it: a count cannot be below its list",
            )

    def _refuse_withdrawal(self, identifier: str, event: Event | ParticipantRow, new: list[ParticipantRow]) -> None:
        when = f" on {event.date}" if event.date else ""
        state = f"{english_name(event.country)} ({event.country})"
        if event.where is not None:
            self.errors.add(event.where, f'{state} withdrew from "{identifier}"{when} without supporting it before')
        else:
            self.errors.add(
                new[0].where,
                f"with these rows, the register's withdrawal of {state} from "
                f'"{identifier}"{when} would no longer follow a support',
            )

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
            for earlier, later in itertools.pairwise(country_terms):
                if later.term_start <= earlier.term_end:
                    blamed = later if later.where else earlier
                    other = earlier.where or "the register"
                    self.errors.add(
                        blamed.where or "",
                        f"the term of {english_name(later.country)} "
                        f"({later.country}) from {later.term_start} overlaps its term in {other}",
                    )

    def _check_seats(self, terms: list[TermRow]) -> None:
        # Seats fill only when a term starts, so checking each start date finds every excess.
        for day in sorted({term.term_start for term in terms}):
            holding: dict[str, list[TermRow]] = defaultdict(list)
            for term in terms:
                if holds_seat(term, day):
                    holding[term.regional_group].append(term)
            for group, seated in holding.items():
                seats = v.HRC_SEATS.get(group)
                from_files = [term for term in seated if term.where]
                if seats is not None and len(seated) > seats and from_files:
                    self.errors.add(
                        from_files[-1].where,
                        f"on {day} the Council would seat {len(seated)} {group}, more than its {seats} seats",
                    )

    # -- votes

    def _check_votes(self, file_texts: dict[str, TextRow], terms: dict[str, list[TermRow]]) -> None:
        grouped: dict[tuple, list[VoteRow]] = defaultdict(list)
        for row in self.rows[formats.VOTES]:
            kind = self._kind_of(row.text, file_texts)
            if kind is None:
                self.errors.add(row.where, f'text "{row.text}" is neither in the texts file nor in the register')
            elif kind not in v.DRAFTS:
                self.errors.add(
                    row.where, f'"{row.text}" is a {kind}: only draft resolutions and decisions are voted on'
                )
            elif row.date and row.country:
                grouped[(row.text, row.date)].append(row)
        if not grouped:
            return
        stored = _stored_votes({s.id: name for name, s in self.stored.items() if name in {t for t, _ in grouped}})
        council = Council(terms.get(v.HRC, []))
        for (identifier, day), rows in grouped.items():
            if self._check_one_vote(identifier, day, rows, council):
                self._plan_vote((identifier, day), rows, stored.get((identifier, day)))

    def _check_one_vote(self, identifier: str, day: datetime.date, rows: list[VoteRow], council: Council) -> bool:
        members = set(council.members_on(day))
        ok = True
        seen: dict[str, VoteRow] = {}
        for row in rows:
            if row.country in seen:
                state, first = _state(row.country), seen[row.country].where
                self.errors.add(row.where, f'{state} votes again on "{identifier}" of {day} (first at {first})')
                ok = False
            elif row.country not in members:
                state = _state(row.country)
                self.errors.add(row.where, f"{state} was not a member of the Council with a vote on {day}")
                ok = False
            seen.setdefault(row.country, row)
        missing = sorted(members - set(seen), key=english_name)
        if missing:
            named = ", ".join(f"{english_name(code)} ({code})" for code in missing)
            self.errors.add(
                rows[0].where,
                f'the vote on "{identifier}" of {day} lacks {len(missing)} of the {len(members)} members: {named}',
            )
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
        council = Council(terms.get(v.HRC, []))
        changed = self.new_terms + self.changed_terms
        for (identifier, day), ballots in _stored_votes(None).items():
            if (identifier, day) in self.votes_to_write:
                continue
            members = set(council.members_on(day))
            if members != set(ballots):
                differ = sorted(members ^ set(ballots))
                blamed = next((t for t in changed if t.country in differ), changed[0])
                named = ", ".join(f"{english_name(code)} ({code})" for code in differ)
                self.errors.add(
                    blamed.where,
                    f'with these terms, the register\'s vote on "{identifier}" of {day} '
                    f"would no longer list exactly the members: {named}",
                )
