"""Who acts: a person, their roles in each organisation, and those organisations.

A User says who someone is; an Actor also says for whom they may act. Authentication builds one
per request, in one statement: the API's bearer token check reads it with the user
(api/auth.py), and ActorMiddleware gives the pages and the API's session callers
``request.actor``, read on first use. The actions and the access rules (letters/access.py)
take it. Nothing is kept on the user object, so a membership added or removed shows in the
next Actor built, within the same process too.

Where a caller has a User and no Actor (the command line, the demo, tests), the actions and
access rules accept the User and build a fresh Actor from it: ``actor_of``.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils.functional import SimpleLazyObject

from orgs import rows
from orgs.models import Organisation


@dataclass(frozen=True, eq=False)
class Actor:
    user: Any  # the User (AnonymousUser for nobody in particular)
    roles: Mapping[int, frozenset[str]] = field(default_factory=dict)  # {organisation id: roles}
    organisations: Mapping[int, Organisation] = field(default_factory=dict)  # {organisation id: organisation}

    def with_role(self, role: str) -> set[int]:
        """The ids of the organisations in which the person has this role."""
        return {organisation_id for organisation_id, roles in self.roles.items() if role in roles}

    def has_role(self, organisation_id: int, role: str) -> bool:
        return role in self.roles.get(organisation_id, ())


def actor_of(who) -> Actor:
    """``who`` itself if it is an Actor; otherwise a fresh Actor for the User (one statement,
    none for an anonymous one)."""
    if isinstance(who, Actor):
        return who
    if who is None or not getattr(who, "is_authenticated", False):
        return Actor(who if who is not None else AnonymousUser())
    return from_memberships(who, rows.memberships_of(who.pk))


def from_memberships(user, memberships) -> Actor:
    """The Actor of a user from rows of (role, *orgs.rows.ORGANISATION_FIELDS); a row whose
    role is NULL (a LEFT JOIN for a user without any membership) adds nothing."""
    roles: dict[int, set[str]] = {}
    organisations: dict[int, Organisation] = {}
    for role, *columns in memberships:
        if role is not None:
            roles.setdefault(columns[0], set()).add(role)
            organisations.setdefault(columns[0], rows.organisation_from(columns))
    return Actor(user, {org: frozenset(held) for org, held in roles.items()}, organisations)


class ActorMiddleware:
    """``request.actor`` for the signed-in person (after AuthenticationMiddleware), read from
    the database only if the request asks for it. The API's bearer authentication replaces it
    with the Actor it read along with the token."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = SimpleLazyObject(lambda: actor_of(request.user))
        return self.get_response(request)
