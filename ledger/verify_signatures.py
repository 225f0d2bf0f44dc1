"""Step 5 of the offline verifier (``ledger.verify``): each opened statement is signed by its
organisation's key, as the bundle's keys show it registered most recently before the event;
or, for a statement made with a key the signer holds (``key_kind`` sshsig or webauthn: a
signature, a withdrawal, a delivery, an acknowledgement), by that key, as the bundle's key
events (ledger/key_events.py) show it active just before the event."""

import json

from .canonical import canonical_json
from .errors import MalformedBundle, SignatureError
from .events import ORG_REGISTERED, SIGNATURE_SIGNED
from .key_events import CUSTODIAL, KEY_EVENT_TYPES, STATUS_ACTIVE, KeyEventError, KeyRing, OwnKey
from .own_signatures import check_proof
from .statements import statement_for_event, verify_event_statement

SIGNED_TYPES = ("signature.signed", "signature.withdrawn", "letter.delivered", "delivery.acknowledged")


def check_signatures(events: list[tuple[int, dict]], opened: dict[int, dict], keys: list[tuple[int, dict]]) -> int:
    """Step 5: each opened statement is signed by its organisation's key as registered
    most recently before the event, or by the signer's own key active then; returns how many
    were checked."""
    registrations = _registrations(keys)
    ring = _key_ring(keys)
    own_statements: set[bytes] = set()
    checked = 0
    for index, event in events:
        if event["type"] in SIGNED_TYPES and index in opened:
            if "key_kind" in event:
                own_statements.add(_check_own_key_signature(ring, index, event, opened[index], own_statements))
            else:
                statement = statement_for_event(event, opened[index])  # both checked in steps 3 and 4
                key = _key_before(registrations, statement["org"], index)
                verify_event_statement(key, statement, _custodial_signature(index, opened[index]))
            checked += 1
    return checked


def signature_key_kinds(events: list[tuple[int, dict]]) -> list[dict]:
    """Each signature event's version and the kind of key that made it (``custodial``,
    ``sshsig``, ``webauthn``): public, so known without openings, and checked in step 5 where opened."""
    return [
        {"index": index, "version": event["version"], "key_kind": event.get("key_kind", CUSTODIAL)}
        for index, event in events
        if event["type"] == SIGNATURE_SIGNED
    ]


def action_key_kinds(events: list[tuple[int, dict]]) -> list[dict]:
    """Each withdrawal, delivery and acknowledgement with the kind of key that signed it, as
    ``signature_key_kinds`` names them for signatures."""
    return [
        {"index": index, "type": event["type"], "key_kind": event.get("key_kind", CUSTODIAL)}
        for index, event in events
        if event["type"] in SIGNED_TYPES and event["type"] != SIGNATURE_SIGNED
    ]


def _custodial_signature(index: int, fields: dict) -> str:
    if "signature" not in fields:
        raise SignatureError(f"index {index}: a signature by the custodial key opens to no custodial signature")
    return str(fields["signature"])


def _check_own_key_signature(ring: KeyRing, index: int, event: dict, fields: dict, earlier: set[bytes]) -> bytes:
    """A statement signed by a key the signer holds: the key registered at ``key_event``, of
    the organisation that makes the statement, active just before the event, made the proof
    over the statement of ``statement_time``; that statement was not signed before (a withdrawn
    signature's proof cannot sign again). Returns the statement's canonical bytes."""
    if "proof" not in fields:
        raise SignatureError(f"index {index}: a signature made with an own key opens to no proof")
    org = fields.get("org", fields.get("penholder"))  # a delivery is the penholder's statement
    key = ring.keys.get(fields["key"])
    if key is None or key.registered_at != fields["key_event"] or key.org != org:
        raise SignatureError(
            f"index {index}: {org}'s key {fields['key']} registered at index {fields['key_event']} "
            "is not among the bundle's keys"
        )
    status = key.status_before(index)
    if status != STATUS_ACTIVE:
        raise SignatureError(f"index {index}: key {key.fingerprint} was {status} when the signature was logged")
    if fields["proof"].get("kind") != event["key_kind"]:
        raise SignatureError(
            f"index {index}: the event says {event['key_kind']}, its proof is {fields['proof'].get('kind')}"
        )
    # The statement the member signed: the event's own, at the time the member could know.
    statement = statement_for_event({**event, "time": fields["statement_time"]}, fields)
    signed = canonical_json(statement)
    if signed in earlier:
        raise SignatureError(f"index {index}: the proof signs a statement an earlier signature of {org} signed")
    try:
        check_proof(key.kind, key.public_key, statement, fields["proof"])
    except SignatureError as refusal:
        raise SignatureError(f"index {index}: {refusal.message}") from None
    return signed


def _key_ring(keys: list[tuple[int, dict]]) -> KeyRing:
    """The own keys the bundle's key events register, approve, rotate and revoke, replayed in
    log order; each approval's proof checked against the key that made it."""
    ring = KeyRing()
    for index, event in sorted(keys, key=lambda item: item[0]):
        if event["type"] in KEY_EVENT_TYPES:
            try:
                ring.apply(index, event, _check_approval)
            except KeyEventError as error:
                raise SignatureError(f"keys: {error}") from None
    return ring


def _check_approval(approver: OwnKey, event: dict, statement: dict) -> None:
    proof = event["proof"]
    if event["proof_kind"] != "sshsig":
        try:
            proof = json.loads(proof)
        except ValueError:
            raise SignatureError(f"keys: the approval of {event['fingerprint']} carries no readable proof") from None
    else:
        proof = {"kind": "sshsig", "signature": proof}
    try:
        check_proof(approver.kind, approver.public_key, statement, proof)
    except SignatureError as refusal:
        raise SignatureError(f"keys: the approval of {event['fingerprint']}: {refusal.message}") from None


def _registrations(keys: list[tuple[int, dict]]) -> dict[str, list[tuple[int, str]]]:
    """Each organisation's ``(log index, key)`` registrations in the bundle's keys (its key
    events, read by ``_key_ring``, are passed over)."""
    by_org: dict[str, list[tuple[int, str]]] = {}
    for index, event in keys:
        if event["type"] in KEY_EVENT_TYPES:
            continue
        if event["type"] != ORG_REGISTERED:
            raise MalformedBundle(
                f"keys: index {index} is a {event['type']} event, not {ORG_REGISTERED} or a key event"
            )
        by_org.setdefault(event["org"], []).append((index, event["key"]))
    for registered in by_org.values():
        registered.sort()
    return by_org


def _key_before(registrations: dict[str, list[tuple[int, str]]], org: str, index: int) -> str:
    """The key of ``org``'s latest registration before ``index`` (registrations are sorted)."""
    key = None
    for at, registered_key in registrations.get(org, ()):
        if at >= index:
            break
        key = registered_key
    if key is None:
        raise SignatureError(f"index {index}: no {ORG_REGISTERED} of {org!r} before it in the bundle's keys")
    return key
