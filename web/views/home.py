"""The inbox: what is waiting for me. Anonymous visitors get a short explanation instead."""

from django.db.models import Q
from django.shortcuts import render

from letters import states
from letters.models import Delivery, Letter, Signature, Version
from orgs.models import ROLE_DRAFTER, ROLE_SIGNER
from register.models import Claim
from web.views import register_data

# How many of the latest claims checked against the register the front page shows.
CLAIMS_ON_THE_FRONT_PAGE = 3


def home(request):
    if not request.user.is_authenticated:
        return render(request, "web/welcome.html", {"claims": _latest_claims()})
    signer_of = request.actor.with_role(ROLE_SIGNER)
    drafter_of = request.actor.with_role(ROLE_DRAFTER)
    context = {
        "to_sign": _to_sign(signer_of),
        "held": _with_titles(Letter.objects.filter(penholder_id__in=drafter_of).select_related("addressee")[:50]),
        "to_acknowledge": list(
            Delivery.objects.filter(letter__addressee_id__in=signer_of, acknowledged_at=None)
            .select_related("letter", "letter__penholder", "version")
            .order_by("-delivered_at")
        ),
        "is_drafter": bool(drafter_of),
    }
    return render(request, "web/home.html", context)


def _to_sign(signer_of: set[int]) -> list[dict]:
    """Letters open for signature by one of my organisations that it has not signed in their current version."""
    letters = _with_titles(
        Letter.objects.filter(
            Q(invitations__organisation_id__in=signer_of) | Q(penholder_id__in=signer_of), status=states.CIRCULATING
        )
        .select_related("penholder")
        .distinct()
    )
    live: dict[int, list[int]] = {}
    for signature in Signature.objects.filter(
        letter__in=letters, organisation_id__in=signer_of, withdrawn_at=None, replaced_at=None
    ).select_related("version"):
        live.setdefault(signature.letter_id, []).append(signature.version.number)
    rows = []
    for letter in letters:
        signed = live.get(letter.id, [])
        if letter.current_version not in signed:
            rows.append({"letter": letter, "reconfirm": bool(signed)})
    rows.sort(key=lambda row: (row["letter"].deadline is None, row["letter"].deadline or 0))
    return rows


def _with_titles(letters) -> list:
    """Attach each letter's current title in one query (Letter.title would cost one per letter)."""
    letters = list(letters)
    titles = {
        (v.letter_id, v.number): v.title
        for v in Version.objects.filter(letter__in=letters).only("letter_id", "number", "title")
    }
    for letter in letters:
        letter.current_title = titles.get((letter.id, letter.current_version), "")
    return letters


def _latest_claims() -> list[dict]:
    """The latest claims checked against the register, with their verdicts in the reader's words."""
    claims = Claim.objects.order_by("-created_at")[:CLAIMS_ON_THE_FRONT_PAGE]
    return [
        {"claim": claim, "verdict": register_data.VERDICT_LABELS.get(claim.verdict, claim.verdict)} for claim in claims
    ]
