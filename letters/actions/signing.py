"""Signing and withdrawing: one live signature per organisation and letter, on the version its
signer was shown; withdrawal is an event, never a deletion. Signing is the most frequent action
by far, so it is the one written for speed."""

import datetime
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from core.errors import ActionError, Conflict, Invalid, NotFound
from ledger import events, statements
from letters import access, group_commit, limits, rows, states
from letters.actions import own_keys
from letters.actions.common import (
    Outcome,
    acting_organisation,
    lock_letter,
    now,
    require_state,
    signature_of,
)
from letters.actions.inputs import clean_text, is_whole_number, row_id
from letters.actions.registering import keep_counts_in_register, keep_in_register
from letters.models import Letter, Signature, Version
from orgs.actors import Actor, actor_of
from orgs.models import Organisation
from record.log import NewEvent, append_event, append_events, event_time


def sign(actor, letter_id, *, version, version_hash, organisation=None, proof=None, at=None) -> Outcome[Signature]:
    """Sign the version the signer was shown, named by number and hash: with the organisation's
    custodial key, or with ``proof``, a signature by a key the signer holds (letters/actions/own_keys.py).

    Signatures that arrive together share a transaction (letters/group_commit.py), which reads
    and writes in plain SQL (letters/rows.py) with the same number of statements however many it
    holds (plus two for each re-confirmation); see _sign_batch."""
    if not is_whole_number(version) or not isinstance(version_hash, str):
        raise Invalid(_("version (a number) and version_hash (hex SHA-256) are required."), field="version")
    letter_id = row_id(letter_id)
    if letter_id is None:
        raise NotFound(_("No such letter."))
    actor = actor_of(actor)  # read now, in the request's thread, not in the commit
    request = _SignRequest(
        actor, letter_id, version, version_hash.lower(), organisation, now(at), translation.get_language(), proof
    )
    return group_commit.committer.run(_sign_batch, request, key=("sign", letter_id, actor.user.pk))


@dataclass(frozen=True)
class _SignRequest:
    actor: Actor
    letter_id: int
    version: int
    version_hash: str
    organisation: str | None
    at: datetime.datetime
    language: str | None
    proof: dict | None = None


@dataclass(frozen=True)
class _LiveSignature:
    id: int
    log_index: int
    number: int
    hash: str


@dataclass
class _NewSignature:
    request: _SignRequest
    letter: Letter
    organisation: Organisation
    replaces: _LiveSignature | None
    late: bool
    signature: Signature | None = None
    own_key: own_keys.OwnKeyProof | None = None


@dataclass(frozen=True)
class _SignedInThisBatch:
    signing: _NewSignature


def _sign_batch(requests: list[_SignRequest]) -> list:
    """Sign for each request, inside the caller's transaction: its Outcome, or the ActionError
    that refuses it (which wrote nothing). Each is checked exactly as it would be alone; the
    batch locks its letters (in id order, see letters/group_commit.py), reads their versions,
    invitations and live signatures, appends its events and inserts its rows with one statement
    each (a re-confirmation also updates the signature it replaces)."""
    letters = rows.lock_letters(sorted({request.letter_id for request in requests}))
    access.preload_invitations(letters.values(), list({request.actor for request in requests}))
    live = _live_signatures(letters, requests)
    answers: list = []
    new: list[_NewSignature] = []
    signing: dict[tuple[int, int], _NewSignature] = {}  # (letter, organisation) -> its _NewSignature
    for request in requests:
        with translation.override(request.language):
            try:
                answer = _check_signature(request, letters.get(request.letter_id), live, signing)
            except ActionError as refusal:
                answer = refusal
        if isinstance(answer, _NewSignature):
            signing[(answer.letter.id, answer.organisation.id)] = answer
            new.append(answer)
        answers.append(answer)
    _store_signatures(new)
    keep_counts_in_register({item.letter.id: item.letter for item in new}.values())
    return [
        Outcome(answer.signature, True)
        if isinstance(answer, _NewSignature)
        else Outcome(answer.signing.signature, False)
        if isinstance(answer, _SignedInThisBatch)
        else answer
        for answer in answers
    ]


def _check_signature(request: _SignRequest, letter: Letter | None, live: dict, signing: dict):
    """A refusal (raised), the Outcome of an earlier identical signature, _SignedInThisBatch when
    another signer of the same organisation signs the same version in this batch, or the
    _NewSignature to make."""
    actor = request.actor
    if letter is None or not access.can_see_letter(actor, letter):
        raise NotFound(_("No such letter."))
    organisation = acting_organisation(actor, access.signing_organisations(actor, letter), request.organisation)
    shown, current = (request.version, request.version_hash), (letter.current.number, letter.current.hash)
    in_batch = signing.get((letter.id, organisation.id))
    if in_batch and shown == current:
        return _SignedInThisBatch(in_batch)
    replaces = live.get((letter.id, organisation.id))
    if replaces and (replaces.number, replaces.hash) == shown:
        return Outcome(Signature.objects.select_related("organisation", "version").get(pk=replaces.id), False)
    if shown != current:
        raise _stale(letter, letter.current, request.version)
    require_state(letter, states.SIGNABLE, _("Signing"))
    own_key = own_keys.check_proof(letter, organisation, request.proof) if request.proof is not None else None
    return _NewSignature(request, letter, organisation, replaces, late=letter.status in states.LATE, own_key=own_key)


def _live_signatures(letters: dict[int, Letter], requests: list[_SignRequest]) -> dict:
    """{(letter id, organisation id): _LiveSignature} for the batch's letters and its signers' organisations."""
    organisation_ids = sorted({org for request in requests for org in request.actor.roles})
    if not letters or not organisation_ids:
        return {}
    found = rows.live_signatures(sorted(letters), organisation_ids)
    return {(row[0], row[1]): _LiveSignature(*row[2:]) for row in found}


def _store_signatures(new: list[_NewSignature]) -> None:
    """Append the batch's signature.signed events, then its signature rows."""
    if not new:
        return
    log_indexes = [entry.index for entry in append_events([_signed_event(item) for item in new])]
    for item in new:
        if item.replaces:
            # Re-confirmation: the old signature stays bound to its version but stops being
            # live before the new one exists, as the one-live-signature index demands.
            rows.mark_replaced(item.replaces.id, item.request.at)
    # The letters are locked, so no other transaction signs them meanwhile; the database's
    # one-live-signature index remains the last line of defence.
    ids = rows.insert_signatures(
        [
            (
                item.letter.id,
                item.organisation.id,
                item.letter.current.id,
                item.request.actor.user.pk,
                item.request.at,
                item.late,
                log_index,
            )
            for item, log_index in zip(new, log_indexes, strict=True)
        ]
    )
    for item, log_index in zip(new, log_indexes, strict=True):
        item.signature = Signature(
            id=ids[log_index],
            letter=item.letter,
            organisation=item.organisation,
            version=item.letter.current,
            signed_by=item.request.actor.user,
            signed_at=item.request.at,
            late=item.late,
            log_index=log_index,
        )
        item.signature._state.adding, item.signature._state.db = False, connection.alias
        if item.replaces:
            rows.link_replacement(item.replaces.id, item.signature.id)
    own_keys.record(
        [(item.own_key, log_index) for item, log_index in zip(new, log_indexes, strict=True) if item.own_key]
    )


def _signed_event(item: _NewSignature) -> NewEvent:
    letter, organisation, request = item.letter, item.organisation, item.request
    public = {
        "version": letter.current.number,
        "version_hash": letter.current.hash,
        "late": item.late,
        "replaces": item.replaces.log_index if item.replaces else None,
    }
    signer = request.actor.user.get_username()
    if item.own_key is not None:
        own_public, private = own_keys.event_fields(item.own_key, organisation, signer)
        return NewEvent(events.SIGNATURE_SIGNED, request.at, {**public, **own_public}, private, handle=letter.handle)
    statement = statements.sign_action(
        letter.handle, organisation.slug, event_time(request.at), letter.current.number, letter.current.hash
    )
    private = {"org": organisation.slug, "signer": signer, "signature": signature_of(organisation, statement)}
    return NewEvent(events.SIGNATURE_SIGNED, request.at, public, private, handle=letter.handle)


def _stale(letter: Letter, current: Version, version) -> Conflict:
    return Conflict(
        _(
            "You were shown version %(shown)s, but the current version is %(current)s. Read the changes, "
            "then sign the current version."
        )
        % {"shown": version, "current": current.number},
        code="stale_version",
        current_version=current.number,
        current_hash=current.hash,
        changes=(letter.id, version, current.number),
    )


def withdrawal_statement(letter: Letter, organisation: Organisation) -> dict:
    """The statement a member signs with their own key to withdraw the organisation's live
    signature (GET /letters/{id}/statement?action=withdraw); refused as ``withdraw`` would be."""
    require_state(letter, states.WITHDRAWABLE, _("Withdrawal"))
    live = Signature.objects.filter(letter=letter, organisation=organisation, withdrawn_at=None, replaced_at=None)
    signature = live.order_by("-log_index").first()
    if signature is None:
        raise _not_signed(organisation)
    return own_keys.withdraw_statement(letter, organisation, signature)


def withdraw(actor, letter_id, *, reason="", organisation=None, proof=None, at=None) -> Outcome[Signature]:
    """Withdraw the organisation's live signature: with its custodial key, or with ``proof``, a
    signature by a key the signer holds over ``own_keys.withdraw_statement``."""
    actor = actor_of(actor)
    reason = clean_text(reason, "reason", limits.REASON, required=False)
    at = now(at)
    with transaction.atomic():
        letter = lock_letter(actor, letter_id)
        signer_org = acting_organisation(actor, access.signing_organisations(actor, letter), organisation)
        require_state(letter, states.WITHDRAWABLE, _("Withdrawal"))
        latest = Signature.objects.filter(letter=letter, organisation=signer_org).order_by("-log_index").first()
        if latest is None:
            raise _not_signed(signer_org)
        if not latest.is_live:
            return Outcome(latest, False)
        late = letter.status in states.LATE
        public = {"signature": latest.log_index, "late": late}
        private = {"org": signer_org.slug, "signer": actor.user.get_username(), "reason": reason}
        if proof is not None:
            checked = own_keys.check_statement_proof(
                signer_org, own_keys.withdraw_statement(letter, signer_org, latest), proof
            )
            own_public, own_private = own_keys.proof_fields(checked)
            public, private = {**public, **own_public}, {**private, **own_private}
        else:
            statement = statements.withdraw_action(letter.handle, signer_org.slug, event_time(at), latest.log_index)
            private["signature"] = signature_of(signer_org, statement)
        appended = append_event(events.SIGNATURE_WITHDRAWN, at, public, private, handle=letter.handle)
        Signature.objects.filter(pk=latest.pk).update(
            withdrawn_at=at,
            withdrawn_by=actor.user,
            withdrawal_reason=reason,
            withdrawal_late=late,
            withdrawal_log_index=appended.index,
        )
        keep_in_register(letter)
        latest.refresh_from_db()
    return Outcome(latest, True)


def _not_signed(organisation: Organisation) -> Conflict:
    return Conflict(
        _("%(organisation)s has not signed this letter.") % {"organisation": organisation.slug}, code="not_signed"
    )
