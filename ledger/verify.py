"""``undersigned verify``: the offline verifier of a letter's bundle (docs/record.md,
"Verification bundle"). The eight steps run in order, in ``verify_bundle``; the first
failure raises a VerificationError whose ``exit_code`` the command returns. Step 2 also
counts the witnesses' cosignatures when the reader names witnesses; step 6 ends the chain at
the letter's head as the log signed it."""

import argparse
import contextlib
import datetime
import gc
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NoReturn, TextIO

from . import lifecycle
from . import story as letter_story
from .bundle import Bundle, LoggedEntry, load_bundle
from .canonical import plain_json
from .checkpoint import Checkpoint, parse_checkpoint
from .commitment import check_opening
from .cosignature import Cosigned, WitnessKey, check_cosignatures
from .errors import (
    ChainError,
    CheckpointError,
    ConsistencyError,
    HeadError,
    MalformedBundle,
    OpeningError,
    SignatureError,
    VerificationError,
    WitnessError,
)
from .events import (
    ORG_REGISTERED,
    EventError,
    parse_event,
    validate_event,  # parse_event's checks of a decoded event
    validate_private_fields,
)
from .head import Head, parse_head
from .merkle import InclusionChecker, leaf_hash, verify_consistency
from .note import NoteError, Verifier, open_note
from .statements import statement_for_event, verify_event_statement

USAGE_EXIT = 64
SIGNED_TYPES = ("signature.signed", "signature.withdrawn", "letter.delivered", "delivery.acknowledged")


@dataclass
class StepResult:
    number: int
    name: str
    detail: str


@dataclass
class Report:
    steps: list[StepResult] = field(default_factory=list)
    facts: dict = field(default_factory=dict)

    def passed(self, number: int, name: str, detail: str) -> None:
        self.steps.append(StepResult(number, name, detail))


# --- the steps -----------------------------------------------------------------------------


def check_shape(data: str | bytes | dict) -> Bundle:
    """Step 1: the bundle parses and has the documented shape."""
    return load_bundle(data)


def check_checkpoint(bundle: Bundle, pinned_vkey: str | None) -> tuple[Verifier, Checkpoint]:
    """Step 2: the checkpoint is signed by the log's key (the pinned one when given)."""
    if pinned_vkey is not None and pinned_vkey != bundle.vkey:
        raise CheckpointError(f"expected log key {pinned_vkey}, the bundle names {bundle.vkey}")
    try:
        verifier = Verifier.from_vkey(bundle.vkey)
        checkpoint = parse_checkpoint(open_note(bundle.checkpoint, verifier))
    except NoteError as error:
        raise CheckpointError(f"checkpoint note: {error}") from None
    except ValueError as error:
        raise CheckpointError(f"checkpoint body: {error}") from None
    if checkpoint.origin != bundle.origin:
        raise CheckpointError(f"expected origin {bundle.origin!r}, the checkpoint names {checkpoint.origin!r}")
    return verifier, checkpoint


def check_witnesses(note_text: str, witnesses: list[WitnessKey], threshold: int) -> Cosigned:
    """Step 2, with witnesses named: at least ``threshold`` of them cosigned the checkpoint
    (C2SP tlog-cosignature v1), so it is the one tree they saw for this log at that size."""
    try:
        cosigned = check_cosignatures(note_text, witnesses)
    except ValueError as error:  # checked as the log's note in step 2 already
        raise WitnessError(f"checkpoint note: {error}") from None
    if len(cosigned.valid) < threshold:
        found = [f"{label} (cosigned at {time})" for label, time in cosigned.valid.items()]
        found += [f"{label} (its line does not verify)" for label in cosigned.invalid]
        found += [f"{label} (no line)" for label in cosigned.missing]
        raise WitnessError(
            f"the checkpoint carries {len(cosigned.valid)} valid cosignatures of the "
            f"{len(witnesses)} witnesses given, {threshold} required: {'; '.join(found)}"
        )
    return cosigned


def leaf_hashes(items: list[LoggedEntry]) -> list[bytes]:
    """The entries' leaf hashes, which both the inclusion and the chain steps need."""
    return [leaf_hash(item.entry) for item in items]


def check_inclusion(
    items: list[LoggedEntry], checkpoint: Checkpoint, leaves: list[bytes] | None = None
) -> list[tuple[int, dict]]:
    """Step 3: every entry is in the checkpoint's tree; returns the decoded events.
    ``leaves`` are ``leaf_hashes(items)`` when the caller has them."""
    tree = InclusionChecker(checkpoint.size, checkpoint.root)
    for item, leaf in zip(items, leaf_hashes(items) if leaves is None else leaves, strict=True):
        tree.verify(leaf, item.index, item.proof)
    return list(zip([item.index for item in items], decode_events(items), strict=True))


def decode_events(items: list[LoggedEntry]) -> list[dict]:
    """``parse_event`` of every entry, raising MalformedBundle for the first that is not an event.

    The entries' JSON is read in one ``json.loads`` of ``[e0,e1,...]``, which takes half the
    time of one call per entry (and shares the field names). That is exactly the events
    ``parse_event`` reads when each JSON value it yields re-encodes (JCS) to its own entry:
    a JSON text is self-delimiting before a comma or bracket, so the parser's value i then
    spans exactly entry i. Otherwise, or on any error, each entry goes through ``parse_event``,
    which says what is wrong with the first bad one."""
    events = _decode_events_together([item.entry for item in items])
    if events is None:
        events = [_decode_event(item) for item in items]
    return events


def _decode_events_together(entries: list[bytes]) -> list[dict] | None:
    try:
        events = json.loads((b"[" + b",".join(entries) + b"]").decode("utf-8"))
        if len(events) != len(entries):
            return None
        for event, entry in zip(events, entries, strict=True):
            # parse_event's checks on its json.loads result, in its order.
            if type(event) is not dict:
                return None
            validate_event(event)
            if plain_json(event) != entry:
                return None
    except (ValueError, RecursionError):  # EventError is a ValueError, as are JSON's and UTF-8's errors
        return None
    return events


def _decode_event(item: LoggedEntry) -> dict:
    try:
        return parse_event(item.entry)
    except EventError as error:
        raise MalformedBundle(f"entry at index {item.index} is not an undersigned event: {error}") from None


def check_openings(events: list[tuple[int, dict]], openings: list[dict]) -> dict[int, dict]:
    """Step 4: every opening opens its entry's commitment; returns fields by log index."""
    by_index = dict(events)
    opened = {}
    for opening in openings:
        event = by_index[opening["index"]]
        check_opening(event, opening)
        try:
            validate_private_fields(event["type"], opening["fields"])
        except EventError as error:
            raise OpeningError(f"opening for index {opening['index']}: {error}") from None
        opened[opening["index"]] = opening["fields"]
    return opened


def check_signatures(events: list[tuple[int, dict]], opened: dict[int, dict], keys: list[tuple[int, dict]]) -> int:
    """Step 5: each opened statement is signed by its organisation's key as registered
    most recently before the event; returns how many were checked."""
    registrations = _registrations(keys)
    checked = 0
    for index, event in events:
        if event["type"] in SIGNED_TYPES and index in opened:
            statement = statement_for_event(event, opened[index])  # both checked in steps 3 and 4
            key = _key_before(registrations, statement["org"], index)
            verify_event_statement(key, statement, opened[index]["signature"])
            checked += 1
    return checked


def _registrations(keys: list[tuple[int, dict]]) -> dict[str, list[tuple[int, str]]]:
    """Each organisation's ``(log index, key)`` registrations in the bundle's keys."""
    by_org: dict[str, list[tuple[int, str]]] = {}
    for index, event in keys:
        if event["type"] != ORG_REGISTERED:
            raise MalformedBundle(f"keys: index {index} is a {event['type']} event, not {ORG_REGISTERED}")
        by_org.setdefault(event["org"], []).append((index, event["key"]))
    for registered in by_org.values():
        registered.sort()
    return by_org


def _key_before(registrations: dict[str, list[tuple[int, str]]], org: str, index: int) -> str:
    """The key of ``org``'s latest registration before ``index`` (registrations are sorted)."""
    key = None
    for at, registered_key in registrations.get(org, ()):
        if at >= index:
            break
        key = registered_key
    if key is None:
        raise SignatureError(f"index {index}: no {ORG_REGISTERED} of {org!r} before it in the bundle's keys")
    return key


def check_chain(items: list[LoggedEntry], events: list[tuple[int, dict]], leaves: list[bytes] | None = None) -> str:
    """Step 6: the events form one letter's unbroken chain (handle, seq, prev), in log
    order; returns the handle. ``leaves`` are ``leaf_hashes(items)`` when the caller has them."""
    leaves = leaf_hashes(items) if leaves is None else leaves
    first_index, first = events[0]
    handle = first.get("handle")
    if not isinstance(handle, str):
        raise ChainError(f"index {first_index}: a {first.get('type')} event names no letter")
    previous = None
    for position, (item, (index, event)) in enumerate(zip(items, events, strict=True)):
        if event.get("handle") != handle:
            raise ChainError(f"index {index}: expected handle {handle!r}, found {event.get('handle')!r}")
        if previous is not None and index <= previous.index:
            raise ChainError(f"index {index} follows index {previous.index}: entries are not in log order")
        if event["seq"] != position:
            raise ChainError(f"index {index}: expected seq {position}, found {event['seq']}")
        expected_prev = leaves[position - 1].hex() if previous else None
        if event["prev"] != expected_prev:
            raise ChainError(f"index {index}: expected prev {expected_prev}, found {event['prev']}")
        previous = item
    return handle


def check_head(
    bundle: Bundle, verifier: Verifier, checkpoint: Checkpoint, handle: str, events: list[tuple[int, dict]]
) -> Head:
    """Step 6, its end: the log signed, with its checkpoint key, that at the checkpoint's size
    the letter's last event is the bundle's last. Without it nothing shows that the bundle's
    events are not a prefix of a longer history (a server leaving off a withdrawal, say)."""
    if bundle.head is None:
        raise HeadError(
            "the bundle carries no signed head, so its events may stop before the letter's last "
            "(a bundle made before heads were signed has none: fetch it again)"
        )
    try:
        head = parse_head(open_note(bundle.head, verifier))
    except NoteError as error:
        raise HeadError(f"head note: {error} (the head must be signed by the log's key)") from None
    except ValueError as error:
        raise HeadError(f"head: {error}") from None
    if (head.origin, head.handle, head.size) != (checkpoint.origin, handle, checkpoint.size):
        raise HeadError(
            f"the head is about letter {head.handle} in the tree of {head.origin} of size {head.size}, "
            f"the bundle about letter {handle} in the tree of {checkpoint.origin} of size {checkpoint.size}"
        )
    last_index, last = events[-1]
    if (head.index, head.seq) != (last_index, last["seq"]):
        where = "stop before" if head.index > last_index else "go past"
        raise HeadError(
            f"the bundle's events {where} the letter's head: its last event is index {last_index}, "
            f"seq {last['seq']}; the log's signed head at size {head.size} says index {head.index}, "
            f"seq {head.seq}"
        )
    return head


def check_story(handle: str, events: list[tuple[int, dict]], opened: dict[int, dict], head: Head | None) -> dict:
    """Step 7: the letter's story follows the rules; returns the facts it establishes, with
    what they prove about the letter at the checkpoint (``status``, ``complete``)."""
    learnt = letter_story.facts(letter_story.tell(handle, events, opened))
    return {"handle": handle, **what_the_history_proves(learnt, head), **learnt}


def what_the_history_proves(learnt: dict, head: Head | None) -> dict:
    """Whether the bundle's events are the letter's whole history, and its status if proven.

    The chain proves that no event is missing between the first and the last; the signed head
    (step 6) that none follows the last in the checkpoint's tree. With it, the status at the
    last event is the letter's status at the checkpoint. Without one (``head`` None, for a
    caller that checks the story alone) it is proven only when no later event can change it
    (published, abandoned): the letter reached ``status_at_last_event`` and may have moved on."""
    at_last = learnt["status_at_last_event"]
    complete = head is not None
    proven = complete or at_last in lifecycle.FINAL
    facts = {"status": at_last if proven else None, "complete": complete}
    if head is not None:
        facts["head"] = {"size": head.size, "index": head.index, "seq": head.seq}
    return facts


def check_consistency(bundle: Bundle, verifier: Verifier, checkpoint: Checkpoint, since_note: str) -> int:
    """Step 8: the bundle's checkpoint extends the earlier one the reader kept."""
    try:
        old = parse_checkpoint(open_note(since_note, verifier))
    except ValueError as error:
        raise ConsistencyError(f"earlier checkpoint: {error}") from None
    if old.origin != checkpoint.origin:
        raise ConsistencyError(f"expected origin {checkpoint.origin!r}, earlier checkpoint names {old.origin!r}")
    proof = bundle.consistency
    if proof is None and old.size != checkpoint.size:
        raise ConsistencyError(f"bundle carries no consistency proof from size {old.size}")
    if proof is not None and proof.old_size != old.size:
        raise ConsistencyError(f"expected a proof from size {old.size}, the bundle's is from {proof.old_size}")
    verify_consistency(old.size, checkpoint.size, old.root, checkpoint.root, proof.proof if proof else [])
    return old.size


@dataclass(frozen=True)
class WitnessPolicy:
    """The witnesses a reader trusts, and how many of them must have cosigned."""

    witnesses: list[WitnessKey]
    threshold: int

    @classmethod
    def from_vkeys(cls, vkeys: list[str], threshold: int | None = None) -> "WitnessPolicy":
        """Raises ValueError for a bad vkey, a repeated witness or a threshold out of 1..len(vkeys)."""
        witnesses = [WitnessKey.from_vkey(vkey) for vkey in vkeys]
        if len({w.label for w in witnesses}) != len(witnesses):
            raise ValueError("a witness is given twice")
        threshold = len(witnesses) if threshold is None else threshold
        if not 1 <= threshold <= len(witnesses):
            raise ValueError(
                f"--witness-threshold {threshold} is not between 1 and the {len(witnesses)} witnesses given"
            )
        return cls(witnesses, threshold)


def verify_bundle(
    data: str | bytes | dict,
    vkey: str | None = None,
    since: str | None = None,
    report: Report | None = None,
    witnesses: WitnessPolicy | None = None,
) -> Report:
    """Run every step on a bundle (JSON text, bytes or object); raise the first failure.

    ``vkey`` pins the log's key; ``since`` is an earlier checkpoint note to prove
    consistency with; ``witnesses`` asks for cosignatures on the checkpoint. ``report``
    (filled as steps pass) keeps partial facts on failure.
    """
    report = report if report is not None else Report()
    with _cycle_collection_paused():
        _run_steps(data, vkey, since, report, witnesses)
    return report


@contextlib.contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    """Python's cyclic garbage collector, off while a bundle is checked. The steps build tens
    of thousands of containers (parsed JSON, proofs, events), none of them in a cycle, and
    their number alone sets off the collector's passes over them and over everything else
    the process holds: 2-3% of a bundle's time, to free nothing. Reference counting still
    frees everything as usual; anything cyclic is collected once the collector is back on.
    (The switch is process-wide, as gc.disable is; it is left off if it was off.)"""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _run_steps(
    data: str | bytes | dict, vkey: str | None, since: str | None, report: Report, witnesses: WitnessPolicy | None
) -> None:
    bundle = check_shape(data)
    report.passed(
        1, "bundle shape", f"{len(bundle.entries)} entries, {len(bundle.openings)} openings, {len(bundle.keys)} keys"
    )
    verifier, checkpoint = check_checkpoint(bundle, vkey)
    report.facts["log"] = {"origin": checkpoint.origin, "size": checkpoint.size, "root": checkpoint.root.hex()}
    signed_by = f"{verifier.name}+{verifier.key_id.hex()} signed size {checkpoint.size}"
    if witnesses is not None:
        cosigned = check_witnesses(bundle.checkpoint, witnesses.witnesses, witnesses.threshold)
        report.facts["witnesses"] = cosigned.valid
        signed_by += (
            f"; cosigned by {len(cosigned.valid)} of {len(witnesses.witnesses)} witnesses "
            f"({witnesses.threshold} required)"
        )
    report.passed(2, "checkpoint signature", signed_by)
    leaves = leaf_hashes(bundle.entries)
    events = check_inclusion(bundle.entries, checkpoint, leaves)
    keys = check_inclusion(bundle.keys, checkpoint)
    report.passed(3, "inclusion proofs", f"{len(events) + len(keys)} entries in the tree of size {checkpoint.size}")
    opened = check_openings(events, bundle.openings)
    report.passed(4, "openings", f"{len(opened)} commitments opened")
    signed = check_signatures(events, opened, keys)
    report.passed(5, "organisation signatures", f"{signed} statements verified")
    handle = check_chain(bundle.entries, events, leaves)
    head = check_head(bundle, verifier, checkpoint, handle, events)
    report.passed(
        6,
        "per-letter chain",
        f"{len(events)} events of letter {handle}, up to its head as the log signed it at size {head.size}",
    )
    report.facts.update(check_story(handle, events, opened, head))
    report.passed(7, "story", _status_detail(report.facts))
    if since is not None:
        old_size = check_consistency(bundle, verifier, checkpoint, since)
        report.passed(8, "consistency", f"size {checkpoint.size} extends size {old_size}")


# --- the command ---------------------------------------------------------------------------


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="undersigned verify", description="Check a letter's verification bundle offline.")
    parser.add_argument("bundle", help="bundle file, or - for standard input")
    parser.add_argument("--vkey", help="the log's verifier key to require")
    parser.add_argument("--since", metavar="FILE", help="an earlier checkpoint note to check consistency with")
    add_witness_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print a machine-readable verdict")
    return parser


def add_witness_arguments(parser: argparse.ArgumentParser) -> None:
    """``--witness VKEY`` (repeatable) and ``--witness-threshold K``, for verify and log audit."""
    parser.add_argument(
        "--witness",
        action="append",
        default=[],
        metavar="VKEY",
        help="a witness's cosignature vkey; the checkpoint must carry its cosignature (again for more witnesses)",
    )
    parser.add_argument(
        "--witness-threshold",
        type=int,
        metavar="K",
        help="how many of the witnesses given must have cosigned (default: all)",
    )


def witness_policy(args: argparse.Namespace) -> WitnessPolicy | None:
    """The policy of parsed ``--witness`` arguments, None without any; raises ValueError."""
    if not args.witness:
        if args.witness_threshold is not None:
            raise ValueError("--witness-threshold needs at least one --witness")
        return None
    try:
        return WitnessPolicy.from_vkeys(args.witness, args.witness_threshold)
    except ValueError as error:
        raise ValueError(f"--witness: {error}") from None


def _read(path: str, stdin: TextIO) -> str:
    if path == "-":
        return stdin.read()
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def _verdict(report: Report, error: VerificationError | None) -> dict:
    failure = None
    if error is not None:
        failure = {"step": error.step, "code": error.exit_code, "message": error.message}
    return {"ok": error is None, "error": failure, "facts": report.facts}


def _status_detail(facts: dict) -> str:
    if facts["status"] is not None:
        return f"status {facts['status']}"
    return f"status at the bundle's last event: {facts['status_at_last_event']}"


def _history_lines(facts: dict) -> list[str]:
    """What the verdict says of the letter's status: proven, since the signed head (step 6)
    shows the bundle's last event is the letter's last in the checkpoint's tree."""
    last = facts["last_event"]
    last_event = f"seq {last['seq']}, log index {last['index']}, {last['type']} at {last['time']}"
    lines = [
        f"Verified: letter {facts['handle']}, status {facts['status']}",
        f"  complete at the checkpoint: the log's signed head at size {facts['log']['size']} names its "
        f"last event ({last_event})",
    ]
    for label, timestamp in facts.get("witnesses", {}).items():
        at = datetime.datetime.fromtimestamp(timestamp, datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        lines.append(f"  checkpoint cosigned by witness {label} at {at}")
    return lines


def _readable(report: Report, error: VerificationError | None) -> str:
    lines = [f"  {s.number}. {s.name}: ok ({s.detail})" for s in report.steps]
    if error is not None:
        lines.append(f"FAILED at {error.step} (exit {error.exit_code}): {error.message}")
        return "\n".join(lines)
    facts = report.facts
    lines += _history_lines(facts)
    lines += [f"  version {v['version']} {v['hash']}: {v['signatures']} live signatures" for v in facts["versions"]]
    lines += [
        f"  delivery {d['delivery']} of version {d['version']}: {d['count']} signatories"
        f"{' (addendum)' if d['addendum_to'] else ''}{', acknowledged' if d['acknowledged'] else ''}"
        for d in facts["deliveries"]
    ]
    lines += [f"  {name}: {value}" for name, value in facts.get("names", {}).items()]
    return "\n".join(lines)


USAGE = (
    "usage: undersigned verify BUNDLE [--vkey K] [--since FILE] [--witness VKEY]... [--witness-threshold K] [--json]"
)


def main(argv: list[str] | None = None, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    """``undersigned verify BUNDLE [--vkey K] [--since FILE] [--witness VKEY]... [--witness-threshold K]
    [--json]``; returns the exit code. ``argv`` are the arguments after ``verify`` (a leading
    ``verify`` is skipped)."""
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["verify"]:
        argv = argv[1:]  # tolerate being handed the whole command line
    try:
        args = _parser().parse_args(argv)
        policy = witness_policy(args)
        since = _read(args.since, stdin) if args.since else None
    except (_UsageError, ValueError, OSError) as refusal:  # an unreadable FILE is an OSError or a ValueError
        print(f"{USAGE}\n{refusal}", file=sys.stderr)
        return USAGE_EXIT
    report = Report()
    error: VerificationError | None = None
    try:
        verify_bundle(_read(args.bundle, stdin), args.vkey, since, report, policy)
    except OSError as failure:
        error = MalformedBundle(f"cannot read {args.bundle}: {failure}")
    except UnicodeDecodeError as failure:
        error = MalformedBundle(f"{args.bundle} is not UTF-8: {failure}")
    except VerificationError as failure:
        error = failure
    print(json.dumps(_verdict(report, error), indent=2) if args.json else _readable(report, error), file=stdout)
    return 0 if error is None else error.exit_code
