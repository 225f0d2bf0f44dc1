"""A letter's states and the transitions allowed between them."""

DRAFT = "draft"
CIRCULATING = "circulating"
CLOSED = "closed"
DELIVERED = "delivered"
PUBLISHED = "published"
ABANDONED = "abandoned"

STATUSES = [
    (DRAFT, "Draft"),
    (CIRCULATING, "Circulating"),
    (CLOSED, "Closed"),
    (DELIVERED, "Delivered"),
    (PUBLISHED, "Published"),
    (ABANDONED, "Abandoned"),
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
    (NAMES_PENHOLDER, "The penholder alone (and the addressee, who receives the list)"),
    (NAMES_INVITEES, "Every invitee"),
    (NAMES_PUBLIC, "Everyone"),
]
