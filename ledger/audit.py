"""``undersigned log audit``: check one letter's history against the public log, as anyone can.

The log is read over HTTP as C2SP tlog-tiles files under its base URL (docs/record.md, "The
log"). ``audit_handle`` runs these steps in order:

1. the checkpoint note is signed by the log's key (and names the expected origin, if given);
2. the entry bundles up to the checkpoint's size hold exactly the entries it covers, and the
   RFC 9162 root of their leaf hashes is the checkpoint's root;
3. the hash tiles served match the ones the entries give: every tile of level 1 and above, and
   the level-0 tiles holding the letter's entries;
4. every entry is canonical JSON of a valid event;
5. the entries naming the handle form one chain: ``seq`` 0, 1, 2, ... in log order with no gap
   or duplicate, and each ``prev`` is the leaf hash of the one before;
6. the letter's story follows the public rules (``ledger.story``; nothing here is private).

Failures are ``ledger.errors`` exceptions, collected in the report; steps 1-3 stop the audit
(what follows would rest on data the checkpoint does not vouch for), steps 4 and 5 report every
problem they find, and step 6 runs only on an unbroken chain.
"""

import argparse
import json
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field

from . import story as letter_story
from .checkpoint import Checkpoint, parse_checkpoint
from .errors import ChainError, CheckpointError, FetchError, InclusionError, MalformedBundle, VerificationError
from .events import EventError, parse_event
from .merkle import EMPTY_ROOT, HASH_SIZE, leaf_hash
from .note import NoteError, Verifier, open_note
from .tiles import TILE_HEIGHT, TILE_WIDTH, MemoryTileStore, entries_path, integrate, parse_entry_bundle, tile_path

USAGE_EXIT = 64
DEFAULT_TIMEOUT = 30.0

Fetch = Callable[[str], bytes]


@dataclass
class AuditEvent:
    index: int
    seq: object  # as found: an int in a sound log
    type: str
    time: str


@dataclass
class AuditReport:
    handle: str
    origin: str | None = None
    size: int | None = None
    root: str | None = None  # hex
    key: str | None = None  # name+key id of the checkpoint's signer
    tiles_checked: int = 0
    events: list[AuditEvent] = field(default_factory=list)
    status: str | None = None  # the letter's status after its last event, when the story holds
    problems: list[VerificationError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def exit_code(self) -> int:
        return self.problems[0].exit_code if self.problems else 0

    def as_json(self) -> dict:
        return {
            "ok": self.ok,
            "handle": self.handle,
            "log": {"origin": self.origin, "size": self.size, "root": self.root, "key": self.key},
            "tiles_checked": self.tiles_checked,
            "status": self.status,
            "events": [{"index": e.index, "seq": e.seq, "type": e.type, "time": e.time} for e in self.events],
            "problems": [{"step": p.step, "code": p.exit_code, "message": p.message} for p in self.problems],
        }


class _Stop(Exception):
    """Ends the audit after a problem that leaves nothing further worth checking."""


def audit_handle(fetch: Fetch, handle: str, vkey: str, origin: str | None = None) -> AuditReport:
    """Audit the letter ``handle`` in the log that ``fetch`` reads, whose checkpoints ``vkey``
    (a note verifier key) signs. ``fetch(path)`` returns the bytes at ``path`` under the log's
    base URL (``checkpoint``, ``tile/...``) and raises a VerificationError (FetchError) when it
    cannot. Problems are in the report, never raised."""
    report = AuditReport(handle)
    try:
        checkpoint = _check_checkpoint(fetch, vkey, origin, report)
        letter, unparsed = _read_log(fetch, checkpoint, handle, report)
        report.problems.extend(unparsed)
        report.events = [AuditEvent(index, event.get("seq"), event.get("type"), event.get("time"))
                         for index, event, _ in letter]
        chain_problems = _chain_problems(handle, letter, checkpoint.size)
        report.problems.extend(chain_problems)
        if letter and not chain_problems and not unparsed:
            story = letter_story.tell(handle, [(index, event) for index, event, _ in letter], {})
            report.status = story.status
    except _Stop:
        pass
    except VerificationError as problem:  # a fetch failure, or a story rule broken
        report.problems.append(problem)
    return report


def _check_checkpoint(fetch: Fetch, vkey: str, origin: str | None, report: AuditReport) -> Checkpoint:
    """Step 1."""
    try:
        verifier = Verifier.from_vkey(vkey)
        text = fetch("checkpoint").decode("utf-8")
        checkpoint = parse_checkpoint(open_note(text, verifier))
    except UnicodeDecodeError as error:
        _stop(report, CheckpointError(f"checkpoint is not UTF-8: {error}"))
    except NoteError as error:
        _stop(report, CheckpointError(f"checkpoint note: {error}"))
    except ValueError as error:
        _stop(report, CheckpointError(f"checkpoint body: {error}"))
    if origin is not None and checkpoint.origin != origin:
        _stop(report, CheckpointError(f"expected origin {origin!r}, the checkpoint names {checkpoint.origin!r}"))
    report.origin, report.size, report.root = checkpoint.origin, checkpoint.size, checkpoint.root.hex()
    report.key = f"{verifier.name}+{verifier.key_id.hex()}"
    return checkpoint


def _stop(report: AuditReport, problem: VerificationError):
    report.problems.append(problem)
    raise _Stop


def _width(level: int, number: int, size: int) -> int:
    """How many hashes tile ``number`` of ``level`` holds in a tree of ``size`` leaves."""
    return max(0, min(TILE_WIDTH, (size >> (TILE_HEIGHT * level)) - number * TILE_WIDTH))


def _read_log(fetch: Fetch, checkpoint: Checkpoint, handle: str, report: AuditReport):
    """Steps 2-4: returns the handle's ``(index, event, leaf hash)`` in log order and the
    entries that are not events (as problems, reported once the tree is known to be sound)."""
    store, size, root, letter, unparsed = MemoryTileStore(), 0, EMPTY_ROOT, [], []
    for number in range((checkpoint.size + TILE_WIDTH - 1) // TILE_WIDTH):
        width = _width(0, number, checkpoint.size)
        path = entries_path(number, width)
        try:
            entries = parse_entry_bundle(fetch(path))
        except ValueError as error:
            _stop(report, MalformedBundle(f"{path}: {error}"))
        if len(entries) != width:
            _stop(report, MalformedBundle(f"{path}: expected {width} entries, found {len(entries)}"))
        leaves = [leaf_hash(entry) for entry in entries]
        integration = integrate(store, size, leaves)
        store.write_tiles(integration.tiles)
        for offset, (entry, leaf) in enumerate(zip(entries, leaves)):
            index = size + offset
            try:
                event = parse_event(entry)
            except EventError as error:
                unparsed.append(MalformedBundle(f"entry {index} is not an undersigned event: {error}"))
                continue
            if event.get("handle") == handle:
                letter.append((index, event, leaf))
        size, root = integration.size, integration.root
    if root != checkpoint.root:
        _stop(report, InclusionError(f"tree of size {checkpoint.size}: the checkpoint signs root "
                                     f"{checkpoint.root.hex()}, the entries give {root.hex()}"))
    _check_tiles(fetch, store, checkpoint.size, {index for index, _, _ in letter}, report)
    return letter, unparsed


def _check_tiles(fetch: Fetch, store: MemoryTileStore, size: int, indexes: set[int], report: AuditReport) -> None:
    """Step 3: the served hash tiles are the ones the entries give."""
    keys = sorted({(0, index // TILE_WIDTH) for index in indexes})
    level = 1
    while size >> (TILE_HEIGHT * level):
        keys += [(level, n) for n in range((size >> (TILE_HEIGHT * level)) // TILE_WIDTH + 1)
                 if _width(level, n, size)]
        level += 1
    for level, number in keys:
        width = _width(level, number, size)
        path = tile_path(level, number, width)
        served, expected = fetch(path), store.tiles[(level, number)][: width * HASH_SIZE]
        if served == expected:
            report.tiles_checked += 1
            continue
        if len(served) != len(expected):
            _stop(report, InclusionError(f"{path}: expected {width} hashes ({len(expected)} bytes), "
                                         f"found {len(served)} bytes"))
        at = next(i for i in range(width) if served[i * HASH_SIZE:(i + 1) * HASH_SIZE]
                  != expected[i * HASH_SIZE:(i + 1) * HASH_SIZE])
        _stop(report, InclusionError(
            f"{path}: hash {at} is {served[at * HASH_SIZE:(at + 1) * HASH_SIZE].hex()}, "
            f"the entries give {expected[at * HASH_SIZE:(at + 1) * HASH_SIZE].hex()}"))


def _chain_problems(handle: str, letter: list[tuple[int, dict, bytes]], size: int) -> list[ChainError]:
    """Step 5: every break in the handle's chain, each naming what was expected and found."""
    if not letter:
        return [ChainError(f"no entry of the log (size {size}) names handle {handle!r}")]
    problems, previous = [], None
    for position, (index, event, leaf) in enumerate(letter):
        if event.get("seq") != position:
            problems.append(ChainError(f"index {index}: expected seq {position}, found {event.get('seq')}"))
        expected_prev = previous.hex() if previous is not None else None
        if event.get("prev") != expected_prev:
            problems.append(ChainError(f"index {index}: expected prev {expected_prev}, found {event.get('prev')}"))
        previous = leaf
    return problems


# --- over HTTP, and the command ------------------------------------------------------------


class HttpStatusError(FetchError):
    """The server answered, with an HTTP error status (a 404 at a wrong base URL, say)."""


def http_fetch(base_url: str, timeout: float = DEFAULT_TIMEOUT) -> Fetch:
    """A ``fetch`` reading paths under ``base_url`` (e.g. ``https://example.org/log``) with
    urllib; any failure (HTTP status, network, timeout) raises FetchError naming the URL."""
    base = base_url.rstrip("/") + "/"

    def fetch(path: str) -> bytes:
        url = base + path
        request = urllib.request.Request(url, headers={"User-Agent": "undersigned-audit"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.read()
        except urllib.error.HTTPError as error:
            raise HttpStatusError(f"GET {url}: HTTP {error.code} {error.reason}") from None
        except urllib.error.URLError as error:
            raise FetchError(f"GET {url}: {error.reason}") from None
        except (OSError, ValueError) as error:  # timeouts, resets, malformed URLs
            raise FetchError(f"GET {url}: {error or type(error).__name__}") from None

    return fetch


URL_HINT = "--url is the log's base URL, where its checkpoint is (e.g. https://undersigned.example/log/)"


def find_log(url: str, timeout: float = DEFAULT_TIMEOUT, fetcher: Callable[[str, float], Fetch] = http_fetch) -> Fetch:
    """A ``fetch`` under the log's base URL, given that URL or the site's root: ``url`` when
    ``url``/checkpoint is a checkpoint, else ``url``/log/ when its checkpoint is one. The
    checkpoint found is the one the audit reads. Raises FetchError saying what was tried
    when neither holds one; a server that does not answer at all is not tried twice."""
    tried = []
    for base in _log_bases(url):
        fetch = fetcher(base, timeout)
        try:
            answer = fetch("checkpoint")
        except HttpStatusError as error:
            tried.append(error.message)
            continue
        if _is_checkpoint(answer):
            return _reading_first(fetch, answer)
        tried.append(f"GET {base.rstrip('/')}/checkpoint: not a checkpoint")
    raise FetchError(f"no log checkpoint found ({'; '.join(tried)}); {URL_HINT}")


def _log_bases(url: str) -> list[str]:
    base = url.rstrip("/")
    return [base] if base.endswith("/log") else [base, base + "/log"]


def _is_checkpoint(answer: bytes) -> bool:
    """Whether ``answer`` is a note whose text is a checkpoint (its signature is the audit's step 1)."""
    try:
        text, _, _ = answer.decode("utf-8").rpartition("\n\n")
        parse_checkpoint(text + "\n")
    except ValueError:  # UnicodeDecodeError is one
        return False
    return True


def _reading_first(fetch: Fetch, checkpoint: bytes) -> Fetch:
    return lambda path: checkpoint if path == "checkpoint" else fetch(path)


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise _UsageError(message)


USAGE = "usage: undersigned log audit HANDLE --url BASE_URL --vkey VKEY [--origin ORIGIN] [--timeout S] [--json]"


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="undersigned log audit", description="Check a letter's history against the public log.")
    parser.add_argument("handle", help="the letter's public handle")
    parser.add_argument("--url", required=True,
                        help="the log's base URL, e.g. https://example.org/log/ (or the site's root, e.g. "
                             "https://example.org/, whose log is under /log/)")
    parser.add_argument("--vkey", required=True, help="the log's note verifier key")
    parser.add_argument("--origin", help="the origin the checkpoint must name")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds per request")
    parser.add_argument("--json", action="store_true", help="print a machine-readable report")
    return parser


def _readable(report: AuditReport) -> str:
    lines = []
    if report.size is not None:
        lines.append(f"log {report.origin}: size {report.size}, root {report.root}, signed by {report.key}")
    if report.tiles_checked:
        lines.append(f"entries hash to the checkpoint's root; {report.tiles_checked} served hash tiles match")
    lines.append(f"letter {report.handle}: {len(report.events)} events")
    lines += [f"  #{e.index} seq {e.seq} {e.time} {e.type}" for e in report.events]
    if report.ok:
        lines.append(f"Audited: letter {report.handle}, status {report.status}")
    else:
        lines += [f"PROBLEM at {p.step} (exit {p.exit_code}): {p.message}" for p in report.problems]
    return "\n".join(lines)


def main(argv: list[str] | None = None, stdout=None, fetch: Fetch | None = None) -> int:
    """``undersigned log audit HANDLE --url BASE_URL --vkey VKEY [--origin O] [--timeout S] [--json]``.

    ``argv`` are the arguments after ``audit`` (a leading ``audit`` is skipped); ``fetch``
    replaces HTTP (for tests). Prints the report and returns the exit code of the first problem:

    * 0 -- audited: the checkpoint verifies, the entries give its root, the tiles match, and
      the handle's events form one chain whose public story holds;
    * 2 -- the log serves malformed data: an entry bundle that does not parse or holds the wrong
      number of entries, or an entry that is not a valid event;
    * 3 -- checkpoint: not signed by VKEY, unparseable, or naming another origin than ``--origin``;
    * 4 -- tree: the entries do not hash to the checkpoint's root, or a served hash tile differs;
    * 7 -- chain: no entry names the handle, or its ``seq`` has a gap, duplicate or reordering,
      or a ``prev`` is not the leaf hash of the previous event;
    * 8 -- story: the letter's events break a public rule of docs/record.md;
    * 64 -- usage (bad arguments or an unreadable VKEY);
    * 69 -- a file could not be fetched (HTTP error, network failure or timeout), or neither
      BASE_URL/checkpoint nor BASE_URL/log/checkpoint is a checkpoint.
    """
    stdout = stdout or sys.stdout
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["audit"]:
        argv = argv[1:]
    try:
        args = _parser().parse_args(argv)
        Verifier.from_vkey(args.vkey)
    except (_UsageError, NoteError) as error:
        print(f"{USAGE}\n{error}", file=sys.stderr)
        return USAGE_EXIT
    try:
        fetch = fetch or find_log(args.url, args.timeout)
    except FetchError as problem:  # no log at --url, nor at --url/log/
        report = AuditReport(args.handle, problems=[problem])
    else:
        report = audit_handle(fetch, args.handle, args.vkey, args.origin)
    print(json.dumps(report.as_json(), indent=2) if args.json else _readable(report), file=stdout)
    return report.exit_code
