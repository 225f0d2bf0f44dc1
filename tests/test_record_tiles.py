"""Proofs through the Tile table, with the per-process rows of tiles kept, are the reference
tree's proofs: from a cold cache or a warm one, as tiles grow, and with the cache evicting."""

import hashlib
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger import tiles
from record import log
from record.models import Tile
from tests.ledger.reference_tree import ReferenceTree

BIG = 66_000  # past 65,536: level-2 tiles
LEAVES = [hashlib.sha256(i.to_bytes(4, "big")).digest() for i in range(BIG)]
REFERENCE = ReferenceTree(LEAVES)


def store_tiles(changed):
    for (level, number), data in changed.items():
        Tile.objects.update_or_create(level=level, number=number, defaults={"data": data})


def grow(size, count):
    """Integrate the next leaves into the Tile table as record.log.integrate would."""
    result = tiles.integrate(log.DatabaseTiles(), size, LEAVES[size : size + count])
    store_tiles(result.tiles)
    assert result.root == REFERENCE.root(result.size)
    return result.size


def test_proofs_from_the_database_equal_the_reference_as_the_tree_grows(db, monkeypatch):
    monkeypatch.setattr(log.DatabaseTiles, "CACHE_TILES", 40)  # evict as well
    rng, size = random.Random(5), 0
    for count in [1, 2, 5, 120, 128, 256, 300, 2000, 4096, 9000, 17, 20_000, 31_000, BIG]:
        size = grow(size, min(count, BIG - size))
        for _ in range(15):  # the proofs read the grown right-edge tiles, not narrower kept ones
            index = rng.randrange(size)
            assert log.inclusion_proof(index, size) == REFERENCE.inclusion(index, size)
            old = rng.randrange(size + 1)
            assert log.consistency_proof(old, size) == REFERENCE.consistency(old, size)
        if size == BIG:
            break
    assert len(log.DatabaseTiles._rows) <= 40


def test_cold_and_warm_caches_give_the_same_proofs(db):
    size = grow(0, BIG)

    @settings(max_examples=150, deadline=None)
    @given(size=st.integers(1, size), data=st.data())
    def proofs_agree(size, data):
        index = data.draw(st.integers(0, size - 1))
        warm = log.inclusion_proof(index, size)
        log.DatabaseTiles._rows.clear()
        cold = log.inclusion_proof(index, size)
        assert warm == cold == REFERENCE.inclusion(index, size)
        assert tiles.tree_root(log.DatabaseTiles(), size) == REFERENCE.root(size)

    proofs_agree()


def test_a_proof_reads_no_tile_it_holds_wide_enough(db, django_assert_num_queries):
    size = grow(0, 1000)
    log.inclusion_proof(700, 999)  # reads the tiles as stored: wide enough for 1000 leaves too
    with django_assert_num_queries(0):
        assert log.inclusion_proof(701, 1000) == REFERENCE.inclusion(701, 1000)
    size = grow(size, 10)
    with django_assert_num_queries(1):  # the right edge grew past what is held
        assert log.inclusion_proof(701, size) == REFERENCE.inclusion(701, size)


def test_integration_still_reads_stored_tiles_as_bytes(db):
    size = grow(0, 700)
    stored = log.DatabaseTiles().read_tiles([(0, 0), (0, 2), (1, 0), (0, 9)])
    assert stored == {
        key: bytes(Tile.objects.get(level=key[0], number=key[1]).data) for key in [(0, 0), (0, 2), (1, 0)]
    }
    assert len(stored[(0, 2)]) == (size - 512) * 32


def test_a_tile_missing_from_the_table_is_reported(db):
    grow(0, 300)
    Tile.objects.filter(level=0, number=1).delete()
    log.DatabaseTiles._rows.clear()
    with pytest.raises(tiles.MissingTile):
        log.inclusion_proof(299, 300)
