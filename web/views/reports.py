"""A report's public pages: its timeline `/r/{handle}` from the first event on, and its PDF
`/r/{handle}.pdf` once published. Like a letter's public page they depend only on the URL and
the reader's language (cacheable), and show only what reports.public exposes: times, log
indexes and hashes until publication, the content after it."""

import datetime

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.views.decorators.http import require_GET

from letters.about_reports import letters_about
from orgs.models import Organisation
from record import log
from reports import states, story
from reports.public import public_report
from web.views.public import _cacheable, _check_render_rate, _checkpoint_lines, _etag, _render_refused, public_language


def _summary_or_404(handle: str) -> dict:
    summary = public_report(handle) if len(handle) <= 32 else None
    if summary is None:
        raise Http404("No report has this handle.")
    return {**summary, "letters": letters_about(handle)}


def _context(summary: dict, language: str) -> dict:
    named = [summary.get("office"), summary.get("concerning")]
    organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=[s for s in named if s])}
    return {
        "summary": summary,
        "published": summary["status"] == states.PUBLISHED,
        "status_label": states.label(summary["status"]),
        "office": organisations.get(summary.get("office") or ""),
        "concerning": organisations.get(summary.get("concerning") or ""),
        "steps": story.steps(summary["timeline"]),
        "durations": story.durations(summary["timeline"]),
        "checkpoint": _checkpoint_lines(summary.get("checkpoint")),
        "language": language,
        "languages": settings.LANGUAGES,
        "site_url": settings.SITE_URL,
        "vkey": log.vkey(),
    }


@require_GET
def report_page(request, handle):
    summary = _summary_or_404(handle)
    language = public_language(request)

    def build():
        with translation.override(language):
            response = render(request, "web/report_public.html", _context(summary, language))
        response["Content-Language"] = language
        return response

    # The durations of an unpublished report grow by the day: the date is part of the page's state.
    today = datetime.date.today().isoformat()
    return _cacheable(request, _etag("report", summary, language, today), build)


@require_GET
def report_pdf(request, handle):
    summary = _summary_or_404(handle)
    if summary["status"] != states.PUBLISHED:
        raise Http404("No published report has this handle.")
    from web import pdf  # imported here: loading Pango costs time no other page should pay

    language = public_language(request)
    with translation.override(language):
        context = {**_context(summary, language), "fonts": pdf.FONTS, "rtl": language in pdf.RTL}
        public_url = f"{settings.SITE_URL}/r/{handle}"
        context.update(public_url=public_url, qr=pdf.qr_data_uri(public_url))
        html = render_to_string("web/report_pdf.html", context)
    try:
        _check_render_rate(request)
        content = pdf.rendered_in_a_slot(lambda: pdf.render_pdf(html), f"report {handle}")
    except pdf.Unavailable as refusal:
        return _render_refused(request, refusal)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="report-{handle}.pdf"'
    return response
