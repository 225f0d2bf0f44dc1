"""Small trees computed by hand from the RFC 9162 definitions."""

import hashlib

import pytest

from ledger.errors import ConsistencyError, InclusionError
from ledger.merkle import leaf_hash, node_hash, root_from_leaves, verify_consistency, verify_inclusion

from reference_tree import ReferenceTree


def H(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


LEAVES = [H(b"\x00" + str(i).encode()) for i in range(8)]


def N(left, right):
    return H(b"\x01" + left + right)


def test_the_empty_tree_root_is_the_hash_of_the_empty_string():
    assert root_from_leaves([]) == H(b"")
    assert H(b"").hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def test_leaf_and_node_hashes_use_the_domain_prefixes():
    assert leaf_hash(b"0") == H(b"\x000") == LEAVES[0]
    assert node_hash(LEAVES[0], LEAVES[1]) == N(LEAVES[0], LEAVES[1])


def test_roots_of_sizes_one_to_eight_follow_the_largest_power_of_two_split():
    d = LEAVES  # RFC 9162's D[n]
    n01, n23, n45, n67 = N(d[0], d[1]), N(d[2], d[3]), N(d[4], d[5]), N(d[6], d[7])
    n0123, n4567 = N(n01, n23), N(n45, n67)
    by_hand = {
        1: d[0],
        2: n01,
        3: N(n01, d[2]),
        4: n0123,
        5: N(n0123, d[4]),
        6: N(n0123, n45),
        7: N(n0123, N(n45, d[6])),
        8: N(n0123, n4567),
    }
    for size, root in by_hand.items():
        assert root_from_leaves(d[:size]) == root, size


def test_a_known_inclusion_proof_of_leaf_six_in_seven_verifies():
    d = LEAVES  # RFC 9162's D[n]
    root = root_from_leaves(d[:7])
    proof = [N(d[4], d[5]), N(N(d[0], d[1]), N(d[2], d[3]))]
    verify_inclusion(d[6], 6, 7, proof, root)


def test_every_small_inclusion_proof_from_the_reference_verifies():
    for size in range(1, 9):
        tree = ReferenceTree(LEAVES[:size])
        for index in range(size):
            verify_inclusion(LEAVES[index], index, size, tree.inclusion(index, size), tree.root(size))


def test_every_small_consistency_proof_from_the_reference_verifies():
    tree = ReferenceTree(LEAVES)
    for new in range(1, 9):
        for old in range(0, new + 1):
            verify_consistency(old, new, tree.root(old), tree.root(new), tree.consistency(old, new))


def test_an_inclusion_failure_names_the_expected_and_computed_root():
    tree = ReferenceTree(LEAVES)
    wrong = H(b"wrong")
    with pytest.raises(InclusionError, match=f"expected root {wrong.hex()}, computed {tree.root(8).hex()}"):
        verify_inclusion(LEAVES[3], 3, 8, tree.inclusion(3, 8), wrong)


@pytest.mark.parametrize("index, size", [(8, 8), (-1, 8), (0, 0)])
def test_an_index_outside_the_tree_is_rejected(index, size):
    with pytest.raises(InclusionError, match="outside"):
        verify_inclusion(LEAVES[0], index, size, [], LEAVES[0])


def test_inclusion_proofs_of_the_wrong_length_are_rejected():
    tree = ReferenceTree(LEAVES)
    proof = tree.inclusion(2, 5)
    with pytest.raises(InclusionError, match="too short"):
        verify_inclusion(LEAVES[2], 2, 5, proof[:-1], tree.root(5))
    with pytest.raises(InclusionError, match="too long"):
        verify_inclusion(LEAVES[2], 2, 5, [*proof, LEAVES[0]], tree.root(5))
    with pytest.raises(InclusionError, match="32 bytes"):
        verify_inclusion(LEAVES[2], 2, 5, [b"short", *proof[1:]], tree.root(5))


def test_consistency_with_a_different_old_root_names_both_roots():
    tree = ReferenceTree(LEAVES)
    with pytest.raises(ConsistencyError, match=f"old root of size 3: expected {LEAVES[0].hex()}"):
        verify_consistency(3, 7, LEAVES[0], tree.root(7), tree.consistency(3, 7))


def test_consistency_edge_cases_demand_empty_proofs_and_sane_sizes():
    tree = ReferenceTree(LEAVES)
    with pytest.raises(ConsistencyError, match="must be empty"):
        verify_consistency(4, 4, tree.root(4), tree.root(4), [LEAVES[0]])
    with pytest.raises(ConsistencyError, match="between"):
        verify_consistency(5, 4, tree.root(5), tree.root(4), [])
    with pytest.raises(ConsistencyError, match="empty consistency proof"):
        verify_consistency(3, 4, tree.root(3), tree.root(4), [])
    with pytest.raises(ConsistencyError, match="too long"):
        verify_consistency(3, 4, tree.root(3), tree.root(4), tree.consistency(3, 4) + [LEAVES[0]] * 3)
