"""A report's verification bundle: its events with proofs, and the openings the caller may see
(reports/access.py), in the letters' bundle format (docs/record.md)."""

import json

from documents import bundles as documents
from orgs.models import Organisation
from record.models import Opening
from reports import access
from reports.models import Report


def bundle_for(actor, report: Report) -> dict:
    checkpoint = documents.checkpoint_covering(report.handle)
    entries = documents.entries_of(report.handle, checkpoint)
    openings = _openings_for(actor, report, entries)
    return documents.bundle(report.handle, checkpoint, entries, openings, _key_indexes(openings))


def _openings_for(actor, report: Report, entries) -> list[dict]:
    allowed = {index for index, _, type_ in entries if access.may_open_event(actor, report, type_)}
    return [
        documents.opening_out(opening, json.loads(opening.fields_json))
        for opening in Opening.objects.filter(entry_id__in=allowed).order_by("entry_id")
    ]


def _key_indexes(openings: list[dict]) -> list[int]:
    """The key registrations of the organisations whose signatures the openings carry."""
    slugs = {o["fields"]["org"] for o in openings if "signature" in o["fields"] and "org" in o["fields"]}
    return [
        index
        for index in Organisation.objects.filter(slug__in=slugs).values_list("key_log_index", flat=True)
        if index is not None
    ]
