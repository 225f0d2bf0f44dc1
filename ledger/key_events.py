"""Keys a member holds: their events on the log and the statements that approve them
(docs/record.md, "Key events").

An organisation's own keys (an SSH Ed25519 key, a passkey) live on the log as events of the
organisation, like ``org.registered``: no letter, no commitment, everything public, since a
verifier must find the key that made a signature. The first key of an organisation is active
on the operator's word (``status`` ``active``); a later one is ``pending`` until a
``key.approved`` event carries a signature by an active key of the same organisation over the
statement ``approve_key_action`` names. ``key.rotated`` approves a new key with the old one and
retires the old one at once; ``key.revoked`` retires a key. A signature is judged by the keys
as these events left them just before it was logged (``KeyRing``).

Own-key signatures are ``signature.signed`` events with one more public field, ``key_kind``
(``sshsig`` or ``webauthn``), and other private fields than a custodial one: the proof itself,
the key's fingerprint and the index of its registration, and the time in the statement the
member signed (``OWN_KEY_SIGNATURE_PRIVATE``). Pure Python: the offline verifier imports it.
"""

import base64
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

KEY_REGISTERED = "key.registered"
KEY_APPROVED = "key.approved"
KEY_ROTATED = "key.rotated"
KEY_REVOKED = "key.revoked"
KEY_EVENT_TYPES = (KEY_REGISTERED, KEY_APPROVED, KEY_ROTATED, KEY_REVOKED)

KIND_SSH, KIND_WEBAUTHN = "ssh", "webauthn"
KEY_KINDS = (KIND_SSH, KIND_WEBAUTHN)
# The proof a key of each kind makes, as `verify --json` names it; a custodial key makes none.
PROOF_SSHSIG, PROOF_WEBAUTHN, CUSTODIAL = "sshsig", "webauthn", "custodial"
PROOF_OF_KIND = {KIND_SSH: PROOF_SSHSIG, KIND_WEBAUTHN: PROOF_WEBAUTHN}
STATUS_ACTIVE, STATUS_PENDING, STATUS_REVOKED = "active", "pending", "revoked"

_FINGERPRINT = re.compile(r"SHA256:[A-Za-z0-9+/]{43}")
Check = Callable[[object], bool]


def _string(value: object) -> bool:
    return isinstance(value, str)


def _fingerprint(value: object) -> bool:
    return isinstance(value, str) and _FINGERPRINT.fullmatch(value) is not None


def _base64_or_null(value: object) -> bool:
    return value is None or isinstance(value, str)


_PROOF_FIELDS: dict[str, Check] = {"proof_kind": lambda v: v in (PROOF_SSHSIG, PROOF_WEBAUTHN), "proof": _string}

KEY_PUBLIC_FIELDS: dict[str, dict[str, Check]] = {
    KEY_REGISTERED: {
        "org": _string,
        "kind": lambda v: v in KEY_KINDS,
        "fingerprint": _fingerprint,
        "public_key": _string,  # base64: raw Ed25519 for ssh, COSE for webauthn
        "credential_id": _base64_or_null,  # base64url of a passkey's credential id; null for ssh
        "status": lambda v: v in (STATUS_ACTIVE, STATUS_PENDING),
    },
    KEY_APPROVED: {"org": _string, "fingerprint": _fingerprint, "approver": _fingerprint, **_PROOF_FIELDS},
    KEY_ROTATED: {"org": _string, "fingerprint": _fingerprint, "replaces": _fingerprint, **_PROOF_FIELDS},
    KEY_REVOKED: {"org": _string, "fingerprint": _fingerprint, "reason": _string},
}

# signature.signed by a key the signer holds: its extra public field, and its private fields.
OWN_KEY_SIGNATURE_PUBLIC: dict[str, Check] = {"key_kind": lambda v: v in (PROOF_SSHSIG, PROOF_WEBAUTHN)}
OWN_KEY_SIGNATURE_PRIVATE = {"org", "signer", "statement_time", "key", "key_event", "proof"}


def key_fingerprint(kind: str, public_key: bytes) -> str:
    """``SHA256:`` and the unpadded base64 of a SHA-256: of the SSH wire form of an ssh key
    (what ``ssh-keygen -l`` prints), of the COSE key of a passkey."""
    if kind == KIND_SSH:
        from .sshsig import fingerprint

        return fingerprint(public_key)
    return "SHA256:" + base64.b64encode(hashlib.sha256(public_key).digest()).decode().rstrip("=")


def approve_key_action(org: str, fingerprint: str) -> dict:
    """What an active key of ``org`` signs to approve its pending key ``fingerprint``."""
    return {"action": "approve_key", "org": org, "fingerprint": fingerprint}


def rotate_key_action(org: str, fingerprint: str, replaces: str) -> dict:
    """What the key ``replaces`` signs to hand over to ``fingerprint`` and retire itself."""
    return {"action": "rotate_key", "org": org, "fingerprint": fingerprint, "replaces": replaces}


@dataclass
class OwnKey:
    org: str
    kind: str
    fingerprint: str
    public_key: bytes
    registered_at: int  # the log index of its key.registered event
    status: str
    # (log index, status) each time its status changed, in log order.
    history: list[tuple[int, str]] = field(default_factory=list)

    def status_before(self, index: int) -> str | None:
        """Its status just before the event at ``index``; None if not yet registered then."""
        status = None
        for at, changed_to in self.history:
            if at >= index:
                break
            status = changed_to
        return status


class KeyEventError(ValueError):
    """Key events that do not make a history (an approval of an unknown key, say)."""


class KeyRing:
    """Every own key of the organisations the events name, with each one's status over time.
    Approvals and rotations are checked when ``check_approval`` is given (the verifier's
    signature check, which needs the statements' bytes)."""

    def __init__(self) -> None:
        self.keys: dict[str, OwnKey] = {}  # by fingerprint

    def apply(
        self, index: int, event: dict, check_approval: Callable[[OwnKey, dict, dict], None] | None = None
    ) -> None:
        kind = event["type"]
        if kind == KEY_REGISTERED:
            if event["fingerprint"] in self.keys:
                raise KeyEventError(f"index {index}: key {event['fingerprint']} is registered twice")
            if event["status"] == STATUS_ACTIVE and self.active_keys_of(event["org"]):
                # Only an organisation's first key is active on the operator's word: with an
                # active key there, a new one needs that key's approval.
                raise KeyEventError(
                    f"index {index}: key {event['fingerprint']} is registered active while {event['org']} "
                    f"has the active key {self.active_keys_of(event['org'])[0].fingerprint}: it needed its approval"
                )
            key = OwnKey(
                event["org"],
                event["kind"],
                event["fingerprint"],
                _public_key(index, event["public_key"]),
                index,
                event["status"],
            )
            key.history.append((index, event["status"]))
            self.keys[key.fingerprint] = key
            return
        key = self._known(index, event)
        if kind == KEY_REVOKED:
            if key.status == STATUS_REVOKED:  # the server answers a second revocation without logging it
                raise KeyEventError(f"index {index}: key {key.fingerprint} is revoked again")
            self._set(key, index, STATUS_REVOKED)
            return
        signer = self._known(index, {**event, "fingerprint": event["approver" if kind == KEY_APPROVED else "replaces"]})
        if signer.status != STATUS_ACTIVE:
            raise KeyEventError(f"index {index}: key {signer.fingerprint} is {signer.status}, not active")
        if key.status != STATUS_PENDING:
            raise KeyEventError(f"index {index}: key {key.fingerprint} is {key.status}, not pending approval")
        if check_approval is not None:
            check_approval(signer, event, statement_of_approval(event))
        self._set(key, index, STATUS_ACTIVE)
        if kind == KEY_ROTATED:
            self._set(signer, index, STATUS_REVOKED)

    def active_keys_of(self, org: str) -> list[OwnKey]:
        return [key for key in self.keys.values() if key.org == org and key.status == STATUS_ACTIVE]

    def _known(self, index: int, event: dict) -> OwnKey:
        key = self.keys.get(event["fingerprint"])
        if key is None or key.org != event["org"]:
            raise KeyEventError(f"index {index}: {event['org']} has no key {event['fingerprint']} registered before")
        return key

    @staticmethod
    def _set(key: OwnKey, index: int, status: str) -> None:
        key.status = status
        key.history.append((index, status))


def _public_key(index: int, text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except ValueError:  # binascii.Error
        raise KeyEventError(f"index {index}: the key's public_key is not base64") from None


def statement_of_approval(event: dict) -> dict:
    """The statement a key.approved or key.rotated event carries a signature over."""
    if event["type"] == KEY_APPROVED:
        return approve_key_action(event["org"], event["fingerprint"])
    return rotate_key_action(event["org"], event["fingerprint"], event["replaces"])
