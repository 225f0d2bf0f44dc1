"""Check a text: is this pasted text a version of a published letter, and how many signed it?

Only published letters are searched, so this page can never confirm the text of a letter that
is still confidential.
"""

import re

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from ledger.canonical import normalise_text
from letters import queries, states
from letters.models import Version

HASH = re.compile(r"[0-9a-fA-F]{64}")
MAX_TEXT = 60_000


@require_http_methods(["GET", "POST"])
def check(request):
    text = request.POST.get("text", "") if request.method == "POST" else ""
    context = {"text": text, "checked": request.method == "POST"}
    if context["checked"]:
        context["matches"] = [_describe(v) for v in matching_versions(text)]
    return render(request, "web/check.html", context)


def matching_versions(text: str) -> list[Version]:
    text = (text or "")[:MAX_TEXT].strip()
    if not text:
        return []
    published = Version.objects.filter(letter__status=states.PUBLISHED).select_related("letter")
    if HASH.fullmatch(text):
        return list(published.filter(hash=text.lower()))
    body = normalise_text(text)
    # Bodies are stored NFC with LF line ends but not trimmed; a pasted text usually is.
    return list(published.filter(body__in=[body, body + "\n", body + "\n\n"]))


def _describe(version: Version) -> dict:
    letter = version.letter
    versions = queries.versions_of(letter)
    counts = {c["version"]: c["count"] for c in queries.counts_by_version(letter, versions)}
    delivered = {d.version.number for d in queries.deliveries_of(letter)}
    return {
        "version": version,
        "letter": letter,
        "of": len(versions),
        "count": counts.get(version.number, 0),
        "delivered": version.number in delivered,
        "title": versions[-1].title,
    }
