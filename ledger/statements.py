"""Organisations' signed statements and delivery hashes (docs/record.md, "Signed statements")."""

import functools
import hashlib
from json.encoder import encode_basestring as _json_string  # the string writer canonical's encoder uses

import nacl.bindings
import nacl.exceptions
import nacl.signing

from .canonical import canonical_json, plain_json
from .encoding import b64decode, b64encode
from .errors import SignatureError

STATEMENT_TAG = b"undersigned/statement/v1\x00"
DELIVERY_TAG = b"undersigned/delivery/v1\x00"


def statement_bytes(statement: dict) -> bytes:
    """``"undersigned/statement/v1" ‖ 0x00 ‖ JCS(statement)``: what an organisation signs."""
    return STATEMENT_TAG + canonical_json(statement)


def sign_statement(signing_key_seed: bytes, statement: dict) -> str:
    """Base64 Ed25519 signature of the statement by the key with this 32-byte seed."""
    signed = nacl.signing.SigningKey(signing_key_seed).sign(statement_bytes(statement))
    return b64encode(signed.signature)


@functools.lru_cache(maxsize=1024)
def _public_key(public_key_b64: str) -> bytes:
    """An organisation's 32-byte Ed25519 key, decoded once: a bundle has thousands of
    statements by a few keys. Raises ValueError as nacl's VerifyKey does for a wrong length."""
    key = b64decode(public_key_b64)
    if len(key) != nacl.bindings.crypto_sign_PUBLICKEYBYTES:
        raise ValueError(f"an Ed25519 public key is {nacl.bindings.crypto_sign_PUBLICKEYBYTES} bytes")
    return key


def verify_statement(public_key_b64: str, statement: dict, signature_b64: str) -> None:
    """Raise SignatureError unless the signature is the key's over the statement."""
    _verify(public_key_b64, statement_bytes(statement), signature_b64, statement)


def verify_event_statement(public_key_b64: str, statement: dict, signature_b64: str) -> None:
    """``verify_statement`` for ``statement = statement_for_event(event, fields)`` where
    ``parse_event`` accepted the event and ``validate_private_fields`` the fields. Such a
    statement is plain (canonical._plain): its keys are ours, all ASCII; its values are our
    action name, the event's handle, time and digests (strings), its version or signature index
    (integers up to SAFE_INTEGER) and the opened org or penholder (checked to be strings). So
    its JCS is plain_json's, without canonical_json's walk over it; _statement_json writes it."""
    _verify(public_key_b64, STATEMENT_TAG + _statement_json(statement), signature_b64, statement)


def _statement_json(statement: dict) -> bytes:
    """``plain_json(statement)``, written from a template per action for the statements the
    *_action functions below build: the encoder's generic work (listing and sorting the keys,
    writing each value by its type) is about half of its time, for the thousands of statements
    in a bundle. The templates hold the keys in JCS order (RFC 8785 §3.2.3, sorted; all ASCII);
    strings are written by the C function the encoder itself uses, integers (not bools) as it
    writes them. A statement of any other shape, or with other types of values, goes to plain_json."""
    action = statement.get("action")
    write = _STATEMENT_TEMPLATES.get(action) if type(action) is str else None
    try:
        text = write(statement) if write is not None else None
    except KeyError:  # a field the action's statements have is missing
        text = None
    return plain_json(statement) if text is None else text.encode("utf-8")


def _sign_template(s: dict) -> str | None:
    handle, org, time, version, version_hash = s["handle"], s["org"], s["time"], s["version"], s["version_hash"]
    strings = type(handle) is type(org) is type(time) is type(version_hash) is str
    if len(s) != 6 or not (strings and type(version) is int):
        return None
    return (
        f'{{"action":"sign","handle":{_json_string(handle)},"org":{_json_string(org)},'
        f'"time":{_json_string(time)},"version":{version},"version_hash":{_json_string(version_hash)}}}'
    )


def _withdraw_template(s: dict) -> str | None:
    handle, org, signature, time = s["handle"], s["org"], s["signature"], s["time"]
    if len(s) != 5 or not (type(handle) is type(org) is type(time) is str and type(signature) is int):
        return None
    return (
        f'{{"action":"withdraw","handle":{_json_string(handle)},"org":{_json_string(org)},'
        f'"signature":{signature},"time":{_json_string(time)}}}'
    )


def _delivery_template(s: dict) -> str | None:
    """Deliveries and acknowledgements have the same fields (their action is a string here)."""
    action, delivery, handle, org, time = s["action"], s["delivery"], s["handle"], s["org"], s["time"]
    if len(s) != 5 or not type(delivery) is type(handle) is type(org) is type(time) is str:
        return None
    return (
        f'{{"action":{_json_string(action)},"delivery":{_json_string(delivery)},'
        f'"handle":{_json_string(handle)},"org":{_json_string(org)},"time":{_json_string(time)}}}'
    )


_STATEMENT_TEMPLATES = {
    "sign": _sign_template,
    "withdraw": _withdraw_template,
    "deliver": _delivery_template,
    "acknowledge": _delivery_template,
}


def _verify(public_key_b64: str, message: bytes, signature_b64: str, statement: dict) -> None:
    try:
        key, signature = _public_key(public_key_b64), b64decode(signature_b64)
        if len(signature) != nacl.bindings.crypto_sign_BYTES:
            raise ValueError("an Ed25519 signature is 64 bytes")
        # What VerifyKey(key).verify(message, signature) does, without building a VerifyKey per
        # statement: libsodium's crypto_sign_open of signature ‖ message (RFC 8032 §5.1.7).
        nacl.bindings.crypto_sign_open(signature + message, key)
    except (nacl.exceptions.BadSignatureError, ValueError, TypeError):
        raise SignatureError(
            f"{statement.get('org')}'s signature on {statement.get('action')} by key {public_key_b64} "
            f"does not verify over {canonical_json(statement).decode()}"
        ) from None


def sign_action(handle: str, org: str, time: str, version: int, version_hash: str) -> dict:
    return {
        "action": "sign",
        "handle": handle,
        "org": org,
        "version": version,
        "version_hash": version_hash,
        "time": time,
    }


def withdraw_action(handle: str, org: str, time: str, signature: int) -> dict:
    return {"action": "withdraw", "handle": handle, "org": org, "signature": signature, "time": time}


def deliver_action(handle: str, org: str, time: str, delivery: str) -> dict:
    return {"action": "deliver", "handle": handle, "org": org, "delivery": delivery, "time": time}


def acknowledge_action(handle: str, org: str, time: str, delivery: str) -> dict:
    return {"action": "acknowledge", "handle": handle, "org": org, "delivery": delivery, "time": time}


def statement_for_event(event: dict, fields: dict) -> dict:
    """The statement an event's opening carries a signature over; ``fields`` are the
    opened private fields."""
    kind, time, handle = event["type"], event["time"], event["handle"]
    if kind == "signature.signed":
        return sign_action(handle, fields["org"], time, event["version"], event["version_hash"])
    if kind == "signature.withdrawn":
        return withdraw_action(handle, fields["org"], time, event["signature"])
    if kind == "letter.delivered":
        return deliver_action(handle, fields["penholder"], time, event["delivery"])
    if kind == "delivery.acknowledged":
        return acknowledge_action(handle, fields["org"], time, event["delivery"])
    raise ValueError(f"{kind} events carry no signed statement")


def delivery_hash(
    handle: str, version: int, version_hash: str, signatories: list[str], withdrawn: list[str], addendum_to: str | None
) -> str:
    """Hex ``H("undersigned/delivery/v1" ‖ 0x00 ‖ JCS({...}))``: names exactly what was delivered."""
    content = {
        "handle": handle,
        "version": version,
        "version_hash": version_hash,
        "signatories": signatories,
        "withdrawn": withdrawn,
        "addendum_to": addendum_to,
    }
    return hashlib.sha256(DELIVERY_TAG + canonical_json(content)).hexdigest()
