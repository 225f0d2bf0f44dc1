"""The penholder's reminder to the invitees that have not answered: the signers of every invited
organisation with no live signature on the current version get a mail pointing at the letter.

A reminder changes nothing on the letter, so it appends no event. It is sent at most once a day
per person and letter: the mail's key carries the day, and letters.notify sends a key once.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from letters import states
from letters.actions.common import after_commit, lock_letter, now, require_penholder_drafter, require_state
from letters.models import Invitation, Signature
from orgs.actors import actor_of


def unanswered(letter) -> list[int]:
    """The invited organisations with no live signature on the current version."""
    signed = set(
        Signature.objects.filter(
            letter=letter, withdrawn_at=None, replaced_at=None, version__number=letter.current_version
        ).values_list("organisation_id", flat=True)
    )
    invited = Invitation.objects.filter(letter=letter).order_by("organisation_id")
    return [i for i in invited.values_list("organisation_id", flat=True) if i not in signed]


def remind_unanswered(actor, letter_id, at=None) -> list[int]:
    """Queue the reminder; returns the organisations reminded (empty if all have answered)."""
    actor = actor_of(actor)
    at = now(at)
    with transaction.atomic():
        letter = lock_letter(actor, letter_id)
        require_penholder_drafter(actor, letter)
        require_state(letter, {states.CIRCULATING}, _("A reminder"))
        pending = unanswered(letter)
        if pending:
            after_commit("reminded", letter.id, timezone.localdate(at).isoformat(), pending)
    return pending
