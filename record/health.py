"""Checks of the stored log against its own checkpoints: at start-up, in full, and per handle."""

import json

from django.conf import settings

from ledger import checkpoint as checkpoints
from ledger import merkle, note, tiles
from record import log
from record.models import Checkpoint, Entry, Tile


def _open_checkpoint(stored: Checkpoint) -> checkpoints.Checkpoint:
    verifier = note.Verifier.from_vkey(log.vkey())
    return checkpoints.parse_checkpoint(note.open_note(stored.note, verifier))


def check_log_on_start() -> str | None:
    """Why the server must not start, or None: the stored tree must match its latest checkpoint."""
    latest = log.latest_checkpoint()
    if latest is None:
        return None
    try:
        opened = _open_checkpoint(latest)
    except Exception as exc:  # noqa: BLE001 - whatever stops it opening, the server must not start, and says why
        return f"the latest checkpoint does not verify with this server's log key ({exc})"
    root = tiles.tree_root(log.DatabaseTiles(), latest.size)
    if opened.root != root or bytes(latest.root) != root or opened.size != latest.size:
        return (
            f"the stored tree of size {latest.size} has root {root.hex()}, "
            f"but the latest checkpoint says {opened.root.hex()}"
        )
    return None


def full_check(say) -> list[str]:
    """Recompute every leaf, tile and checkpoint root from the entries; report each mismatch."""
    problems: list[str] = []
    memory = tiles.MemoryTileStore()
    entries = Entry.objects.order_by("index").values_list("index", "data", "leaf_hash").iterator(chunk_size=5000)
    size = 0
    batch: list[bytes] = []
    for index, data, stored_leaf in entries:
        if index != size + len(batch):
            problems.append(f"entry {size + len(batch)} is missing (found {index} next)")
            break
        leaf = merkle.leaf_hash(bytes(data))
        if leaf != bytes(stored_leaf):
            problems.append(f"entry {index}: stored leaf hash {bytes(stored_leaf).hex()} != computed {leaf.hex()}")
        batch.append(leaf)
        if len(batch) == 10_000:
            size = _integrate(memory, size, batch)
            batch = []
    size = _integrate(memory, size, batch)
    for level, number, data in Tile.objects.values_list("level", "number", "data").iterator():
        expected = memory.read_tiles([(level, number)]).get((level, number), b"")
        if not expected.startswith(bytes(data)):
            problems.append(f"tile {level}/{number} differs from the one recomputed from the entries")
    for stored in Checkpoint.objects.order_by("size").iterator():
        problems.extend(_check_checkpoint(stored, memory, size))
    say(f"{size} entries, {Tile.objects.count()} tiles, {Checkpoint.objects.count()} checkpoints checked")
    for problem in problems:
        say(f"PROBLEM: {problem}")
    if not problems:
        say("the stored log is consistent with every checkpoint")
    return problems


def _integrate(memory, size: int, leaves: list[bytes]) -> int:
    if not leaves:
        return size
    result = tiles.integrate(memory, size, leaves)
    memory.write_tiles(result.tiles)
    return result.size


def _check_checkpoint(stored: Checkpoint, memory, size: int) -> list[str]:
    try:
        opened = _open_checkpoint(stored)
    except Exception as exc:  # noqa: BLE001 - whatever stops it opening is a finding of the check
        return [f"checkpoint {stored.size} does not verify: {exc}"]
    if stored.size > size:
        return [f"checkpoint {stored.size} is beyond the {size} stored entries"]
    root = tiles.tree_root(memory, stored.size)
    if opened.root != root:
        return [f"checkpoint {stored.size} says root {opened.root.hex()}, the entries give {root.hex()}"]
    return []


def audit_handle(handle: str, say) -> int:
    """List every event of a handle in the log and check the chain has no gap, fork or stray."""
    rows = []
    for index, data in Entry.objects.filter(handle=handle).order_by("index").values_list("index", "data"):
        rows.append((index, json.loads(bytes(data)), merkle.leaf_hash(bytes(data))))
    # Entries are public; scan them all too, in case an event names the handle but was filed
    # under another (a server bug or tampering would show here).
    stray = [
        i
        for i, d in Entry.objects.exclude(handle=handle).values_list("index", "data")
        if json.loads(bytes(d)).get("handle") == handle
    ]
    if not rows:
        say(f"no events for handle {handle}")
        return 1
    problems = [f"entry {i} names this handle but is not filed under it" for i in stray]
    previous = None
    for seq, (index, event, leaf) in enumerate(rows):
        if event.get("seq") != seq or event.get("prev") != previous:
            problems.append(
                f"entry {index}: expected seq {seq} and prev {previous}, found {event.get('seq')} "
                f"and {event.get('prev')}"
            )
        say(f"{index:>8}  {event['time']}  {event['type']}")
        previous = leaf.hex()
    say(f"{len(rows)} events; the last is {rows[-1][1]['type']} at index {rows[-1][0]} (origin {settings.LOG_ORIGIN})")
    for problem in problems:
        say(f"PROBLEM: {problem}")
    return 1 if problems else 0
