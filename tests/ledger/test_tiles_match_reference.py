"""Roots and proofs read from tlog tiles equal the RFC 9162 reference, across tile
boundaries and however the leaves were batched into the log."""

import hashlib
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.merkle import verify_consistency, verify_inclusion
from ledger.tiles import MemoryTileStore, MissingTile, consistency_proof, inclusion_proof, integrate, tree_root

from reference_tree import ReferenceTree

BIG = 70_000  # past 65,536: the tree reaches level-2 tiles


def synthetic_leaves(count: int) -> list[bytes]:
    # Cheap distinct 32-byte leaf hashes; the tile code never looks inside them.
    return [hashlib.sha256(i.to_bytes(4, "big")).digest() for i in range(count)]


def build(leaves: list[bytes], batch_sizes) -> tuple[MemoryTileStore, dict[int, bytes]]:
    """Integrate in the given batches; returns the store and the root after each batch."""
    store, size, roots = MemoryTileStore(), 0, {}
    for batch in batch_sizes:
        if size >= len(leaves):
            break
        integration = integrate(store, size, leaves[size : size + batch])
        store.write_tiles(integration.tiles)
        size = integration.size
        roots[size] = integration.root
    return store, roots


def random_batches(seed: int):
    rng = random.Random(seed)
    while True:
        yield rng.choice([1, 2, 7, 255, 256, 257, 1000, 4096, 9000])


LEAVES = synthetic_leaves(BIG)
REFERENCE = ReferenceTree(LEAVES)
STORE, ROOTS = build(LEAVES, random_batches(1))
sizes = st.integers(min_value=1, max_value=BIG)


def test_every_root_returned_by_integration_equals_the_reference():
    assert max(ROOTS) == BIG
    for size, root in ROOTS.items():
        assert root == REFERENCE.root(size), size


@settings(max_examples=60, deadline=None)
@given(size=sizes, data=st.data())
def test_tree_root_and_inclusion_proofs_equal_the_reference_and_verify(size, data):
    index = data.draw(st.integers(min_value=0, max_value=size - 1))
    root = tree_root(STORE, size)
    proof = inclusion_proof(STORE, index, size)
    assert root == REFERENCE.root(size)
    assert proof == REFERENCE.inclusion(index, size)
    verify_inclusion(LEAVES[index], index, size, proof, root)


@settings(max_examples=60, deadline=None)
@given(new=sizes, data=st.data())
def test_consistency_proofs_equal_the_reference_and_verify(new, data):
    old = data.draw(st.integers(min_value=0, max_value=new))
    proof = consistency_proof(STORE, old, new)
    assert proof == REFERENCE.consistency(old, new)
    verify_consistency(old, new, REFERENCE.root(old), REFERENCE.root(new), proof)


@settings(max_examples=30, deadline=None)
@given(batches=st.lists(st.integers(min_value=1, max_value=700), min_size=1, max_size=12))
def test_any_batching_gives_the_same_tiles(batches):
    store, roots = build(LEAVES, batches)
    size = max(roots)
    assert roots[size] == REFERENCE.root(size)
    for key, data in store.tiles.items():
        assert STORE.tiles[key].startswith(data), key


@pytest.mark.parametrize("index, size", [(0, 1), (300, 65_537), (BIG - 1, BIG)])
def test_a_proof_costs_one_read_of_few_tiles(index, size):
    counting = CountingReader(STORE)
    inclusion_proof(counting, index, size)
    consistency_proof(counting, size // 3 or 1, size)
    assert counting.calls <= 2
    assert counting.largest <= 2 * 3  # at most two tiles per level, three levels


def test_integration_reads_only_the_right_edge():
    counting = CountingReader(STORE)
    integrate(counting, 66_000, LEAVES[66_000:66_010])
    assert counting.keys[0] == [(0, 66_000 // 256), (1, 66_000 // 65_536), (2, 0)]


def test_a_missing_tile_is_reported_not_guessed():
    with pytest.raises(MissingTile):
        inclusion_proof(MemoryTileStore(), 3, 10)


class CountingReader:
    def __init__(self, store):
        self.store, self.calls, self.largest, self.keys = store, 0, 0, []

    def read_tiles(self, keys):
        self.calls += 1
        self.largest = max(self.largest, len(keys))
        self.keys.append(keys)
        return self.store.read_tiles(keys)
