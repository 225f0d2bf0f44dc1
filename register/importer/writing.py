"""Writing the plan, once every check has passed, inside the import's transaction.

Texts, participants and votes go in by plain INSERTs of many rows each (COPY on PostgreSQL) rather
than bulk_create: building a model instance per row made bulk_create six times slower on half a
million rows (bench/register.py), as record.log found for log entries. Table and column names come from the
models' _meta (core.sql).
"""

import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import chain

from django.db import connection

from core import sql
from register.importer.checks import IN_CHUNK, Plan
from register.importer.rows import TermRow, TextRow
from register.models import Forum, MembershipTerm, Participant, Session, Text, Vote

TEXT_COLUMNS = [
    "identifier",
    "kind",
    "forum",
    "session",
    "date",
    "title",
    "lead",
    "symbol",
    "topic",
    "reported_count",
    "source",
]
PARTICIPANT_COLUMNS = ["text", "country", "event", "date", "provenance", "source"]
VOTE_COLUMNS = ["text", "date", "country", "vote"]


# Rows per INSERT statement on SQLite: one statement of many rows, rather than an executemany of
# one row each, halved the time of writing half a million participants (bench/register.py): the
# per-row cost was the statement's reset and the driver's work for each call, not the insert.
ROWS_PER_INSERT = 200


def insert_rows(model, fields: list[str], rows: list[tuple]) -> None:
    if not rows:
        return
    if connection.vendor == "postgresql":
        _copy_rows(model, fields, rows)
        return
    most_parameters = connection.features.max_query_params or ROWS_PER_INSERT * len(fields)
    per_statement = max(1, min(ROWS_PER_INSERT, most_parameters // len(fields)))
    watched = _statements_watched()
    one_row = "(" + ", ".join(["%s" if watched else "?"] * len(fields)) + ")"
    # Names from the models' _meta; values only as parameters.
    head = f"INSERT INTO {sql.table(model)} ({sql.columns(model, fields)}) VALUES "  # noqa: S608
    full = head + ", ".join([one_row] * per_statement)
    with _sqlite_statements(watched) as execute:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            statement = full if len(chunk) == per_statement else head + ", ".join([one_row] * len(chunk))
            execute(statement, list(chain.from_iterable(chunk)))


def _statements_watched() -> bool:
    """Whether Django records this connection's statements (DEBUG, a test counting them) or
    something wraps its cursor: then the rows go through Django's cursor, to be seen there."""
    return connection.queries_logged or bool(connection.execute_wrappers)


@contextmanager
def _sqlite_statements(watched: bool) -> Iterator[Callable[[str, list], object]]:
    """Django's cursor when watched; else sqlite3's own, on the same connection and so in the same
    transaction, with its errors turned into Django's as they would be. Django's cursor rewrites
    each statement's %s placeholders into sqlite3's ? by a regular expression, which with a
    million parameters was half the time of inserting the participants (bench/register.py)."""
    if watched:
        with connection.cursor() as cursor:
            yield cursor.execute
        return
    connection.ensure_connection()
    cursor = connection.connection.cursor()
    try:
        with connection.wrap_database_errors:
            yield cursor.execute
    finally:
        cursor.close()


def _copy_rows(model, fields: list[str], rows: list[tuple]) -> None:
    """PostgreSQL gets the rows by COPY: psycopg sends an executemany as one INSERT per row, which
    made an import of half a million rows seven times slower than on SQLite (bench/register.py).
    COPY checks the same constraints, in the same transaction; it goes through psycopg's own
    cursor, since Django's wrapper has none (so it is not in Django's query log)."""
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {sql.table(model)} ({sql.columns(model, fields)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


# SQLite's page cache while an import writes: the (country, text) index of half a million
# participants is written in no order, and with SQLite's default 2 MiB cache its pages were read
# and evicted over and over (a quarter of the insert time in bench/register.py).
IMPORT_CACHE_KIB = 128 * 1024


@contextmanager
def large_page_cache() -> Iterator[None]:
    if connection.vendor != "sqlite":
        yield
        return
    previous = sql.fetch_one("PRAGMA cache_size")
    sql.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        sql.execute(f"PRAGMA cache_size = {int(previous[0]) if previous else -2000}")


# From this many new rows on, and when they are at least as many as the table holds, SQLite
# gets them into a table without its secondary indexes, which are then built again in one
# sorted pass each: half the time of updating them row by row (bench/register.py).
REBUILD_INDEXES_FROM = 50_000


@contextmanager
def indexes_rebuilt_after(model, adding: int) -> Iterator[None]:
    """Drop the table's own indexes for the inserts and create them again after, in the same
    transaction (SQLite's schema changes are transactional: an import that fails leaves the
    indexes as they were). Unique indexes are rebuilt too, so they still check every row."""
    if connection.vendor != "sqlite" or adding < REBUILD_INDEXES_FROM:
        yield
        return
    table = model._meta.db_table
    if adding < model._default_manager.count():
        yield
        return
    # The definitions as SQLite stored them; automatic indexes (no SQL) cannot be dropped.
    indexes = sql.fetch_all(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL", [table]
    )
    for name, _ in indexes:
        sql.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield
    for _, definition in indexes:
        sql.execute(definition)


class Writer:
    def __init__(self, plan: Plan):
        self.plan = plan
        self.forums: dict[str, Forum] = {}
        self.sessions: dict[tuple[str, str], Session] = {}
        self._dates: dict[datetime.date | None, object] = {None: None}

    def write(self) -> None:
        with large_page_cache():
            self._write_texts()
            ids = {name: stored.id for name, stored in self.plan.stored.items()}
            ids.update(self._ids_of([row.identifier for row in self.plan.new_texts]))
            self._write_participants(ids)
            self._write_terms()
            self._write_votes(ids)

    def _date(self, value: datetime.date | None):
        """The database's form of a date (text on SQLite), adapted once per distinct date."""
        try:
            return self._dates[value]
        except KeyError:
            adapted = self._dates[value] = connection.ops.adapt_datefield_value(value)
            return adapted

    # -- texts

    def _forum_id(self, name: str) -> int | None:
        if not name:
            return None
        if name not in self.forums:
            self.forums[name] = Forum.objects.get_or_create(name=name)[0]
        return self.forums[name].id

    def _session_id(self, forum: str, name: str) -> int | None:
        if not forum or not name:
            return None
        if (forum, name) not in self.sessions:
            self.sessions[(forum, name)] = Session.objects.get_or_create(forum_id=self._forum_id(forum), name=name)[0]
        return self.sessions[(forum, name)].id

    def _text_values(self, row: TextRow) -> tuple:
        return (
            row.kind,
            self._forum_id(row.forum),
            self._session_id(row.forum, row.session),
            self._date(row.date),
            row.title,
            row.lead,
            row.symbol,
            row.topic,
            row.reported_count,
            row.source,
        )

    def _write_texts(self) -> None:
        insert_rows(Text, TEXT_COLUMNS, [(row.identifier, *self._text_values(row)) for row in self.plan.new_texts])
        for row in self.plan.changed_texts:
            kind, forum, session, _, title, lead, symbol, topic, count, source = self._text_values(row)
            Text.objects.filter(identifier=row.identifier).update(
                kind=kind,
                forum_id=forum,
                session_id=session,
                date=row.date,
                title=title,
                lead_id=lead,
                symbol=symbol,
                topic=topic,
                reported_count=count,
                source=source,
            )

    @staticmethod
    def _ids_of(identifiers: list[str]) -> dict[str, int]:
        ids: dict[str, int] = {}
        for start in range(0, len(identifiers), IN_CHUNK):
            chunk = identifiers[start : start + IN_CHUNK]
            ids.update(Text.objects.filter(identifier__in=chunk).values_list("identifier", "id"))
        return ids

    # -- the rest

    def _dates_of(self, rows: list) -> dict:
        """The database's form of each row's date, from _date(), as a mapping read inline."""
        for day in {row.date for row in rows}:
            self._date(day)
        return self._dates

    def _write_participants(self, ids: dict[str, int]) -> None:
        new = self.plan.new_participants
        date = self._dates_of(new)
        rows = [(ids[row.text], row.country, row.event, date[row.date], row.provenance, row.source) for row in new]
        with indexes_rebuilt_after(Participant, len(rows)):
            insert_rows(Participant, PARTICIPANT_COLUMNS, rows)

    def _write_terms(self) -> None:
        MembershipTerm.objects.bulk_create([MembershipTerm(**self._term_fields(row)) for row in self.plan.new_terms])
        for row in self.plan.changed_terms:
            MembershipTerm.objects.filter(body=row.body, country_id=row.country, term_start=row.term_start).update(
                **self._term_fields(row)
            )

    @staticmethod
    def _term_fields(row: TermRow) -> dict:
        return {
            "body": row.body,
            "country_id": row.country,
            "regional_group": row.regional_group,
            "term_start": row.term_start,
            "term_end": row.term_end,
            "suspended_from": row.suspended_from,
            "suspended_to": row.suspended_to,
        }

    def _write_votes(self, ids: dict[str, int]) -> None:
        for identifier, day in self.plan.votes_replacing:
            Vote.objects.filter(text_id=ids[identifier], date=day).delete()
        new = [row for rows in self.plan.votes_to_write.values() for row in rows]
        date = self._dates_of(new)
        votes = [(ids[row.text], date[row.date], row.country, row.vote) for row in new]
        with indexes_rebuilt_after(Vote, len(votes)):
            insert_rows(Vote, VOTE_COLUMNS, votes)
