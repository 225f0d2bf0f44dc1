"""A report's states and the statuses each action may start from, as the server's actions read
them: ledger/report_lifecycle.py's, the one lifecycle the offline verifier enforces too."""

from django.utils.translation import gettext_lazy as _

from ledger import report_events as events
from ledger import report_lifecycle as lifecycle

DRAFT = lifecycle.DRAFT
SHARED = lifecycle.SHARED
PUBLISHED = lifecycle.PUBLISHED

_LABELS = {DRAFT: _("Draft"), SHARED: _("Shared with the State concerned"), PUBLISHED: _("Published")}
STATUSES = [(status, _LABELS[status]) for status in lifecycle.STATUSES]

REVISABLE = lifecycle.allowed_from(events.REPORT_VERSION)
SHAREABLE = lifecycle.allowed_from(events.REPORT_SHARED)
ACKNOWLEDGEABLE = lifecycle.allowed_from(events.REPORT_ACKNOWLEDGED)
COMMENTABLE = lifecycle.allowed_from(events.REPORT_COMMENTED)
PUBLISHABLE = lifecycle.allowed_from(events.REPORT_PUBLISHED)


def label(status: str) -> str:
    return str(dict(STATUSES).get(status, status))
