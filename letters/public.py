"""What anyone holding a letter's handle may know: status, counts per version, event times."""

import json
from typing import Any

from letters import states
from letters.models import Letter, Signature
from letters.queries import counts_by_version, deliveries_of, signatures_of, versions_of
from orgs.models import Organisation
from orgs.vocabulary import KIND_OBSERVER, KIND_STATE
from record import log
from record.models import Entry

STATE_KINDS = (KIND_STATE, KIND_OBSERVER)


def public_letter(handle: str) -> dict | None:
    letter = Letter.objects.select_related("penholder", "addressee", "concerning_report").filter(handle=handle).first()
    if letter is None:
        return None
    versions = versions_of(letter)
    checkpoint = log.latest_checkpoint()
    summary: dict[str, Any] = {
        "handle": letter.handle,
        "status": letter.status,
        # The report it concerns, by its public handle: the report's timeline is public anyway.
        "concerning_report": letter.concerning_report.handle if letter.concerning_report else None,
        "counts": counts_by_version(letter, versions),
        "events": public_events(handle),
        "checkpoint": checkpoint.note if checkpoint else None,
    }
    if letter.status == states.PUBLISHED:
        summary.update(
            title=versions[-1].title,
            penholder=letter.penholder.slug,
            addressee=letter.addressee.slug,
            signatories=[s.organisation.slug for s in signatures_of(letter) if s.is_live],
        )
    elif letter.names_visible_to == states.NAMES_PUBLIC:
        summary["signatories"] = [s.organisation.slug for s in signatures_of(letter) if s.is_live]
    return summary


def public_events(handle: str) -> list[dict]:
    events = []
    for index, data in Entry.objects.filter(handle=handle).order_by("index").values_list("index", "data"):
        event = json.loads(bytes(data))
        events.append({"index": index, "type": event["type"], "time": event["time"]})
    return events


def public_story(handle: str) -> dict | None:
    """The facts the public page's first sentence tells, all already public on the log: whom the
    letter is to, how many signed which version, when it was delivered and acknowledged, the
    addenda and the withdrawals. Names (who joined late, who withdrew) only where the public may
    see names; the text, the versions and their notes only once published."""
    letter = Letter.objects.select_related("addressee").filter(handle=handle).first()
    if letter is None:
        return None
    versions = versions_of(letter)
    # The few columns the sentence needs, not every signature with its organisation and version:
    # the page is read far more often than the letter changes, at any number of signatories.
    signatures = list(
        Signature.objects.filter(letter=letter)
        .order_by("log_index")
        .values_list("organisation_id", "organisation__kind", "version_id", "late", "withdrawn_at", "replaced_at")
    )
    deliveries = deliveries_of(letter)
    first = next((d for d in deliveries if d.addendum_to_id is None), None)
    live = [row for row in signatures if row[4] is None and row[5] is None]
    signing_now = {row[0] for row in live}
    # Who withdrew and has not signed again since: one per organisation, however often it did.
    withdrew = list(dict.fromkeys(row[0] for row in signatures if row[4] and row[0] not in signing_now))
    story: dict[str, Any] = {
        "addressee": letter.addressee,
        "status": letter.status,
        "current_version": versions[-1].number,
        "signed_current": sum(1 for row in live if row[2] == versions[-1].id),
        "all_states": all(row[1] in STATE_KINDS for row in live),
        "delivered": _delivery_facts(first) if first else None,
        "addenda": [_delivery_facts(d) for d in deliveries if d.addendum_to_id is not None],
        "withdrew": len(withdrew),
    }
    names_public = letter.status == states.PUBLISHED or letter.names_visible_to == states.NAMES_PUBLIC
    if names_public:
        late = [row[0] for row in live if row[3]]
        named = {o.id: o for o in Organisation.objects.filter(id__in=late + withdrew)}
        story["joined_late"] = [named[i] for i in late if i in named]
        story["withdrew_names"] = [named[i] for i in withdrew if i in named]
    if letter.status == states.PUBLISHED:
        story["versions"] = [{"number": v.number, "note": v.note, "created_at": v.created_at} for v in versions]
        story["text"] = {"title": versions[-1].title, "body": versions[-1].body, "language": letter.language}
    return story


def _delivery_facts(delivery) -> dict:
    return {
        "version": delivery.version.number,
        "count": len(delivery.signatories),
        "at": delivery.delivered_at,
        "acknowledged_at": delivery.acknowledged_at,
    }
