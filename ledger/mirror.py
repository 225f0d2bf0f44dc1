"""``undersigned log mirror DIR [--url BASE] [--vkey VKEY]``: a static copy of the log, in the
C2SP tlog-tiles layout (``checkpoint``, ``tile/<L>/<N>[.p/<W>]``, ``tile/entries/<N>[.p/<W>]``),
that any web server can serve and ``log audit --url`` can check.

A mirror copies nothing it has not checked. Each run:

1. reads the log's checkpoint and, given the log's key, checks its signature (cosignature
   lines come along: the copy serves the checkpoint exactly as the log signed and witnesses
   cosigned it);
2. rebuilds the tree from the entries, reading the entry bundles it already holds and fetching
   the others, and requires the checkpoint's root;
3. requires the tree of the checkpoint it held before to be a prefix of the new one (a log
   that rewrote its history, or went back, is refused and the copy left as it was);
4. writes the new entry bundles, the hash tiles computed from the entries, and the checkpoint
   last (replaced in one rename), so a reader never finds a checkpoint whose tiles are missing.

From this server's database (``record/files.py``) or, with ``--url``, from any copy of the log
over HTTP, with nothing of ours but ``ledger/``.
"""

import argparse
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from .checkpoint import Checkpoint, parse_checkpoint
from .command_line import USAGE_EXIT, Parser, UsageError
from .errors import CheckpointError, ConsistencyError, InclusionError, MalformedBundle, VerificationError
from .log_fetch import DEFAULT_TIMEOUT, Fetch, find_log
from .merkle import EMPTY_ROOT, HASH_SIZE, leaf_hash
from .note import NoteError, Verifier, open_note, split_note
from .tiles import (
    TILE_HEIGHT,
    TILE_WIDTH,
    MemoryTileStore,
    entries_path,
    integrate,
    parse_entry_bundle,
    tile_path,
    tile_width,
    tree_root,
)


@dataclass
class MirrorReport:
    size: int
    previous_size: int
    fetched: int  # entry bundles fetched
    written: int  # files written, the checkpoint included
    signature_checked: bool


def _read_checkpoint(note: str, vkey: str | None) -> Checkpoint:
    try:
        text = open_note(note, Verifier.from_vkey(vkey)) if vkey else split_note(note)[0]
        return parse_checkpoint(text)
    except NoteError as error:
        raise CheckpointError(f"checkpoint note: {error}") from None
    except ValueError as error:
        raise CheckpointError(f"checkpoint body: {error}") from None


def _held_checkpoint(directory: Path, vkey: str | None) -> Checkpoint | None:
    path = directory / "checkpoint"
    if not path.exists():
        return None
    return _read_checkpoint(path.read_text(encoding="utf-8"), vkey)


def mirror(fetch: Fetch, directory: str | Path, vkey: str | None = None) -> MirrorReport:
    """Write or update the copy of the log that ``fetch`` reads in ``directory``; raises a
    VerificationError (and leaves the copy as it was) when the log fails a check."""
    directory = Path(directory)
    try:
        note = fetch("checkpoint").decode("utf-8")
    except UnicodeDecodeError as error:
        raise CheckpointError(f"checkpoint is not UTF-8: {error}") from None
    checkpoint = _read_checkpoint(note, vkey)
    held = _held_checkpoint(directory, vkey)
    if held is not None and held.origin != checkpoint.origin:
        raise CheckpointError(f"the copy in {directory} is of {held.origin!r}, the log is {checkpoint.origin!r}")
    if held is not None and held.size > checkpoint.size:
        raise ConsistencyError(
            f"the log's checkpoint has size {checkpoint.size}, smaller than the copy's {held.size}: a log never shrinks"
        )
    store, bundles, fetched = _rebuild(fetch, directory, checkpoint.size)
    root = tree_root(store, checkpoint.size) if checkpoint.size else EMPTY_ROOT
    if root != checkpoint.root:
        raise InclusionError(
            f"tree of size {checkpoint.size}: the checkpoint signs root {checkpoint.root.hex()}, "
            f"the entries give {root.hex()}"
        )
    if held is not None and held.size and tree_root(store, held.size) != held.root:
        raise ConsistencyError(
            f"the log's tree of size {held.size} has root {tree_root(store, held.size).hex()}, the "
            f"copy's checkpoint of that size says {held.root.hex()}: the log rewrote its history"
        )
    written = _write_files(directory, bundles, _hash_tiles(store, checkpoint.size))
    _replace(directory / "checkpoint", note.encode("utf-8"))
    return MirrorReport(checkpoint.size, held.size if held else 0, fetched, written + 1, vkey is not None)


def _rebuild(fetch: Fetch, directory: Path, size: int) -> tuple[MemoryTileStore, dict[str, bytes], int]:
    """The tree of the first ``size`` entries; the entry bundles not yet in the copy by path."""
    store, built, new_bundles, fetched = MemoryTileStore(), 0, {}, 0
    for number in range((size + TILE_WIDTH - 1) // TILE_WIDTH):
        width = tile_width(0, number, size)
        path = entries_path(number, width)
        local = directory / path
        if local.exists():
            data = local.read_bytes()
        else:
            data = fetch(path)
            new_bundles[path] = data
            fetched += 1
        try:
            entries = parse_entry_bundle(data)
        except ValueError as error:
            raise MalformedBundle(f"{path}: {error}") from None
        if len(entries) != width:
            raise MalformedBundle(f"{path}: expected {width} entries, found {len(entries)}")
        integration = integrate(store, built, [leaf_hash(entry) for entry in entries])
        store.write_tiles(integration.tiles)
        built = integration.size
    return store, new_bundles, fetched


def _hash_tiles(store: MemoryTileStore, size: int) -> dict[str, bytes]:
    """Every hash tile of the tree of ``size`` leaves, by its path at that size."""
    files, level = {}, 0
    while size >> (TILE_HEIGHT * level):
        for number in range((size >> (TILE_HEIGHT * level)) // TILE_WIDTH + 1):
            width = tile_width(level, number, size)
            if width:
                files[tile_path(level, number, width)] = store.tiles[(level, number)][: width * HASH_SIZE]
        level += 1
    return files


def _write_files(directory: Path, *groups: dict[str, bytes]) -> int:
    """Files not yet in the copy (a tile path never changes its content, so one there is kept)."""
    written = 0
    for group in groups:
        for path, data in group.items():
            target = directory / path
            if not target.exists():
                _replace(target, data)
                written += 1
    return written


def _replace(target: Path, data: bytes) -> None:
    """Write through a temporary file and a rename, so no reader sees half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=".partial-")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
        os.chmod(temporary, 0o644)  # served to anyone, as the log's own files are
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


USAGE = "usage: undersigned log mirror DIR [--url BASE_URL] [--vkey VKEY] [--timeout S]"


def _parser(remote: bool) -> argparse.ArgumentParser:
    parser = Parser(prog="undersigned log mirror", description="Write or update a static copy of the log.")
    parser.add_argument("directory", metavar="DIR")
    parser.add_argument("--url", required=remote, help="the log's base URL (without it: this server's database)")
    parser.add_argument("--vkey", help="the log's note verifier key, to check the checkpoint's signature")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds per request")
    return parser


def main(
    argv: list[str] | None = None, stdout: TextIO | None = None, fetch: Fetch | None = None, vkey: str | None = None
) -> int:
    """Mirror the log at --url (or, given ``fetch`` and ``vkey``, this server's); prints what
    it did. Exits 0, a ledger.errors code when the log fails a check (3 checkpoint, 2
    malformed, 4 tree, 9 a rewritten or shrunk history, 69 a file could not be fetched), 64
    on usage errors, 1 when the copy cannot be written."""
    stdout = stdout or sys.stdout
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["mirror"]:
        argv = argv[1:]
    try:
        args = _parser(remote=fetch is None).parse_args(argv)
        vkey = args.vkey or vkey
        if vkey:
            Verifier.from_vkey(vkey)
    except (UsageError, NoteError) as error:
        print(f"{USAGE}\n{error}", file=sys.stderr)
        return USAGE_EXIT
    try:
        report = mirror(fetch or find_log(args.url, args.timeout), args.directory, vkey)
    except VerificationError as problem:
        print(f"undersigned log mirror: {problem.step} (exit {problem.exit_code}): {problem.message}", file=sys.stderr)
        return problem.exit_code
    except OSError as error:
        print(f"undersigned log mirror: cannot write the copy: {error}", file=sys.stderr)
        return 1
    if not report.signature_checked:
        print("undersigned log mirror: the checkpoint's signature was not checked: give --vkey", file=sys.stderr)
    print(
        f"mirrored size {report.size} (was {report.previous_size}) into {args.directory}: "
        f"{report.fetched} entry bundles fetched, {report.written} files written",
        file=stdout,
    )
    return 0
