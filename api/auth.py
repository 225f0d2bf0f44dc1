"""Bearer tokens for programs; the browser's session (with CSRF) for pages using the API."""

from functools import cache

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja.errors import Throttled
from ninja.security import HttpBearer, django_auth

from core import sql
from letters import access, rows
from orgs.models import ApiToken, Member, Organisation
from orgs.signin_limits import minutes_until, refuse_token_guessing, seconds_until


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = user_of_token(token) if token and len(token) <= 200 else None
        if user is None:
            # Only failures are counted and checked: a valid token costs its one statement.
            locked_until = refuse_token_guessing(request)
            if locked_until is not None:
                raise TooManyInvalidTokens(locked_until)
            return None
        request.user = user
        return user


class TooManyInvalidTokens(Throttled):
    """Refuses an address that sent too many invalid tokens (orgs/signin_limits.py)."""

    def __init__(self, locked_until):
        super().__init__(wait=seconds_until(locked_until))
        minutes = minutes_until(locked_until)
        self.message = " ".join([
            _("Too many invalid API tokens from this address."),
            ngettext("Try again in %(minutes)s minute.", "Try again in %(minutes)s minutes.", minutes)
            % {"minutes": minutes},
        ])


def user_of_token(token: str):
    """The active user a token belongs to, with their roles and organisations, or None.

    One statement in plain SQL, since every API call asks (core/sql.py). The token is
    looked up by its SHA-256, so the database compares digests, never the token itself, and
    its timing tells nothing about valid tokens."""
    found = sql.fetch_all(_user_of_token_sql(), [ApiToken.digest_of(token)])
    if not found:
        return None
    user_model = get_user_model()
    user_id, username, is_staff, is_superuser = found[0][:4]
    user = sql.as_model(user_model, {user_model._meta.pk.attname: user_id, user_model.USERNAME_FIELD: username,
                                     "is_active": True, "is_staff": bool(is_staff), "is_superuser": bool(is_superuser)})
    access.remember_memberships(user, [row[4:] for row in found])
    return user


@cache
def _user_of_token_sql() -> str:
    """The statement's text, built once from the models' _meta (whatever the user model is)."""
    user_model = get_user_model()
    t, u, m, o = "t", "u", "m", "o"
    pk = user_model._meta.pk.name
    user_id = sql.column(user_model, pk, u)
    return (
        f"SELECT {sql.columns(user_model, [pk, user_model.USERNAME_FIELD, 'is_staff', 'is_superuser'], u)},"
        f" {sql.column(Member, 'role', m)}, {sql.columns(Organisation, rows.ORGANISATION_FIELDS, o)}"
        f" FROM {sql.table(ApiToken, t)}"
        f" JOIN {sql.table(user_model, u)} ON {user_id} = {sql.column(ApiToken, 'user_id', t)}"
        f" LEFT JOIN {sql.table(Member, m)} ON {sql.column(Member, 'user_id', m)} = {user_id}"
        f" LEFT JOIN {sql.table(Organisation, o)}"
        f" ON {sql.column(Organisation, 'id', o)} = {sql.column(Member, 'organisation_id', m)}"
        f" WHERE {sql.column(ApiToken, 'digest', t)} = %s AND {sql.column(user_model, 'is_active', u)}"
    )


AUTH = [BearerToken(), django_auth]
