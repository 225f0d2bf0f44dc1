"""A document's verification bundle, built the same way for a letter and for a report
(docs/record.md): its events with their inclusion proofs in a checkpoint that covers them all,
the openings the caller may see, the key registrations that check the signatures opened, and the
log's signed head of the document in that checkpoint's tree, which proves no later event of it
is left out. Each flow says which openings and which keys its reader gets."""

import base64

from django.conf import settings

from ledger import tiles
from ledger.bundle import build_bundle
from record import log, witnesses
from record.models import Entry, Opening


def checkpoint_covering(handle: str):
    """A checkpoint that covers every event of the document so far, cosigned by the log's
    witnesses if such a recent one exists (record/witnesses.py)."""
    last = Entry.objects.filter(handle=handle).order_by("-index").values_list("index", flat=True).first()
    covering = 0 if last is None else last + 1
    checkpoint = witnesses.checkpoint_to_serve(covering)
    if checkpoint is None or checkpoint.size < covering:
        log.integrate()
        checkpoint = witnesses.checkpoint_to_serve(covering)
    return checkpoint


def entries_of(handle: str, checkpoint) -> list[tuple[int, bytes, str]]:
    """The document's events in the checkpoint's tree: (index, data, type), in log order."""
    return list(
        Entry.objects.filter(handle=handle, index__lt=checkpoint.size)
        .order_by("index")
        .values_list("index", "data", "type")
    )


def opening_out(opening: Opening, fields: dict) -> dict:
    """An opening as the bundle carries it: the entry it opens, its salt, its fields."""
    return {"index": opening.entry_id, "salt": base64.b64encode(bytes(opening.salt)).decode(), "fields": fields}


def bundle(handle: str, checkpoint, entries, openings: list[dict], key_indexes, since: int | None = None) -> dict:
    """The bundle of the document's ``entries`` in ``checkpoint``, with the ``openings`` and the
    key events at ``key_indexes`` (each with its proof), and a consistency proof from the tree
    of size ``since`` when one is asked for."""
    reader = log.DatabaseTiles()  # proofs of neighbouring entries share tiles: it keeps them
    logged = [(index, bytes(data), tiles.inclusion_proof(reader, index, checkpoint.size)) for index, data, _ in entries]
    key_entries = Entry.objects.filter(index__in=key_indexes).order_by("index").values_list("index", "data")
    keys = [(index, bytes(data), tiles.inclusion_proof(reader, index, checkpoint.size)) for index, data in key_entries]
    consistency = None
    if since is not None and since <= checkpoint.size:
        consistency = (since, tiles.consistency_proof(reader, since, checkpoint.size))
    return build_bundle(
        settings.LOG_ORIGIN,
        log.vkey(),
        witnesses.cosigned_note(checkpoint),
        logged,
        openings,
        keys,
        consistency,
        log.signed_head(handle, checkpoint.size),
    )
