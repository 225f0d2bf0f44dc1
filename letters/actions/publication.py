"""The end of a letter's life: published with its names and openings, or abandoned before delivery."""

from django.db import transaction
from django.utils.translation import gettext as _

from ledger import events
from letters import check, states
from letters.actions.common import Outcome, simple_transition
from letters.models import Letter


def publish(actor, letter_id, at=None) -> Outcome[Letter]:
    with transaction.atomic():
        outcome = simple_transition(
            actor, letter_id, states.PUBLISHABLE, states.PUBLISHED, events.LETTER_PUBLISHED, _("Publication"), at
        )
        # Once committed, the published text is indexed for /check, so the first reader to check
        # a copy does not pay for it (a check also indexes whatever a crash left unindexed).
        transaction.on_commit(check.index_published_versions)
    return outcome


def abandon(actor, letter_id, at=None) -> Outcome[Letter]:
    return simple_transition(
        actor, letter_id, states.ABANDONABLE, states.ABANDONED, events.LETTER_ABANDONED, _("Abandoning"), at
    )
