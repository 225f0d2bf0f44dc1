"""Who may see and do what with a letter.

A letter a person may not see does not exist for them: callers turn a failed visibility check
into "not found", never "forbidden", so not even the existence of a letter leaks.
"""

from django.db.models import Q

from ledger import events
from letters import rows, states
from letters.models import Letter
from orgs.models import ROLE_DRAFTER, ROLE_SIGNER, Organisation


def roles_by_organisation(user) -> dict[int, set[str]]:
    """{organisation id: roles} for the user, read once per request and cached on the user."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, "_undersigned_roles", None)
    if cached is None:
        cached = {}
        # Plain SQL: this runs on every request of a signed-in person (letters/rows.py).
        for org_id, role in rows.roles_of(user.pk):
            cached.setdefault(org_id, set()).add(role)
        user._undersigned_roles = cached
    return cached


def remember_memberships(user, memberships) -> None:
    """Cache the user's roles and organisations from rows of (role, *rows.ORGANISATION_FIELDS),
    read by the caller in the same query as the user (api.auth): one query instead of three."""
    roles, organisations = {}, {}
    for role, *columns in memberships:
        if role is not None:
            roles.setdefault(columns[0], set()).add(role)
            organisations[columns[0]] = rows.organisation_from(columns)
    user._undersigned_roles, user._undersigned_organisations = roles, organisations


def organisations_of(user) -> dict[int, Organisation]:
    """{id: organisation} of the user's organisations, read once per request and cached on the
    user: a signature reads it before it queues for the group commit, so not in the commit."""
    cached = getattr(user, "_undersigned_organisations", None)
    if cached is None:
        cached = rows.organisations_by_id(sorted(roles_by_organisation(user)))
        user._undersigned_organisations = cached
    return cached


def organisations_with_role(user, role: str) -> set[int]:
    return {org for org, roles in roles_by_organisation(user).items() if role in roles}


def is_penholder_member(user, letter: Letter) -> bool:
    return letter.penholder_id in roles_by_organisation(user)


def is_penholder_drafter(user, letter: Letter) -> bool:
    return ROLE_DRAFTER in roles_by_organisation(user).get(letter.penholder_id, set())


def invited_organisation_ids(letter: Letter) -> set[int]:
    cached = getattr(letter, "_invited_ids", None)
    if cached is None:
        cached = set(letter.invitations.values_list("organisation_id", flat=True))
        letter._invited_ids = cached
    return cached


def invited_organisations_of(user, letter: Letter) -> set[int]:
    """The user's organisations that are invited: one small query, however many invitees."""
    mine = set(roles_by_organisation(user))
    if not mine:
        return set()
    cache = letter.__dict__.setdefault("_invited_of_user", {})
    if user.pk not in cache:
        cache[user.pk] = {org_id for _, org_id in rows.invitations_among([letter.pk], sorted(mine))}
    return cache[user.pk]


def preload_invitations(letters, users) -> None:
    """Fill invited_organisations_of's cache for every letter and user with one query (a
    batch of signatures)."""
    letters = list(letters)
    mine = {user.pk: set(roles_by_organisation(user)) for user in users}
    organisation_ids = sorted(set().union(*mine.values()))
    if not letters or not organisation_ids:
        return
    letter_ids = [letter.pk for letter in letters]
    invited = {}
    for letter_id, organisation_id in rows.invitations_among(letter_ids, organisation_ids):
        invited.setdefault(letter_id, set()).add(organisation_id)
    for letter in letters:
        cache = letter.__dict__.setdefault("_invited_of_user", {})
        for user_pk, organisations in mine.items():
            cache[user_pk] = invited.get(letter.pk, set()) & organisations


def is_invitee_member(user, letter: Letter) -> bool:
    return bool(invited_organisations_of(user, letter))


def is_addressee_member(user, letter: Letter) -> bool:
    return letter.addressee_id in roles_by_organisation(user) and letter.status in (
        states.DELIVERED,
        states.PUBLISHED,
    )


def can_see_letter(user, letter: Letter) -> bool:
    return (
        letter.status == states.PUBLISHED
        or is_penholder_member(user, letter)
        or (letter.status != states.DRAFT and is_invitee_member(user, letter))
        or is_addressee_member(user, letter)
    )


# ---------------------------------------------------------------- who signed: the one rule
#
# Every place that can name a signatory (API, pages, fragments, PDF, mail, bundles) asks one
# of the three functions below, so the rule is written once.


def can_see_names(user, letter: Letter) -> bool:
    """Whether the user may see every signatory of the letter."""
    if letter.status == states.PUBLISHED or letter.names_visible_to == states.NAMES_PUBLIC:
        return True
    # The addressee receives the list of signatories with the letter itself.
    if is_penholder_member(user, letter) or is_addressee_member(user, letter):
        return True
    return letter.names_visible_to == states.NAMES_INVITEES and is_invitee_member(user, letter)


def may_see_signatory(user, letter: Letter, organisation_id: int) -> bool:
    """Whether the user may see that this organisation signed: everyone's when they may see
    the names, and always their own organisations' (a signatory may always see its own
    signature)."""
    return can_see_names(user, letter) or organisation_id in roles_by_organisation(user)


def may_open_event(user, letter: Letter, event_type: str) -> bool:
    """Whether the user may read the confidential fields of the letter's events of this type
    (the openings of a bundle): the text with the letter, who signed with the names, the
    delivered list with the addressee."""
    if letter.status == states.PUBLISHED or is_penholder_member(user, letter):
        return True
    if event_type in (events.LETTER_CREATED, events.VERSION_CREATED):
        return can_see_letter(user, letter)
    if event_type in (events.SIGNATURE_SIGNED, events.SIGNATURE_WITHDRAWN):
        return can_see_names(user, letter)
    if event_type in (events.LETTER_DELIVERED, events.DELIVERY_ACKNOWLEDGED):
        return is_addressee_member(user, letter)
    return False


def signing_organisations(user, letter: Letter) -> set[int]:
    """Organisations the user may sign this letter for: invited ones, and the penholder."""
    eligible = invited_organisations_of(user, letter) | {letter.penholder_id}
    return organisations_with_role(user, ROLE_SIGNER) & eligible


def visible_letters(user):
    """Letters the user may open in their workspace (published letters are reached by handle)."""
    orgs = set(roles_by_organisation(user))
    if not orgs:
        return Letter.objects.none()
    return Letter.objects.filter(
        Q(penholder_id__in=orgs)
        | (Q(invitations__organisation_id__in=orgs) & ~Q(status=states.DRAFT))
        | (Q(addressee_id__in=orgs) & Q(status__in=[states.DELIVERED, states.PUBLISHED]))
    ).distinct()
