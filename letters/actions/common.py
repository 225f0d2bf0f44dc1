"""What every action shares: its answer, the locked letter, the checks of state and role, the
organisation a person acts for, its custodial signature, and the work queued after commit."""

from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, Forbidden, Invalid, NotFound
from ledger import statements
from letters import access, rows, states
from letters.actions.inputs import row_id
from letters.actions.registering import keep_in_register
from letters.models import Letter
from orgs import keys
from orgs import rows as org_rows
from orgs.actors import Actor, actor_of
from orgs.models import Organisation
from record.log import append_event

Made = TypeVar("Made")


@dataclass
class Outcome(Generic[Made]):
    """What an action made, and whether this request made it (False: an identical earlier request did)."""

    object: Made
    created: bool


def now(at):
    return at or timezone.now()


def lock_letter(actor: Actor, letter_id) -> Letter:
    """The letter, locked until commit, if the actor may see it, with its current version as
    ``letter.current``.

    The lock is on the letter row alone, so actions on other letters of the same penholder or
    addressee never wait for it. Penholder and addressee load on first use."""
    letter_id = row_id(letter_id)
    letter = rows.lock_letters([letter_id]).get(letter_id) if letter_id is not None else None
    if letter is None or not access.can_see_letter(actor, letter):
        raise NotFound(_("No such letter."))
    return letter


def require_state(letter: Letter, allowed: AbstractSet[str], action: str) -> None:
    if letter.status not in allowed:
        raise Conflict(
            _("%(action)s: not possible while the letter is %(status)s.")
            % {"action": action, "status": states.label(letter.status).lower()},
            code="illegal_transition",
            current_status=letter.status,
            allowed_from=sorted(allowed),
        )


def require_penholder_drafter(actor: Actor, letter: Letter) -> None:
    if not access.is_penholder_drafter(actor, letter):
        raise Forbidden(_("Only a drafter of the penholder organisation may do this."))


def set_status(letter: Letter, status: str) -> None:
    Letter.objects.filter(pk=letter.pk).update(status=status)
    letter.status = status


def organisation(slug, field: str) -> Organisation:
    found = org_rows.organisation_where("slug", slug) if isinstance(slug, str) else None
    if found is None:
        raise Invalid(_("No organisation has the slug “%(slug)s”.") % {"slug": slug}, field=field)
    return found


def acting_organisation(actor: Actor, eligible: set[int], slug: str | None) -> Organisation:
    """The organisation a person acts for: the one named, or their only eligible one (always
    one of their own organisations)."""
    if slug:
        named = next((o for o in actor.organisations.values() if o.slug == slug), None)
        named = named or organisation(slug, "organisation")
        if named.id not in eligible:
            raise Forbidden(_("You may not act for %(organisation)s on this letter.") % {"organisation": named.slug})
        return named
    if len(eligible) == 1:
        return actor.organisations[next(iter(eligible))]
    if not eligible:
        raise Forbidden(_("None of your organisations may do this on this letter."))
    raise Invalid(_("You belong to several organisations that may do this: choose one."), field="organisation")


def signature_of(organisation: Organisation, statement: dict) -> str:
    """The organisation's Ed25519 signature over the statement (its custodial key)."""
    return statements.sign_statement(keys.seed_of(organisation), statement)


def simple_transition(actor, letter_id, allowed, target, event_type, action, at) -> Outcome[Letter]:
    """Move the letter to ``target`` (close, publish, abandon): an event with no fields of its own."""
    actor = actor_of(actor)
    at = now(at)
    with transaction.atomic():
        letter = lock_letter(actor, letter_id)
        require_penholder_drafter(actor, letter)
        if letter.status == target:
            return Outcome(letter, False)
        require_state(letter, allowed, action)
        append_event(event_type, at, {}, None, handle=letter.handle)
        set_status(letter, target)
        keep_in_register(letter)
    return Outcome(letter, True)


def after_commit(what: str, *args) -> None:
    """Queue notifications once the change is committed (letters.notify decides who hears of it)."""
    from letters import notify

    transaction.on_commit(lambda: notify.enqueue(what, *args))
