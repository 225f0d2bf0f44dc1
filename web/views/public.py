"""Pages anyone holding a handle may read: the public record of a letter, and its PDF once published.

They are built to be cached by a CDN: the response depends only on the URL and the
Accept-Language header (never on a session or a cookie), carries an ETag and
Cache-Control: public, and shows only what record.public.public_letter exposes.
"""

import hashlib
import json

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.utils import translation
from django.utils.translation.trans_real import get_supported_language_variant, parse_accept_lang_header
from django.views.decorators.http import require_GET

from letters import states
from letters.models import Letter
from orgs.models import Organisation
from record.public import public_letter

PUBLIC_CACHE = "public, max-age=60"


def public_language(request) -> str:
    """?lang= first, then Accept-Language; never the language cookie, so caches may key on the URL."""
    for code in [request.GET.get("lang", "")] + [c for c, _ in parse_accept_lang_header(
            request.headers.get("Accept-Language", ""))]:
        try:
            return get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def _etag(*parts) -> str:
    return '"' + hashlib.sha256(json.dumps(parts, default=str, sort_keys=True).encode()).hexdigest()[:32] + '"'


def _cacheable(request, etag: str, build) -> HttpResponse:
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        response = build()
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

    def build():
        with translation.override(language):
            response = render(request, "web/public.html", _public_context(summary, language))
        response["Content-Language"] = language
        return response

    return _cacheable(request, _etag("page", summary, language), build)


def _public_context(summary: dict, language: str) -> dict:
    slugs = summary.get("signatories") or []
    named = [summary.get("penholder"), summary.get("addressee")] + slugs
    organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=[s for s in named if s])}
    return {
        "summary": summary, "published": summary["status"] == states.PUBLISHED,
        "signatories": [organisations[s] for s in slugs if s in organisations] if "signatories" in summary else None,
        "penholder": organisations.get(summary.get("penholder")),
        "addressee": organisations.get(summary.get("addressee")),
        "checkpoint": _checkpoint_lines(summary.get("checkpoint")),
        "language": language, "languages": settings.LANGUAGES,
        "site_url": settings.SITE_URL,
    }


def _checkpoint_lines(note: str | None) -> dict | None:
    if not note:
        return None
    lines = note.split("\n")
    return {"origin": lines[0], "size": lines[1] if len(lines) > 1 else "", "root": lines[2] if len(lines) > 2 else "",
            "note": note}


@require_GET
def public_pdf(request, handle):
    letter = Letter.objects.filter(handle=handle).first() if len(handle) <= 32 else None
    if letter is None or letter.status != states.PUBLISHED:
        raise Http404("No published letter has this handle.")
    summary = _summary_or_404(handle)

    def build():
        from web.pdf import letter_pdf

        response = HttpResponse(letter_pdf(letter, summary), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="letter-{handle}.pdf"'
        return response

    # The PDF is in the letter's own language; it changes only when the record does.
    return _cacheable(request, _etag("pdf", summary), build)
