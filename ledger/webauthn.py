"""Passkey (WebAuthn) assertions, checked offline: W3C Web Authentication Level 2, §7.2
"Verifying an Authentication Assertion", the steps that need no server state.

A member's passkey signs the challenge the server gave it, the SHA-256 of a canonical statement
(``statements.statement_bytes``); the authenticator wraps it in client data and authenticator
data and signs ``authenticatorData ‖ SHA-256(clientDataJSON)``. Whoever holds the passkey's
public key (COSE, RFC 9052/9053) can check that again from the assertion alone.

Not checked by ``verify_assertion``, on purpose: the signature counter against the key's
latest count (only a server keeping that count can apply it; an archived assertion must verify
again years later, whatever the counter says now) and the attestation (made at registration,
not at each assertion). ``sign_count`` reads an assertion's counter and ``counter_rises`` is
the rule of §7.2 step 21, which the server applies to each assertion it accepts and the verifier
to the assertions of one bundle, in log order (ledger/verify_signatures.py).
"""

import base64
import binascii
import functools
import hashlib
import json
import re
from collections.abc import Callable
from typing import Any

import cbor2
import nacl.bindings
import nacl.exceptions
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from .errors import SignatureError
from .statements import statement_bytes

# COSE (RFC 9052 §7, RFC 9053): the labels and values of the two kinds of key we accept.
_KTY, _ALG, _CRV, _X, _Y = 1, 3, -1, -2, -3
_KTY_OKP, _KTY_EC2 = 1, 2
ES256, EDDSA = -7, -8
_CRV_P256, _CRV_ED25519 = 1, 6

# Authenticator data (WebAuthn §6.1): rpIdHash (32 bytes), flags (1), signCount (4), then extensions.
_AUTHENTICATOR_DATA_MIN = 37
_USER_PRESENT, _USER_VERIFIED = 0x01, 0x04

_BASE64URL = re.compile(r"[A-Za-z0-9_-]*={0,2}")


class AssertionRefused(SignatureError):
    """A passkey assertion that does not prove what it must; the message says which check failed."""


def challenge_for(statement: dict) -> bytes:
    """What a passkey signs for a statement: the SHA-256 of the exact bytes an organisation's
    key would sign (``GET /api/v1/letters/{id}/statement`` serves them)."""
    return hashlib.sha256(statement_bytes(statement)).digest()


def verify_assertion(public_key_cose: bytes, credential: dict, challenge: bytes, rp_id: str, origin: str) -> None:
    """Raise AssertionRefused unless ``credential`` (a PublicKeyCredential as its ``toJSON()``
    writes it: base64url fields) is an assertion by this key, over ``challenge``, made for this
    relying party from this origin, with the user present and verified."""
    client_data_json, authenticator_data, signature = _assertion_fields(credential)
    check_client_data(client_data_json, challenge, origin)
    check_authenticator_data(authenticator_data, rp_id)
    signed = authenticator_data + hashlib.sha256(client_data_json).digest()
    check_signature(public_key_cose, signed, signature)


def sign_count(credential: Any) -> int:
    """The authenticator's signature counter in an assertion: bytes 33-36 of its authenticator
    data, big-endian (§6.1); 0 from an authenticator that counts nothing."""
    _, authenticator_data, _ = _assertion_fields(credential)
    if len(authenticator_data) < _AUTHENTICATOR_DATA_MIN:
        raise AssertionRefused(f"the passkey's authenticator data is {len(authenticator_data)} bytes, too short")
    return int.from_bytes(authenticator_data[33:37], "big")


def counter_rises(stored: int, new: int) -> bool:
    """§7.2 step 21: when the counter stored from the key's latest assertion or the new one is
    non-zero, the new one must be greater; otherwise another copy of the key may be signing (a
    cloned authenticator), or this assertion was made before. Both 0: the authenticator keeps
    no counter (many synced passkeys), and nothing can be told from it."""
    return new > stored or stored == new == 0


def _assertion_fields(credential: Any) -> tuple[bytes, bytes, bytes]:
    """Step 1: the three byte strings of the assertion's response."""
    if not isinstance(credential, dict) or credential.get("type") != "public-key":
        raise AssertionRefused("the passkey credential is not a public-key credential")
    response = credential.get("response")
    if not isinstance(response, dict):
        raise AssertionRefused("the passkey credential has no response")
    return (
        b64url_decode(response.get("clientDataJSON"), "clientDataJSON"),
        b64url_decode(response.get("authenticatorData"), "authenticatorData"),
        b64url_decode(response.get("signature"), "signature"),
    )


def check_client_data(client_data_json: bytes, challenge: bytes, origin: str) -> None:
    """Step 2 (§7.2 steps 10-14): parsed as JSON, never compared with a template, since browsers
    add members of their own and may order them as they like."""
    try:
        client_data = json.loads(client_data_json.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise AssertionRefused("the passkey's clientDataJSON is not JSON") from None
    if not isinstance(client_data, dict):
        raise AssertionRefused("the passkey's clientDataJSON is not a JSON object")
    if client_data.get("type") != "webauthn.get":
        raise AssertionRefused(f"the passkey's client data is of type {client_data.get('type')!r}, not 'webauthn.get'")
    signed_challenge = b64url_decode(client_data.get("challenge"), "the client data's challenge")
    if signed_challenge != challenge:
        raise AssertionRefused(
            f"the passkey signed the challenge {signed_challenge.hex()}, not this statement's {challenge.hex()}"
        )
    if client_data.get("origin") != origin:
        raise AssertionRefused(f"the passkey was used on {client_data.get('origin')!r}, not on {origin!r}")
    if client_data.get("crossOrigin") is True:
        raise AssertionRefused("the passkey was used from a frame of another origin")


def check_authenticator_data(authenticator_data: bytes, rp_id: str) -> None:
    """Step 3 (§7.2 steps 15-17): for this relying party, the user present and verified."""
    if len(authenticator_data) < _AUTHENTICATOR_DATA_MIN:
        raise AssertionRefused(f"the passkey's authenticator data is {len(authenticator_data)} bytes, too short")
    if authenticator_data[:32] != hashlib.sha256(rp_id.encode("utf-8")).digest():
        raise AssertionRefused(f"the passkey's assertion is not for the relying party {rp_id!r}")
    flags = authenticator_data[32]
    if not flags & _USER_PRESENT:
        raise AssertionRefused("the passkey's assertion does not say the user was present (flag UP)")
    if not flags & _USER_VERIFIED:
        raise AssertionRefused("the passkey's assertion does not say the user was verified (flag UV)")


def check_signature(public_key_cose: bytes, signed: bytes, signature: bytes) -> None:
    """Step 4 (§7.2 step 20): the key's signature over authenticatorData ‖ SHA-256(clientDataJSON)."""
    _verifier(public_key_cose)(signed, signature)


@functools.lru_cache(maxsize=1024)
def _verifier(public_key_cose: bytes) -> Callable[[bytes, bytes], None]:
    """The signature check of a COSE key, parsed once: a bundle has thousands of assertions by a
    few passkeys, and decoding the key and the curve point is a tenth of each check."""
    key = cose_key(public_key_cose)
    if key[_KTY] == _KTY_OKP:
        return functools.partial(_verify_ed25519, key[_X])
    return functools.partial(_verify_es256, _p256_point(key[_X], key[_Y]))


def cose_key(public_key_cose: bytes) -> dict:
    """The COSE key's map, refused unless it is ES256 on P-256 or EdDSA on Ed25519: the two
    algorithms a member's passkey may use here."""
    try:
        key = cbor2.loads(public_key_cose)
    except (cbor2.CBORDecodeError, TypeError, ValueError):
        raise AssertionRefused("the passkey's public key is not CBOR") from None
    if not isinstance(key, dict):
        raise AssertionRefused("the passkey's public key is not a COSE key map")
    shape = (key.get(_KTY), key.get(_ALG), key.get(_CRV))
    if shape == (_KTY_OKP, EDDSA, _CRV_ED25519) and _is_bytes(key.get(_X), 32):
        return key
    if shape == (_KTY_EC2, ES256, _CRV_P256) and _is_bytes(key.get(_X), 32) and _is_bytes(key.get(_Y), 32):
        return key
    raise AssertionRefused(f"the passkey's public key (kty, alg, crv) = {shape} is neither ES256 on P-256 nor EdDSA")


def _is_bytes(value: object, length: int) -> bool:
    return isinstance(value, bytes) and len(value) == length


def _verify_ed25519(public_key: bytes, signed: bytes, signature: bytes) -> None:
    if len(signature) != nacl.bindings.crypto_sign_BYTES:
        raise AssertionRefused("the passkey's Ed25519 signature is not 64 bytes")
    try:
        nacl.bindings.crypto_sign_open(signature + signed, public_key)
    except nacl.exceptions.BadSignatureError:
        raise AssertionRefused("the passkey's Ed25519 signature does not verify") from None


def _p256_point(x: bytes, y: bytes) -> ec.EllipticCurvePublicKey:
    try:
        return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b"\x04" + x + y)
    except ValueError:
        raise AssertionRefused("the passkey's public key is not a point of P-256") from None


def _verify_es256(public_key: ec.EllipticCurvePublicKey, signed: bytes, signature: bytes) -> None:
    try:
        # WebAuthn's ES256 signatures are ASN.1 DER, as cryptography expects (§6.5.6).
        public_key.verify(signature, signed, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise AssertionRefused("the passkey's ES256 signature does not verify") from None


def b64url_decode(text: object, name: str) -> bytes:
    """Base64url without padding (WebAuthn's JSON forms, RFC 4648 §5); padding is tolerated since
    some clients keep it, any other character refused."""
    if not isinstance(text, str) or _BASE64URL.fullmatch(text) is None:
        raise AssertionRefused(f"the passkey's {name} is not a base64url string")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise AssertionRefused(f"the passkey's {name} is not base64url") from None


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")
