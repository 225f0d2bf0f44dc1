"""The JSON API under /api/v1: one NinjaAPI, errors in one shape, routes in api.letters and api.public."""

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.throttling import AnonRateThrottle, AuthRateThrottle

from api.auth import TooManyInvalidTokens
from core.errors import ActionError
from orgs.signin_limits import client_address

logger = logging.getLogger(__name__)


class _ClientAddress:
    """Count requests per client address as the sign-in limits read it: X-Forwarded-For only as
    far as TRUSTED_PROXY_COUNT proxies vouch for it. (Ninja's own reading takes the whole header,
    which any client writes, when no proxy count is set: a fresh counter on every request.)"""

    def get_ident(self, request):
        return client_address(request)


class AnonymousRate(_ClientAddress, AnonRateThrottle):
    pass


class AuthenticatedRate(_ClientAddress, AuthRateThrottle):
    pass


api = NinjaAPI(
    title="Undersigned API",
    version="1",
    description="Joint letters: drafting, circulation, version-bound signatures, delivery, receipt "
    'and a public verifiable record. Errors are {"error": {"code", "message"}}.',
    urls_namespace="api",
    docs_url="/docs",
    # Per-process counters (Django's default cache); a shared cache makes them site-wide.
    throttle=[AnonymousRate(settings.API_RATE_ANONYMOUS), AuthenticatedRate(settings.API_RATE_AUTHENTICATED)],
)


def error(request, http_status: int, code: str, message: str, details: dict | None = None):
    body = {"code": code, "message": message, **(details or {})}
    return api.create_response(request, {"error": body}, status=http_status)


@api.exception_handler(ActionError)
def on_action_error(request, exc: ActionError):
    details = dict(exc.details)
    changes = details.pop("changes", None)
    if changes is not None:
        letter_id, shown, current = changes
        details["diff"] = f"/api/v1/letters/{letter_id}/diff?from={shown}&to={current}"
    return error(request, exc.status, exc.code, exc.message, details)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    problems = [(_field_of(item), item.get("msg", "invalid").removeprefix("Value error, ")) for item in exc.errors[:10]]
    message = "; ".join(f"{field}: {problem}" for field, problem in problems) or "The request is not valid."
    first = problems[0][0] if problems else "body"
    return error(request, 422, "invalid", message, {"field": first} if first != "body" else None)


def _field_of(item: dict) -> str:
    """The field a validation problem is about, as the caller wrote it: ``version``,
    ``invitees.0``, the query's ``from``; ``body`` for the request body as a whole."""
    where, *path = item.get("loc", ()) or ("body",)
    if where == "body":
        path = path[1:]  # the view's name for the whole body ("payload") means nothing to a caller
    return ".".join(str(part) for part in path) or "body"


@api.exception_handler(AuthenticationError)
def on_authentication_error(request, exc):
    return error(request, 401, "unauthenticated", "Sign in, or send 'Authorization: Bearer <token>'.")


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return error(request, 404, "not_found", "Not found.")


@api.exception_handler(Throttled)
def on_throttled(request, exc: Throttled):
    response = error(request, 429, "rate_limited", "Too many requests; try again shortly.")
    if exc.wait:
        response["Retry-After"] = str(int(exc.wait))
    return response


@api.exception_handler(TooManyInvalidTokens)
def on_too_many_invalid_tokens(request, exc: TooManyInvalidTokens):
    response = error(request, 429, "rate_limited", exc.message)
    response["Retry-After"] = str(exc.wait)
    return response


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return error(request, exc.status_code, "http_error", str(exc))


@api.exception_handler(RequestDataTooBig)
def on_too_big(request, exc):
    return error(request, 413, "too_large", "The request body is too large.")


@api.exception_handler(Exception)
def on_unexpected(request, exc):
    # Log the detail for operators, by route so that errors group by endpoint; tell the caller
    # nothing that could leak data. Whether a change was made depends on where it failed:
    # before its commit nothing was, after it the change stands.
    route = getattr(getattr(request, "resolver_match", None), "route", "an unknown route")
    logger.exception("unexpected error in %s %s", request.method, route)
    return error(
        request,
        500,
        "server_error",
        "Something went wrong on our side. A change is made whole or not at all: read the object "
        "again to see whether yours was made before you retry.",
    )


from api import keys, letters, public, register, reports  # noqa: E402  (routes register themselves on `api`)

api.add_router("", letters.router)
api.add_router("", keys.router)
api.add_router("", reports.router)
api.add_router("", reports.public_router)
api.add_router("", public.router)
api.add_router("", register.router)
