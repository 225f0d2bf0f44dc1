"""Pages anyone holding a handle may read: the public record of a letter, and its PDF once published.

They are built to be cached by a CDN: the response depends only on the URL and the
Accept-Language header (never on a session or a cookie), carries an ETag and
Cache-Control: public, and shows only what letters.public.public_letter exposes. A PDF is
rendered once per state of the letter's record and kept (web/pdf.py); renders of PDFs not yet
kept are limited per client address.
"""

import hashlib
import json

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import get_supported_language_variant, parse_accept_lang_header
from django.views.decorators.http import require_GET
from ninja.throttling import SimpleRateThrottle

from letters import states
from letters.models import Letter
from letters.public import public_letter, public_story
from orgs.models import Organisation
from orgs.signin_limits import client_address
from record import log
from web.public_sentence import quotable_sentence

PUBLIC_CACHE = "public, max-age=60"


def public_language(request) -> str:
    """?lang= first, then Accept-Language; never the language cookie, so caches may key on the URL."""
    accepted = parse_accept_lang_header(request.headers.get("Accept-Language", ""))
    for code in [request.GET.get("lang", ""), *(language for language, _quality in accepted)]:
        try:
            return get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def _etag(*parts) -> str:
    return '"' + hashlib.sha256(json.dumps(parts, default=str, sort_keys=True).encode()).hexdigest()[:32] + '"'


def _cacheable(request, etag: str, build) -> HttpResponse:
    response = HttpResponseNotModified() if etag in request.headers.get("If-None-Match", "") else build()
    response["ETag"] = etag
    response["Cache-Control"] = PUBLIC_CACHE
    response["Vary"] = "Accept-Language"
    return response


def _summary_or_404(handle: str) -> dict:
    summary = public_letter(handle) if len(handle) <= 32 else None
    if summary is None:
        raise Http404("No letter has this handle.")
    return summary


@require_GET
def public_page(request, handle):
    summary = _summary_or_404(handle)
    language = public_language(request)
    story = public_story(handle)
    if story is None:
        raise Http404("No letter has this handle.")
    with translation.override(language):
        sentence = quotable_sentence(story, summary["events"])

    def build():
        with translation.override(language):
            context = {**_public_context(summary, language), "story": story, "sentence": sentence}
            response = render(request, "web/public.html", context)
        response["Content-Language"] = language
        return response

    return _cacheable(request, _etag("page", summary, sentence, language), build)


def _public_context(summary: dict, language: str) -> dict:
    slugs = summary.get("signatories") or []
    named = [summary.get("penholder"), summary.get("addressee"), *slugs]
    organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=[s for s in named if s])}
    return {
        "summary": summary,
        # Live signatures, and those made with keys the signers hold rather than custodial ones.
        "signature_total": sum(row["count"] for row in summary["counts"]),
        "own_key_total": sum(row["own_keys"] for row in summary["counts"]),
        "published": summary["status"] == states.PUBLISHED,
        "signatories": [organisations[s] for s in slugs if s in organisations] if "signatories" in summary else None,
        "penholder": organisations.get(summary.get("penholder", "")),
        "addressee": organisations.get(summary.get("addressee", "")),
        "checkpoint": _checkpoint_lines(summary.get("checkpoint")),
        "language": language,
        "languages": settings.LANGUAGES,
        "site_url": settings.SITE_URL,
        "vkey": log.vkey(),
    }


def _checkpoint_lines(note: str | None) -> dict | None:
    if not note:
        return None
    lines = note.split("\n")
    return {
        "origin": lines[0],
        "size": lines[1] if len(lines) > 1 else "",
        "root": lines[2] if len(lines) > 2 else "",
        "note": note,
    }


@require_GET
def public_pdf(request, handle):
    letter = Letter.objects.filter(handle=handle).first() if len(handle) <= 32 else None
    if letter is None or letter.status != states.PUBLISHED:
        raise Http404("No published letter has this handle.")
    summary = _summary_or_404(handle)
    from web import pdf  # imported here: loading Pango costs time no other page should pay

    name = pdf.kept_name(letter, summary)
    # A kept PDF is the same until the letter's record changes; one rendered before the log has
    # integrated the letter's last event also depends on the checkpoint it shows.
    etag = _etag("pdf", name) if pdf.checkpoint_covers(summary) else _etag("pdf", name, summary["checkpoint"])
    if etag in request.headers.get("If-None-Match", ""):
        return _pdf_headers(HttpResponseNotModified(), handle, etag)
    try:
        content = pdf.published_pdf(letter, summary, name, before_render=lambda: _check_render_rate(request))
    except pdf.Unavailable as refusal:
        return _render_refused(request, refusal)
    # The PDF is in the letter's own language, whatever the reader's.
    return _pdf_headers(HttpResponse(content, content_type="application/pdf"), handle, etag)


def _pdf_headers(response, handle: str, etag: str):
    response["Content-Disposition"] = f'inline; filename="letter-{handle}.pdf"'
    response["ETag"] = etag
    response["Cache-Control"] = PUBLIC_CACHE
    return response


class UncachedPdfRate(SimpleRateThrottle):
    """Renders of PDFs not yet kept, per client address: the API's throttle on Django's cache,
    with its own counter. The address is the sign-in limits' one, which trusts X-Forwarded-For
    only as far as TRUSTED_PROXY_COUNT says, so a client cannot pose as a new one on every try."""

    scope = "pdf_render"

    def get_cache_key(self, request):
        return self.cache_format % {"scope": self.scope, "ident": client_address(request) or "unknown"}


def _check_render_rate(request) -> None:
    from web.pdf import Unavailable

    rate = UncachedPdfRate(settings.PDF_RENDER_RATE)
    if not rate.allow_request(request):
        raise Unavailable(429, rate.wait() or rate.duration or 1)


def _render_refused(request, refusal) -> HttpResponse:
    with translation.override(public_language(request)):
        if refusal.status == 429:
            message = _("Too many new PDFs were requested from your address. Please try again later.")
        else:
            message = _("Every PDF renderer is busy. Please try again in a few seconds.")
    response = HttpResponse(message, status=refusal.status, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(refusal.retry_after)
    response["Cache-Control"] = "no-store"
    return response
