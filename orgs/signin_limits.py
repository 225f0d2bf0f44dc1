"""Limits on failed sign-ins and on invalid API tokens, against password and token guessing.

Failures are counted in django-axes' AccessAttempt table, so every server process sees the same
counts (a per-process cache would multiply each limit by the number of processes):

- an account: AXES_FAILURE_LIMIT failed passwords, from any address, lock the account;
- an address: SIGNIN_ADDRESS_FAILURE_LIMIT failed passwords, for any accounts, lock sign-ins from
  it. It is higher than an account's because a mission's office, or a conference network, signs
  in from one address;
- an address: API_TOKEN_FAILURE_LIMIT invalid bearer tokens lock invalid tokens from it. They are
  counted apart from passwords (as attempts without a username), so a script left with a revoked
  token does not lock its office out of the pages. A valid token is never checked: that path
  stays the one statement it was.

A failure is forgotten AXES_COOLOFF_TIME after the last failure of the same account from the
same address; a lock lasts AXES_COOLOFF_TIME from the last failure counted. Tries during a lock
are refused without being counted, so the lock ends when the page says it will. A successful
sign-in clears nothing: whoever holds one account must not wipe the address's count of guesses
at the others.
"""

import functools
import ipaddress
import logging
import math
from datetime import datetime

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db import transaction
from django.db.models import F, Max, Sum
from django.http import HttpRequest
from django.utils import timezone

logger = logging.getLogger(__name__)


class SignInLimits(AxesDatabaseHandler):
    """Axes' database handler with two limits for passwords: one per account, a higher one per address."""

    def get_failures(self, request, credentials=None) -> int:
        # Axes compares this count with one limit, AXES_FAILURE_LIMIT (the account's): an
        # address over its own limit counts as that limit reached.
        failures = _failures(_account_attempts(request, credentials))
        if _failures(_address_attempts(request)) >= settings.SIGNIN_ADDRESS_FAILURE_LIMIT:
            return max(failures, settings.AXES_FAILURE_LIMIT)
        return failures

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and request.axes_locked_out:
            _log_sign_in_refused(request, credentials)


class SignInLimitsBackend(AxesStandaloneBackend):
    """Axes' check before the password is. A caller without a request (Django's test client's
    login, a management command) has no address: it is held to the account's limit only."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        return super().authenticate(request or HttpRequest(), username, password, **kwargs)


def client_address(request) -> str | None:
    """The address failures are counted against (AXES_CLIENT_IP_CALLABLE).

    The connection's own address, unless TRUSTED_PROXY_COUNT proxies stand in front of the
    server, each appending the address it received the request from to X-Forwarded-For: then
    the entry that many from the right, the last one no client can write. Trusting more of the
    header than that would let a guesser pose as a new address on every try. An IPv6 host
    usually holds a whole /64, so that is what is counted."""
    address = _parsed(_forwarded_address(request)) or _parsed(request.META.get("REMOTE_ADDR"))
    if address is None:
        return None
    if address.version == 6:
        if address.ipv4_mapped:  # an IPv4 client of a server listening on IPv6
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False).network_address)
    return str(address)


def _forwarded_address(request) -> str | None:
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not proxies:
        if forwarded:
            _warn_once_about_proxies()
        return None
    hops = [hop.strip() for hop in forwarded.split(",")]
    return hops[-proxies] if proxies <= len(hops) else None


@functools.cache
def _warn_once_about_proxies() -> None:
    logger.warning(
        "A request came with X-Forwarded-For and TRUSTED_PROXY_COUNT is 0: behind a proxy, "
        "every client shares the proxy's address for the limits on failed sign-ins; "
        "set TRUSTED_PROXY_COUNT to the number of proxies"
    )


def _parsed(address: str | None):
    try:
        return ipaddress.ip_address(address or "")
    except ValueError:
        return None


def describe_client(username, ip_address, user_agent, path_info, request) -> str:
    """How Axes' own log lines name a client (AXES_CLIENT_STR_CALLABLE): the address and the
    page, never the username, which is sometimes a password typed in the wrong field."""
    return f"address {ip_address} on {path_info}"


def sign_in_locked_until(request, credentials=None) -> datetime | None:
    """When the lock on this sign-in (its account's, its address's or both) ends; None if there is none."""
    ends = [
        _lock_end(_account_attempts(request, credentials), settings.AXES_FAILURE_LIMIT),
        _lock_end(_address_attempts(request), settings.SIGNIN_ADDRESS_FAILURE_LIMIT),
    ]
    return max((end for end in ends if end), default=None)


def refuse_token_guessing(request) -> datetime | None:
    """Count an invalid bearer token from the request's address; when the address's lock on
    invalid tokens ends, if this token reached the limit or came during the lock."""
    AxesProxyHandler.update_request(request)
    locked_until = _lock_end(_token_attempts(request), settings.API_TOKEN_FAILURE_LIMIT)
    if locked_until is None:
        _count_invalid_token(request)
        locked_until = _lock_end(_token_attempts(request), settings.API_TOKEN_FAILURE_LIMIT)
    if locked_until is not None:
        logger.warning(
            "Invalid API tokens refused for %d minutes: too many from address %s (%s)",
            minutes_until(locked_until),
            request.axes_ip_address,
            request.axes_path_info,
        )
    return locked_until


def seconds_until(moment: datetime) -> int:
    return max(1, math.ceil((moment - timezone.now()).total_seconds()))


def minutes_until(moment: datetime) -> int:
    return math.ceil(seconds_until(moment) / 60)


def _count_invalid_token(request) -> None:
    # Two first failures at the same moment may make two rows; later failures then count
    # twice, which errs on the strict side.
    AxesProxyHandler.get_implementation().clean_expired_user_attempts(request)
    with transaction.atomic():
        counted = (
            _token_attempts(request)
            .filter(user_agent=request.axes_user_agent)
            .update(failures_since_start=F("failures_since_start") + 1, attempt_time=request.axes_attempt_time)
        )
        if not counted:
            AccessAttempt.objects.create(
                username=None,
                ip_address=request.axes_ip_address,
                user_agent=request.axes_user_agent,
                http_accept=request.axes_http_accept,
                path_info=request.axes_path_info,
                get_data="",
                post_data="",
                failures_since_start=1,
            )


def _log_sign_in_refused(request, credentials) -> None:
    reasons = []
    if _failures(_account_attempts(request, credentials)) >= settings.AXES_FAILURE_LIMIT:
        reasons.append("for one account")
    if _failures(_address_attempts(request)) >= settings.SIGNIN_ADDRESS_FAILURE_LIMIT:
        reasons.append("from the address")
    logger.warning(
        "Sign-in refused for %d minutes: too many failed sign-ins %s (address %s, %s)",
        minutes_until(sign_in_locked_until(request, credentials) or timezone.now()),
        " and ".join(reasons),
        request.axes_ip_address,
        request.axes_path_info,
    )


def _recent_attempts(request):
    return AccessAttempt.objects.filter(attempt_time__gt=request.axes_attempt_time - settings.AXES_COOLOFF_TIME)


def _account_attempts(request, credentials):
    username = get_client_username(request, credentials)
    return _recent_attempts(request).filter(username=username) if username else AccessAttempt.objects.none()


def _address_attempts(request):
    return _recent_attempts(request).filter(ip_address=request.axes_ip_address, username__isnull=False)


def _token_attempts(request):
    return _recent_attempts(request).filter(ip_address=request.axes_ip_address, username__isnull=True)


def _failures(attempts) -> int:
    return attempts.aggregate(failures=Sum("failures_since_start"))["failures"] or 0


def _lock_end(attempts, limit: int) -> datetime | None:
    found = attempts.aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    if (found["failures"] or 0) < limit:
        return None
    return found["last"] + settings.AXES_COOLOFF_TIME
