"""The page that answers a sign-in refused for too many failures (django-axes' AXES_LOCKOUT_CALLABLE)."""

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone

from orgs.signin_limits import minutes_until, seconds_until, sign_in_locked_until


def locked_out(request, original_response=None, credentials=None):
    # Should the lock have ended between Axes' check and this page, promise no less than a cool-off.
    until = sign_in_locked_until(request, credentials) or timezone.now() + settings.AXES_COOLOFF_TIME
    response = render(request, "web/locked_out.html", {"minutes": minutes_until(until)}, status=429)
    response["Retry-After"] = str(seconds_until(until))
    return response
