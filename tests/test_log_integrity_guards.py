"""The integrator hashes only a contiguous run of entries into the tree: when an entry the
tree has not taken yet is missing (deleted, or its row renumbered), integration stops with
an error naming the gap, and no tile or checkpoint is written over it."""

import datetime

import pytest
from django.db import transaction

from ledger import events
from record import log
from record.models import Checkpoint, Entry, Tile, TreeState

AT = datetime.datetime(2022, 6, 24, 9, tzinfo=datetime.UTC)


def append(count):
    """Append events with no private fields (no opening holds on to their rows): the first index."""
    closed = [log.NewEvent(events.LETTER_CLOSED, AT, {}, None, f"letter-{i}") for i in range(count)]
    with transaction.atomic():
        return log.append_events(closed)[0].index


def stored_log():
    return (
        TreeState.objects.get(pk=1).size,
        list(Checkpoint.objects.values_list("size", "root")),
        list(Tile.objects.order_by("level", "number").values_list("level", "number", "data")),
    )


@pytest.fixture
def integrated(db):
    """A log of three entries, all in the tree under a signed checkpoint."""
    append(3)
    assert log.integrate() == 3
    return 3


@pytest.mark.parametrize("missing", [0, 1], ids=["the first pending entry", "a middle one"])
def test_integration_over_a_deleted_entry_is_refused_and_writes_nothing(integrated, missing):
    first = append(3)
    Entry.objects.filter(index=first + missing).delete()
    before = stored_log()

    with pytest.raises(
        RuntimeError, match=f"not contiguous: expected index {first + missing}, found {first + missing + 1}"
    ):
        log.integrate()

    assert stored_log() == before
    assert log.latest_checkpoint().size == integrated


def test_integration_over_a_renumbered_entry_is_refused_and_writes_nothing(integrated):
    first = append(3)
    Entry.objects.filter(index=first + 2).update(index=first + 3)
    before = stored_log()

    with pytest.raises(RuntimeError, match=f"expected index {first + 2}, found {first + 3}"):
        log.integrate()

    assert stored_log() == before


def test_the_integrator_after_a_commit_logs_the_gap_and_does_not_fail_the_request(integrated, caplog):
    first = append(2)
    Entry.objects.filter(index=first).delete()

    log.integrate_quietly()

    assert "not contiguous" in caplog.text
    assert log.latest_checkpoint().size == integrated


def test_once_the_gap_is_filled_integration_resumes_from_the_tree_it_had(integrated):
    first = append(2)
    kept = Entry.objects.get(index=first)
    Entry.objects.filter(index=first).delete()
    with pytest.raises(RuntimeError):
        log.integrate()

    Entry.objects.create(index=kept.index, data=kept.data, leaf_hash=kept.leaf_hash, type=kept.type, handle=kept.handle)

    assert log.integrate() == first + 2
