"""/log/: what the log is, its verifier key and how to check it, for anyone. Cached like the
public letter pages: it depends only on the URL, the language and the latest checkpoint."""

from django.conf import settings
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_GET

from record import log
from web.views.public import _cacheable, _checkpoint_lines, _etag, public_language


@require_GET
def log_page(request):
    language = public_language(request)
    checkpoint = log.latest_checkpoint()
    note = checkpoint.note if checkpoint else None

    def build():
        context = {
            "vkey": log.vkey(),
            "origin": settings.LOG_ORIGIN,
            "checkpoint": _checkpoint_lines(note),
            "site_url": settings.SITE_URL,
            "language": language,
            "languages": settings.LANGUAGES,
        }
        with translation.override(language):
            response = render(request, "web/log.html", context)
        response["Content-Language"] = language
        return response

    return _cacheable(request, _etag("log", note, language), build)
