"""``undersigned log audit``: check one letter's history against the public log, as anyone can.

The log is read over HTTP as C2SP tlog-tiles files under its base URL (docs/record.md, "The
log"). ``audit_handle`` runs these steps in order:

1. the checkpoint note is signed by the log's key (and names the expected origin, if given),
   and carries the cosignatures asked for (``--witness``, ``--witness-threshold``);
2. the entry bundles up to the checkpoint's size hold exactly the entries it covers, and the
   RFC 9162 root of their leaf hashes is the checkpoint's root;
3. the hash tiles served match the ones the entries give: every tile of level 1 and above, and
   the level-0 tiles holding the letter's entries;
4. every entry is canonical JSON of a valid event;
5. the entries naming the handle form one chain: ``seq`` 0, 1, 2, ... in log order with no gap
   or duplicate, and each ``prev`` is the leaf hash of the one before;
6. the letter's story follows the public rules (``ledger.story``; nothing here is private);
7. with ``--head``, the letter's head as the log signed it (in a bundle, say) is true in the log:
   no later event of the letter is in the tree the head is about. A false one is printed with
   the later entry and its inclusion proof against the checkpoint: a proof of misbehaviour
   that anyone holding the log's key can check.

Failures are ``ledger.errors`` exceptions, collected in the report; steps 1-3 stop the audit
(what follows would rest on data the checkpoint does not vouch for), steps 4, 5 and 7 report
every problem they find, and step 6 runs only on an unbroken chain.
"""

import argparse
import datetime
import json
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NoReturn, TextIO

from . import story as letter_story
from .checkpoint import Checkpoint, parse_checkpoint
from .encoding import b64encode
from .errors import (
    ChainError,
    CheckpointError,
    FetchError,
    HeadError,
    InclusionError,
    MalformedBundle,
    VerificationError,
)
from .events import EventError, parse_event
from .head import Head, parse_head
from .merkle import EMPTY_ROOT, HASH_SIZE, leaf_hash
from .note import NoteError, Verifier, open_note
from .tiles import (
    TILE_HEIGHT,
    TILE_WIDTH,
    MemoryTileStore,
    entries_path,
    inclusion_proof,
    integrate,
    parse_entry_bundle,
    tile_path,
)
from .verify import WitnessPolicy, add_witness_arguments, check_witnesses, witness_policy

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
    witnesses: dict[str, int] = field(default_factory=dict)  # label -> cosignature time, with --witness
    head: dict | None = None  # the head checked, with --head
    misbehaviour: dict | None = None  # a false head's proof: the head, the checkpoint, the later entry
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
            "witnesses": self.witnesses,
            "head": self.head,
            "misbehaviour": self.misbehaviour,
            "events": [{"index": e.index, "seq": e.seq, "type": e.type, "time": e.time} for e in self.events],
            "problems": [{"step": p.step, "code": p.exit_code, "message": p.message} for p in self.problems],
        }


class _Stop(Exception):
    """Ends the audit after a problem that leaves nothing further worth checking."""


def audit_handle(
    fetch: Fetch,
    handle: str,
    vkey: str,
    origin: str | None = None,
    witnesses: WitnessPolicy | None = None,
    head_note: str | None = None,
) -> AuditReport:
    """Audit the letter ``handle`` in the log that ``fetch`` reads, whose checkpoints ``vkey``
    (a note verifier key) signs. ``fetch(path)`` returns the bytes at ``path`` under the log's
    base URL (``checkpoint``, ``tile/...``) and raises a VerificationError (FetchError) when it
    cannot. ``witnesses`` asks for cosignatures on the checkpoint; ``head_note`` is a signed
    head of the letter to hold against the log. Problems are in the report, never raised."""
    report = AuditReport(handle)
    try:
        checkpoint, note = _check_checkpoint(fetch, vkey, origin, report, witnesses)
        head = _read_head(head_note, Verifier.from_vkey(vkey), checkpoint, handle, report)
        letter, unparsed, log = _read_log(fetch, checkpoint, handle, report, {head.index} if head else set())
        report.problems.extend(unparsed)
        report.events = [
            AuditEvent(index, event.get("seq"), event["type"], event["time"])  # parse_event checked them
            for index, event, _ in letter
        ]
        chain_problems = _chain_problems(handle, letter, checkpoint.size)
        report.problems.extend(chain_problems)
        if letter and not chain_problems and not unparsed:
            story = letter_story.tell(handle, [(index, event) for index, event, _ in letter], {})
            report.status = story.status
        if head is not None and head_note is not None:
            _check_head(head, head_note, note, checkpoint, letter, log, report)
    except _Stop:
        pass
    except VerificationError as problem:  # a fetch failure, or a story rule broken
        report.problems.append(problem)
    return report


def _check_checkpoint(
    fetch: Fetch, vkey: str, origin: str | None, report: AuditReport, witnesses: WitnessPolicy | None
) -> tuple[Checkpoint, str]:
    """Step 1: the checkpoint, and its note as served."""
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
    if witnesses is not None:
        try:
            report.witnesses = check_witnesses(text, witnesses.witnesses, witnesses.threshold).valid
        except VerificationError as problem:
            _stop(report, problem)
    return checkpoint, text


def _stop(report: AuditReport, problem: VerificationError) -> NoReturn:
    report.problems.append(problem)
    raise _Stop


def _width(level: int, number: int, size: int) -> int:
    """How many hashes tile ``number`` of ``level`` holds in a tree of ``size`` leaves."""
    return max(0, min(TILE_WIDTH, (size >> (TILE_HEIGHT * level)) - number * TILE_WIDTH))


class _RebuiltLog:
    """The tree the audit rebuilt from the entries, and the entries it may have to show."""

    def __init__(self) -> None:
        self.store = MemoryTileStore()
        self.entries: dict[int, bytes] = {}

    def logged(self, index: int, size: int) -> dict:
        """The entry at ``index`` with its inclusion proof in the tree of ``size`` leaves."""
        return {
            "index": index,
            "leaf": b64encode(self.entries[index]),
            "proof": [b64encode(h) for h in inclusion_proof(self.store, index, size)],
        }


def _read_log(
    fetch: Fetch, checkpoint: Checkpoint, handle: str, report: AuditReport, keep: set[int]
) -> tuple[list[tuple[int, dict, bytes]], list[MalformedBundle], _RebuiltLog]:
    """Steps 2-4: returns the handle's ``(index, event, leaf hash)`` in log order, the
    entries that are not events (as problems, reported once the tree is known to be sound),
    and the rebuilt log, holding the handle's entries and those at the ``keep`` indexes."""
    log, size, root = _RebuiltLog(), 0, EMPTY_ROOT
    letter: list[tuple[int, dict, bytes]] = []
    unparsed: list[MalformedBundle] = []
    store = log.store
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
        size, root = integration.size, integration.root
    if root != checkpoint.root:
        _stop(
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
        keys += [(level, n) for n in range((size >> (TILE_HEIGHT * level)) // TILE_WIDTH + 1) if _width(level, n, size)]
        level += 1
    for level, number in keys:
        width = _width(level, number, size)
        path = tile_path(level, number, width)
        served, expected = fetch(path), store.tiles[(level, number)][: width * HASH_SIZE]
        if served == expected:
            report.tiles_checked += 1
            continue
        if len(served) != len(expected):
            _stop(
                report,
                InclusionError(f"{path}: expected {width} hashes ({len(expected)} bytes), found {len(served)} bytes"),
            )
        at = next(
            i
            for i in range(width)
            if served[i * HASH_SIZE : (i + 1) * HASH_SIZE] != expected[i * HASH_SIZE : (i + 1) * HASH_SIZE]
        )
        _stop(
            report,
            InclusionError(
                f"{path}: hash {at} is {served[at * HASH_SIZE : (at + 1) * HASH_SIZE].hex()}, "
                f"the entries give {expected[at * HASH_SIZE : (at + 1) * HASH_SIZE].hex()}"
            ),
        )


def _chain_problems(handle: str, letter: list[tuple[int, dict, bytes]], size: int) -> list[ChainError]:
    """Step 5: every break in the handle's chain, each naming what was expected and found."""
    if not letter:
        return [ChainError(f"no entry of the log (size {size}) names handle {handle!r}")]
    problems: list[ChainError] = []
    previous: bytes | None = None
    for position, (index, event, leaf) in enumerate(letter):
        if event.get("seq") != position:
            problems.append(ChainError(f"index {index}: expected seq {position}, found {event.get('seq')}"))
        expected_prev = previous.hex() if previous is not None else None
        if event.get("prev") != expected_prev:
            problems.append(ChainError(f"index {index}: expected prev {expected_prev}, found {event.get('prev')}"))
        previous = leaf
    return problems


def _read_head(
    head_note: str | None, verifier: Verifier, checkpoint: Checkpoint, handle: str, report: AuditReport
) -> Head | None:
    """Step 7, first half: the head is the log's, about this letter, within the audited tree."""
    if head_note is None:
        return None
    try:
        head = parse_head(open_note(head_note, verifier))
    except NoteError as error:
        _stop(report, HeadError(f"head note: {error} (a head is signed by the log's key)"))
    except ValueError as error:
        _stop(report, HeadError(f"head: {error}"))
    report.head = {"handle": head.handle, "size": head.size, "index": head.index, "seq": head.seq}
    if (head.origin, head.handle) != (checkpoint.origin, handle):
        _stop(
            report,
            HeadError(
                f"the head is about letter {head.handle} of {head.origin}, the audit about "
                f"letter {handle} of {checkpoint.origin}"
            ),
        )
    if head.size > checkpoint.size:
        _stop(
            report,
            HeadError(
                f"the head is about the tree of size {head.size}, beyond this log's checkpoint "
                f"of size {checkpoint.size}: audit a copy of the log that has caught up"
            ),
        )
    return head


def _check_head(
    head: Head,
    head_note: str,
    checkpoint_note: str,
    checkpoint: Checkpoint,
    letter: list[tuple[int, dict, bytes]],
    log: _RebuiltLog,
    report: AuditReport,
) -> None:
    """Step 7: the head the log signed is its letter's last event in the tree of its size. If
    another event of the letter is there after it, or the head's index holds something else,
    the head is false, and the entry that shows it, with its inclusion proof against the
    audited checkpoint (which extends the head's tree), is the proof."""
    within = [(index, event) for index, event, _ in letter if index < head.size]
    later = [(index, event) for index, event in within if index > head.index]
    named = dict(within).get(head.index)
    if later:
        index, event = later[0]
        message = (
            f"false head: the log signed that {head.describe()}, but the letter's event at index {index} "
            f"(seq {event.get('seq')}, {event.get('type')}) is in that tree too"
        )
    elif named is None or named.get("seq") != head.seq:
        index = head.index
        found = "no event of the letter" if named is None else f"its event of seq {named.get('seq')}"
        message = f"false head: the log signed that {head.describe()}, but index {index} holds {found}"
    else:
        return
    report.misbehaviour = {
        "head": head_note,
        "checkpoint": checkpoint_note,
        "entry": log.logged(index, checkpoint.size),
    }
    report.problems.append(HeadError(message))


# --- over HTTP, and the command ------------------------------------------------------------


class HttpStatusError(FetchError):
    """The server answered, with an HTTP error status (a 404 at a wrong base URL, say)."""


def http_fetch(base_url: str, timeout: float = DEFAULT_TIMEOUT) -> Fetch:
    """A ``fetch`` reading paths under ``base_url`` (e.g. ``https://example.org/log``) with
    urllib; any failure (HTTP status, network, timeout) raises FetchError naming the URL."""
    base = base_url.rstrip("/") + "/"

    def fetch(path: str) -> bytes:
        url = base + path
        # The auditor's own user names the URL; a file: URL reads a local copy, as they chose
        request = urllib.request.Request(url, headers={"User-Agent": "undersigned-audit"})  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
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
    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)


USAGE = (
    "usage: undersigned log audit HANDLE --url BASE_URL --vkey VKEY [--origin ORIGIN] [--witness VKEY]... "
    "[--witness-threshold K] [--head FILE] [--timeout S] [--json]"
)


def _parser(remote: bool = True) -> argparse.ArgumentParser:
    """The arguments; without ``remote`` (the server's own database) --url and --vkey are not asked for."""
    parser = _Parser(prog="undersigned log audit", description="Check a letter's history against the public log.")
    parser.add_argument("handle", help="the letter's public handle")
    parser.add_argument(
        "--url",
        required=remote,
        help="the log's base URL, e.g. https://example.org/log/ (or the site's root, e.g. "
        "https://example.org/, whose log is under /log/)",
    )
    parser.add_argument("--vkey", required=remote, help="the log's note verifier key")
    parser.add_argument("--origin", help="the origin the checkpoint must name")
    add_witness_arguments(parser)
    parser.add_argument(
        "--head",
        metavar="FILE",
        help="a signed head of the letter to hold against the log: the head note, or a bundle carrying one",
    )
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds per request")
    parser.add_argument("--json", action="store_true", help="print a machine-readable report")
    return parser


def _handle_last(argv: list[str]) -> list[str]:
    """The arguments with a leading HANDLE moved after ``--``: a handle is URL-safe base64 and
    may begin with a "-", which argparse would otherwise take for an option."""
    if argv and not argv[0].startswith("--"):
        return [*argv[1:], "--", argv[0]]
    return argv


def read_head_file(path: str) -> str:
    """The head note in FILE: the note itself, or the ``head`` of a bundle."""
    with open(path, encoding="utf-8") as file:
        text = file.read()
    if not text.lstrip().startswith("{"):
        return text
    try:
        head = json.loads(text).get("head")
    except (ValueError, AttributeError):
        raise ValueError(f"{path} is neither a head note nor a bundle") from None
    if not isinstance(head, str):
        raise ValueError(f"the bundle in {path} carries no head")
    return head


def _readable(report: AuditReport) -> str:
    lines = []
    if report.size is not None:
        lines.append(f"log {report.origin}: size {report.size}, root {report.root}, signed by {report.key}")
    if report.tiles_checked:
        lines.append(f"entries hash to the checkpoint's root; {report.tiles_checked} served hash tiles match")
    lines += [f"checkpoint cosigned by witness {label} at {_utc(time)}" for label, time in report.witnesses.items()]
    lines.append(f"letter {report.handle}: {len(report.events)} events")
    lines += [f"  #{e.index} seq {e.seq} {e.time} {e.type}" for e in report.events]
    if report.ok:
        lines.append(f"Audited: letter {report.handle}, status {report.status}")
        if report.head is not None:
            lines.append(
                f"  the signed head (index {report.head['index']}, seq {report.head['seq']} at size "
                f"{report.head['size']}) is the letter's last event in that tree"
            )
    else:
        lines += [f"PROBLEM at {p.step} (exit {p.exit_code}): {p.message}" for p in report.problems]
    if report.misbehaviour is not None:
        lines += [
            "PROOF OF MISBEHAVIOUR: the log signed the head and the checkpoint below, both with its key; the "
            "entry, included in the checkpoint's tree by its proof, contradicts the head.",
            json.dumps(report.misbehaviour, indent=2),
        ]
    return "\n".join(lines)


def _utc(timestamp: int) -> str:
    return datetime.datetime.fromtimestamp(timestamp, datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def main(
    argv: list[str] | None = None, stdout: TextIO | None = None, fetch: Fetch | None = None, vkey: str | None = None
) -> int:
    """``undersigned log audit HANDLE --url BASE_URL --vkey VKEY [--origin O] [--witness VKEY]...
    [--witness-threshold K] [--head FILE] [--timeout S] [--json]``.

    ``argv`` are the arguments after ``audit`` (a leading ``audit`` is skipped). ``fetch``
    replaces HTTP and ``vkey`` the --vkey argument (for the server's own database, and tests);
    with both, --url and --vkey are not needed. Prints the report and returns the exit code of
    the first problem:

    * 0 -- audited: the checkpoint verifies, the entries give its root, the tiles match, and
      the handle's events form one chain whose public story holds (and the head is true);
    * 2 -- the log serves malformed data: an entry bundle that does not parse or holds the wrong
      number of entries, or an entry that is not a valid event;
    * 3 -- checkpoint: not signed by VKEY, unparseable, or naming another origin than ``--origin``;
    * 4 -- tree: the entries do not hash to the checkpoint's root, or a served hash tile differs;
    * 7 -- chain: no entry names the handle, or its ``seq`` has a gap, duplicate or reordering,
      or a ``prev`` is not the leaf hash of the previous event;
    * 8 -- story: the letter's events break a public rule of docs/record.md;
    * 10 -- witnesses: fewer valid cosignatures on the checkpoint than ``--witness-threshold``;
    * 11 -- head: the head of ``--head`` is not the log's, is about another letter or a larger
      tree than the checkpoint's, or is false (printed with the proof of misbehaviour);
    * 64 -- usage (bad arguments, an unreadable VKEY or --head FILE);
    * 69 -- a file could not be fetched (HTTP error, network failure or timeout), or neither
      BASE_URL/checkpoint nor BASE_URL/log/checkpoint is a checkpoint.
    """
    stdout = stdout or sys.stdout
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["audit"]:
        argv = argv[1:]
    try:
        args = _parser(remote=fetch is None or vkey is None).parse_args(_handle_last(argv))
        vkey = args.vkey or vkey
        if vkey is None:
            raise _UsageError("--vkey is needed")
        Verifier.from_vkey(vkey)
        policy = witness_policy(args)
        head_note = read_head_file(args.head) if args.head else None
    except (_UsageError, ValueError, OSError) as error:  # NoteError is a ValueError
        print(f"{USAGE}\n{error}", file=sys.stderr)
        return USAGE_EXIT
    try:
        fetch = fetch or find_log(args.url, args.timeout)
    except FetchError as problem:  # no log at --url, nor at --url/log/
        report = AuditReport(args.handle, problems=[problem])
    else:
        report = audit_handle(fetch, args.handle, vkey, args.origin, policy, head_note)
    print(json.dumps(report.as_json(), indent=2) if args.json else _readable(report), file=stdout)
    return report.exit_code
