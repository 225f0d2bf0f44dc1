"""The fast paths of appending a batch store exactly the rows the plain paths would:
COPY and executemany, chain positions looked up in chunks, openings as the committed bytes."""

import datetime
import hashlib
import json

import pytest
from django.db import connection, transaction
from django.utils import timezone

from ledger import commitment, events
from record import log
from record.models import Entry, Opening

AT = datetime.datetime(2022, 6, 24, 9, tzinfo=datetime.UTC)
NOW = datetime.datetime(2026, 11, 29, 23, 0, 0, 123456, tzinfo=datetime.UTC)
# Text that COPY's text format must escape, and that JSON keeps raw.
AWKWARD = "tab\there\nnew line \\ back\\slash \r é \u2028 \U0001f600 \\N"


def signed(handle, org, signer="bench"):
    public = {"version": 1, "version_hash": "ab" * 32, "late": False, "replaces": None}
    private = {"org": org, "signer": signer, "signature": "c2lnbmF0dXJl"}
    return log.NewEvent(events.SIGNATURE_SIGNED, AT, public, private, handle)


def batch():
    return [
        log.NewEvent(events.LETTER_CLOSED, AT, {}, None, "letter-a"),
        signed("letter-a", "pak", AWKWARD),
        signed("letter-b", "cub"),
        signed("letter-a", AWKWARD, "x"),
        log.NewEvent(
            events.ORG_REGISTERED, AT, {"org": "ngo", "name": AWKWARD, "kind": "ngo", "country": None, "key": "a2V5"}
        ),
    ]


def stored_rows(first):
    entries = [
        (e.index, bytes(e.data), bytes(e.leaf_hash), e.type, e.handle, e.created_at)
        for e in Entry.objects.filter(index__gte=first).order_by("index")
    ]
    openings = [
        (o.entry_id, bytes(o.salt), o.fields_json)
        for o in Opening.objects.filter(entry_id__gte=first).order_by("entry_id")
    ]
    return entries, openings


def append_and_read_back(monkeypatch, copy_min_rows):
    """Append the batch in a savepoint, read its rows, roll back (the indexes are handed back)."""
    monkeypatch.setattr(log, "COPY_MIN_ROWS", copy_min_rows)
    with transaction.atomic():
        appended = log.append_events(batch())
        rows = stored_rows(appended[0].index)
        transaction.set_rollback(True)
    return appended, rows


@pytest.fixture
def fixed_salts_and_clock(monkeypatch):
    monkeypatch.setattr(commitment, "new_salts", lambda n: [bytes([i % 256]) * 32 for i in range(1, n + 1)])
    monkeypatch.setattr(timezone, "now", lambda: NOW)


def test_copy_and_executemany_store_identical_rows(db, monkeypatch, fixed_salts_and_clock):
    # On SQLite both arms take executemany (COPY is PostgreSQL's), so there it checks only that
    # awkward text comes back intact; CI's PostgreSQL leg compares the two paths.
    with transaction.atomic():  # an earlier event of letter-a, so the batch chains onto the log
        log.append_event(events.LETTER_CLOSED, AT, {}, None, handle="letter-a")
    copied = append_and_read_back(monkeypatch, copy_min_rows=2)
    inserted = append_and_read_back(monkeypatch, copy_min_rows=10**9)
    assert copied == inserted
    entries, openings = inserted[1]
    assert len(entries) == 5 and len(openings) == 3
    assert AWKWARD in json.loads(openings[0][2])["signer"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_a_large_batch_goes_by_copy_on_postgresql(db, monkeypatch):
    statements = []
    real = log._copy
    monkeypatch.setattr(
        log, "_copy", lambda cursor, table, *args: statements.append(table) or real(cursor, table, *args)
    )
    with transaction.atomic():
        log.append_events(batch())
    assert len(statements) == 2
    assert log.integrate() == Entry.objects.count()


def test_an_opening_stores_exactly_the_bytes_its_commitment_is_over(db):
    with transaction.atomic():
        appended = log.append_events(batch())
    for opening in Opening.objects.filter(entry_id__gte=appended[0].index):
        event = json.loads(bytes(opening.entry.data))
        digest = hashlib.sha256(commitment.COMMITMENT_TAG + bytes(opening.salt) + opening.fields_json.encode())
        assert digest.hexdigest() == event["commitment"]
        assert commitment.commit(bytes(opening.salt), json.loads(opening.fields_json)) == event["commitment"]


def test_chain_positions_looked_up_in_chunks_continue_every_chain(db, monkeypatch):
    handles = [f"letter-{i}" for i in range(7)]
    with transaction.atomic():  # letters 0..3 have history of different lengths; 4..6 are new
        log.append_events([signed(h, "pak") for i, h in enumerate(handles[:4]) for _ in range(i + 1)])
    monkeypatch.setattr(log, "CHAIN_QUERY_HANDLES", 2)
    with transaction.atomic():
        log.append_events([signed(h, "cub") for h in reversed(handles)] + [signed(handles[0], "usa")])
    for handle in handles:
        chain = [(bytes(e.leaf_hash).hex(), json.loads(bytes(e.data))) for e in Entry.objects.filter(handle=handle)]
        assert [event["seq"] for _, event in chain] == list(range(len(chain)))
        assert [event["prev"] for _, event in chain] == [None] + [leaf for leaf, _ in chain[:-1]]
    assert log.integrate() == Entry.objects.count()


def test_chain_positions_of_a_handle_with_no_entries_start_at_zero(db):
    assert log._chain_positions({"nobody", "neither"}) == {"nobody": (0, None), "neither": (0, None)}
    assert log._chain_positions(set()) == {}


def test_one_event_of_a_transaction_is_inserted_without_copy(db, monkeypatch):
    monkeypatch.setattr(log, "_copy", lambda *args: pytest.fail("COPY for a single row"))
    with transaction.atomic():
        appended = log.append_event(events.LETTER_CLOSED, AT, {}, None, handle="letter-a")
    assert Entry.objects.get(index=appended.index).handle == "letter-a"
