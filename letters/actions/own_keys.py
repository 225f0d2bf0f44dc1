"""Signing with a key the signer holds (an SSH key, a passkey) rather than the custodial one.

The member signs the bytes ``GET /api/v1/letters/{id}/statement?action=sign&version=N`` serves:
the same statement the custodial key signs (ledger/statements.py), except for its ``time``,
which a member cannot know before the signature is logged. Its time is when the version became
signable for the organisation: the version's creation, or the organisation's latest
withdrawal from the letter if later. So the bytes are the same for every fetch until the
signature is made (a script may fetch, sign and post at its pace), and a withdrawn signature's
proof cannot be replayed to sign again: after a withdrawal the statement is a new one.

The signing path (letters/actions/signing.py) calls ``check_proof`` for a request with a
proof, ``event_fields`` for its event, and ``record`` once the batch's rows exist; requests
without a proof read and write nothing more than before.

Withdrawing, delivering and acknowledging take a proof too (``check_statement_proof`` over the
statement ``withdraw_statement``, ``deliver_statement`` or ``acknowledge_statement`` builds;
``proof_fields`` for the event). Each statement's time is fixed before the member signs and
its statement is made once: a withdrawal's is the withdrawn signature's time (the statement
names that signature), a delivery's the delivered version's creation (the delivery hash names
the lists and the delivery it adds to), an acknowledgement's the delivery's time (the statement
names the delivery).
"""

from dataclasses import dataclass

from django.db.models import Max
from django.utils.translation import gettext as _

from core.errors import Invalid, NotFound
from ledger import statements
from letters.models import Delivery, Letter, Signature, Version
from orgs import key_actions
from orgs.models import Organisation, OwnKey, OwnKeySignature
from record.log import event_time


@dataclass(frozen=True)
class OwnKeyProof:
    """A proof the server has checked: by ``key``, over the statement of ``statement_time``."""

    key: OwnKey
    proof: dict  # as the log keeps it (key_actions.proof_as_logged)
    statement_time: str

    @property
    def kind(self) -> str:
        return str(self.proof["kind"])


def statement_time(letter: Letter, organisation: Organisation, version: Version) -> str:
    """The ``time`` of the statement a member signs for this version with their own key."""
    withdrawn = Signature.objects.filter(letter=letter, organisation=organisation).aggregate(
        latest=Max("withdrawn_at")
    )["latest"]
    moment = max(version.created_at, withdrawn) if withdrawn else version.created_at
    return event_time(moment)


def sign_statement(letter: Letter, organisation: Organisation, version: Version) -> dict:
    """The statement a member signs with their own key to sign this version for the organisation."""
    return statements.sign_action(
        letter.handle, organisation.slug, statement_time(letter, organisation, version), version.number, version.hash
    )


def version_to_sign(letter: Letter, number) -> Version:
    version = Version.objects.filter(letter=letter, number=number).first() if isinstance(number, int) else None
    if version is None:
        raise NotFound(_("This letter has no version %(number)s.") % {"number": number})
    return version


def withdraw_statement(letter: Letter, organisation: Organisation, signature: Signature) -> dict:
    """The statement a member signs with their own key to withdraw the organisation's signature."""
    return statements.withdraw_action(
        letter.handle, organisation.slug, event_time(signature.signed_at), signature.log_index
    )


def deliver_statement(letter: Letter, version: Version, delivery_hash: str) -> dict:
    """The statement a penholder's member signs with their own key to make this delivery."""
    return statements.deliver_action(
        letter.handle, letter.penholder.slug, event_time(version.created_at), delivery_hash
    )


def acknowledge_statement(letter: Letter, delivery: Delivery) -> dict:
    """The statement an addressee's member signs with their own key to acknowledge the delivery."""
    return statements.acknowledge_action(
        letter.handle, letter.addressee.slug, event_time(delivery.delivered_at), delivery.hash
    )


def check_proof(letter: Letter, organisation: Organisation, proof) -> OwnKeyProof:
    """The checked proof of a signature of the letter's current version; raises Invalid or
    Forbidden (orgs.key_actions.signing_key) for a proof by no active key of the organisation."""
    _require_object(proof)
    version = version_to_sign(letter, letter.current.number)
    return check_statement_proof(organisation, sign_statement(letter, organisation, version), proof)


def check_statement_proof(organisation: Organisation, statement: dict, proof) -> OwnKeyProof:
    """The checked proof of ``statement`` by an active key of the organisation; raises Invalid
    or Forbidden as ``check_proof`` does."""
    _require_object(proof)
    key = key_actions.signing_key(organisation, statement, proof)
    return OwnKeyProof(key, key_actions.proof_as_logged(proof), statement["time"])


def _require_object(proof) -> None:
    if not isinstance(proof, dict):
        raise Invalid(_("proof is an object with a kind."), field="proof")


def proof_fields(checked: OwnKeyProof) -> tuple[dict, dict]:
    """The public field of an event made with the key, and the private fields that replace the
    custodial signature: the proof, the key, and the time of the statement it signs."""
    public = {"key_kind": checked.kind}
    private = {
        "statement_time": checked.statement_time,
        "key": checked.key.fingerprint,
        "key_event": checked.key.registered_log_index,
        "proof": checked.proof,
    }
    return public, private


def event_fields(checked: OwnKeyProof, organisation: Organisation, signer: str) -> tuple[dict, dict]:
    """The public field and the private fields of a signature.signed made with the key."""
    public, private = proof_fields(checked)
    return public, {"org": organisation.slug, "signer": signer, **private}


def record(signed: list[tuple[OwnKeyProof, int]]) -> None:
    """Remember which signature events were made with which key (for the counts of own_keys)."""
    if signed:
        OwnKeySignature.objects.bulk_create(
            [OwnKeySignature(key=checked.key, log_index=log_index) for checked, log_index in signed]
        )
