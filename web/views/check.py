"""Check a text: is what I hold a version of a letter, and how many signed it?

The page and POST /api/v1/public/check ask the same function (letters.check), so they never
disagree: texts are compared with published letters only, hashes recognised for any circulated
letter without its text.
"""

from django.shortcuts import render
from django.utils import translation
from django.utils.translation import get_supported_language_variant
from django.views.decorators.http import require_http_methods

from core.errors import ActionError
from letters import check as checking
from letters import queries


@require_http_methods(["GET", "POST"])
def check(request):
    """In the language a public page passed on (?lang=), else the reader's own."""
    chosen = _chosen_language(request)
    if chosen is None:
        return _check(request, None)
    with translation.override(chosen):
        return _check(request, chosen)


def _chosen_language(request) -> str | None:
    try:
        return get_supported_language_variant(request.GET.get("lang", ""))
    except LookupError:
        return None


def _check(request, chosen_language: str | None):
    text = request.POST.get("text", "") if request.method == "POST" else ""
    context: dict = {"text": text, "checked": request.method == "POST", "chosen_language": chosen_language}
    status = 200
    if context["checked"]:
        try:
            result = checking.check_text(text)
        except ActionError as refusal:
            context.update(checked=False, check_error=refusal.message)
            status = refusal.status
        else:
            context["matches"] = [_describe(match) for match in result.matches]
            context["nearest"] = _nearest(result.nearest)
    return render(request, "web/check.html", context, status=status)


def _describe(match: checking.Match) -> dict:
    """A match in words. A letter not yet published shows its version number and handle (both in
    the public log already) and nothing of its text, title or signatories."""
    version, letter = match.version, match.version.letter
    described = {"version": version, "letter": letter, "exact": match.exact, "published": match.published}
    if match.published:
        versions = queries.versions_of(letter)
        counts = {c["version"]: c["count"] for c in queries.counts_by_version(letter, versions)}
        delivered = {d.version.number for d in queries.deliveries_of(letter)}
        described.update(
            of=len(versions),
            count=counts.get(version.number, 0),
            delivered=version.number in delivered,
            title=versions[-1].title,
        )
    return described


def _nearest(nearest: checking.Nearest | None) -> dict | None:
    if nearest is None:
        return None
    version = nearest.version
    return {
        "version": version,
        "letter": version.letter,
        "title": queries.versions_of(version.letter)[-1].title,
        "percent": round(nearest.similarity * 100),
        "quoted": nearest.quoted,
        "differences": checking.differences(version, nearest.pasted_words),
    }
