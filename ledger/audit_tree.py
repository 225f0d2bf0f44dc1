"""Steps 2-4 of ``undersigned log audit`` (``ledger.audit``): the tree rebuilt from the log's
entry bundles has the checkpoint's root, the hash tiles served are the ones the entries give, and
every entry is an event."""

from .audit_report import AuditReport, stop
from .checkpoint import Checkpoint
from .encoding import b64encode
from .errors import InclusionError, MalformedBundle
from .events import EventError, parse_event
from .key_events import KEY_EVENT_TYPES
from .log_fetch import Fetch
from .merkle import EMPTY_ROOT, HASH_SIZE, leaf_hash
from .tiles import (
    TILE_HEIGHT,
    TILE_WIDTH,
    MemoryTileStore,
    entries_path,
    inclusion_proof,
    integrate,
    parse_entry_bundle,
    tile_path,
    tile_width,
)


class RebuiltLog:
    """The tree the audit rebuilt from the entries, and the entries it may have to show."""

    def __init__(self) -> None:
        self.store = MemoryTileStore()
        self.entries: dict[int, bytes] = {}
        self.key_events: list[tuple[int, dict]] = []  # every key.* event of the log, in log order

    def logged(self, index: int, size: int) -> dict:
        """The entry at ``index`` with its inclusion proof in the tree of ``size`` leaves."""
        return {
            "index": index,
            "leaf": b64encode(self.entries[index]),
            "proof": [b64encode(h) for h in inclusion_proof(self.store, index, size)],
        }


def read_log(
    fetch: Fetch, checkpoint: Checkpoint, handle: str, report: AuditReport, keep: set[int]
) -> tuple[list[tuple[int, dict, bytes]], list[MalformedBundle], RebuiltLog]:
    """Steps 2-4: returns the handle's ``(index, event, leaf hash)`` in log order, the
    entries that are not events (as problems, reported once the tree is known to be sound),
    and the rebuilt log, holding the handle's entries and those at the ``keep`` indexes, and
    the log's key events (for step 8)."""
    log, size, root = RebuiltLog(), 0, EMPTY_ROOT
    letter: list[tuple[int, dict, bytes]] = []
    unparsed: list[MalformedBundle] = []
    store = log.store
    for number in range((checkpoint.size + TILE_WIDTH - 1) // TILE_WIDTH):
        width = tile_width(0, number, checkpoint.size)
        path = entries_path(number, width)
        try:
            entries = parse_entry_bundle(fetch(path))
        except ValueError as error:
            stop(report, MalformedBundle(f"{path}: {error}"))
        if len(entries) != width:
            stop(report, MalformedBundle(f"{path}: expected {width} entries, found {len(entries)}"))
        leaves = [leaf_hash(entry) for entry in entries]
        integration = integrate(store, size, leaves)
        store.write_tiles(integration.tiles)
        for offset, (entry, leaf) in enumerate(zip(entries, leaves, strict=True)):
            index = size + offset
            if index in keep:
                log.entries[index] = entry
            try:
                event = parse_event(entry)
            except EventError as error:
                unparsed.append(MalformedBundle(f"entry {index} is not an undersigned event: {error}"))
                continue
            if event.get("handle") == handle:
                letter.append((index, event, leaf))
                log.entries[index] = entry
            elif event["type"] in KEY_EVENT_TYPES:
                log.key_events.append((index, event))
        size, root = integration.size, integration.root
    if root != checkpoint.root:
        stop(
            report,
            InclusionError(
                f"tree of size {checkpoint.size}: the checkpoint signs root "
                f"{checkpoint.root.hex()}, the entries give {root.hex()}"
            ),
        )
    _check_tiles(fetch, store, checkpoint.size, {index for index, _, _ in letter}, report)
    return letter, unparsed, log


def _check_tiles(fetch: Fetch, store: MemoryTileStore, size: int, indexes: set[int], report: AuditReport) -> None:
    """Step 3: the served hash tiles are the ones the entries give."""
    keys = sorted({(0, index // TILE_WIDTH) for index in indexes})
    level = 1
    while size >> (TILE_HEIGHT * level):
        tiles_at_level = (size >> (TILE_HEIGHT * level)) // TILE_WIDTH + 1
        keys += [(level, n) for n in range(tiles_at_level) if tile_width(level, n, size)]
        level += 1
    for level, number in keys:
        width = tile_width(level, number, size)
        path = tile_path(level, number, width)
        served, expected = fetch(path), store.tiles[(level, number)][: width * HASH_SIZE]
        if served == expected:
            report.tiles_checked += 1
            continue
        if len(served) != len(expected):
            stop(
                report,
                InclusionError(f"{path}: expected {width} hashes ({len(expected)} bytes), found {len(served)} bytes"),
            )
        at = next(
            i
            for i in range(width)
            if served[i * HASH_SIZE : (i + 1) * HASH_SIZE] != expected[i * HASH_SIZE : (i + 1) * HASH_SIZE]
        )
        stop(
            report,
            InclusionError(
                f"{path}: hash {at} is {served[at * HASH_SIZE : (at + 1) * HASH_SIZE].hex()}, "
                f"the entries give {expected[at * HASH_SIZE : (at + 1) * HASH_SIZE].hex()}"
            ),
        )
