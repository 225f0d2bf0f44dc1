"""A proof asked for after the log has grown is right even though the server kept, from an
earlier proof, a narrower form of the partial tile the new proof reads: the kept rows serve only
requests they are wide enough for, and every proof verifies against the signed checkpoint and
equals the reference tree's."""

import base64
import datetime

import pytest
from django.db import transaction
from django.test import Client

from ledger import checkpoint, events, merkle, note
from record import log
from record.models import Entry
from tests.ledger.reference_tree import ReferenceTree

AT = datetime.datetime(2022, 6, 24, 9, tzinfo=datetime.UTC)


def grow_to(size):
    """Append events until the log has ``size`` entries, and integrate them under a checkpoint."""
    count = size - Entry.objects.count()
    closed = [log.NewEvent(events.LETTER_CLOSED, AT, {}, None, f"letter-{i}") for i in range(count)]
    with transaction.atomic():
        log.append_events(closed)
    assert log.integrate() == size
    return signed_checkpoint()


def signed_checkpoint():
    text = Client().get("/log/checkpoint").content.decode()
    return checkpoint.parse_checkpoint(note.open_note(text, note.Verifier.from_vkey(log.vkey())))


def reference():
    leaves = Entry.objects.order_by("index").values_list("leaf_hash", flat=True)
    return ReferenceTree([bytes(h) for h in leaves])


def inclusion(anonymous, index, size):
    response = anonymous.get("/log/proof/inclusion", index=index, size=size)
    assert response.status_code == 200, response.content
    return [base64.b64decode(h) for h in response.json()["proof"]]


def consistency(anonymous, old, new):
    response = anonymous.get("/log/proof/consistency", old=old, new=new)
    assert response.status_code == 200, response.content
    return [base64.b64decode(h) for h in response.json()["proof"]]


# (size when the narrow tile is kept, size after growing): the partial tile of level 0, and the
# partial tile of level 1 (its one hash kept at 300 entries, two needed at 600).
GROWTHS = [(5, 9), (300, 600)]


@pytest.mark.parametrize("old_size,new_size", GROWTHS, ids=["level-0 tile", "level-1 tile"])
def test_an_inclusion_proof_after_growth_verifies_against_the_new_checkpoint(db, anonymous, old_size, new_size):
    old = grow_to(old_size)
    inclusion(anonymous, old_size - 2, old.size)  # keeps the partial tiles as they are at old_size
    assert log.DatabaseTiles._rows

    new = grow_to(new_size)
    tree = reference()

    for index in [0, old_size - 2, old_size, new_size - 2]:
        proof = inclusion(anonymous, index, new.size)
        merkle.verify_inclusion(tree.leaves[index], index, new.size, proof, new.root)
        assert proof == tree.inclusion(index, new.size)


@pytest.mark.parametrize("old_size,new_size", GROWTHS, ids=["level-0 tile", "level-1 tile"])
def test_a_consistency_proof_after_growth_verifies_between_the_two_checkpoints(db, anonymous, old_size, new_size):
    old = grow_to(old_size)
    consistency(anonymous, 1, old.size)  # keeps the partial tiles as they are at old_size

    new = grow_to(new_size)

    proof = consistency(anonymous, old.size, new.size)
    merkle.verify_consistency(old.size, new.size, old.root, new.root, proof)
    assert proof == reference().consistency(old.size, new.size)
    assert new.root == reference().root(new.size)


def test_the_proof_functions_of_the_log_read_past_a_narrow_kept_tile(db):
    grow_to(5)
    log.inclusion_proof(3, 5)
    new = grow_to(9)

    proof = log.inclusion_proof(3, 9)

    merkle.verify_inclusion(reference().leaves[3], 3, 9, proof, new.root)
