"""Bearer tokens for programs; the browser's session (with CSRF) for pages using the API."""

from django.utils.crypto import constant_time_compare
from ninja.security import HttpBearer, django_auth

from orgs.models import ApiToken


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        if not token or len(token) > 200:
            return None
        digest = ApiToken.digest_of(token)
        found = ApiToken.objects.select_related("user").filter(digest=digest).first()
        # The lookup is by digest; the comparison below keeps timing independent of the token.
        if found and constant_time_compare(found.digest, digest) and found.user.is_active:
            request.user = found.user
            return found.user
        return None


AUTH = [BearerToken(), django_auth]
