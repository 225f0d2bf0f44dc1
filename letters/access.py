"""Who may see and do what with a letter.

A letter a person may not see does not exist for them: callers turn a failed visibility check
into "not found", never "forbidden", so not even the existence of a letter leaks.

Each rule takes the Actor that authentication built (``request.actor``; orgs/actors.py): the
person, their roles and their organisations. A User is accepted too, and a fresh Actor is
built for it (one statement); so a caller that asks several rules, or one rule many times,
passes the Actor.
"""

from collections.abc import Mapping

from django.db.models import Q

from ledger import events
from letters import rows, states
from letters.models import Letter
from orgs.actors import Actor, actor_of
from orgs.models import ROLE_DRAFTER, ROLE_SIGNER, Organisation


def roles_by_organisation(actor) -> Mapping[int, frozenset[str]]:
    """{organisation id: roles} of the actor."""
    return actor_of(actor).roles


def organisations_of(actor) -> Mapping[int, Organisation]:
    """{id: organisation} of the actor's organisations."""
    return actor_of(actor).organisations


def organisations_with_role(actor, role: str) -> set[int]:
    return actor_of(actor).with_role(role)


def is_penholder_member(actor, letter: Letter) -> bool:
    return letter.penholder_id in actor_of(actor).roles


def is_penholder_drafter(actor, letter: Letter) -> bool:
    return actor_of(actor).has_role(letter.penholder_id, ROLE_DRAFTER)


def invited_organisation_ids(letter: Letter) -> set[int]:
    if "_invited_ids" not in letter.__dict__:
        letter.__dict__["_invited_ids"] = set(letter.invitations.values_list("organisation_id", flat=True))
    return letter.__dict__["_invited_ids"]


def invited_organisations_of(actor, letter: Letter) -> set[int]:
    """The actor's organisations that are invited: one small query, however many invitees, kept
    on the letter object for this Actor (the letter object lives as long as one request)."""
    actor = actor_of(actor)
    if not actor.roles:
        return set()
    cache = letter.__dict__.setdefault("_invited_of_actor", {})
    if actor not in cache:
        cache[actor] = {org_id for _, org_id in rows.invitations_among([letter.pk], sorted(actor.roles))}
    return cache[actor]


def preload_invitations(letters, actors: list[Actor]) -> None:
    """Fill invited_organisations_of's cache for every letter and Actor with one query (a
    batch of signatures)."""
    letters = list(letters)
    organisation_ids = sorted({org for actor in actors for org in actor.roles})
    if not letters or not organisation_ids:
        return
    invited: dict[int, set[int]] = {}
    for letter_id, organisation_id in rows.invitations_among([letter.pk for letter in letters], organisation_ids):
        invited.setdefault(letter_id, set()).add(organisation_id)
    for letter in letters:
        cache = letter.__dict__.setdefault("_invited_of_actor", {})
        for actor in actors:
            cache[actor] = invited.get(letter.pk, set()) & set(actor.roles)


def is_invitee_member(actor, letter: Letter) -> bool:
    return bool(invited_organisations_of(actor, letter))


def is_addressee_member(actor, letter: Letter) -> bool:
    return letter.addressee_id in actor_of(actor).roles and letter.status in (
        states.DELIVERED,
        states.PUBLISHED,
    )


def can_see_letter(actor, letter: Letter) -> bool:
    actor = actor_of(actor)
    return (
        letter.status == states.PUBLISHED
        or is_penholder_member(actor, letter)
        or (letter.status != states.DRAFT and is_invitee_member(actor, letter))
        or is_addressee_member(actor, letter)
    )


# ---------------------------------------------------------------- who signed: the one rule
#
# Every place that can name a signatory (API, pages, fragments, PDF, mail, bundles) asks one
# of the three functions below, so the rule is written once.


def can_see_names(actor, letter: Letter) -> bool:
    """Whether the actor may see every signatory of the letter."""
    if letter.status == states.PUBLISHED or letter.names_visible_to == states.NAMES_PUBLIC:
        return True
    actor = actor_of(actor)
    # The addressee receives the list of signatories with the letter itself.
    if is_penholder_member(actor, letter) or is_addressee_member(actor, letter):
        return True
    return letter.names_visible_to == states.NAMES_INVITEES and is_invitee_member(actor, letter)


def may_see_signatory(actor, letter: Letter, organisation_id: int) -> bool:
    """Whether the actor may see that this organisation signed: everyone's when they may see
    the names, and always their own organisations' (a signatory may always see its own
    signature)."""
    actor = actor_of(actor)
    return can_see_names(actor, letter) or organisation_id in actor.roles


def may_open_event(actor, letter: Letter, event_type: str) -> bool:
    """Whether the actor may read the confidential fields of the letter's events of this type
    (the openings of a bundle): the text with the letter, who signed with the names, the
    delivered list with the addressee."""
    actor = actor_of(actor)
    if letter.status == states.PUBLISHED or is_penholder_member(actor, letter):
        return True
    if event_type in (events.LETTER_CREATED, events.VERSION_CREATED):
        return can_see_letter(actor, letter)
    if event_type in (events.SIGNATURE_SIGNED, events.SIGNATURE_WITHDRAWN):
        return can_see_names(actor, letter)
    if event_type in (events.LETTER_DELIVERED, events.DELIVERY_ACKNOWLEDGED):
        return is_addressee_member(actor, letter)
    return False


def signing_organisations(actor, letter: Letter) -> set[int]:
    """Organisations the actor may sign this letter for: invited ones, and the penholder."""
    actor = actor_of(actor)
    eligible = invited_organisations_of(actor, letter) | {letter.penholder_id}
    return actor.with_role(ROLE_SIGNER) & eligible


def visible_letters(actor):
    """Letters the actor may open in their workspace (published letters are reached by handle)."""
    orgs = set(actor_of(actor).roles)
    if not orgs:
        return Letter.objects.none()
    return Letter.objects.filter(
        Q(penholder_id__in=orgs)
        | (Q(invitations__organisation_id__in=orgs) & ~Q(status=states.DRAFT))
        | (Q(addressee_id__in=orgs) & Q(status__in=[states.DELIVERED, states.PUBLISHED]))
    ).distinct()
