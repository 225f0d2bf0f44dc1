"""The log as the rest of the server uses it: appending events here, and (from the modules of
record/ that hold them) integration, the log's key and what it signs, and proofs.

Sequencing happens inside the caller's transaction (append_event): an event gets the next
contiguous index under a lock on LogHead, so a state change and its event commit together or
not at all. Integration (record/integration.py) runs after commit, in batches: it hashes every
committed entry not yet in the tree into tiles (record/tile_store.py) and signs a new checkpoint
(record/signing.py), atomically.
"""

import datetime
import json
from typing import NamedTuple

from django.db import connection, transaction
from django.utils import timezone

from ledger import commitment, events, merkle
from record.integration import integrate, integrate_after_commit, integrate_quietly
from record.models import Entry, LogHead, Opening
from record.signing import latest_checkpoint, log_signer, signed_head, vkey
from record.singleton_rows import locked_singleton
from record.tile_store import DatabaseTiles, consistency_proof, inclusion_proof

# What the rest of the server uses of the log, whichever module of record/ holds it.
__all__ = [
    "Appended",
    "DatabaseTiles",
    "NewEvent",
    "append_event",
    "append_events",
    "consistency_proof",
    "event_time",
    "inclusion_proof",
    "integrate",
    "integrate_quietly",
    "latest_checkpoint",
    "log_signer",
    "signed_head",
    "vkey",
]


class Appended(NamedTuple):  # a tuple: a batch makes one per event, cheaply
    index: int  # type: ignore[assignment]  # shadows tuple.index(), which no caller uses
    leaf_hash: bytes


def event_time(at: datetime.datetime) -> str:
    return at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class NewEvent(NamedTuple):  # a tuple: a batch makes one per event, cheaply
    type: str
    at: datetime.datetime
    public: dict
    private: dict | None = None
    handle: str = ""


def append_event(
    type_: str, at: datetime.datetime, public: dict, private: dict | None = None, handle: str = ""
) -> Appended:
    """Record one event; must run inside the transaction of the change it records."""
    return append_events([NewEvent(type_, at, public, private, handle)])[0]


def append_events(new_events: list[NewEvent]) -> list[Appended]:
    """Record events in order, inside the caller's transaction: one lock and two multi-row
    inserts for all of them, so loading history or a batch costs little more than one event."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("events must be appended inside the state change's transaction")
    built = _build_entries(new_events)
    first = _reserve_indexes(len(built))
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    entry_rows, opening_rows = [], []
    for index, (new, event, leaf) in enumerate(built, first):
        entry_rows.append((index, event.entry, leaf, new.type, new.handle, now))
        if event.salt is not None and event.private_json is not None:  # both, or neither
            # The exact bytes the commitment is over, as text no round trip can change.
            opening_rows.append((index, event.salt, event.private_json.decode("utf-8")))
    # Plain executemany (or COPY) rather than bulk_create: building a model instance per row
    # was most of the cost of a large batch, and these rows are written once and never read back here.
    _insert(Entry, ["index", "data", "leaf_hash", "type", "handle", "created_at"], entry_rows)
    _insert(Opening, ["entry_id", "salt", "fields_json"], opening_rows)
    transaction.on_commit(integrate_after_commit)
    return [Appended(index, leaf) for index, (_, _, leaf) in enumerate(built, first)]


def _insert(model, columns: list[str], rows: list[tuple]) -> None:
    if not rows:
        return
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(c) for c in columns]
    table, names = quote(model._meta.db_table), ", ".join(quote(field.column) for field in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(rows) >= COPY_MIN_ROWS:
            _copy(cursor, table, names, fields, rows)
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders})", rows)  # noqa: S608 - names from _meta


# From this many rows on, PostgreSQL gets them by COPY: psycopg sends an executemany as one
# INSERT per row (pipelined), and parsing and executing each was most of a large batch's time.
COPY_MIN_ROWS = 2


def _copy(cursor, table: str, names: str, fields: list, rows: list[tuple]) -> None:
    """Rows in by COPY FROM STDIN in binary format (bytes need no hex escaping either way),
    on psycopg's own cursor: Django's wrapper has no copy, so the statement is not in Django's
    query log. COPY checks the same constraints as INSERT, in the same transaction."""
    # Binary COPY needs each column's type: Django's, without a length ("varchar(32)").
    types = [field.db_type(connection).split("(")[0] for field in fields]
    with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN (FORMAT BINARY)") as copy:
        copy.set_types(types)
        for row in rows:
            copy.write_row(row)


def _build_entries(new_events: list[NewEvent]) -> list[tuple[NewEvent, events.BuiltEvent, bytes]]:
    """Canonical entries, each letter event chained to the one before it (in the log or the batch)."""
    chains = _chain_positions({new.handle for new in new_events if new.handle})
    salts = commitment.new_salts(len(new_events))  # one system call; events without private fields ignore theirs
    times: dict[datetime.datetime, str] = {}  # a batch's events mostly share one time
    built = []
    for new, salt in zip(new_events, salts, strict=True):
        seq = prev = None
        if new.handle:
            seq, prev = chains[new.handle]
        time_ = times.get(new.at)
        if time_ is None:
            time_ = times[new.at] = event_time(new.at)
        event = events.build_event(new.type, time_, new.public, new.private, new.handle or None, seq, prev, salt)
        leaf = merkle.leaf_hash(event.entry)
        if seq is not None:  # a letter's event, chained
            chains[new.handle] = (seq + 1, leaf.hex())
        built.append((new, event, leaf))
    return built


def _reserve_indexes(count: int) -> int:
    """Reserve `count` consecutive indexes and return the first: one UPDATE that also locks the
    head row until commit, so indexes are handed out in commit order with no gaps (a rollback
    gives them back)."""
    table = connection.ops.quote_name(LogHead._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET size = size + %s WHERE id = 1 RETURNING size", [count])  # noqa: S608 - _meta
        row = cursor.fetchone()
    if row is None:  # a flushed database lost the row the migration made
        locked_singleton(LogHead)
        return _reserve_indexes(count)
    return row[0] - count


def _chain_positions(handles: set[str]) -> dict[str, tuple[int, str | None]]:
    """{handle: (next seq, leaf hash of its last event)} for every handle.

    One query per CHAIN_QUERY_HANDLES handles, each handle's last event found by a backward
    step on the (handle, index) index. A GROUP BY handle with MAX(index) reads every entry of
    those handles instead, which grew with the log and was most of a large batch's time."""
    positions: dict[str, tuple[int, str | None]] = dict.fromkeys(handles, (0, None))
    ordered = sorted(handles)
    for start in range(0, len(ordered), CHAIN_QUERY_HANDLES):
        chunk = ordered[start : start + CHAIN_QUERY_HANDLES]
        with connection.cursor() as cursor:
            cursor.execute(_last_entries_sql(len(chunk)), chunk)
            for data, leaf, handle in cursor.fetchall():
                positions[handle] = (json.loads(bytes(data))["seq"] + 1, bytes(leaf).hex())
    return positions


# Few enough bound parameters for any SQLite build (its oldest limit is 999).
CHAIN_QUERY_HANDLES = 500


def _last_entries_sql(count: int) -> str:
    """The last entry of each of ``count`` handles (a handle without entries gives no row).
    A VALUES list names its column ``column1`` in both SQLite and PostgreSQL."""
    quote = connection.ops.quote_name
    table = quote(Entry._meta.db_table)
    index, handle = quote(Entry._meta.get_field("index").column), quote(Entry._meta.get_field("handle").column)
    values = ", ".join(["(%s)"] * count)
    # Names from the model's _meta, quoted; the handles are parameters
    last = f"SELECT i.{index} FROM {table} i WHERE i.{handle} = h.column1 ORDER BY i.{index} DESC LIMIT 1"  # noqa: S608
    return (
        f"SELECT e.data, e.leaf_hash, e.{handle} FROM {table} e "  # noqa: S608
        f"WHERE e.{index} IN (SELECT ({last}) FROM (VALUES {values}) h)"
    )
