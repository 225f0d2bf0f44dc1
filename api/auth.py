"""Bearer tokens for programs; the browser's session (with CSRF) for pages using the API."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja.errors import Throttled
from ninja.security import HttpBearer, django_auth

from letters import access
from orgs.models import ApiToken
from core import sql
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
    organisation_columns = ", ".join(f"o.{column}" for column in access.ORGANISATION_COLUMNS)
    rows = sql.fetch_all(
        f"SELECT u.id, u.username, u.is_staff, u.is_superuser, m.role, {organisation_columns}"
        " FROM orgs_apitoken t JOIN auth_user u ON u.id = t.user_id"
        " LEFT JOIN orgs_member m ON m.user_id = u.id LEFT JOIN orgs_organisation o ON o.id = m.organisation_id"
        " WHERE t.digest = %s AND u.is_active",
        [ApiToken.digest_of(token)],
    )
    if not rows:
        return None
    user_id, username, is_staff, is_superuser = rows[0][:4]
    user = sql.as_model(get_user_model(), {"id": user_id, "username": username, "is_active": True,
                                           "is_staff": bool(is_staff), "is_superuser": bool(is_superuser)})
    access.remember_memberships(user, [row[4:] for row in rows])
    return user


AUTH = [BearerToken(), django_auth]
