"""Public endpoints: no account needed. Only what the log proves anyway, until publication."""

from django.contrib.auth.models import AnonymousUser
from ninja import Query, Router

from api.schemas import CheckIn, CheckOut, Error, ProofOut, PublicLetter
from core.errors import Invalid, NotFound
from ledger.encoding import b64encode
from letters import bundles, check
from letters.models import Letter
from letters.public import public_letter
from record import log

router = Router(tags=["public"])


@router.get("/public/letters/{handle}", response={200: PublicLetter, 404: Error}, auth=None)
def get_public_letter(request, handle: str):
    summary = public_letter(handle) if len(handle) <= 32 else None
    if summary is None:
        raise NotFound("No letter has this handle.")
    return summary


@router.get("/public/letters/{handle}/bundle", response={200: dict, 404: Error}, auth=None)
def get_public_bundle(request, handle: str, since: int | None = Query(None, ge=1)):
    letter = Letter.objects.filter(handle=handle).first() if len(handle) <= 32 else None
    if letter is None:
        raise NotFound("No letter has this handle.")
    return bundles.bundle_for(AnonymousUser(), letter, since=since)


@router.post("/public/check", response={200: CheckOut, 400: Error, 413: Error, 422: Error}, auth=None)
def check_text(request, payload: CheckIn):
    """Is this text, or this version hash, a version of a letter? Texts are compared with
    published letters only; a hash is recognised for any circulated letter (the log shows it)."""
    return check.as_json(check.check_text(payload.text))


def _checked_size(size: int | None) -> int:
    checkpoint = log.latest_checkpoint()
    latest = checkpoint.size if checkpoint else 0
    if size is None:
        return latest
    if size > latest:
        raise Invalid(f"The log's latest checkpoint has {latest} entries; size {size} is beyond it.")
    return size


@router.get("/log/proof/inclusion", response={200: ProofOut, 422: Error}, auth=None)
def inclusion(request, index: int = Query(..., ge=0), size: int | None = Query(None, ge=1)):
    size = _checked_size(size)
    if index >= size:
        raise Invalid(f"Index {index} is not in a tree of size {size}.")
    return {"index": index, "size": size, "proof": [b64encode(h) for h in log.inclusion_proof(index, size)]}


@router.get("/log/proof/consistency", response={200: ProofOut, 422: Error}, auth=None)
def consistency(request, old: int = Query(..., ge=1), new: int | None = Query(None, ge=1)):
    new = _checked_size(new)
    if old > new:
        raise Invalid(f"The old size {old} is larger than the new size {new}.")
    return {"old": old, "size": new, "proof": [b64encode(h) for h in log.consistency_proof(old, new)]}
