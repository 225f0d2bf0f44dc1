"""Opening a letter for signature: invitees, deadline, who sees the names, and closing it."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import Invalid
from ledger import events
from letters import access, limits, states
from letters.actions.common import (
    Outcome,
    after_commit,
    lock_letter,
    now,
    organisation,
    require_penholder_drafter,
    require_state,
    simple_transition,
)
from letters.actions.inputs import clean_deadline, clean_text
from letters.actions.registering import keep_in_register
from letters.models import Invitation, Letter
from orgs.actors import actor_of
from orgs.models import Organisation
from record.log import append_event, event_time


def circulate(
    actor, letter_id, *, invitees, deadline=None, message="", names_visible_to=None, at=None
) -> Outcome[Letter]:
    """Invite organisations (slugs, "group:<UN regional group>" or "all") and open the letter for signature."""
    actor = actor_of(actor)
    message = clean_text(message, "message", limits.MESSAGE, required=False)
    deadline = clean_deadline(deadline)
    if names_visible_to is not None:
        _check_names_visibility(names_visible_to)
    at = now(at)
    with transaction.atomic():
        letter = lock_letter(actor, letter_id)
        require_penholder_drafter(actor, letter)
        require_state(letter, states.CIRCULATABLE, _("Circulation"))
        organisations = resolve_invitees(invitees, exclude={letter.penholder_id, letter.addressee_id})
        if not organisations:
            raise Invalid(_("Nobody to invite: the penholder and the addressee cannot be invitees."), field="invitees")
        already = access.invited_organisation_ids(letter)
        new = [org for org in organisations if org.id not in already]
        changes_deadline = deadline is not None and deadline != letter.deadline
        if changes_deadline:
            # Only a new deadline must lie ahead: inviting more organisations with the deadline
            # as it stands stays possible after it has passed.
            _require_future(deadline, at)
        if not new and letter.status == states.CIRCULATING and not changes_deadline:
            changed = names_visible_to is not None and _set_names_visibility(letter, names_visible_to, at)
            return Outcome(letter, changed)
        Invitation.objects.bulk_create([Invitation(letter=letter, organisation=o, invited_at=at) for o in new])
        append_event(
            events.LETTER_CIRCULATED,
            at,
            {"invitees": len(new), "deadline": event_time(deadline) if deadline else None},
            {"invitees": [o.slug for o in new], "message": message},
            handle=letter.handle,
        )
        Letter.objects.filter(pk=letter.pk).update(
            status=states.CIRCULATING, deadline=deadline or letter.deadline, message=message or letter.message
        )
        letter.status = states.CIRCULATING
        keep_in_register(letter)
        if names_visible_to is not None:
            _set_names_visibility(letter, names_visible_to, at)
    after_commit("invited", letter.id, [o.id for o in new])
    return Outcome(letter, True)


def resolve_invitees(invitees, exclude: set[int]) -> list[Organisation]:
    if not isinstance(invitees, list) or not invitees or not all(isinstance(i, str) for i in invitees):
        raise Invalid(
            _("invitees must be a non-empty list of organisation slugs, 'group:<regional group>' or 'all'."),
            field="invitees",
        )
    if len(invitees) > limits.INVITEES:
        raise Invalid(_("At most %(limit)s invitees at a time.") % {"limit": limits.INVITEES}, field="invitees")
    found: dict[int, Organisation] = {}
    for item in invitees:
        for invitee in _expand_invitee(item):
            if invitee.id not in exclude:
                found[invitee.id] = invitee
    return sorted(found.values(), key=lambda o: o.slug)


def _expand_invitee(item: str):
    if item == "all":
        return list(Organisation.objects.filter(kind__in=["state", "observer"]))
    if item.startswith("group:"):
        group = list(Organisation.objects.filter(regional_group=item[len("group:") :]))
        if not group:
            raise Invalid(
                _("No organisation is in the regional group “%(group)s”.") % {"group": item[6:]}, field="invitees"
            )
        return group
    return [organisation(item, "invitees")]


def _require_future(deadline: datetime.datetime, at: datetime.datetime) -> None:
    if deadline <= at:
        raise Invalid(_("The deadline has already passed: choose a date and time still to come."), field="deadline")


def set_names_visibility(actor, letter_id, names, at=None) -> Outcome[Letter]:
    actor = actor_of(actor)
    at = now(at)
    with transaction.atomic():
        letter = lock_letter(actor, letter_id)
        require_penholder_drafter(actor, letter)
        require_state(
            letter,
            {states.DRAFT, states.CIRCULATING, states.CLOSED, states.DELIVERED},
            _("Choosing who sees the names"),
        )
        changed = _set_names_visibility(letter, names, at)
    return Outcome(letter, changed)


def _check_names_visibility(names) -> None:
    if not isinstance(names, str) or names not in dict(states.NAMES_VISIBILITY):
        raise Invalid(_("names_visible_to must be penholder, invitees or public."), field="names_visible_to")


def _set_names_visibility(letter: Letter, names, at) -> bool:
    _check_names_visibility(names)
    if names == letter.names_visible_to:
        return False
    append_event(events.LETTER_VISIBILITY, at, {"names": names}, None, handle=letter.handle)
    Letter.objects.filter(pk=letter.pk).update(names_visible_to=names)
    letter.names_visible_to = names
    return True


def close(actor, letter_id, at=None) -> Outcome[Letter]:
    """Close the letter for signature (later signatures are refused until delivery)."""
    return simple_transition(actor, letter_id, states.CLOSABLE, states.CLOSED, events.LETTER_CLOSED, _("Closing"), at)
