"""``undersigned verify``: the offline verifier of a letter's bundle (docs/record.md,
"Verification bundle"). The eight steps run in order, in ``verify_bundle``; the first
failure raises a VerificationError whose ``exit_code`` the command returns. Step 2 also
counts the witnesses' cosignatures when the reader names witnesses; step 6 ends the chain at
the letter's head as the log signed it.

Step 5 (the organisations' signatures) is in ``ledger.verify_signatures``; the command line and
its printed verdict in ``ledger.verify_command``; the witnesses a reader names in
``ledger.witness_policy``."""

import contextlib
import gc
import json
from collections.abc import Iterator
from dataclasses import dataclass, field

from . import lifecycle, report_story
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
    WitnessError,
)
from .events import (
    EventError,
    parse_event,
    validate_event,  # parse_event's checks of a decoded event
    validate_private_fields,
)
from .head import Head, parse_head
from .merkle import InclusionChecker, leaf_hash, verify_consistency
from .note import NoteError, Verifier, open_note
from .verify_signatures import action_key_kinds, check_signatures, signature_key_kinds
from .witness_policy import WitnessPolicy


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
    if report_story.is_report(events):  # a report's bundle: its own lifecycle (ledger/report_story.py)
        return {"handle": handle, **report_story.facts(report_story.tell(handle, events, opened), head is not None)}
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
    signed = check_signatures(events, opened, keys) + report_story.check_signatures(events, opened, keys)
    report.passed(5, "organisation signatures", f"{signed} statements verified")
    handle = check_chain(bundle.entries, events, leaves)
    head = check_head(bundle, verifier, checkpoint, handle, events)
    report.passed(
        6,
        "per-letter chain",
        f"{len(events)} events of letter {handle}, up to its head as the log signed it at size {head.size}",
    )
    report.facts.update(check_story(handle, events, opened, head))
    report.facts["signatures"] = signature_key_kinds(events)
    report.facts["actions"] = action_key_kinds(events)
    report.passed(7, "story", _status_detail(report.facts))
    if since is not None:
        old_size = check_consistency(bundle, verifier, checkpoint, since)
        report.passed(8, "consistency", f"size {checkpoint.size} extends size {old_size}")


def _status_detail(facts: dict) -> str:
    if facts["status"] is not None:
        return f"status {facts['status']}"
    return f"status at the bundle's last event: {facts['status_at_last_event']}"
