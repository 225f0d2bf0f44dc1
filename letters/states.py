"""A letter's states and the transitions allowed between them, as the server's actions read them.

The statuses and the statuses each action may start from are ledger/lifecycle.py's, the one
lifecycle the offline verifier enforces too: what an action may do here, a bundle may show.
"""

from django.utils.translation import gettext_lazy as _

from ledger import events, lifecycle

DRAFT = lifecycle.DRAFT
CIRCULATING = lifecycle.CIRCULATING
CLOSED = lifecycle.CLOSED
DELIVERED = lifecycle.DELIVERED
PUBLISHED = lifecycle.PUBLISHED
ABANDONED = lifecycle.ABANDONED

_LABELS = {
    DRAFT: _("Draft"),
    CIRCULATING: _("Circulating"),
    CLOSED: _("Closed"),
    DELIVERED: _("Delivered"),
    PUBLISHED: _("Published"),
    ABANDONED: _("Abandoned"),
}
STATUSES = [(status, _LABELS[status]) for status in lifecycle.STATUSES]

# Which states each action may start from: those in which the lifecycle allows its event.
EDITABLE = lifecycle.allowed_from(events.VERSION_CREATED)
CIRCULATABLE = lifecycle.allowed_from(events.LETTER_CIRCULATED)  # again while circulating: more invitees
CLOSABLE = lifecycle.allowed_from(events.LETTER_CLOSED)
DELIVERABLE = lifecycle.allowed_from(events.LETTER_DELIVERED)  # while delivered: an addendum
# Signatures after delivery are accepted and recorded as late, as real co-sponsor lists grow.
SIGNABLE = lifecycle.allowed_from(events.SIGNATURE_SIGNED)
LATE = lifecycle.LATE
WITHDRAWABLE = lifecycle.allowed_from(events.SIGNATURE_WITHDRAWN)
PUBLISHABLE = lifecycle.allowed_from(events.LETTER_PUBLISHED)
ABANDONABLE = lifecycle.allowed_from(events.LETTER_ABANDONED)
NAMES_CHANGEABLE = lifecycle.allowed_from(events.LETTER_VISIBILITY)  # who sees the names
ACKNOWLEDGEABLE = lifecycle.allowed_from(events.DELIVERY_ACKNOWLEDGED)  # a delivery exists

# Who may see the names of signatories before publication.
NAMES_PENHOLDER = "penholder"
NAMES_INVITEES = "invitees"
NAMES_PUBLIC = "public"
NAMES_VISIBILITY = [
    (NAMES_PENHOLDER, _("The penholder alone (and the addressee, who receives the list)")),
    (NAMES_INVITEES, _("Every invitee")),
    (NAMES_PUBLIC, _("Everyone")),
]


def label(status: str) -> str:
    """The status as people read it, in the active language."""
    return str(dict(STATUSES).get(status, status))
