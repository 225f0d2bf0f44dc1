"""Letters that name a report (``concerning_report``), as the report's public page lists them:
each with its handle, status, proven counts per version and delivery status; what anyone
holding the letter's handle may know anyway (letters/public.py)."""

from letters import states
from letters.models import Letter
from letters.queries import counts_by_version, deliveries_of, versions_of


def letters_about(report_handle: str) -> list[dict]:
    # A draft has been shown to nobody: it joins the list once it circulates.
    letters = Letter.objects.filter(concerning_report__handle=report_handle).exclude(status=states.DRAFT)
    return [_summary(letter) for letter in letters.order_by("created_at", "id")]


def _summary(letter: Letter) -> dict:
    deliveries = deliveries_of(letter)
    return {
        "handle": letter.handle,
        "status": letter.status,
        "counts": counts_by_version(letter, versions_of(letter)),
        "delivered": bool(deliveries),
        "acknowledged": any(d.acknowledged_at for d in deliveries),
    }
