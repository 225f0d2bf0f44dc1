"""Writing a letter and its new versions: each version immutable, hashed, with a note saying why."""

import hashlib
import json

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import Invalid
from documents import actions as documents
from documents.actions import DOUBLE_SUBMIT_WINDOW as DOUBLE_SUBMIT_WINDOW
from ledger import events
from ledger.canonical import version_hash
from letters import limits, states
from letters.actions.about import report_named
from letters.actions.common import (
    LETTERS,
    Outcome,
    acting_organisation,
    after_commit,
    lock_letter,
    now,
    organisation,
    require_penholder_drafter,
    require_state,
)
from letters.actions.inputs import clean_language, clean_text, is_whole_number
from letters.models import Letter, Version
from orgs.actors import actor_of
from orgs.models import ROLE_DRAFTER


def create_letter(
    actor, *, title, addressee, body, note, language="en", penholder=None, concerning_report=None, at=None
) -> Outcome[Letter]:
    actor = actor_of(actor)
    user = actor.user
    title = clean_text(title, "title", limits.TITLE)
    body = clean_text(body, "body", limits.BODY)
    note = clean_text(note, "note", limits.NOTE)
    language = clean_language(language)
    addressee_org = organisation(addressee, "addressee")
    report = report_named(concerning_report)
    penholder_org = acting_organisation(actor, actor.with_role(ROLE_DRAFTER), penholder)
    if addressee_org.id == penholder_org.id:
        raise Invalid(
            _("A letter cannot be addressed to its own penholder, %(organisation)s.")
            % {"organisation": penholder_org.slug},
            field="addressee",
        )
    digest = hashlib.sha256(
        json.dumps([user.pk, penholder_org.slug, addressee_org.slug, title, body, note, language]).encode()
    ).hexdigest()
    at = now(at)
    with transaction.atomic():
        earlier = documents.made_by_identical_request(LETTERS, penholder_org, digest, at)
        if earlier:
            return Outcome(earlier, False)
        letter = Letter.objects.create(
            penholder=penholder_org,
            addressee=addressee_org,
            language=language,
            created_by=user,
            created_at=at,
            request_digest=digest,
            concerning_report=report,
        )
        vhash = version_hash(title, addressee_org.slug, body)
        documents.record_version(
            letter,
            events.LETTER_CREATED,
            at,
            {"version": 1, "version_hash": vhash, "language": language},
            {
                "penholder": penholder_org.slug,
                "addressee": addressee_org.slug,
                "title": title,
                "body": body,
                "author": user.get_username(),
                "note": note,
            },
            number=1,
            title=title,
            addressee=addressee_org,
            body=body,
            hash=vhash,
            author=user,
            note=note,
        )
    return Outcome(letter, True)


def add_version(actor, letter_id, *, body, note, base_version, title=None, at=None) -> Outcome[Version]:
    actor = actor_of(actor)
    user = actor.user
    body = clean_text(body, "body", limits.BODY)
    note = clean_text(note, "note", limits.NOTE)
    if not is_whole_number(base_version):
        raise Invalid(_("base_version must be the number of the version you edited."), field="base_version")
    at = now(at)
    with transaction.atomic():
        letter = lock_letter(actor, letter_id)
        require_penholder_drafter(actor, letter)
        current = letter.version(letter.current_version)
        title = current.title if title is None else clean_text(title, "title", limits.TITLE)
        same_content = (current.title, current.body, current.note) == (title, body, note)
        changes = (letter.id, base_version, letter.current_version)
        if documents.is_repeat_of_current(
            LETTERS, base_version, current, user, same_content=same_content, changes=changes
        ):
            return Outcome(current, False)
        require_state(letter, states.EDITABLE, _("Editing"))
        if (title, body) == (current.title, current.body):
            raise Invalid(_("The new version is identical to the current one."), code="unchanged")
        number = current.number + 1
        vhash = version_hash(title, letter.addressee.slug, body)
        version = documents.record_version(
            letter,
            events.VERSION_CREATED,
            at,
            {"version": number, "version_hash": vhash, "base_version": base_version},
            {
                "addressee": letter.addressee.slug,
                "title": title,
                "body": body,
                "author": user.get_username(),
                "note": note,
            },
            number=number,
            title=title,
            addressee=letter.addressee,
            body=body,
            hash=vhash,
            author=user,
            note=note,
        )
        documents.make_current(LETTERS, letter, number)
    after_commit("new_version", letter.id, number)
    return Outcome(version, True)
