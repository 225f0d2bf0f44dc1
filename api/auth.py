"""Bearer tokens for programs; the browser's session (with CSRF) for pages using the API."""

from functools import cache

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja.errors import Throttled
from ninja.security import HttpBearer, django_auth

from core import sql
from orgs import rows as org_rows
from orgs.actors import Actor, from_memberships
from orgs.models import ApiToken
from orgs.signin_limits import minutes_until, refuse_token_guessing, seconds_until


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        actor = actor_of_token(token) if token and len(token) <= 200 else None
        if actor is None:
            # Only failures are counted and checked: a valid token costs its one statement.
            locked_until = refuse_token_guessing(request)
            if locked_until is not None:
                raise TooManyInvalidTokens(locked_until)
            return None
        request.user, request.actor = actor.user, actor
        return actor.user


class TooManyInvalidTokens(Throttled):
    """Refuses an address that sent too many invalid tokens (orgs/signin_limits.py)."""

    def __init__(self, locked_until):
        super().__init__(wait=seconds_until(locked_until))
        minutes = minutes_until(locked_until)
        self.message = " ".join(
            [
                _("Too many invalid API tokens from this address."),
                ngettext("Try again in %(minutes)s minute.", "Try again in %(minutes)s minutes.", minutes)
                % {"minutes": minutes},
            ]
        )


def actor_of_token(token: str) -> Actor | None:
    """The Actor whose active user the token belongs to (with their roles and organisations), or None.

    One statement in plain SQL, since every API call asks (core/sql.py). The token is
    looked up by its SHA-256, so the database compares digests, never the token itself, and
    its timing tells nothing about valid tokens."""
    found = sql.fetch_all(_actor_of_token_sql(), [ApiToken.digest_of(token)])
    if not found:
        return None
    user_model = get_user_model()
    user_id, username, is_staff, is_superuser = found[0][:4]
    user = sql.as_model(
        user_model,
        {
            user_model._meta.pk.attname: user_id,
            user_model.USERNAME_FIELD: username,
            "is_active": True,
            "is_staff": bool(is_staff),
            "is_superuser": bool(is_superuser),
        },
    )
    return from_memberships(user, [row[4:] for row in found])


@cache
def _actor_of_token_sql() -> str:
    """The statement's text, built once from the models' _meta (whatever the user model is); the
    token's digest goes as a parameter."""
    user_model = get_user_model()
    t, u = "t", "u"
    pk = user_model._meta.pk.name
    user_id = sql.column(user_model, pk, u)
    return (
        f"SELECT {sql.columns(user_model, [pk, user_model.USERNAME_FIELD, 'is_staff', 'is_superuser'], u)},"  # noqa: S608
        f" {org_rows.membership_columns()}"
        f" FROM {sql.table(ApiToken, t)}"
        f" JOIN {sql.table(user_model, u)} ON {user_id} = {sql.column(ApiToken, 'user_id', t)}"
        f"{org_rows.membership_joins(user_id)}"
        f" WHERE {sql.column(ApiToken, 'digest', t)} = %s AND {sql.column(user_model, 'is_active', u)}"
    )


AUTH = [BearerToken(), django_auth]
