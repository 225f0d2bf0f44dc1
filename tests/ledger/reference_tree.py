"""A naive RFC 9162 tree written straight from the definitions, to check the fast code against."""

import hashlib
from functools import lru_cache


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def k_for(n: int) -> int:
    """§2.1.1: the largest power of two smaller than n."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


class ReferenceTree:
    """MTH, PATH and PROOF of RFC 9162 §2.1.1, §2.1.3.1 and §2.1.4.1 over fixed leaf hashes."""

    def __init__(self, leaf_hashes: list[bytes]):
        self.leaves = leaf_hashes
        self.mth = lru_cache(maxsize=None)(self._mth)

    def _mth(self, lo: int, hi: int) -> bytes:
        n = hi - lo
        if n == 0:
            return sha256(b"")
        if n == 1:
            return self.leaves[lo]
        k = k_for(n)
        return sha256(b"\x01" + self.mth(lo, lo + k) + self.mth(lo + k, hi))

    def path(self, m: int, lo: int, hi: int) -> list[bytes]:
        n = hi - lo
        if n == 1:
            return []
        k = k_for(n)
        if m < k:
            return [*self.path(m, lo, lo + k), self.mth(lo + k, hi)]
        return [*self.path(m - k, lo + k, hi), self.mth(lo, lo + k)]

    def subproof(self, m: int, lo: int, hi: int, b: bool) -> list[bytes]:
        n = hi - lo
        if m == n:
            return [] if b else [self.mth(lo, hi)]
        k = k_for(n)
        if m <= k:
            return [*self.subproof(m, lo, lo + k, b), self.mth(lo + k, hi)]
        return [*self.subproof(m - k, lo + k, hi, False), self.mth(lo, lo + k)]

    def root(self, size: int) -> bytes:
        return self.mth(0, size)

    def inclusion(self, index: int, size: int) -> list[bytes]:
        return self.path(index, 0, size)

    def consistency(self, old: int, new: int) -> list[bytes]:
        return self.subproof(old, 0, new, True) if 0 < old < new else []
