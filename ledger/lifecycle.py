"""A letter's lifecycle, written once: its statuses, and for each event the statuses it may
happen in and the status after it.

The server's actions refuse what this forbids (letters/states.py takes its sets from here)
and the verifier's story refuses a log that shows it (ledger/story.py), so what one allows
the other accepts. DESIGN.md: draft -> circulating -> closed -> delivered -> published, and
abandoned from any status before delivery. Pure Python: the offline verifier imports it.
"""

from typing import NamedTuple

from . import events as ev

NOT_CREATED = ""  # a letter's status before its letter.created event
DRAFT = "draft"
CIRCULATING = "circulating"
CLOSED = "closed"
DELIVERED = "delivered"
PUBLISHED = "published"
ABANDONED = "abandoned"

STATUSES = (DRAFT, CIRCULATING, CLOSED, DELIVERED, PUBLISHED, ABANDONED)


class Step(NamedTuple):
    """What an event of one type may follow, and what it leaves."""

    allowed_from: frozenset[str]
    status_after: str | None  # None: the event leaves the status as it was


def _step(allowed_from: set[str], status_after: str | None = None) -> Step:
    return Step(frozenset(allowed_from), status_after)


STEPS: dict[str, Step] = {
    ev.LETTER_CREATED: _step({NOT_CREATED}, DRAFT),
    ev.VERSION_CREATED: _step({DRAFT, CIRCULATING}),
    # Circulating again invites more organisations or moves the deadline.
    ev.LETTER_CIRCULATED: _step({DRAFT, CIRCULATING}, CIRCULATING),
    ev.LETTER_VISIBILITY: _step({DRAFT, CIRCULATING, CLOSED, DELIVERED}),
    # Signatures after delivery are late and allowed, as real co-sponsor lists grow.
    ev.SIGNATURE_SIGNED: _step({CIRCULATING, DELIVERED, PUBLISHED}),
    ev.SIGNATURE_WITHDRAWN: _step({CIRCULATING, CLOSED, DELIVERED, PUBLISHED}),
    ev.LETTER_CLOSED: _step({CIRCULATING}, CLOSED),
    # While delivered: an addendum with the signatures that came since.
    ev.LETTER_DELIVERED: _step({CIRCULATING, CLOSED, DELIVERED}, DELIVERED),
    # A delivery exists from delivered on; the addressee may acknowledge it after publication too.
    ev.DELIVERY_ACKNOWLEDGED: _step({DELIVERED, PUBLISHED}),
    ev.LETTER_PUBLISHED: _step({DELIVERED}, PUBLISHED),
    ev.LETTER_ABANDONED: _step({DRAFT, CIRCULATING, CLOSED}, ABANDONED),
}

# A signature or withdrawal made in these statuses comes after delivery: it is recorded as late.
LATE = frozenset({DELIVERED, PUBLISHED})


def allowed_from(event_type: str) -> frozenset[str]:
    """The statuses in which an event of ``event_type`` may happen."""
    return STEPS[event_type].allowed_from


def _is_final(status: str) -> bool:
    return all(step.status_after in (None, status) for step in STEPS.values() if status in step.allowed_from)


# Statuses no later event can change (published, abandoned): the status a history shows when
# it reaches one of them is the letter's status for good, whatever events may follow.
FINAL = frozenset(status for status in STATUSES if _is_final(status))


def refusal(event_type: str, status: str) -> str:
    """Why an event of ``event_type`` may not happen while the letter is ``status``, a status
    outside its ``allowed_from``."""
    allowed = STEPS[event_type].allowed_from
    if status == NOT_CREATED:
        return f"{event_type} before letter.created"
    if allowed == {NOT_CREATED}:
        return f"{event_type} while the letter is {status}; it can only be a letter's first event"
    named = ", ".join(s for s in STATUSES if s in allowed)
    return f"{event_type} while the letter is {status}; allowed from {named}"
