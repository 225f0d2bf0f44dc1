"""Appending a batch of events: contiguous indexes, each letter's chain intact, one checkpoint."""

import datetime
import json

import pytest
from django.db import transaction

from ledger import events
from record import health, log
from record.models import Entry

AT = datetime.datetime(2022, 6, 24, 9, tzinfo=datetime.UTC)


def signed(handle, org):
    public = {"version": 1, "version_hash": "ab" * 32, "late": False, "replaces": None}
    private = {"org": org, "signer": "bench", "signature": "c2lnbmF0dXJl"}
    return log.NewEvent(events.SIGNATURE_SIGNED, AT, public, private, handle)


def test_a_batch_of_interleaved_letters_gets_contiguous_indexes_and_intact_chains(db, capsys):
    with transaction.atomic():
        first = log.append_event(events.LETTER_CLOSED, AT, {}, None, handle="letter-a")
        batch = log.append_events([signed("letter-a", "pak"), signed("letter-b", "cub"), signed("letter-a", "cub")])

    assert [a.index for a in batch] == [first.index + 1, first.index + 2, first.index + 3]
    chain_a = [json.loads(bytes(e.data)) for e in Entry.objects.filter(handle="letter-a").order_by("index")]
    assert [e["seq"] for e in chain_a] == [0, 1, 2]
    assert chain_a[2]["prev"] == batch[0].leaf_hash.hex()
    assert log.integrate() == first.index + 4
    assert health.audit_handle("letter-a", print) == 0 and health.audit_handle("letter-b", print) == 0


@pytest.mark.django_db(transaction=True)
def test_appending_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        log.append_events([signed("letter-a", "pak")])
