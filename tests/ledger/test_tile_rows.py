"""A reader that keeps the hashed rows of its tiles gives the very proofs of the reference
tree, whatever it kept from smaller trees before."""

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.merkle import node_hash, root_from_leaves
from ledger.tiles import (
    FULL_TILE_BYTES,
    MemoryTileStore,
    MissingTile,
    consistency_proof,
    inclusion_proof,
    integrate,
    tile_rows,
    tree_root,
)

from reference_tree import ReferenceTree

BIG = 70_000  # past 65,536: level-2 tiles
LEAVES = [hashlib.sha256(i.to_bytes(4, "big")).digest() for i in range(BIG)]
REFERENCE = ReferenceTree(LEAVES)


class KeepingReader:
    """Keeps the rows of every tile it read, as record.log.DatabaseTiles does, and reads a tile
    again only when what it kept is narrower than asked for."""

    def __init__(self, store):
        self.store, self.kept, self.reads = store, {}, 0

    def read_tiles(self, keys):
        return self.store.read_tiles(keys)

    def read_tile_rows(self, widths):
        missing = [key for key, width in widths.items() if key not in self.kept or len(self.kept[key][0]) < width * 32]
        if missing:
            self.reads += 1
            for key, data in self.store.read_tiles(missing).items():
                self.kept[key] = tile_rows(data)
        return {key: self.kept[key] for key in widths if key in self.kept}


def grown(batches):
    """Integrate LEAVES in the given batches; yields the store after each."""
    store, size = MemoryTileStore(), 0
    for batch in batches:
        result = integrate(store, size, LEAVES[size : size + batch])
        store.write_tiles(result.tiles)
        size = result.size
        yield store, size


@pytest.mark.parametrize("width", [1, 2, 3, 7, 128, 200, 255, 256])
def test_tile_rows_are_the_hashes_of_every_complete_subtree(width):
    hashes = LEAVES[:width]
    rows = tile_rows(b"".join(hashes))
    assert rows[0] == b"".join(hashes) and len(rows) == min(width.bit_length(), 8)
    for height, row in enumerate(rows):
        size = 1 << height
        expected = [root_from_leaves(hashes[i : i + size]) for i in range(0, width - size + 1, size)]
        assert row == b"".join(expected), height


def test_rows_stop_at_the_height_asked_for_and_below_the_tile_root():
    data = b"".join(LEAVES[:256])
    assert len(tile_rows(data)) == 8  # the tile's root is row 0 of the next tile level
    assert tile_rows(data, 0) == (data,) and len(tile_rows(data, 3)) == 4
    assert tile_rows(data, 1)[1][:32] == node_hash(LEAVES[0], LEAVES[1])


@settings(max_examples=40, deadline=None)
@given(batches=st.lists(st.integers(min_value=1, max_value=9000), min_size=1, max_size=20), data=st.data())
def test_a_keeping_reader_gives_reference_proofs_as_the_tree_grows(batches, data):
    reader = None
    for store, size in grown(batches):
        reader = reader or KeepingReader(store)
        reader.store = store  # the same tiles, grown: what it kept is a prefix of them
        for _ in range(3):
            index = data.draw(st.integers(min_value=0, max_value=size - 1))
            assert inclusion_proof(reader, index, size) == REFERENCE.inclusion(index, size)
        old = data.draw(st.integers(min_value=0, max_value=size))
        assert consistency_proof(reader, old, size) == REFERENCE.consistency(old, size)
        assert tree_root(reader, size) == REFERENCE.root(size)
        if size >= BIG:
            break


def test_a_kept_full_tile_is_not_read_again():
    store, size = next(iter(grown([BIG])))
    reader = KeepingReader(store)
    inclusion_proof(reader, 5, size)
    reads = reader.reads
    assert inclusion_proof(reader, 6, size) == REFERENCE.inclusion(6, size)
    assert reader.reads == reads
    assert all(len(rows[0]) <= FULL_TILE_BYTES for rows in reader.kept.values())


def test_a_missing_tile_is_reported_by_a_keeping_reader_too():
    with pytest.raises(MissingTile):
        inclusion_proof(KeepingReader(MemoryTileStore()), 3, 10)
