"""A report's lifecycle, written once: its statuses, and for each event the statuses it may
happen in and the status after it.

The server's actions (reports/states.py) refuse what this forbids and the verifier's report
story (ledger/report_story.py) refuses a log that shows it. DESIGN.md, "Reports shared with the
State concerned": written -> shared with the State concerned (again after a revision) ->
published. Pure Python: the offline verifier imports it.
"""

from . import report_events as ev
from .lifecycle import Step

NOT_CREATED = ""  # before the report.created event
DRAFT = "draft"  # written by the Office, shared with nobody yet
SHARED = "shared"  # a version is with the State concerned for comment
PUBLISHED = "published"

STATUSES = (DRAFT, SHARED, PUBLISHED)


def _step(allowed_from: set[str], status_after: str | None = None) -> Step:
    return Step(frozenset(allowed_from), status_after)


STEPS: dict[str, Step] = {
    ev.REPORT_CREATED: _step({NOT_CREATED}, DRAFT),
    # The Office revises before sharing, and after comments (a revision answering them).
    ev.REPORT_VERSION: _step({DRAFT, SHARED}),
    # Sharing again: a revised version, or a new deadline.
    ev.REPORT_SHARED: _step({DRAFT, SHARED}, SHARED),
    ev.REPORT_ACKNOWLEDGED: _step({SHARED}),
    # Comments after the deadline are recorded as late; after publication they are refused.
    ev.REPORT_COMMENTED: _step({SHARED}),
    # Only a version that was shared may be published, so never from draft.
    ev.REPORT_PUBLISHED: _step({SHARED}, PUBLISHED),
}


def allowed_from(event_type: str) -> frozenset[str]:
    """The statuses in which an event of ``event_type`` may happen."""
    return STEPS[event_type].allowed_from


def refusal(event_type: str, status: str) -> str:
    """Why an event of ``event_type`` may not happen while the report is ``status``."""
    if status == NOT_CREATED:
        return f"{event_type} before report.created"
    allowed = STEPS[event_type].allowed_from
    if allowed == {NOT_CREATED}:
        return f"{event_type} while the report is {status}; it can only be a report's first event"
    named = ", ".join(s for s in STATUSES if s in allowed)
    return f"{event_type} while the report is {status}; allowed from {named}"
