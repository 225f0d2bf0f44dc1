"""Verification bundles: a letter's entries with proofs, and the openings the caller may see."""

import json

from documents import bundles as documents
from letters import access
from letters.models import Letter
from orgs.models import Organisation, OwnKey
from record.models import Opening


def bundle_for(user, letter: Letter, since: int | None = None) -> dict:
    """The bundle as `user` may see it (anonymous: no openings until publication): the
    letter's events in the tree of its checkpoint, and the log's signed head of the letter
    in that tree, which proves no later event of it is left out."""
    checkpoint = documents.checkpoint_covering(letter.handle)
    entries = documents.entries_of(letter.handle, checkpoint)
    openings = _openings_for(user, letter, entries)
    key_indexes = [index for index in _key_indexes(openings) if index < checkpoint.size]
    return documents.bundle(letter.handle, checkpoint, entries, openings, key_indexes, since)


def _openings_for(user, letter: Letter, entries) -> list[dict]:
    allowed = {index for index, _, type_ in entries if access.may_open_event(user, letter, type_)}
    own = {o.slug for o in Organisation.objects.filter(id__in=access.roles_by_organisation(user))}
    result = []
    for opening in Opening.objects.filter(entry_id__in=[index for index, _, _ in entries]).order_by("entry_id"):
        fields = json.loads(opening.fields_json)
        if opening.entry_id in allowed or (fields.get("org") in own and fields.get("org")):
            result.append(documents.opening_out(opening, fields))
    return result


def _key_indexes(openings: list[dict]) -> list[int]:
    """The registrations of the custodial keys of the organisations whose signatures are opened,
    and every key event of those that signed with keys their members hold (an approval needs
    the approving key's history too)."""
    slugs: set[str] = set()
    own_key_slugs: set[str] = set()
    for opening in openings:
        fields = opening["fields"]
        slugs.update(fields[name] for name in ("org", "penholder") if name in fields and "signature" in fields)
        if "proof" in fields:  # a delivery made with an own key is the penholder's statement
            own_key_slugs.update(fields[name] for name in ("org", "penholder") if name in fields)
    indexes = {
        index
        for index in Organisation.objects.filter(slug__in=slugs).values_list("key_log_index", flat=True)
        if index is not None
    }
    for own_key in OwnKey.objects.filter(organisation__slug__in=own_key_slugs).values_list(
        "registered_log_index", "approved_log_index", "revoked_log_index"
    ):
        indexes.update(index for index in own_key if index is not None)
    return sorted(indexes)
