"""C2SP tlog-tiles storage of an RFC 9162 tree, independent of where tiles are kept.

A tile at level L holds up to 256 consecutive hashes of tree level 8·L (C2SP tlog-tiles,
"Merkle Tree"). Tiles are keyed ``(level, index)``; a partial tile is stored as the prefix
it has so far. Prefixes never change as the tree grows, so a reader may return a longer
tile than a given tree size needs and callers use only the hashes that size covers.
"""

import hashlib
import re
from dataclasses import dataclass
from typing import NamedTuple, Protocol

from .merkle import EMPTY_ROOT, HASH_SIZE, largest_power_of_two_below, node_hash

TILE_HEIGHT = 8
TILE_WIDTH = 1 << TILE_HEIGHT
FULL_TILE_BYTES = TILE_WIDTH * HASH_SIZE
MAX_ENTRY_BYTES = 0xFFFF  # an entry bundle's length prefix is a uint16
MAX_TILE_LEVEL = 63

TileKey = tuple[int, int]


class TileReader(Protocol):
    def read_tiles(self, keys: list[TileKey]) -> dict[TileKey, bytes]:
        """The stored data of each key that exists; absent keys are left out."""


class TileRowReader(TileReader, Protocol):
    """A reader that can also hand out ``tile_rows`` of its tiles, so it can keep them: a full
    tile never changes, and a partial one only grows, so rows once hashed stay right."""

    def read_tile_rows(self, widths: dict[TileKey, int]) -> dict[TileKey, tuple[bytes, ...]]:
        """``tile_rows(data)`` of each stored key, from data of at least ``widths[key]``
        hashes where storage has that many; absent keys are left out."""


class MissingTile(LookupError):
    """Storage lacks a tile (or part of one) that the requested tree size covers."""


@dataclass(frozen=True)
class Integration:
    size: int
    root: bytes
    tiles: dict[TileKey, bytes]


class MemoryTileStore:
    """Dict-backed tiles, for tests and benchmarks."""

    def __init__(self) -> None:
        self.tiles: dict[TileKey, bytes] = {}
        self.reads = 0

    def read_tiles(self, keys: list[TileKey]) -> dict[TileKey, bytes]:
        self.reads += 1
        return {key: self.tiles[key] for key in keys if key in self.tiles}

    def write_tiles(self, tiles: dict[TileKey, bytes]) -> None:
        self.tiles.update(tiles)


# --- paths (C2SP tlog-tiles, "Tile paths") -------------------------------------------------


class TileAddress(NamedTuple):
    level: int | None  # None for an entry bundle
    index: int  # type: ignore[assignment]  # C2SP's name; shadows tuple.index(), which no caller uses
    width: int


def _encode_index(n: int) -> str:
    # Groups of three digits, every group but the last prefixed with "x".
    groups = [f"{n % 1000:03d}"]
    n //= 1000
    while n:
        groups.append(f"x{n % 1000:03d}")
        n //= 1000
    return "/".join(reversed(groups))


def _encode(prefix: str, n: int, width: int) -> str:
    if n < 0 or not 1 <= width <= TILE_WIDTH:
        raise ValueError(f"invalid tile index {n} or width {width}")
    path = f"{prefix}/{_encode_index(n)}"
    return path if width == TILE_WIDTH else f"{path}.p/{width}"


def tile_width(level: int, number: int, size: int) -> int:
    """How many hashes tile ``number`` of ``level`` holds in a tree of ``size`` leaves (0 to 256)."""
    nodes_at_level = size >> (TILE_HEIGHT * level)
    return max(0, min(TILE_WIDTH, nodes_at_level - number * TILE_WIDTH))


def tile_path(level: int, n: int, width: int = TILE_WIDTH) -> str:
    """``tile/<L>/<N>[.p/<W>]``."""
    if not 0 <= level <= MAX_TILE_LEVEL:
        raise ValueError(f"tile level {level} is not in 0..{MAX_TILE_LEVEL}")
    return _encode(f"tile/{level}", n, width)


def entries_path(n: int, width: int = TILE_WIDTH) -> str:
    """``tile/entries/<N>[.p/<W>]``."""
    return _encode("tile/entries", n, width)


_PATH = re.compile(
    r"tile/(?P<level>entries|0|[1-9][0-9]?)/(?P<index>(?:x[0-9]{3}/)*[0-9]{3})(?:\.p/(?P<width>[1-9][0-9]{0,2}))?"
)


def parse_tile_path(path: str) -> TileAddress:
    """Strict inverse of ``tile_path``/``entries_path``; raises ValueError on anything else,
    including non-canonical forms (leading zero groups, ``.p/256``)."""
    match = _PATH.fullmatch(path)
    if not match:
        raise ValueError(f"not a tile path: {path!r}")
    level = None if match["level"] == "entries" else int(match["level"])
    index = int(match["index"].replace("x", "").replace("/", ""))
    width = int(match["width"] or TILE_WIDTH)
    canonical = entries_path(index, width) if level is None else tile_path(level, index, width)
    if canonical != path or width > TILE_WIDTH or (width == TILE_WIDTH and match["width"]):
        raise ValueError(f"non-canonical tile path: {path!r}")
    return TileAddress(level, index, width)


# --- entry bundles (C2SP tlog-tiles, "Log entries") ----------------------------------------


def entry_bundle(entries: list[bytes]) -> bytes:
    """Concatenation of big-endian uint16 length-prefixed entries."""
    if len(entries) > TILE_WIDTH:
        raise ValueError(f"an entry bundle holds at most {TILE_WIDTH} entries, got {len(entries)}")
    parts = []
    for entry in entries:
        if len(entry) > MAX_ENTRY_BYTES:
            raise ValueError(f"entry of {len(entry)} bytes exceeds {MAX_ENTRY_BYTES}")
        parts.append(len(entry).to_bytes(2, "big") + entry)
    return b"".join(parts)


def parse_entry_bundle(data: bytes) -> list[bytes]:
    """Inverse of ``entry_bundle``; raises ValueError on a truncated bundle."""
    entries, offset = [], 0
    while offset < len(data):
        if offset + 2 > len(data):
            raise ValueError("entry bundle ends inside a length prefix")
        length = int.from_bytes(data[offset : offset + 2], "big")
        offset += 2
        if offset + length > len(data):
            raise ValueError(f"entry bundle ends inside an entry of {length} bytes")
        entries.append(data[offset : offset + length])
        offset += length
    if len(entries) > TILE_WIDTH:
        raise ValueError(f"entry bundle holds {len(entries)} entries, more than {TILE_WIDTH}")
    return entries


# --- hashes of complete subtrees, read from tiles ------------------------------------------

Node = tuple[int, int]  # (tree level, index at that level): a complete subtree of 2**level leaves


def _split_hashes(data: bytes) -> list[bytes]:
    return [data[i : i + HASH_SIZE] for i in range(0, len(data), HASH_SIZE)]


def _perfect_root(hashes: list[bytes]) -> bytes:
    """Root of a complete subtree whose bottom row is ``hashes`` (a power of two of them)."""
    while len(hashes) > 1:
        hashes = [node_hash(hashes[i], hashes[i + 1]) for i in range(0, len(hashes), 2)]
    return hashes[0]


def _tile_of(node: Node) -> tuple[TileKey, int, int]:
    """The tile holding the bottom row of ``node``, and the row's offset and length in it."""
    level, index = node
    tile_level, height_in_tile = divmod(level, TILE_HEIGHT)
    first = index << height_in_tile
    return (tile_level, first >> TILE_HEIGHT), first % TILE_WIDTH, 1 << height_in_tile


def tile_rows(data: bytes, height: int = TILE_HEIGHT - 1) -> tuple[bytes, ...]:
    """The hashes of a tile's complete subtrees, by height up to ``height``.

    ``rows[h]`` holds, concatenated, the RFC 9162 §2.1.1 hashes of the tile's subtrees of
    2**h entries, as many as its width completes; ``rows[0]`` is the tile itself. A node hash
    is H(0x01 ‖ left ‖ right), and left ‖ right is a 64-byte slice of the row below, so each
    node costs one hash and no concatenation of its children."""
    rows = [data]
    pair = 2 * HASH_SIZE
    while len(rows) <= height and len(rows[-1]) >= pair:
        below, sha256 = rows[-1], hashlib.sha256
        rows.append(
            b"".join([sha256(b"\x01" + below[i : i + pair]).digest() for i in range(0, len(below) - pair + 1, pair)])
        )
    return tuple(rows)


def _read_rows(
    reader: TileReader, widths: dict[TileKey, int], heights: dict[TileKey, int]
) -> dict[TileKey, tuple[bytes, ...]]:
    """Rows of the tiles, from the reader's own (kept) rows when it has them."""
    read_tile_rows = getattr(reader, "read_tile_rows", None)
    if read_tile_rows is not None:
        return read_tile_rows(widths)
    tiles = reader.read_tiles(sorted(widths))
    return {key: tile_rows(data, heights[key]) for key, data in tiles.items() if key in heights}


def _node_hashes(reader: TileReader, nodes: set[Node]) -> dict[Node, bytes]:
    """Hashes of complete subtrees, fetched with a single read."""
    placed = {node: _tile_of(node) for node in nodes}
    widths: dict[TileKey, int] = {}  # hashes each tile needs
    heights: dict[TileKey, int] = {}  # its highest row needed
    for key, offset, count in placed.values():
        widths[key] = max(widths.get(key, 0), offset + count)
        heights[key] = max(heights.get(key, 0), count.bit_length() - 1)
    rows_of = _read_rows(reader, widths, heights) if widths else {}
    hashes = {}
    for node, (key, offset, count) in placed.items():
        rows = rows_of.get(key, (b"",))
        if len(rows[0]) < (offset + count) * HASH_SIZE:
            raise MissingTile(f"tile {key} has {len(rows[0]) // HASH_SIZE} hashes, node {node} needs {offset + count}")
        height = count.bit_length() - 1
        at = (offset >> height) * HASH_SIZE
        hashes[node] = rows[height][at : at + HASH_SIZE]
    return hashes


def _subtrees(lo: int, hi: int) -> list[Node]:
    """Complete subtrees covering leaves [lo, hi), largest first (RFC 9162 §2.1.1 splits
    every range this way, and lo is always aligned to the first subtree's size)."""
    nodes = []
    while lo < hi:
        level = (hi - lo).bit_length() - 1
        nodes.append((level, lo >> level))
        lo += 1 << level
    return nodes


def _range_hash(hashes: dict[Node, bytes], lo: int, hi: int) -> bytes:
    """RFC 9162 §2.1.1 MTH of leaves [lo, hi) from the hashes of its complete subtrees."""
    subtrees = [hashes[node] for node in _subtrees(lo, hi)]
    result = subtrees[-1]
    for left in reversed(subtrees[:-1]):
        result = node_hash(left, result)
    return result


def _hash_ranges(reader: TileReader, ranges: list[tuple[int, int]]) -> list[bytes]:
    nodes = {node for lo, hi in ranges for node in _subtrees(lo, hi)}
    hashes = _node_hashes(reader, nodes)
    return [_range_hash(hashes, lo, hi) for lo, hi in ranges]


# --- root and proofs as ranges of leaves ---------------------------------------------------


def _inclusion_ranges(m: int, lo: int, hi: int) -> list[tuple[int, int]]:
    """RFC 9162 §2.1.3.1 PATH(m, D[lo:hi]), as the leaf ranges whose MTHs form the path."""
    if hi - lo == 1:
        return []
    k = largest_power_of_two_below(hi - lo)
    if m - lo < k:
        return [*_inclusion_ranges(m, lo, lo + k), (lo + k, hi)]
    return [*_inclusion_ranges(m, lo + k, hi), (lo, lo + k)]


def _consistency_ranges(m: int, lo: int, hi: int, whole: bool) -> list[tuple[int, int]]:
    """RFC 9162 §2.1.4.1 SUBPROOF(m, D[lo:hi], b), as leaf ranges; ``m`` counts from ``lo``."""
    if m == hi - lo:
        return [] if whole else [(lo, hi)]
    k = largest_power_of_two_below(hi - lo)
    if m <= k:
        return [*_consistency_ranges(m, lo, lo + k, whole), (lo + k, hi)]
    return [*_consistency_ranges(m - k, lo + k, hi, False), (lo, lo + k)]


def tree_root(reader: TileReader, size: int) -> bytes:
    """RFC 9162 §2.1.1 MTH of the first ``size`` leaves."""
    if size == 0:
        return EMPTY_ROOT
    return _hash_ranges(reader, [(0, size)])[0]


def inclusion_proof(reader: TileReader, index: int, size: int) -> list[bytes]:
    """RFC 9162 §2.1.3.1 inclusion proof of leaf ``index`` in the tree of ``size`` leaves."""
    if not 0 <= index < size:
        raise ValueError(f"index {index} is outside a tree of size {size}")
    return _hash_ranges(reader, _inclusion_ranges(index, 0, size))


def consistency_proof(reader: TileReader, old_size: int, new_size: int) -> list[bytes]:
    """RFC 9162 §2.1.4.1 consistency proof from ``old_size`` to ``new_size`` leaves."""
    if not 0 <= old_size <= new_size:
        raise ValueError(f"old size {old_size} is not between 0 and new size {new_size}")
    if old_size in (0, new_size):
        return []
    return _hash_ranges(reader, _consistency_ranges(old_size, 0, new_size, True))


# --- integration ---------------------------------------------------------------------------


def _right_edge_keys(size: int) -> list[TileKey]:
    """The partial tile of every level in a tree of ``size`` leaves: the only stored tiles
    that appending leaves can change."""
    keys, level = [], 0
    while size >> (TILE_HEIGHT * level):
        width = (size >> (TILE_HEIGHT * level)) % TILE_WIDTH
        if width:
            keys.append((level, size >> (TILE_HEIGHT * (level + 1))))
        level += 1
    return keys


def _extend_level(level: int, first: int, hashes: list[bytes], edge: dict[TileKey, bytes]) -> dict[TileKey, bytes]:
    """Tiles of ``level`` after appending ``hashes`` at position ``first`` of that level."""
    start_tile = first // TILE_WIDTH
    kept = (first % TILE_WIDTH) * HASH_SIZE
    prefix = edge.get((level, start_tile), b"")[:kept]
    if len(prefix) != kept:
        raise MissingTile(f"tile {(level, start_tile)} lacks the {kept // HASH_SIZE} hashes already integrated")
    data = prefix + b"".join(hashes)
    return {
        (level, start_tile + i): data[offset : offset + FULL_TILE_BYTES]
        for i, offset in enumerate(range(0, len(data), FULL_TILE_BYTES))
    }


class _Overlay:
    """New tiles in front of the stored ones, so the new root is read like any other."""

    def __init__(self, reader: TileReader, tiles: dict[TileKey, bytes]):
        self.reader, self.tiles = reader, tiles

    def read_tiles(self, keys: list[TileKey]) -> dict[TileKey, bytes]:
        stored = self.reader.read_tiles([key for key in keys if key not in self.tiles])
        return {**stored, **{key: self.tiles[key] for key in keys if key in self.tiles}}


def integrate(reader: TileReader, old_size: int, new_leaf_hashes: list[bytes]) -> Integration:
    """Append leaf hashes to the tree of ``old_size`` leaves (C2SP tlog-tiles).

    Returns the new size, root and every tile the append touched (full data), reading only
    the right-edge tiles. Nothing is written: the caller stores the tiles and signs the
    checkpoint in one transaction, so a crash leaves the old checkpoint valid.
    """
    if any(len(h) != HASH_SIZE for h in new_leaf_hashes):
        raise ValueError(f"leaf hashes must be {HASH_SIZE} bytes")
    edge = reader.read_tiles(_right_edge_keys(old_size)) if old_size else {}
    tiles: dict[TileKey, bytes] = {}
    level, first, hashes = 0, old_size, list(new_leaf_hashes)
    while hashes:
        touched = _extend_level(level, first, hashes, edge)
        tiles.update(touched)
        hashes = [
            _perfect_root(_split_hashes(data)) for _, data in sorted(touched.items()) if len(data) == FULL_TILE_BYTES
        ]
        level, first = level + 1, first // TILE_WIDTH
    size = old_size + len(new_leaf_hashes)
    return Integration(size, tree_root(_Overlay(reader, tiles), size), tiles)
