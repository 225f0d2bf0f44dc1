"""A report's verification bundle: its events with proofs, and the openings the caller may see
(reports/access.py), in the letters' bundle format (docs/record.md)."""

import base64
import json

from django.conf import settings

from ledger import tiles
from ledger.bundle import build_bundle
from orgs.models import Organisation
from record import log, witnesses
from record.models import Entry, Opening
from reports import access
from reports.models import Report


def bundle_for(actor, report: Report) -> dict:
    checkpoint = _checkpoint_covering(report)
    entries = list(
        Entry.objects.filter(handle=report.handle, index__lt=checkpoint.size)
        .order_by("index")
        .values_list("index", "data", "type")
    )
    openings = _openings_for(actor, report, entries)
    reader = log.DatabaseTiles()
    logged = [(index, bytes(data), tiles.inclusion_proof(reader, index, checkpoint.size)) for index, data, _ in entries]
    key_entries = Entry.objects.filter(index__in=_key_indexes(openings)).order_by("index").values_list("index", "data")
    keys = [(index, bytes(data), tiles.inclusion_proof(reader, index, checkpoint.size)) for index, data in key_entries]
    return build_bundle(
        settings.LOG_ORIGIN,
        log.vkey(),
        witnesses.cosigned_note(checkpoint),
        logged,
        openings,
        keys,
        None,
        log.signed_head(report.handle, checkpoint.size),
    )


def _checkpoint_covering(report: Report):
    last = Entry.objects.filter(handle=report.handle).order_by("-index").values_list("index", flat=True).first()
    covering = 0 if last is None else last + 1
    checkpoint = witnesses.checkpoint_to_serve(covering)
    if checkpoint is None or checkpoint.size < covering:
        log.integrate()
        checkpoint = witnesses.checkpoint_to_serve(covering)
    return checkpoint


def _openings_for(actor, report: Report, entries) -> list[dict]:
    allowed = {index for index, _, type_ in entries if access.may_open_event(actor, report, type_)}
    result = []
    for opening in Opening.objects.filter(entry_id__in=allowed).order_by("entry_id"):
        result.append(
            {
                "index": opening.entry_id,
                "salt": base64.b64encode(bytes(opening.salt)).decode(),
                "fields": json.loads(opening.fields_json),
            }
        )
    return result


def _key_indexes(openings: list[dict]) -> list[int]:
    """The key registrations of the organisations whose signatures the openings carry."""
    slugs = {o["fields"]["org"] for o in openings if "signature" in o["fields"] and "org" in o["fields"]}
    return [
        index
        for index in Organisation.objects.filter(slug__in=slugs).values_list("key_log_index", flat=True)
        if index is not None
    ]
