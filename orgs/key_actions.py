"""The life of keys members hold (ledger/key_events.py): register, approve, rotate, revoke.
One entry point per change, shared by the API, the pages and the command line: lock the
organisation, re-read its keys, check, change the row and append the event in one transaction.

Who may: a member with the ``signer`` role, since these keys sign for the organisation. The
first key of an organisation (none active) is active at once, on the operator's word, which
the log records as such; a later one waits for a signature by an active key of the same
organisation over ``approve_key_action`` (or ``rotate_key_action``, which also retires the
approving key). Any signer of the organisation may revoke any of its keys: a stolen key must be
stoppable by whoever is still there, and revoking forges nothing.
"""

import base64
import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.errors import Conflict, Forbidden, Invalid, NotFound
from ledger import key_events, own_signatures, sshsig, webauthn
from ledger.canonical import canonical_json
from ledger.errors import SignatureError
from ledger.key_events import KIND_SSH, KIND_WEBAUTHN
from orgs.actors import Actor, actor_of
from orgs.models import ROLE_SIGNER, Organisation, OwnKey
from record.log import append_event

MAX_WEBAUTHN_KEY_BYTES = 1024
MAX_REASON = 500
# Why a key that is not active may not sign, by its status (translated where raised).
_CANNOT_SIGN = {
    OwnKey.STATUS_PENDING: gettext_noop("The key %(fingerprint)s is waiting for approval: it cannot sign yet."),
    OwnKey.STATUS_REVOKED: gettext_noop("The key %(fingerprint)s is revoked: it cannot sign."),
}


class Outcome:
    """The key an action made or changed, and whether this request did (False: an earlier one had)."""

    def __init__(self, key: OwnKey, created: bool):
        self.object, self.created = key, created


def register_key(
    actor,
    kind,
    public_key,
    *,
    organisation: str | None = None,
    credential_id: bytes | None = None,
    sign_count: int = 0,
    at: datetime.datetime | None = None,
) -> Outcome:
    """Register the member's key for their organisation: ``public_key`` is an
    ``ssh-ed25519 AAAA… comment`` line for ``ssh``, the COSE key (bytes) for ``webauthn``,
    which also needs its ``credential_id`` and may give the signature counter the authenticator
    made it with (its first assertion must count higher, unless both are 0). Registering the
    same key again answers the same key."""
    actor = actor_of(actor)
    raw, comment = _parse_key(kind, public_key, credential_id)
    fingerprint = key_events.key_fingerprint(kind, raw)
    at = at or timezone.now()
    with transaction.atomic():
        org = _lock_organisation(actor, organisation)
        existing = OwnKey.objects.filter(fingerprint=fingerprint).first()
        if existing is not None:
            if existing.organisation_id == org.id and existing.member_id == actor.user.pk:
                return Outcome(existing, False)
            raise Conflict(_("This key is already registered."), code="duplicate_key", fingerprint=fingerprint)
        first = not OwnKey.objects.filter(organisation=org, status=OwnKey.STATUS_ACTIVE).exists()
        status = OwnKey.STATUS_ACTIVE if first else OwnKey.STATUS_PENDING
        appended = append_event(
            key_events.KEY_REGISTERED,
            at,
            {
                "org": org.slug,
                "kind": kind,
                "fingerprint": fingerprint,
                "public_key": base64.b64encode(raw).decode(),
                "credential_id": _b64url(credential_id) if kind == KIND_WEBAUTHN else None,
                "status": status,
            },
        )
        key = OwnKey.objects.create(
            organisation=org,
            member=actor.user,
            kind=kind,
            public_key=raw,
            credential_id=credential_id if kind == KIND_WEBAUTHN else None,
            fingerprint=fingerprint,
            comment=comment,
            status=status,
            registered_log_index=appended.index,
            approved_log_index=appended.index if first else None,
            sign_count=sign_count if kind == KIND_WEBAUTHN else 0,
            created_at=at,
        )
    return Outcome(key, True)


def approve_key(actor, key_id, *, proof, at: datetime.datetime | None = None) -> Outcome:
    """Make a pending key active with ``proof``: a signature by an active key of the same
    organisation over ``approve_key_action(org, fingerprint)``."""
    return _approve(actor, key_id, proof, at, rotate=False)


def rotate_key(actor, key_id, *, proof, at: datetime.datetime | None = None) -> Outcome:
    """Hand over from the key that made ``proof`` (over ``rotate_key_action``) to the pending
    key ``key_id``, in one event: the new key becomes active, the old one revoked."""
    return _approve(actor, key_id, proof, at, rotate=True)


def revoke_key(actor, key_id, *, reason: str = "", at: datetime.datetime | None = None) -> Outcome:
    """Revoke a key of one of the actor's organisations; signatures it made before stay valid."""
    actor = actor_of(actor)
    reason = _reason(reason)
    at = at or timezone.now()
    with transaction.atomic():
        key = _lock_key(actor, key_id)
        if key.status == OwnKey.STATUS_REVOKED:
            return Outcome(key, False)
        appended = append_event(
            key_events.KEY_REVOKED,
            at,
            {"org": key.organisation.slug, "fingerprint": key.fingerprint, "reason": reason},
        )
        _set_status(key, OwnKey.STATUS_REVOKED, revoked_log_index=appended.index)
    return Outcome(key, True)


def approval_statement(key: OwnKey, *, rotate: bool = False, replaces: OwnKey | None = None) -> dict:
    """The statement an active key signs to approve ``key`` (or, with ``rotate``, to hand over to it)."""
    if rotate:
        if replaces is None:
            raise ValueError("a rotation names the key it replaces")
        return key_events.rotate_key_action(key.organisation.slug, key.fingerprint, replaces.fingerprint)
    return key_events.approve_key_action(key.organisation.slug, key.fingerprint)


def signing_key(organisation: Organisation, statement: dict, proof) -> OwnKey:
    """The active key of ``organisation`` that made ``proof`` over ``statement``; raises Invalid
    (with the check that failed) or Forbidden for a key that is pending, revoked or another's.
    Reads the keys as they are now: call it inside the transaction that records the proof."""
    try:
        kind = own_signatures.proof_kind(proof)
        key = _key_of_proof(organisation, kind, proof)
        if key.status != OwnKey.STATUS_ACTIVE:
            refusal = _CANNOT_SIGN[key.status]
            raise Forbidden(_(refusal) % {"fingerprint": key.fingerprint}, code=f"key_{key.status}")
        own_signatures.check_proof(key.kind, bytes(key.public_key), statement, _proof_as_logged(proof))
        if key.kind == KIND_WEBAUTHN:
            _count_the_assertion(key, webauthn.sign_count(proof.get("credential")))
    except SignatureError as refusal:  # ProofError, SshsigError, AssertionRefused
        raise Invalid(refusal.message, code="invalid_proof", field="proof") from None
    return key


def _count_the_assertion(key: OwnKey, count: int) -> None:
    """Keep the passkey's signature counter from this assertion, refused unless it rises
    (WebAuthn §7.2 step 21, ledger.webauthn.counter_rises): an assertion counted no higher than
    the key's latest accepted one was either made before or made by a copy of the key. The key's
    row is locked (``_key_of_proof``), so two assertions at once are counted one after the other."""
    if not webauthn.counter_rises(key.sign_count, count):
        raise Conflict(
            _(
                "The passkey's signature counter is %(count)s, not above %(stored)s, its count at its latest "
                "accepted signature: this signature was made before, or the passkey has been copied. "
                "Nothing was recorded."
            )
            % {"count": count, "stored": key.sign_count},
            code="passkey_counter",
        )
    OwnKey.objects.filter(pk=key.pk).update(sign_count=count)
    key.sign_count = count


def proof_as_logged(proof: dict) -> dict:
    """The proof as the log keeps it: a passkey's with the relying party and origin it was checked for."""
    return _proof_as_logged(proof)


# ---------------------------------------------------------------- helpers


def _approve(actor, key_id, proof, at, *, rotate: bool) -> Outcome:
    actor = actor_of(actor)
    at = at or timezone.now()
    with transaction.atomic():
        key = _lock_key(actor, key_id)
        if key.status == OwnKey.STATUS_ACTIVE and (not rotate or _rotated_in_by(key, proof)):
            return Outcome(key, False)
        if key.status != OwnKey.STATUS_PENDING:
            raise Conflict(
                _("The key %(fingerprint)s is not waiting for approval.") % {"fingerprint": key.fingerprint},
                code="key_not_pending",
            )
        approver = _approver_of(key, proof, rotate)
        public = {"org": key.organisation.slug, "fingerprint": key.fingerprint}
        public["replaces" if rotate else "approver"] = approver.fingerprint
        public["proof_kind"] = own_signatures.proof_kind(proof)
        public["proof"] = _proof_text(proof)
        appended = append_event(key_events.KEY_ROTATED if rotate else key_events.KEY_APPROVED, at, public)
        _set_status(key, OwnKey.STATUS_ACTIVE, approved_log_index=appended.index)
        if rotate:
            _set_status(approver, OwnKey.STATUS_REVOKED, revoked_log_index=appended.index)
    return Outcome(key, True)


def _rotated_in_by(key: OwnKey, proof) -> bool:
    """Whether ``key`` became active by a rotation from the key that made ``proof``, a proof
    over that rotation's statement: a repeated request, answered with what the first made."""
    try:
        old = _key_of_proof(key.organisation, own_signatures.proof_kind(proof), proof)
        if key.approved_log_index is None or old.revoked_log_index != key.approved_log_index:
            return False
        statement = approval_statement(key, rotate=True, replaces=old)
        own_signatures.check_proof(old.kind, bytes(old.public_key), statement, _proof_as_logged(proof))
    except (SignatureError, Forbidden):  # no key of the organisation made it, or not over this rotation
        return False
    return True


def _approver_of(key: OwnKey, proof, rotate: bool) -> OwnKey:
    """The active key that made ``proof`` over the approval (or rotation) statement of ``key``."""
    try:
        approver = _key_of_proof(key.organisation, own_signatures.proof_kind(proof), proof)
    except SignatureError as refusal:  # a proof of no known kind, an SSHSIG that does not parse
        raise Invalid(refusal.message, code="invalid_proof", field="proof") from None
    statement = approval_statement(key, rotate=rotate, replaces=approver)
    if approver.id == key.id:
        raise Forbidden(_("A key cannot approve itself."), code="key_pending")
    return signing_key(key.organisation, statement, proof)


def _key_of_proof(organisation: Organisation, kind: str, proof: dict) -> OwnKey:
    """The organisation's key the proof says made it: an SSHSIG names its public key, a
    passkey assertion its credential id."""
    if kind == key_events.PROOF_SSHSIG:
        found = OwnKey.objects.filter(
            organisation=organisation, kind=KIND_SSH, fingerprint=own_signatures.ssh_signer(proof)
        )
    else:
        credential = proof.get("credential")
        raw_id = credential.get("rawId") or credential.get("id") if isinstance(credential, dict) else None
        found = OwnKey.objects.filter(organisation=organisation, kind=KIND_WEBAUTHN, credential_id=_unb64url(raw_id))
    # Locked (its row alone), so a revocation committing meanwhile is seen before the proof is
    # logged: the log then never holds a signature after its key's revocation.
    key = found.select_related("organisation").select_for_update(of=("self",)).first()
    if key is None:
        raise Forbidden(
            _("The proof is made with a key %(organisation)s has not registered.")
            % {"organisation": organisation.slug},
            code="unknown_key",
        )
    return key


def _proof_as_logged(proof: dict) -> dict:
    if proof.get("kind") == key_events.PROOF_WEBAUTHN:
        return {
            "kind": proof["kind"],
            "credential": proof.get("credential"),
            "rp_id": getattr(settings, "WEBAUTHN_RP_ID", None) or _rp_id(),
            "origin": getattr(settings, "WEBAUTHN_ORIGIN", None) or _origin(),
        }
    return {"kind": proof.get("kind"), "signature": proof.get("signature")}


def _proof_text(proof: dict) -> str:
    """A key event's proof, as a string: the armored SSHSIG, or a passkey proof's canonical JSON."""
    logged = _proof_as_logged(proof)
    if logged["kind"] == key_events.PROOF_SSHSIG:
        return str(logged["signature"])
    return canonical_json(logged).decode("utf-8")


def _rp_id() -> str:
    return urlsplit(_origin()).hostname or "localhost"


def _origin() -> str:
    return str(getattr(settings, "SITE_URL", "") or "http://localhost").rstrip("/")


def _parse_key(kind, public_key, credential_id) -> tuple[bytes, str]:
    if kind == KIND_SSH:
        try:
            parsed = sshsig.parse_public_key(public_key)
        except sshsig.KeyLineError as refusal:
            raise Invalid(str(refusal), code=refusal.code, field="public_key") from None
        return parsed.raw, parsed.comment[:200]
    if kind == KIND_WEBAUTHN:
        if not isinstance(public_key, bytes) or not 0 < len(public_key) <= MAX_WEBAUTHN_KEY_BYTES:
            raise Invalid(_("A passkey's public key is its COSE key."), field="public_key")
        if not isinstance(credential_id, bytes) or not 0 < len(credential_id) <= MAX_WEBAUTHN_KEY_BYTES:
            raise Invalid(_("A passkey needs its credential id."), field="credential_id")
        return public_key, ""
    raise Invalid(_("kind is ssh (a passkey registers through the browser)."), field="kind")


def _lock_organisation(actor: Actor, slug: str | None) -> Organisation:
    """The organisation the member registers a key for, locked: one first key per organisation."""
    eligible = {org_id: org for org_id, org in actor.organisations.items() if actor.has_role(org_id, ROLE_SIGNER)}
    if slug:
        eligible = {org_id: org for org_id, org in eligible.items() if org.slug == slug}
    if not eligible:
        raise Forbidden(_("Only a signer of an organisation may register its keys."), code="not_a_signer")
    if len(eligible) > 1:
        raise Invalid(_("You belong to several organisations that may do this: choose one."), field="organisation")
    return Organisation.objects.select_for_update().get(pk=next(iter(eligible)))


def _lock_key(actor: Actor, key_id) -> OwnKey:
    """The key, with its organisation locked, if it is a key of an organisation the actor signs for."""
    key = OwnKey.objects.filter(pk=key_id).first() if is_row_id(key_id) else None
    if key is None or not actor.has_role(key.organisation_id, ROLE_SIGNER):
        raise NotFound(_("No such key."))
    Organisation.objects.select_for_update().filter(pk=key.organisation_id).first()
    return OwnKey.objects.select_related("organisation").get(pk=key.pk)


def is_row_id(value) -> bool:
    """A whole number a row's id can be (beyond 64 bits the database cannot even compare it)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**63


def _set_status(key: OwnKey, status: str, **log_indexes: int) -> None:
    OwnKey.objects.filter(pk=key.pk).update(status=status, **log_indexes)
    key.status = status
    for name, value in log_indexes.items():
        setattr(key, name, value)


def _reason(reason) -> str:
    if not isinstance(reason, str) or len(reason) > MAX_REASON:
        raise Invalid(_("A reason is text of at most %(limit)s characters.") % {"limit": MAX_REASON}, field="reason")
    return reason


def _b64url(data: bytes | None) -> str | None:
    return None if data is None else base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64url(text) -> bytes | None:
    if not isinstance(text, str):
        return None
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError:
        return None
