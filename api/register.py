"""The register, public (no account): texts, tallies, claims, votes, countries, agreement.

Text identifiers hold slashes (A/HRC/51/L.6), so the routes take them with Django's `path`
converter: /api/v1/register/texts/A/HRC/51/L.6.

Words (States' names, refusals, a claim's explanation) are in the reader's language: `?lang=`
when it names one of the site's languages, otherwise Accept-Language, as on the register's pages.
"""

import datetime
import functools

from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.decorators import decorate_view
from ninja.responses import Status

from api.register_schemas import (
    AgreementOut,
    ClaimIn,
    ClaimOut,
    CountryOut,
    Kind,
    TallyIn,
    TallyOut,
    TextOut,
    TextSummaryOut,
    VoteOut,
)
from api.schemas import Error
from core.errors import NotFound
from register import claims, queries
from register.models import Claim

router = Router(tags=["register"])
ERRORS = {400: Error, 404: Error, 422: Error}


def in_asked_language(run):
    """Run the endpoint in the language `?lang=` asks for, when the site has it."""

    @functools.wraps(run)
    def answer(request, *args, **kwargs):
        with translation.override(_asked_language(request)):
            return run(request, *args, **kwargs)

    return answer


def _asked_language(request) -> str | None:
    try:
        return translation.get_supported_language_variant(request.GET.get("lang", ""))
    except LookupError:
        return translation.get_language()  # Accept-Language, as the locale middleware read it


def _answer(data) -> JsonResponse:
    """The engine's answer as JSON, not validated again against the declared schema: for a State
    with thousands of texts that second pass was four fifths of the time (bench/register.py).
    The tests check these answers against the schemas instead (test_api_register.py)."""
    return JsonResponse(data, safe=False)


@decorate_view(in_asked_language)
@router.get("/register/texts", response={200: list[TextSummaryOut], **ERRORS}, auth=None)
def list_texts(
    request,
    session: str | None = Query(None, max_length=50),
    forum: str | None = Query(None, max_length=100),
    kind: Kind | None = None,
    topic: str | None = Query(None, max_length=100),
    country: str | None = Query(None, max_length=100, description="ISO3 or a name"),
    limit: int = Query(500, ge=1, le=5000),
    offset: int = Query(0, ge=0),
):
    return _answer(
        queries.list_texts(
            session=session, forum=forum, kind=kind, topic=topic, country=country, limit=limit, offset=offset
        )
    )


@decorate_view(in_asked_language)
@router.get("/register/texts/{path:text}", response={200: TextOut, **ERRORS}, auth=None)
def get_text(request, text: str):
    return queries.text_detail(text)


@decorate_view(in_asked_language)
@router.post("/register/tally", response={200: TallyOut, **ERRORS}, auth=None)
def tally(request, payload: TallyIn):
    return _answer(queries.tally(payload.texts))


def _claim_out(claim: Claim) -> dict:
    """The saved claim with the page's own sentences (register.claims.claim_sentences), joined."""
    sentences = claims.claim_sentences(claim, claims.saved_facts(claim))
    return {**claims.claim_data(claim), "explanation": " ".join(sentences)}


@decorate_view(in_asked_language)
@router.post("/register/claims", response={200: ClaimOut, 201: ClaimOut, **ERRORS}, auth=None)
def check_claim(request, payload: ClaimIn):
    """The claim's verdict, saved under a public link: 201, or 200 with the earlier claim when
    the same claim on the same texts already got the same verdict."""
    claim, created = claims.save_claim(payload.statement, payload.number, payload.texts)
    return Status(201 if created else 200, _claim_out(claim))


@decorate_view(in_asked_language)
@router.get("/register/claims/{claim_id}", response={200: ClaimOut, **ERRORS}, auth=None)
def get_claim(request, claim_id: str):
    claim = Claim.objects.filter(id=claim_id).first() if len(claim_id) <= 16 else None
    if claim is None:
        raise NotFound(_("No claim has this link."))
    return _claim_out(claim)


@decorate_view(in_asked_language)
@router.get("/register/votes/{path:text}", response={200: VoteOut, **ERRORS}, auth=None)
def get_vote(request, text: str, date: datetime.date | None = Query(None, description="Which vote, if several")):
    return queries.vote_detail(text, date)


@decorate_view(in_asked_language)
@router.get("/register/countries/{iso3}", response={200: CountryOut, **ERRORS}, auth=None)
def get_country(request, iso3: str):
    return _answer(queries.country_detail(iso3[:100]))


@decorate_view(in_asked_language)
@router.get("/register/agreement", response={200: AgreementOut, **ERRORS}, auth=None)
def get_agreement(
    request,
    a: str = Query(..., max_length=100),
    b: str = Query(..., max_length=100),
    session: str | None = Query(None, max_length=50),
):
    return queries.agreement(a, b, session)
