"""A software passkey for tests: an authenticator holding one ES256 or Ed25519 key, answering
registrations (attestation "none") and assertions as a browser's ``toJSON()`` writes them."""

import hashlib
import json
import secrets

import cbor2
import nacl.signing
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from ledger.webauthn import b64url_encode

RP_ID = "testserver"
ORIGIN = "http://testserver"  # where Django's test client says it is
USER_PRESENT_AND_VERIFIED = 0x05
_ATTESTED_CREDENTIAL = 0x40


class Passkey:
    """An authenticator holding one key: makes assertions as a browser returns them, each
    counting one more than the last (its signature counter, WebAuthn §6.1.1), as a security
    key's do."""

    def __init__(self, algorithm: str = "ES256"):
        self.algorithm = algorithm
        self.credential_id = secrets.token_bytes(16)
        self.sign_count = 0
        if algorithm == "ES256":
            self._private = ec.generate_private_key(ec.SECP256R1())
            numbers = self._private.public_key().public_numbers()
            self.public_key_cose = cbor2.dumps(
                {1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")}
            )
        else:
            self._private = nacl.signing.SigningKey.generate()
            self.public_key_cose = cbor2.dumps({1: 1, 3: -8, -1: 6, -2: bytes(self._private.verify_key)})

    def _sign(self, message: bytes) -> bytes:
        if self.algorithm == "ES256":
            return self._private.sign(message, ec.ECDSA(hashes.SHA256()))
        return self._private.sign(message).signature

    def assert_(
        self,
        challenge: bytes,
        *,
        origin=ORIGIN,
        rp_id=RP_ID,
        flags=USER_PRESENT_AND_VERIFIED,
        client_type="webauthn.get",
        sign_count: int | None = None,
        **extra,
    ):
        """An assertion over ``challenge``; ``sign_count`` sets its counter (a copied key's, say)
        instead of the next one."""
        if sign_count is None:
            self.sign_count += 1
            sign_count = self.sign_count
        client_data = json.dumps(
            {"type": client_type, "challenge": b64url_encode(challenge), "origin": origin, **extra}
        ).encode()
        authenticator_data = hashlib.sha256(rp_id.encode()).digest() + bytes([flags]) + sign_count.to_bytes(4, "big")
        signature = self._sign(authenticator_data + hashlib.sha256(client_data).digest())
        return {
            "id": b64url_encode(self.credential_id),
            "rawId": b64url_encode(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url_encode(client_data),
                "authenticatorData": b64url_encode(authenticator_data),
                "signature": b64url_encode(signature),
                "userHandle": None,
            },
            "clientExtensionResults": {},
        }

    def register(self, challenge: bytes, *, origin=ORIGIN, rp_id=RP_ID, flags=USER_PRESENT_AND_VERIFIED) -> dict:
        """A registration response with attestation "none" (WebAuthn §8.7)."""
        client_data = json.dumps({"type": "webauthn.create", "challenge": b64url_encode(challenge), "origin": origin})
        authenticator_data = (
            hashlib.sha256(rp_id.encode()).digest()
            + bytes([flags | _ATTESTED_CREDENTIAL])
            + (0).to_bytes(4, "big")
            + bytes(16)  # AAGUID: none
            + len(self.credential_id).to_bytes(2, "big")
            + self.credential_id
            + self.public_key_cose
        )
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": authenticator_data})
        return {
            "id": b64url_encode(self.credential_id),
            "rawId": b64url_encode(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url_encode(client_data.encode()),
                "attestationObject": b64url_encode(attestation),
                "transports": ["internal"],
            },
            "clientExtensionResults": {},
        }


def registered_passkey(user, algorithm: str = "ES256", **registration) -> Passkey:
    """A passkey made for ``user`` and registered for their organisation (its first key is
    active at once); ``registration`` passes on to orgs.key_actions.register_key."""
    from orgs import key_actions  # imported here: the benchmarks use Passkey without Django

    device = Passkey(algorithm)
    key_actions.register_key(
        user, "webauthn", device.public_key_cose, credential_id=device.credential_id, **registration
    )
    return device
