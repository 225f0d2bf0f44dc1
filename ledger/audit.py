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
   that anyone holding the log's key can check;
8. the log's key events (``key.registered``, ``key.approved``, ``key.rotated``,
   ``key.revoked``) make one history of the organisations' own keys, replayed as the verifier
   replays a bundle's, each approval's proof checked.

Failures are ``ledger.errors`` exceptions, collected in the report; steps 1-3 stop the audit
(what follows would rest on data the checkpoint does not vouch for), steps 4, 5, 7 and 8 report
every problem they find, and step 6 runs only on an unbroken chain. Step 8's findings come last,
so that the exit code stays the letter's own when its history has a problem too.

Steps 1, 5 and 6 are here; steps 2-4 in ``ledger.audit_tree``, step 7 in ``ledger.false_head``,
step 8 in ``ledger.audit_keys``.
The command line is ``ledger.audit_command``; reading the log over HTTP, ``ledger.log_fetch``.
"""

from . import report_story
from . import story as letter_story
from .audit_keys import key_history_problems
from .audit_report import AuditEvent, AuditReport, StopAudit, stop
from .audit_tree import read_log
from .checkpoint import Checkpoint, parse_checkpoint
from .errors import ChainError, CheckpointError, VerificationError
from .false_head import check_head, read_head
from .log_fetch import Fetch
from .note import NoteError, Verifier, open_note
from .verify import check_witnesses
from .witness_policy import WitnessPolicy


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
        head = read_head(head_note, Verifier.from_vkey(vkey), checkpoint, handle, report)
        letter, unparsed, log = read_log(fetch, checkpoint, handle, report, {head.index} if head else set())
        report.problems.extend(unparsed)
        report.events = [
            AuditEvent(index, event.get("seq"), event["type"], event["time"])  # parse_event checked them
            for index, event, _ in letter
        ]
        chain_problems = _chain_problems(handle, letter, checkpoint.size)
        report.problems.extend(chain_problems)
        if letter and not chain_problems and not unparsed:
            events = [(index, event) for index, event, _ in letter]
            # A report's handle has a report's events: its own lifecycle (ledger/report_story.py).
            teller = report_story.tell if report_story.is_report(events) else letter_story.tell
            report.status = teller(handle, events, {}).status
        if head is not None and head_note is not None:
            check_head(head, head_note, note, checkpoint, letter, log, report)
        report.key_events = len(log.key_events)
        report.problems.extend(key_history_problems(log.key_events))
    except StopAudit:
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
        stop(report, CheckpointError(f"checkpoint is not UTF-8: {error}"))
    except NoteError as error:
        stop(report, CheckpointError(f"checkpoint note: {error}"))
    except ValueError as error:
        stop(report, CheckpointError(f"checkpoint body: {error}"))
    if origin is not None and checkpoint.origin != origin:
        stop(report, CheckpointError(f"expected origin {origin!r}, the checkpoint names {checkpoint.origin!r}"))
    report.origin, report.size, report.root = checkpoint.origin, checkpoint.size, checkpoint.root.hex()
    report.key = f"{verifier.name}+{verifier.key_id.hex()}"
    if witnesses is not None:
        try:
            report.witnesses = check_witnesses(text, witnesses.witnesses, witnesses.threshold).valid
        except VerificationError as problem:
            stop(report, problem)
    return checkpoint, text


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
