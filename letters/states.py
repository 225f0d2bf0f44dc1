"""A letter's states and the transitions allowed between them."""

from django.utils.translation import gettext_lazy as _

DRAFT = "draft"
CIRCULATING = "circulating"
CLOSED = "closed"
DELIVERED = "delivered"
PUBLISHED = "published"
ABANDONED = "abandoned"

STATUSES = [
    (DRAFT, _("Draft")),
    (CIRCULATING, _("Circulating")),
    (CLOSED, _("Closed")),
    (DELIVERED, _("Delivered")),
    (PUBLISHED, _("Published")),
    (ABANDONED, _("Abandoned")),
]

# Which states each action may start from.
EDITABLE = {DRAFT, CIRCULATING}
CIRCULATABLE = {DRAFT, CIRCULATING}
CLOSABLE = {CIRCULATING}
DELIVERABLE = {CIRCULATING, CLOSED, DELIVERED}  # DELIVERED: an addendum
# Signatures after delivery are accepted and recorded as late, as real co-sponsor lists grow.
SIGNABLE = {CIRCULATING, DELIVERED, PUBLISHED}
LATE = {DELIVERED, PUBLISHED}
WITHDRAWABLE = SIGNABLE | {CLOSED}
PUBLISHABLE = {DELIVERED}
ABANDONABLE = {DRAFT, CIRCULATING, CLOSED}

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
