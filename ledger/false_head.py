"""Step 7 of ``undersigned log audit`` (``ledger.audit``): a head of the letter as the log
signed it (``--head``), held against the log. A false one is shown with the proof of the log's
misbehaviour: the later entry of the letter and its inclusion proof against the checkpoint."""

from .audit_report import AuditReport, stop
from .audit_tree import RebuiltLog
from .checkpoint import Checkpoint
from .errors import HeadError
from .head import Head, parse_head
from .note import NoteError, Verifier, open_note


def read_head(
    head_note: str | None, verifier: Verifier, checkpoint: Checkpoint, handle: str, report: AuditReport
) -> Head | None:
    """Step 7, first half: the head is the log's, about this letter, within the audited tree."""
    if head_note is None:
        return None
    try:
        head = parse_head(open_note(head_note, verifier))
    except NoteError as error:
        stop(report, HeadError(f"head note: {error} (a head is signed by the log's key)"))
    except ValueError as error:
        stop(report, HeadError(f"head: {error}"))
    report.head = {"handle": head.handle, "size": head.size, "index": head.index, "seq": head.seq}
    if (head.origin, head.handle) != (checkpoint.origin, handle):
        stop(
            report,
            HeadError(
                f"the head is about letter {head.handle} of {head.origin}, the audit about "
                f"letter {handle} of {checkpoint.origin}"
            ),
        )
    if head.size > checkpoint.size:
        stop(
            report,
            HeadError(
                f"the head is about the tree of size {head.size}, beyond this log's checkpoint "
                f"of size {checkpoint.size}: audit a copy of the log that has caught up"
            ),
        )
    return head


def check_head(
    head: Head,
    head_note: str,
    checkpoint_note: str,
    checkpoint: Checkpoint,
    letter: list[tuple[int, dict, bytes]],
    log: RebuiltLog,
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
