"""Read-side helpers shared by the API and the pages, with a fixed number of queries per letter."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from core.errors import NotFound
from letters import access
from letters.models import Delivery, Letter, Signature, Version, VersionView
from orgs.actors import actor_of
from orgs.models import OwnKeySignature


def letter_for(actor, letter_id) -> Letter:
    """The letter if the actor (or user) may see it; otherwise NotFound, as if it did not exist."""
    letter = Letter.objects.select_related("penholder", "addressee").filter(pk=letter_id).first()
    if letter is None or not access.can_see_letter(actor, letter):
        raise NotFound(_("No such letter."))
    return letter


def versions_of(letter: Letter) -> list[Version]:
    return list(letter.versions.select_related("author").order_by("number"))


def counts_by_version(letter: Letter, versions: list[Version]) -> list[dict]:
    """Live signatures per version, every version listed (zero included), oldest first, with
    how many of them were made with keys the signers hold (``own_keys``). One query."""
    own_key_signatures = OwnKeySignature.objects.values("log_index")
    live = {
        version_id: (count, own)
        for version_id, count, own in Signature.objects.filter(letter=letter, withdrawn_at=None, replaced_at=None)
        .values_list("version_id")
        .annotate(n=Count("id"), own=Count("id", filter=Q(log_index__in=own_key_signatures)))
        .values_list("version_id", "n", "own")
    }
    counted = [(v, live.get(v.id, (0, 0))) for v in versions]
    return [{"version": v.number, "hash": v.hash, "count": count, "own_keys": own} for v, (count, own) in counted]


def signatures_of(letter: Letter, versions: list[Version] | None = None) -> list[Signature]:
    """Every signature of the letter with its organisation and version. A caller that has read
    the letter's versions already passes them: each signature then shares those objects instead
    of a copy of its version's text (193 signatures would otherwise build 193 versions)."""
    if versions is None:
        return list(letter.signatures.select_related("organisation", "version").order_by("log_index"))
    by_id = {version.id: version for version in versions}
    signatures = list(letter.signatures.select_related("organisation").order_by("log_index"))
    for signature in signatures:
        signature.version = by_id[signature.version_id]
    return signatures


def visible_signatures(actor, letter: Letter, signatures: list[Signature]) -> list[Signature] | None:
    """All signatures when the actor may see names; their own organisations' otherwise; None for outsiders."""
    actor = actor_of(actor)
    if access.can_see_names(actor, letter):
        return signatures
    mine = [s for s in signatures if access.may_see_signatory(actor, letter, s.organisation_id)]
    return mine or None


def deliveries_of(letter: Letter) -> list[Delivery]:
    return list(letter.deliveries.select_related("version", "addendum_to").order_by("log_index"))


def version_of(letter: Letter, number) -> Version:
    version = (
        letter.versions.select_related("author").filter(number=number).first() if isinstance(number, int) else None
    )
    if version is None:
        raise NotFound(_("Letter %(letter)s has no version %(number)s.") % {"letter": letter.id, "number": number})
    return version


def note_seen(actor, letter: Letter, version: int) -> None:
    """Remember which organisations have opened which version (shown to the penholder)."""
    actor = actor_of(actor)
    organisations = access.invited_organisations_of(actor, letter) | ({letter.addressee_id} & set(actor.roles))
    for organisation_id in organisations:
        VersionView.objects.get_or_create(letter=letter, organisation_id=organisation_id, version=version)


def seen_by(letter: Letter) -> dict[str, list[int]]:
    seen: dict[str, list[int]] = {}
    for slug, version in (
        VersionView.objects.filter(letter=letter)
        .values_list("organisation__slug", "version")
        .order_by("organisation__slug", "version")
    ):
        seen.setdefault(slug, []).append(version)
    return seen
