"""Appending events to the log, integrating them into tiles, and reading proofs.

Sequencing happens inside the caller's transaction (append_event): an event gets the next
contiguous index under a lock on LogHead, so a state change and its event commit together or
not at all. Integration (integrate) runs after commit, in batches: it hashes every committed
entry not yet in the tree into tiles and signs a new checkpoint, atomically.
"""

import datetime
import json
import logging
import threading
import time
from collections import OrderedDict
from functools import lru_cache
from typing import NamedTuple

from django.conf import settings
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.utils import timezone

from core.secrets import instance_secret
from ledger import checkpoint as checkpoints
from ledger import commitment, events, head, merkle, note, tiles
from record.models import Checkpoint, Entry, LogHead, Opening, Tile, TreeState

logger = logging.getLogger(__name__)

INTEGRATION_BATCH = 20_000


class Appended(NamedTuple):  # a tuple: a batch makes one per event, cheaply
    index: int  # type: ignore[assignment]  # shadows tuple.index(), which no caller uses
    leaf_hash: bytes


def event_time(at: datetime.datetime) -> str:
    return at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@lru_cache(maxsize=1)
def log_signer() -> note.Signer:
    private = settings.LOG_SIGNING_KEY or instance_secret(
        settings.VAR_DIR, "log_signing_key", lambda: note.generate_signer_key(settings.LOG_ORIGIN)[0]
    )
    return note.Signer.from_private(private)


def vkey() -> str:
    return log_signer().vkey


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
        _locked_singleton(LogHead)
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


class DatabaseTiles:
    """ledger.tiles.TileRowReader over the Tile table: at most one query per call.

    A stored tile never changes except by growing (a partial tile is a prefix of its later
    forms, a full one is final), so each process keeps the rows (ledger.tiles.tile_rows) of the
    tiles it read most recently and asks the database only for tiles it lacks, or holds too
    narrow for the tree size asked about. Hashing a tile's rows was most of a proof's time.
    """

    _rows: "OrderedDict[tuple[int, int], tuple[bytes, ...]]" = OrderedDict()
    _cache_lock = threading.Lock()
    CACHE_TILES = 1024  # a full tile and its rows are 16 KiB: 16 MiB per process

    def read_tile_rows(self, widths: dict[tuple[int, int], int]) -> dict[tuple[int, int], tuple[bytes, ...]]:
        found, missing = {}, []
        with self._cache_lock:
            for key, width in widths.items():
                rows = self._rows.get(key)
                if rows is not None and len(rows[0]) >= width * merkle.HASH_SIZE:
                    self._rows.move_to_end(key)
                    found[key] = rows
                else:
                    missing.append(key)
        for key, data in self._query(missing).items():
            found[key] = self._remember(key, tiles.tile_rows(data))
        return found

    def read_tiles(self, keys):
        """Tiles as stored (integration reads the right edge this way): full ones from the
        kept rows when there, all others from the database."""
        found, missing = {}, []
        with self._cache_lock:
            for key in keys:
                rows = self._rows.get(key)
                if rows is not None and len(rows[0]) == tiles.FULL_TILE_BYTES:
                    found[key] = rows[0]
                else:
                    missing.append(key)
        found.update(self._query(missing))
        return found

    def _remember(self, key, rows: tuple[bytes, ...]) -> tuple[bytes, ...]:
        with self._cache_lock:
            kept = self._rows.get(key)
            if kept is None or len(kept[0]) < len(rows[0]):  # an older snapshot may read a narrower tile
                self._rows[key] = rows
            self._rows.move_to_end(key)
            while len(self._rows) > self.CACHE_TILES:
                self._rows.popitem(last=False)
        return rows

    @staticmethod
    def _query(keys) -> dict[tuple[int, int], bytes]:
        """The stored tiles of exact (level, number) keys: plain SQL on the unique index, as
        building the ORM query cost more than running it."""
        if not keys:
            return {}
        quote = connection.ops.quote_name
        level, number = quote(Tile._meta.get_field("level").column), quote(Tile._meta.get_field("number").column)
        data = quote(Tile._meta.get_field("data").column)
        where = " OR ".join([f"({level} = %s AND {number} = %s)"] * len(keys))
        with connection.cursor() as cursor:  # names from _meta, quoted; the keys are parameters
            cursor.execute(
                f"SELECT {level}, {number}, {data} FROM {quote(Tile._meta.db_table)} WHERE {where}",  # noqa: S608
                [part for key in keys for part in key],
            )
            return {(lv, n): bytes(tile) for lv, n, tile in cursor.fetchall()}


def integrate() -> int:
    """Hash committed entries into the tree and sign a checkpoint; return the new tree size.

    The tree state row is locked, and waited for: an integrator that is busy may already have
    read the entries before ours committed, so skipping it could leave our entry without a
    checkpoint until the next commit. In the server this runs in a background thread, so no
    request waits here.
    """
    while True:
        with transaction.atomic():
            state = _locked_singleton(TreeState)
            pending = list(
                Entry.objects.filter(index__gte=state.size)
                .order_by("index")
                .values_list("index", "leaf_hash")[:INTEGRATION_BATCH]
            )
            if not pending:
                return state.size
            _check_contiguous(state.size, pending)
            result = tiles.integrate(DatabaseTiles(), state.size, [bytes(h) for _, h in pending])
            _store_tiles(result.tiles)
            _store_checkpoint(result.size, result.root)
            TreeState.objects.filter(pk=1).update(size=result.size)
            transaction.on_commit(_submit_to_witnesses)


def _submit_to_witnesses() -> None:
    from record import witnesses  # it reads checkpoints and proofs from here

    witnesses.checkpoint_made()


def integrate_quietly() -> None:
    """Integration after a commit must never turn a committed change into an error response."""
    try:
        integrate()
    except Exception:
        logger.exception("integration failed; the next one will pick the entries up")


def integrate_after_commit() -> None:
    if settings.LOG_INTEGRATION == "inline":
        integrate_quietly()
    else:
        _background.wake_up()


class BackgroundIntegrator:
    """One thread per server process hashes committed entries into the tree.

    A request only wakes it and returns: the entry is already durable, and a checkpoint that
    covers it follows shortly. After each pass the thread rests LOG_INTEGRATION_INTERVAL
    seconds, so under load one integration (one write transaction, one signed checkpoint)
    serves every request committed meanwhile instead of competing with them for the database.

    The thread keeps its database connection while busy (opening one per pass cost more than
    the pass, on PostgreSQL) and gives it back after IDLE_SECONDS without a wake-up; then it
    also integrates once more, so entries left behind by a failed pass get their checkpoint
    without waiting for the next commit. After that idle pass it touches the database again
    only when woken.
    """

    IDLE_SECONDS = 5

    def __init__(self):
        self._wake = threading.Event()
        self._start_lock = threading.Lock()
        self._thread = None
        self._stopping = False

    def wake_up(self) -> None:
        with self._start_lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="log-integrator", daemon=True)
                self._thread.start()
        self._wake.set()

    def stop(self) -> None:
        """End the thread after its current pass, closing its connection (for tests)."""
        with self._start_lock:
            thread, self._thread = self._thread, None
            if thread is not None and thread.is_alive():
                self._stopping = True
                self._wake.set()
                thread.join(10)
            self._stopping = False

    def _run(self) -> None:
        busy = False  # passes ran since the last idle one
        while True:
            woken = self._wake.wait(self.IDLE_SECONDS)
            self._wake.clear()
            if self._stopping:
                connection.close()
                return
            if not woken and not busy:
                continue  # idle, and the idle pass is done: no database work at all
            try:
                integrate_quietly()
            finally:
                if woken:
                    close_old_connections()  # replace a broken connection before the next pass
                else:
                    connection.close()
            busy = woken
            if woken:
                time.sleep(settings.LOG_INTEGRATION_INTERVAL)


_background = BackgroundIntegrator()


def _locked_singleton(model):
    """Lock the model's one row (pk 1), creating it if a flushed database lost it."""
    row = model.objects.select_for_update().filter(pk=1).first()
    if row is not None:
        return row
    try:
        with transaction.atomic():
            model.objects.create(pk=1)
    except IntegrityError:
        pass  # another process created it first
    return model.objects.select_for_update().get(pk=1)


def _check_contiguous(start: int, pending) -> None:
    for offset, (index, _) in enumerate(pending):
        if index != start + offset:
            raise RuntimeError(f"log entries are not contiguous: expected index {start + offset}, found {index}")


def _store_tiles(changed: dict) -> None:
    Tile.objects.bulk_create(
        [Tile(level=level, number=number, data=data) for (level, number), data in changed.items()],
        update_conflicts=True,
        unique_fields=["level", "number"],
        update_fields=["data"],
    )


def _store_checkpoint(size: int, root: bytes) -> Checkpoint:
    text = checkpoints.format_checkpoint(settings.LOG_ORIGIN, size, root)
    return Checkpoint.objects.create(size=size, root=root, note=log_signer().sign_note(text))


def latest_checkpoint() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-size").first()


def signed_head(handle: str, size: int) -> str | None:
    """The log's signed head of a letter (ledger/head.py): its last event in the tree of
    ``size`` entries, signed with the checkpoint key; None if it has no event there."""
    last = Entry.objects.filter(handle=handle, index__lt=size).order_by("-index").values_list("index", "data").first()
    if last is None:
        return None
    index, data = last
    statement = head.Head(settings.LOG_ORIGIN, handle, size, index, json.loads(bytes(data))["seq"])
    return log_signer().sign_note(head.format_head(statement))


def inclusion_proof(index: int, size: int) -> list[bytes]:
    return tiles.inclusion_proof(DatabaseTiles(), index, size)


def consistency_proof(old: int, new: int) -> list[bytes]:
    return tiles.consistency_proof(DatabaseTiles(), old, new)
