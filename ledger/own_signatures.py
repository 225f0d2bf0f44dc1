"""Proofs made with keys the signer holds, checked the same way by the server when it accepts
one and by the offline verifier: an SSHSIG over the statement's bytes (``ledger.sshsig``), or
a passkey assertion whose challenge is the SHA-256 of those bytes (``ledger.webauthn``).

A proof as the API receives it and the log keeps it (docs/record.md, "Key events"):
``{"kind": "sshsig", "signature": "-----BEGIN SSH SIGNATURE-----…"}`` or
``{"kind": "webauthn", "credential": {…}, "rp_id": "…", "origin": "…"}``, where the server adds
the relying party and origin it checked the assertion for, so a verifier can check it again.
"""

import hashlib
from typing import Any

from . import sshsig
from .errors import SignatureError
from .key_events import KIND_SSH, KIND_WEBAUTHN, PROOF_OF_KIND, PROOF_SSHSIG, PROOF_WEBAUTHN
from .statements import statement_bytes


class ProofError(SignatureError):
    """A proof that is not a proof by the key it must be by; the message says why."""


def proof_kind(proof: Any) -> str:
    """The proof's kind, ``sshsig`` or ``webauthn``; raises ProofError for anything else."""
    kind = proof.get("kind") if isinstance(proof, dict) else None
    if kind not in (PROOF_SSHSIG, PROOF_WEBAUTHN):
        raise ProofError('a proof is {"kind": "sshsig", "signature": …} or {"kind": "webauthn", "credential": …}')
    return str(kind)


def check_proof(key_kind: str, public_key: bytes, statement: dict, proof: Any) -> None:
    """Raise ProofError (SshsigError, AssertionRefused: all SignatureErrors) unless ``proof`` is
    a proof over ``statement`` by this key (``key_kind``: ``ssh`` or ``webauthn``)."""
    kind = proof_kind(proof)
    if PROOF_OF_KIND.get(key_kind) != kind:
        raise ProofError(f"a {key_kind} key makes {PROOF_OF_KIND.get(key_kind)} proofs, not {kind}")
    message = statement_bytes(statement)
    if key_kind == KIND_SSH:
        sshsig.verify(proof.get("signature"), public_key, message)
    elif key_kind == KIND_WEBAUTHN:
        from . import webauthn  # written alongside: passkeys need cbor2 and cryptography, ssh keys do not

        rp_id, origin = proof.get("rp_id"), proof.get("origin")
        if not isinstance(rp_id, str) or not isinstance(origin, str):
            raise ProofError("a passkey proof names the relying party and origin it was made for")
        webauthn.verify_assertion(public_key, proof.get("credential"), hashlib.sha256(message).digest(), rp_id, origin)


def ssh_signer(proof: dict) -> str:
    """The fingerprint of the key an SSHSIG proof says made it (to find the key; checked after)."""
    return sshsig.fingerprint(sshsig.parse_armored(proof.get("signature")).public_key)  # type: ignore[arg-type]
