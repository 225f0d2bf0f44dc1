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
"""

from dataclasses import dataclass

from django.db.models import Max
from django.utils.translation import gettext as _

from core.errors import Invalid, NotFound
from ledger import statements
from letters.models import Letter, Signature, Version
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


def check_proof(letter: Letter, organisation: Organisation, proof) -> OwnKeyProof:
    """The checked proof of a signature of the letter's current version; raises Invalid or
    Forbidden (orgs.key_actions.signing_key) for a proof by no active key of the organisation."""
    if not isinstance(proof, dict):
        raise Invalid(_("proof is an object with a kind."), field="proof")
    version = version_to_sign(letter, letter.current.number)
    statement = sign_statement(letter, organisation, version)
    key = key_actions.signing_key(organisation, statement, proof)
    return OwnKeyProof(key, key_actions.proof_as_logged(proof), statement["time"])


def event_fields(checked: OwnKeyProof, organisation: Organisation, signer: str) -> tuple[dict, dict]:
    """The public field and the private fields of a signature.signed made with the key."""
    public = {"key_kind": checked.kind}
    private = {
        "org": organisation.slug,
        "signer": signer,
        "statement_time": checked.statement_time,
        "key": checked.key.fingerprint,
        "key_event": checked.key.registered_log_index,
        "proof": checked.proof,
    }
    return public, private


def record(signed: list[tuple[OwnKeyProof, int]]) -> None:
    """Remember which signature events were made with which key (for the counts of own_keys)."""
    if signed:
        OwnKeySignature.objects.bulk_create(
            [OwnKeySignature(key=checked.key, log_index=log_index) for checked, log_index in signed]
        )
