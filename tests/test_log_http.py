"""The log over HTTP: tlog-tiles files with cache headers, and JSON proofs anyone can check."""

import base64

from django.test import Client

from ledger import checkpoint, merkle, note, tiles
from record import log
from record.models import Entry
from tests.conftest import sign


def latest(client):
    text = client.get("/log/checkpoint").content.decode()
    return checkpoint.parse_checkpoint(note.open_note(text, note.Verifier.from_vkey(log.vkey())))


def test_the_checkpoint_is_a_signed_note_that_verifies_with_the_published_key(orgs):
    log.integrate()
    response = Client().get("/log/checkpoint")

    assert response.status_code == 200
    assert "max-age" in response["Cache-Control"]
    assert latest(Client()).size == Entry.objects.count()


def test_entry_bundles_and_hash_tiles_rebuild_the_checkpoint_root(orgs):
    log.integrate()
    client = Client()
    size = latest(client).size

    bundle = client.get("/log/" + tiles.entries_path(0, size))
    entries = tiles.parse_entry_bundle(bundle.content)
    tile = client.get("/log/" + tiles.tile_path(0, 0, size))

    assert bundle["Cache-Control"] == "public, max-age=31536000, immutable"
    assert [merkle.leaf_hash(e) for e in entries] == [tile.content[i : i + 32] for i in range(0, size * 32, 32)]
    assert merkle.root_from_leaves([merkle.leaf_hash(e) for e in entries]) == latest(client).root


def test_a_tile_beyond_the_tree_or_a_malformed_path_is_not_found(orgs):
    log.integrate()
    client = Client()

    assert client.get("/log/tile/0/001").status_code == 404
    assert client.get("/log/tile/0/000.p/255").status_code == 404
    assert client.get("/log/tile/0/../etc/passwd").status_code == 404
    assert client.get("/log/tile/entries/x000/000").status_code == 404


def test_inclusion_proofs_from_the_api_verify_against_the_checkpoint(signer, circulating, anonymous):
    sign(signer, circulating)
    log.integrate()
    head = latest(Client())
    entry = Entry.objects.filter(handle=circulating["handle"]).last()

    proof = anonymous.get("/log/proof/inclusion", index=entry.index, size=head.size).json()

    merkle.verify_inclusion(
        bytes(entry.leaf_hash), entry.index, head.size, [base64.b64decode(h) for h in proof["proof"]], head.root
    )


def test_consistency_proofs_from_the_api_verify_between_two_checkpoints(orgs, signer, circulating, anonymous):
    log.integrate()
    old = latest(Client())
    sign(signer, circulating)
    log.integrate()
    new = latest(Client())

    proof = anonymous.get("/log/proof/consistency", old=old.size, new=new.size).json()

    merkle.verify_consistency(old.size, new.size, old.root, new.root, [base64.b64decode(h) for h in proof["proof"]])


def test_proof_requests_beyond_the_tree_get_a_clear_error(orgs, anonymous):
    log.integrate()
    size = latest(Client()).size

    assert anonymous.get("/log/proof/inclusion", index=size, size=size).status_code == 422
    assert anonymous.get("/log/proof/inclusion", index=0, size=size + 1).status_code == 422
    assert anonymous.get("/log/proof/consistency", old=size + 1).status_code == 422
    assert anonymous.get("/log/proof/inclusion", index="x").status_code == 422


def test_proofs_stay_right_when_full_tiles_come_from_the_cache(orgs, signer, circulating, anonymous):
    from ledger.encoding import b64decode
    from orgs.actions import add_organisation

    for i in range(300):  # more than one full tile of entries
        add_organisation(f"n{i}", f"N{i}", "ngo")
    log.integrate()
    head = latest(Client())
    first = Entry.objects.get(index=3)

    proofs = [anonymous.get("/log/proof/inclusion", index=3, size=head.size).json()["proof"] for _ in range(2)]

    assert proofs[0] == proofs[1]
    merkle.verify_inclusion(bytes(first.leaf_hash), 3, head.size, [b64decode(h) for h in proofs[1]], head.root)
    assert log.DatabaseTiles._rows  # the second proof read the full tile from the cache
