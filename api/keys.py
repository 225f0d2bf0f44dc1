"""Keys members hold (docs/api.md, "Keys the signer holds"): register, approve, rotate, revoke,
and the public list of an organisation's keys with the log index of each key event."""

import base64

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from api.auth import AUTH
from api.schemas import Error
from core.errors import ActionError, Invalid, NotFound
from ledger.sshsig import PublicKey
from ledger.statements import statement_bytes
from letters import access, queries
from letters.actions import own_keys
from letters.actions.common import acting_organisation
from letters.actions.delivery import acknowledgement_statement, delivery_statement
from letters.actions.signing import withdrawal_statement
from orgs import key_actions
from orgs.key_actions import is_row_id
from orgs.models import Organisation, OwnKey
from record.models import Entry

router = Router(auth=AUTH, tags=["keys"])
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 413: Error, 422: Error}


class KeyIn(Schema):
    kind: str = Field(description="ssh (passkeys register through the browser's ceremony)")
    public_key: str = Field(description="An OpenSSH line: 'ssh-ed25519 AAAA… comment'")
    organisation: str | None = Field(None, description="Slug; needed only by a signer of several organisations")


class ProofIn(Schema):
    proof: dict = Field(
        description='{"kind": "sshsig", "signature": "-----BEGIN SSH SIGNATURE-----…"} or '
        '{"kind": "webauthn", "credential": {…}}'
    )


class RevokeIn(Schema):
    reason: str = ""


class KeyEvent(Schema):
    type: str
    index: int


class KeyOut(Schema):
    id: int
    organisation: str
    kind: str
    fingerprint: str
    status: str = Field(description="active, pending (approval) or revoked")
    log_index: int = Field(description="The log index of its key.registered event")
    events: list[KeyEvent] = Field(description="The key's events on the log, in log order")


class PublicKeyOut(Schema):
    kind: str
    fingerprint: str
    status: str
    public_key: str = Field(description="ssh: the OpenSSH line; webauthn: base64 of the COSE key")
    log_index: int = Field(description="The log index of its key.registered event")
    events: list[KeyEvent] = Field(description="The key's events on the log, in log order")


def key_events_of(keys: list[OwnKey]) -> dict[int, list[dict]]:
    """Each key's events as the log has them (registration, approval or rotation, revocation),
    their types read from the log's entries: one statement for all the keys."""
    indexes = {key.id: _indexes(key) for key in keys}
    types = dict(
        Entry.objects.filter(index__in={i for found in indexes.values() for i in found}).values_list("index", "type")
    )
    return {key_id: [{"type": types[i], "index": i} for i in found if i in types] for key_id, found in indexes.items()}


def _indexes(key: OwnKey) -> list[int]:
    found = [key.registered_log_index, key.approved_log_index, key.revoked_log_index]
    return sorted({index for index in found if index is not None})


def key_out(key: OwnKey, events: list[dict] | None = None) -> dict:
    return {
        "id": key.id,
        "organisation": key.organisation.slug,
        "kind": key.kind,
        "fingerprint": key.fingerprint,
        "status": key.status,
        "log_index": key.registered_log_index,
        "events": key_events_of([key])[key.id] if events is None else events,
    }


def _public_key_text(key: OwnKey) -> str:
    if key.kind == OwnKey.KIND_SSH:
        return PublicKey(bytes(key.public_key)).line
    return base64.b64encode(bytes(key.public_key)).decode()


def _answer(outcome) -> Status:
    return Status(201 if outcome.created else 200, key_out(outcome.object))


@router.post("/keys", response={200: KeyOut, 201: KeyOut, **ERRORS})
def register_key(request, payload: KeyIn):
    """Register a key for the calling member's organisation: the organisation's first key is
    active at once; a later one is pending until an active key approves it."""
    if payload.kind != OwnKey.KIND_SSH:
        raise Invalid(_("kind is ssh (a passkey registers through the browser)."), field="kind")
    return _answer(
        key_actions.register_key(request.actor, payload.kind, payload.public_key, organisation=payload.organisation)
    )


@router.get("/keys", response={200: list[KeyOut], **ERRORS})
def list_keys(request):
    """The keys of the organisations the caller signs for."""
    organisations = request.actor.with_role("signer")
    keys = list(OwnKey.objects.filter(organisation_id__in=organisations).select_related("organisation"))
    events = key_events_of(keys)
    return [key_out(key, events[key.id]) for key in keys]


@router.get("/keys/{int:key_id}/statement", response=ERRORS)
def approval_statement(request, key_id: int, action: str = "approve", replaces: str | None = Query(None)):
    """The exact bytes an active key signs to approve this pending key (``action=approve``), or
    to hand over to it and retire itself (``action=rotate&replaces=FINGERPRINT``);
    application/octet-stream."""
    key = _key_for(request, key_id)
    if action not in ("approve", "rotate"):
        raise Invalid(_("action is approve or rotate."), field="action")
    old = None
    if action == "rotate":
        old = OwnKey.objects.filter(organisation=key.organisation, fingerprint=replaces).first()
        if old is None:
            raise Invalid(_("replaces names the fingerprint of a key of the same organisation."), field="replaces")
    statement = key_actions.approval_statement(key, rotate=action == "rotate", replaces=old)
    return HttpResponse(statement_bytes(statement), content_type="application/octet-stream")


@router.post("/keys/{int:key_id}/approve", response={200: KeyOut, 201: KeyOut, **ERRORS})
def approve_key(request, key_id: int, payload: ProofIn):
    return _answer(key_actions.approve_key(request.actor, key_id, proof=payload.proof))


@router.post("/keys/{int:key_id}/rotate", response={200: KeyOut, 201: KeyOut, **ERRORS})
def rotate_key(request, key_id: int, payload: ProofIn):
    return _answer(key_actions.rotate_key(request.actor, key_id, proof=payload.proof))


@router.post("/keys/{int:key_id}/revoke", response={200: KeyOut, 201: KeyOut, **ERRORS})
def revoke_key(request, key_id: int, payload: RevokeIn):
    return _answer(key_actions.revoke_key(request.actor, key_id, reason=payload.reason))


@router.get("/public/orgs/{slug}/keys", response={200: list[PublicKeyOut], 404: Error}, auth=None)
def organisation_keys(request, slug: str):
    """An organisation's own keys, each with kind, fingerprint, status and its events on the log."""
    organisation = Organisation.objects.filter(slug=slug).first() if len(slug) <= 64 else None
    if organisation is None:
        raise NotFound(_("No organisation has this slug."))
    keys = list(OwnKey.objects.filter(organisation=organisation))
    events = key_events_of(keys)
    return [
        {
            "kind": key.kind,
            "fingerprint": key.fingerprint,
            "status": key.status,
            "public_key": _public_key_text(key),
            "log_index": key.registered_log_index,
            "events": events[key.id],
        }
        for key in keys
    ]


STATEMENT_ACTIONS = ("sign", "withdraw", "deliver", "acknowledge")


@router.get("/letters/{int:letter_id}/statement", response=ERRORS)
def letter_statement(
    request,
    letter_id: int,
    action: str = Query("sign"),
    version: int | None = Query(None, ge=1, le=2**31),
    organisation: str | None = Query(None, max_length=64),
    delivery: int | None = Query(None, ge=1, le=2**63 - 1),
):
    """The exact bytes a member signs with their own key (``ssh-keygen -Y sign -n
    undersigned-sign-v1``; a passkey's challenge is their SHA-256); application/octet-stream.
    ``action=sign&version=N`` to sign a version, ``withdraw`` to withdraw the organisation's
    signature, ``deliver&version=N`` to deliver the current version (penholder),
    ``acknowledge&delivery=ID`` to acknowledge a delivery (addressee). The same bytes until the
    action is made."""
    if action not in STATEMENT_ACTIONS:
        raise ActionError(_("action is sign, withdraw, deliver or acknowledge."), field="action")
    if action in ("sign", "deliver") and version is None:
        raise ActionError(_("version (a number) is required."), field="version")
    if action == "acknowledge" and delivery is None:
        raise ActionError(_("delivery (the id of the delivery) is required."), field="delivery")
    letter = queries.letter_for(request.actor, letter_id)
    if action == "deliver":
        statement = delivery_statement(request.actor, letter, version=int(version or 0))
    elif action == "acknowledge":
        statement = acknowledgement_statement(request.actor, letter, delivery)
    else:
        signer_org = acting_organisation(
            request.actor, access.signing_organisations(request.actor, letter), organisation
        )
        if action == "sign":
            statement = own_keys.sign_statement(letter, signer_org, own_keys.version_to_sign(letter, version))
        else:
            statement = withdrawal_statement(letter, signer_org)
    return HttpResponse(statement_bytes(statement), content_type="application/octet-stream")


def _key_for(request, key_id: int) -> OwnKey:
    key = OwnKey.objects.filter(pk=key_id).select_related("organisation").first() if is_row_id(key_id) else None
    if key is None or not request.actor.has_role(key.organisation_id, "signer"):
        raise NotFound(_("No such key."))
    return key
