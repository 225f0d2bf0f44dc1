"""Middleware of our own: a strict Content-Security-Policy (the pages use no inline script or
style and no other origin), the refusal of web forms Django would read wrongly, and a log line
that explains the redirect to https."""

import logging
from urllib.parse import parse_qsl

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.utils.html import format_html
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _

POLICY = (
    "default-src 'self'; img-src 'self' data:; script-src 'self'; style-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


class ContentSecurityPolicy:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", POLICY)
        return response


class RefuseUnreadableForms:
    """A web form whose body Django would read wrongly is refused before any view sees it.

    - Too large (over DATA_UPLOAD_MAX_MEMORY_SIZE): 413 with a page saying so, where Django's
      own answer would be a bare 400.
    - Not UTF-8: 400. Django would read each bad byte as U+FFFD and the letter would store, sign
      and hash text nobody typed; the API refuses such a body too.

    Only URL-encoded bodies (what every form of the site sends) are checked for UTF-8; a
    multipart body's fields are decoded by Django's multipart parser. The API answers for
    itself, in its own error format."""

    API_PREFIX = "/api/"
    FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method == "POST"
            and request.content_type in self.FORM_TYPES
            and not request.path_info.startswith(self.API_PREFIX)
        ):
            refusal = _refusal_of_form(request)
            if refusal is not None:
                return refusal
        return self.get_response(request)


def _refusal_of_form(request):
    try:
        request.POST  # noqa: B018 - read and parse the body now, as the CSRF check would
    except RequestDataTooBig:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024
        return _refusal_page(
            413,
            _("The form is too large"),
            _(
                "What you sent is larger than the %(limit)s KiB a form may carry, so nothing was saved. "
                "Shorten the text and send it again."
            )
            % {"limit": limit},
        )
    if request.content_type == "application/x-www-form-urlencoded" and not _is_utf8_form(request.body):
        return _refusal_page(
            400,
            _("The form could not be read"),
            _(
                "The form sent text that is not valid UTF-8, so it cannot be read as it was typed and "
                "nothing was saved. Type or paste the text again and send it."
            ),
        )
    return None


def _is_utf8_form(body: bytes) -> bool:
    """Whether every name and value of a URL-encoded body, once its %-escapes are undone, is UTF-8."""
    try:
        parse_qsl(body.decode("utf-8"), keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        return False
    return True


def _refusal_page(status: int, title: str, explanation: str) -> HttpResponse:
    page = format_html(
        '<!doctype html><html lang="{}" dir="{}"><head><meta charset="utf-8"><title>{}</title></head>'
        "<body><main><h1>{}</h1><p>{}</p></main></body></html>",
        get_language(),
        "rtl" if get_language_bidi() else "ltr",
        title,
        title,
        explanation,
    )
    response = HttpResponse(page, status=status, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = POLICY
    return response


logger = logging.getLogger(__name__)


class ExplainHttpsRedirect:
    """Say in the log why a plain-http request was sent to https, once per process.

    SECURE_SSL_REDIRECT is on by default, as production behind a TLS proxy needs; someone who
    runs `undersigned serve` on a laptop sees their browser sent to an https:// that does not
    exist, and the log is where they look. Placed before Django's SecurityMiddleware, which
    makes the redirect. The path is left out: a letter's handle is not for the logs."""

    explained = False

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            not ExplainHttpsRedirect.explained
            and settings.SECURE_SSL_REDIRECT
            and not request.is_secure()
            and response.status_code == 301
            and response.get("Location", "").startswith("https://")
        ):
            ExplainHttpsRedirect.explained = True
            logger.warning(
                "redirected a plain-http request to https because SECURE_SSL_REDIRECT is on (the production "
                "default). Behind a TLS proxy, have it send X-Forwarded-Proto: https; to serve plain http on "
                "your own machine, set SECURE_SSL_REDIRECT=0 (the README's configuration table says more)."
            )
        return response
