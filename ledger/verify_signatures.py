"""Step 5 of the offline verifier (``ledger.verify``): each opened statement is signed by its
organisation's key, as the bundle's keys show it registered most recently before the event;
or, for a statement made with a key the signer holds (``key_kind`` sshsig or webauthn: a
signature, a withdrawal, a delivery, an acknowledgement), by that key, as the bundle's key
events (ledger/key_events.py) show it active just before the event. An own-key withdrawal's
statement is dated with the signature it withdraws, and each passkey's signature counters rise
from one of the bundle's assertions to the next, in log order (``PasskeyCounts``)."""

import json

from .canonical import canonical_json
from .errors import MalformedBundle, SignatureError
from .events import ORG_REGISTERED, SIGNATURE_SIGNED, SIGNATURE_WITHDRAWN
from .key_events import (
    CUSTODIAL,
    KEY_APPROVED,
    KEY_EVENT_TYPES,
    KEY_ROTATED,
    PROOF_SSHSIG,
    PROOF_WEBAUTHN,
    STATUS_ACTIVE,
    KeyEventError,
    KeyRing,
    OwnKey,
)
from .own_signatures import check_proof
from .statements import statement_for_event, verify_event_statement

SIGNED_TYPES = ("signature.signed", "signature.withdrawn", "letter.delivered", "delivery.acknowledged")


def check_signatures(events: list[tuple[int, dict]], opened: dict[int, dict], keys: list[tuple[int, dict]]) -> int:
    """Step 5: each opened statement is signed by its organisation's key as registered
    most recently before the event, or by the signer's own key active then; returns how many
    were checked."""
    registrations = _registrations(keys)
    counts = PasskeyCounts()
    ring = _key_ring(keys, counts)
    signed_at = {index: event["time"] for index, event in events if event["type"] == SIGNATURE_SIGNED}
    own_statements: set[bytes] = set()
    checked = 0
    for index, event in events:
        if event["type"] in SIGNED_TYPES and index in opened:
            if "key_kind" in event:
                if event["type"] == SIGNATURE_WITHDRAWN:
                    _check_withdrawal_time(index, event, opened[index], signed_at)
                own_statements.add(_check_own_key_signature(ring, index, event, opened[index], own_statements))
                counts.note(index, opened[index]["key"], opened[index]["proof"])
            else:
                statement = statement_for_event(event, opened[index])  # both checked in steps 3 and 4
                key = _key_before(registrations, statement["org"], index)
                verify_event_statement(key, statement, _custodial_signature(index, opened[index]))
            checked += 1
    counts.check()
    return checked


class PasskeyCounts:
    """The signature counters of the bundle's passkey assertions (WebAuthn §6.1.1), each by its
    key and log index: a passkey counts every assertion it makes, so from one assertion of the
    bundle to the next in log order its counter rises (``ledger.webauthn.counter_rises``), as the
    server checked when it accepted each. One that does not was made by another copy of the key
    (a cloned authenticator) or made again. A bundle holds some of a key's assertions, not all:
    gaps between counts are expected."""

    def __init__(self) -> None:
        self._seen: list[tuple[int, str, int]] = []  # (log index, key fingerprint, counter)

    def note(self, index: int, fingerprint: str, proof: dict) -> None:
        """Remember the counter of ``proof`` if it is a passkey's (checked by then)."""
        if proof.get("kind") == PROOF_WEBAUTHN:
            from .webauthn import sign_count  # passkeys need cbor2 and cryptography, ssh keys do not

            self._seen.append((index, fingerprint, sign_count(proof.get("credential"))))

    def check(self) -> None:
        """Raise SignatureError at the first assertion whose counter does not rise."""
        from .webauthn import counter_rises

        latest: dict[str, tuple[int, int]] = {}  # fingerprint -> (log index, counter)
        for index, fingerprint, count in sorted(self._seen):
            if fingerprint in latest and not counter_rises(latest[fingerprint][1], count):
                at, stored = latest[fingerprint]
                raise SignatureError(
                    f"index {index}: passkey {fingerprint} counted {count}, not above {stored} in its assertion "
                    f"at index {at}: a passkey's signature counter rises with each assertion, so another copy "
                    "of the key made one of them (a cloned authenticator), or it was made again"
                )
            latest[fingerprint] = (index, count)


def _check_withdrawal_time(index: int, event: dict, fields: dict, signed_at: dict[int, str]) -> None:
    """A withdrawal made with an own key signs a statement dated with the time of the signature
    it withdraws (docs/record.md): a withdrawal cannot be signed before that signature was made.
    (A withdrawn index that is no signature of the letter is the story's to refuse, in step 7.)"""
    withdrawn = event["signature"]
    if withdrawn in signed_at and fields["statement_time"] != signed_at[withdrawn]:
        when = "before" if fields["statement_time"] < signed_at[withdrawn] else "not at the time of"
        raise SignatureError(
            f"index {index}: the withdrawal's statement is dated {fields['statement_time']}, {when} the "
            f"signature it withdraws (index {withdrawn}, logged at {signed_at[withdrawn]}): a withdrawal "
            "signs a statement dated with the signature it withdraws"
        )


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


def _key_ring(keys: list[tuple[int, dict]], counts: PasskeyCounts | None = None) -> KeyRing:
    """The own keys the bundle's key events register, approve, rotate and revoke, replayed in
    log order; each approval's proof checked against the key that made it (and, for a passkey's,
    its counter noted in ``counts``)."""
    ring = KeyRing()
    for index, event in sorted(keys, key=lambda item: item[0]):
        if event["type"] in KEY_EVENT_TYPES:
            try:
                ring.apply(index, event, check_approval)
            except KeyEventError as error:
                raise SignatureError(f"keys: {error}") from None
            if counts is not None and event["type"] in (KEY_APPROVED, KEY_ROTATED):
                counts.note(index, event["approver" if event["type"] == KEY_APPROVED else "replaces"], proof_of(event))
    return ring


def check_approval(approver: OwnKey, event: dict, statement: dict) -> None:
    """Raise SignatureError unless the approval's (or rotation's) proof is ``approver``'s over
    ``statement``: the check ``KeyRing.apply`` takes, shared with ``log audit``."""
    proof = proof_of(event)
    try:
        check_proof(approver.kind, approver.public_key, statement, proof)
    except SignatureError as refusal:
        raise SignatureError(f"keys: the approval of {event['fingerprint']}: {refusal.message}") from None


def proof_of(event: dict) -> dict:
    """The proof a key.approved or key.rotated event carries, as an object: its ``proof`` is the
    armored SSHSIG, or the JCS text of a passkey's proof."""
    if event["proof_kind"] == PROOF_SSHSIG:
        return {"kind": PROOF_SSHSIG, "signature": event["proof"]}
    try:
        proof = json.loads(event["proof"])
    except ValueError:
        proof = None
    if not isinstance(proof, dict):
        raise SignatureError(f"keys: the approval of {event['fingerprint']} carries no readable proof")
    return proof


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
