"""RFC 9162 Merkle tree hashing and proof verification over SHA-256."""

import hashlib
from collections.abc import Sequence

from .errors import ConsistencyError, InclusionError

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(entry: bytes) -> bytes:
    """RFC 9162 §2.1.1: ``H(0x00 ‖ entry)``."""
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """RFC 9162 §2.1.1: ``H(0x01 ‖ left ‖ right)``."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def largest_power_of_two_below(n: int) -> int:
    """RFC 9162 §2.1.1: the split point k, the largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def root_from_leaves(leaf_hashes: list[bytes]) -> bytes:
    """RFC 9162 §2.1.1 MTH over already-hashed leaves; the slow reference used by tests."""
    if not leaf_hashes:
        return EMPTY_ROOT
    if len(leaf_hashes) == 1:
        return leaf_hashes[0]
    k = largest_power_of_two_below(len(leaf_hashes))
    return node_hash(root_from_leaves(leaf_hashes[:k]), root_from_leaves(leaf_hashes[k:]))


def _check_hashes(proof: Sequence[object], error: type[Exception]) -> None:
    for position, item in enumerate(proof):
        if not isinstance(item, bytes) or len(item) != HASH_SIZE:
            raise error(f"proof hash {position} is not {HASH_SIZE} bytes")


def _skip_levels_without_sibling(fn: int, sn: int) -> tuple[int, int]:
    # RFC 9162 §2.1.3.2 / §2.1.4.2: fn == sn on an even index is the last node of its level
    # with no right sibling; it is promoted unchanged until it becomes a right child.
    while not fn & 1 and fn != 0:
        fn >>= 1
        sn >>= 1
    return fn, sn


def verify_inclusion(leaf: bytes, index: int, size: int, proof: list[bytes], root: bytes) -> None:
    """RFC 9162 §2.1.3.2: raise InclusionError unless ``proof`` puts ``leaf`` at ``index``
    in the tree of ``size`` leaves whose root is ``root``."""
    InclusionChecker(size, root).verify(leaf, index, proof)


class InclusionChecker:
    """RFC 9162 §2.1.3.2 inclusion proofs against one tree, for checking many of them.

    The check is a loop whose state is (fn, sn, r) and the rest of the proof. Proofs of
    neighbouring leaves share their upper part, so once a state and proof remainder have been
    followed to the root, a later proof that reaches the same state with the same remainder
    would compute exactly the same hashes; it stops there instead of recomputing them.
    A right leaf checked just after its left sibling does not even hash (see _sibling_of_last).
    """

    def __init__(self, size: int, root: bytes):
        self.size, self.root = size, root
        self._reached_root: dict[tuple[int, int, bytes], list[bytes]] = {}
        self._last: tuple[int, bytes, list[bytes]] | None = None  # the last (index, leaf, proof) that passed

    def verify(self, leaf: bytes, index: int, proof: list[bytes]) -> None:
        """Raise InclusionError unless ``proof`` puts ``leaf`` at ``index`` in this tree."""
        if self._sibling_of_last(leaf, index, proof):
            return
        self._walk(leaf, index, proof)
        self._last = (index, leaf, proof)

    def _sibling_of_last(self, leaf: bytes, index: int, proof: list[bytes]) -> bool:
        """True when ``leaf`` is the right sibling of the leaf that last passed, each proof's
        first hash is the other leaf, and the rest of the proofs are equal. The first step of
        RFC 9162 §2.1.3.2 then hashes the same two leaves in the same order for both (an odd
        index is always a right child), reaching the same state with the same remainder, so
        this proof passes as that one did. Anything else is checked in full."""
        last = self._last
        if last is None or index & 1 == 0 or last[0] != index - 1 or index >= self.size:
            return False
        first = proof[0] if proof else None
        return (
            type(first) is bytes
            and len(first) == HASH_SIZE
            and first == last[1]
            and last[2][0] == leaf
            and proof[1:] == last[2][1:]
        )

    def _walk(self, leaf: bytes, index: int, proof: list[bytes]) -> None:
        size, root, reached = self.size, self.root, self._reached_root
        if not 0 <= index < size:
            raise InclusionError(f"index {index} is outside a tree of size {size}")
        fn, sn, r = index, size - 1, leaf
        followed = []  # the states after the leaf's own, in order: position 1, 2, ...
        sha256 = hashlib.sha256  # node_hash inlined: this loop runs a dozen times per entry
        for position, p in enumerate(proof):
            # The leaf's own state is not looked up (or kept): only a second check of the same
            # index could find it, and a bundle names each index once.
            if position:
                state = (fn, sn, r)
                known = reached.get(state)
                if known is not None and known == proof[position:]:  # slice only when worth comparing
                    break
                followed.append(state)
            if not isinstance(p, bytes) or len(p) != HASH_SIZE:
                raise InclusionError(f"proof hash {position} is not {HASH_SIZE} bytes")
            if sn == 0:
                raise InclusionError(f"proof for index {index} in size {size} is too long ({len(proof)} hashes)")
            if fn & 1 or fn == sn:
                r = sha256(b"\x01" + p + r).digest()
                fn, sn = _skip_levels_without_sibling(fn, sn)
            else:
                r = sha256(b"\x01" + r + p).digest()
            fn >>= 1
            sn >>= 1
        else:
            if sn != 0:
                raise InclusionError(f"proof for index {index} in size {size} is too short ({len(proof)} hashes)")
            if r != root:
                raise InclusionError(
                    f"inclusion of index {index} in size {size}: expected root {root.hex()}, computed {r.hex()}"
                )
        for position, state in enumerate(followed, 1):
            reached[state] = proof[position:]


def verify_consistency(old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: list[bytes]) -> None:
    """RFC 9162 §2.1.4.2: raise ConsistencyError unless ``proof`` shows the tree of
    ``new_size`` leaves (``new_root``) extends the tree of ``old_size`` leaves (``old_root``)."""
    if not 0 <= old_size <= new_size:
        raise ConsistencyError(f"old size {old_size} is not between 0 and new size {new_size}")
    _check_hashes(proof, ConsistencyError)
    if old_size == new_size or old_size == 0:
        _verify_trivial_consistency(old_size, new_size, old_root, new_root, proof)
        return
    if not proof:
        raise ConsistencyError(f"empty consistency proof from size {old_size} to {new_size}")
    if old_size & (old_size - 1) == 0:
        # A power-of-two old tree is itself a node of the new tree, so the proof omits it.
        proof = [old_root, *proof]
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            raise ConsistencyError(f"consistency proof from {old_size} to {new_size} is too long")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            fn, sn = _skip_levels_without_sibling(fn, sn)
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ConsistencyError(f"consistency proof from {old_size} to {new_size} is too short")
    _compare_root("old", old_size, old_root, fr)
    _compare_root("new", new_size, new_root, sr)


def _verify_trivial_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> None:
    # Every tree extends the empty tree, and a tree only extends itself at the same size;
    # neither needs (or may carry) proof hashes.
    if proof:
        raise ConsistencyError(f"consistency proof from {old_size} to {new_size} must be empty")
    if old_size == new_size:
        _compare_root("old", old_size, new_root, old_root)
    if old_size == 0:
        _compare_root("old", 0, EMPTY_ROOT, old_root)


def _compare_root(which: str, size: int, expected: bytes, computed: bytes) -> None:
    if expected != computed:
        raise ConsistencyError(f"{which} root of size {size}: expected {expected.hex()}, computed {computed.hex()}")
