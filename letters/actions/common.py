"""What every action shares: its answer, the locked letter, the checks of state and role, the
organisation a person acts for, its custodial signature, and the work queued after commit."""

from collections.abc import Set as AbstractSet

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import Forbidden, Invalid
from documents import actions as documents
from documents.actions import Outcome, now
from ledger import statements
from letters import access, rows, states
from letters.actions.registering import keep_in_register
from letters.models import Letter
from orgs import keys
from orgs import rows as org_rows
from orgs.actors import Actor, actor_of
from orgs.models import Organisation
from record.log import append_event


def _locked(letter_id: int) -> Letter | None:
    # The lock is on the letter row alone, so actions on other letters of the same penholder or
    # addressee never wait for it. Penholder and addressee load on first use.
    return rows.lock_letters([letter_id]).get(letter_id)


LETTERS = documents.Flow(
    model=Letter,
    lock=_locked,
    can_see=access.can_see_letter,
    status_label=states.label,
    missing=gettext_lazy("No such letter."),
    not_while=gettext_lazy("%(action)s: not possible while the letter is %(status)s."),
    stale_base=gettext_lazy(
        "Version %(base)s is not the current version (%(current)s); read the changes and edit the current version."
    ),
)


def lock_letter(actor: Actor, letter_id) -> Letter:
    """The letter, locked until commit, if the actor may see it, with its current version as
    ``letter.current``."""
    return documents.lock_visible(LETTERS, actor, letter_id)


def require_state(letter: Letter, allowed: AbstractSet[str], action: str) -> None:
    documents.require_state(LETTERS, letter.status, allowed, action)


def require_penholder_drafter(actor: Actor, letter: Letter) -> None:
    if not access.is_penholder_drafter(actor, letter):
        raise Forbidden(_("Only a drafter of the penholder organisation may do this."))


def set_status(letter: Letter, status: str) -> None:
    documents.set_status(LETTERS, letter, status)


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
