"""The claim checker: a number of States and the texts it rests on, checked against the register's
bounds and saved with a public link.

The verdict and bounds are the engine's (register.tally); the page adds the explanation in plain
words, so a reader sees why a claim cannot be checked, not just that it cannot.
"""

from django.http import Http404
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from register import claims
from register import tally as tallies
from register.models import Claim, Text
from web import maps
from web.views import register_data as data
from web.views.public import public_language
from web.views.register_page import group_chart, page, small_states

STATEMENT_MAX = 1000
CHECKBOX_LIMIT = 300  # beyond this many texts the form asks for identifiers, one per line


@require_http_methods(["GET", "POST"])
def claim_form(request):
    typed = {"statement": "", "number": "", "texts": request.GET.getlist("text")}
    errors: dict[str, str] = {}
    if request.method == "POST":
        typed = {
            "statement": request.POST.get("statement", "").strip(),
            "number": request.POST.get("number", "").strip(),
            "texts": _identifiers(request.POST),
        }
        with translation.override(public_language(request)):  # a refusal in the page's language
            errors, texts = _check(typed)
        if not errors:
            claim, _created = claims.save_claim(typed["statement"], int(typed["number"]), [t.identifier for t in texts])
            return redirect("web:register_claim", claim_id=claim.id)
    count = Text.objects.count()
    choices = (
        list(Text.objects.select_related("forum", "session").order_by("date", "identifier"))
        if count <= CHECKBOX_LIMIT
        else None
    )
    response = page(
        request,
        "web/register/claim_form.html",
        # Each error beside the field it is about, not as the page's error (which the base
        # template shows above the content as well).
        {"typed": typed, "errors": errors, "choices": choices, "statement_max": STATEMENT_MAX},
    )
    if errors:
        response.status_code = 400
    response["Cache-Control"] = "no-store"
    return response


def _identifiers(post) -> list[str]:
    chosen = post.getlist("text")
    typed = [line.strip() for line in post.get("identifiers", "").splitlines() if line.strip()]
    return list(dict.fromkeys(chosen + typed))


def _check(typed: dict) -> tuple[dict[str, str], list[Text]]:
    """The first thing wrong with the form, as {field: message}, or {} and the texts in the
    order given."""
    if not typed["statement"]:
        return {"statement": _("Write the claim as it was made.")}, []
    if len(typed["statement"]) > STATEMENT_MAX:
        return {"statement": _("The claim is longer than %(max)s characters.") % {"max": STATEMENT_MAX}}, []
    if not typed["number"].isdigit() or len(typed["number"]) > 6:
        return {"number": _("The number of States must be a whole number.")}, []
    if not typed["texts"]:
        return {"texts": _("Choose at least one text the claim rests on.")}, []
    found = {t.identifier: t for t in Text.objects.filter(identifier__in=typed["texts"])}
    unknown = [identifier for identifier in typed["texts"] if identifier not in found]
    if unknown:
        return {"texts": _("The register has no text %(texts)s.") % {"texts": ", ".join(unknown)}}, []
    return {}, [found[identifier] for identifier in typed["texts"]]


def claim_page(request, claim_id):
    claim = Claim.objects.filter(id=claim_id).first() if len(claim_id) <= 16 else None
    if claim is None:
        raise Http404(_("No claim has this link."))
    texts = {t.identifier: t for t in Text.objects.filter(identifier__in=claim.texts)}
    ordered = [texts[i] for i in claim.texts if i in texts]
    facts = data.facts_for(ordered)
    # The saved verdict is what the record said when the claim was checked; the page also says
    # what it says now, since imports may have added names or counts since.
    now = tallies.bounds(facts) if facts else None
    if request.GET.get("format") == "csv":
        return data.csv_response(
            f"register-claim-{claim.id}.csv",
            ["text", "kind", "listed_count", "reported_count", "unlisted"],
            ([f.text, f.kind, f.listed, "" if f.reported is None else f.reported, f.remainder] for f in facts),
        )

    def build(language):
        everyone = set().union(*(f.live for f in facts)) if facts else set()
        categories = {iso3: ("supports" if all(iso3 in f.live for f in facts) else "some") for iso3 in everyone}
        return {
            "verdict": data.VERDICT_LABELS.get(claim.verdict, claim.verdict),
            "sentences": claims.claim_sentences(claim, facts),
            "per_text": [{"text": texts[f.text], "facts": f} for f in facts],
            "world_map": maps.world_map(categories, language, _("States named on the texts of this claim")),
            "small_states": small_states(categories, language),
            **group_chart(tallies.by_group(everyone, data.group_of()), _("States named, by regional group")),
        }

    response = page(
        request,
        "web/register/claim.html",
        {"claim": claim, "now": now, "build": build, "json_url": data.api_path("claims", claim.id)},
    )
    response["Cache-Control"] = "public, max-age=60"
    return response
