"""Small helpers the page views share: reading form values, mapping action errors to pages."""

from django.http import Http404
from django.utils.translation import gettext as _

from core.errors import ActionError, NotFound
from letters import queries


def letter_or_404(request, letter_id):
    """The letter if this person may see it; a 404 otherwise, exactly as if it did not exist."""
    try:
        return queries.letter_for(request.actor, letter_id)
    except NotFound:
        raise Http404(_("No such letter.")) from None


def number(value):
    """A form field as an int, or the raw value so the action itself refuses it with its message."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def error_status(error: ActionError) -> int:
    if error.status == 404:
        raise Http404(error.message)
    return error.status


def split_list(value: str) -> list[str]:
    """Invitees typed as "pak, cub group:African States": commas or new lines separate items."""
    items = []
    for line in (value or "").replace(",", "\n").splitlines():
        if line.strip():
            items.append(line.strip())
    return items
