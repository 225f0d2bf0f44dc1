"""Step 8 of ``undersigned log audit`` (``ledger.audit``): the organisations' own keys, as the
log's key events tell their lives (ledger/key_events.py), make one history.

A letter's signatures made with keys the signers hold are judged by those keys as the key events
before them left them; ``verify`` replays the events a bundle carries, the audit replays every
key event of the log it reads, in log order, with the verifier's ``KeyRing`` and the same check
of each approval's proof. Each event that does not fit is a finding, and the replay goes on
without it: a key registered twice, or registered active while its organisation had an active
key (only the first is active on the operator's word); an approval, rotation or revocation of a
key never registered for that organisation; an approval or rotation made with a key that was not
active then, of a key that was not waiting, or whose proof is not that key's over the approval;
a key revoked again.
"""

from .errors import KeyHistoryError, SignatureError
from .key_events import KeyEventError, KeyRing
from .verify_signatures import check_approval


def key_history_problems(key_events: list[tuple[int, dict]]) -> list[KeyHistoryError]:
    """Every key event of ``key_events`` (``(log index, event)``, in log order) that does not
    follow from the ones before it, each with the reason."""
    ring = KeyRing()
    problems: list[KeyHistoryError] = []
    for index, event in key_events:
        try:
            ring.apply(index, event, check_approval)
        except KeyEventError as error:  # its message names the index
            problems.append(KeyHistoryError(f"key events: {error}"))
        except SignatureError as error:  # an approval's proof: the verifier's message, which names no index
            reason = error.message.removeprefix("keys: ")
            problems.append(KeyHistoryError(f"key events: index {index}: {reason}"))
    return problems
