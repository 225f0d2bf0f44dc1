"""What anyone holding a letter's handle may know: status, counts per version, event times."""

import json
from typing import Any

from letters import states
from letters.models import Letter
from letters.queries import counts_by_version, signatures_of, versions_of
from record import log
from record.models import Entry


def public_letter(handle: str) -> dict | None:
    letter = Letter.objects.select_related("penholder", "addressee").filter(handle=handle).first()
    if letter is None:
        return None
    versions = versions_of(letter)
    checkpoint = log.latest_checkpoint()
    summary: dict[str, Any] = {
        "handle": letter.handle,
        "status": letter.status,
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
