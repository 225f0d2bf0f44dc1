"""Key events on the log: built and parsed like every event, and replayed into each key's status
over time, so a signature is judged by the keys valid when it was logged."""

import base64

import pytest

from ledger import events, key_events
from ledger.key_events import KeyEventError, KeyRing

TIME = "2026-12-02T00:00:00.000000Z"
OLD = "SHA256:" + "A" * 43
NEW = "SHA256:" + "B" * 43


def registered(fingerprint: str, status: str, org: str = "pak") -> dict:
    return {
        "type": key_events.KEY_REGISTERED,
        "org": org,
        "kind": "ssh",
        "fingerprint": fingerprint,
        "public_key": base64.b64encode(bytes(32)).decode(),
        "credential_id": None,
        "status": status,
    }


def approved(fingerprint: str, approver: str, org: str = "pak") -> dict:
    return {
        "type": key_events.KEY_APPROVED,
        "org": org,
        "fingerprint": fingerprint,
        "approver": approver,
        "proof_kind": "sshsig",
        "proof": "…",
    }


def test_a_key_event_is_an_organisations_event_without_a_letter():
    public = {name: value for name, value in registered(OLD, "active").items() if name != "type"}
    entry, opening = events.make_event(key_events.KEY_REGISTERED, TIME, public)

    event = events.parse_event(entry)
    assert opening is None
    assert "handle" not in event and event["fingerprint"] == OLD


def test_a_signature_event_names_its_own_key_kind_publicly_and_only_then():
    public = {"version": 1, "version_hash": "0" * 64, "late": False, "replaces": None}
    own = {
        "org": "pak",
        "signer": "sigrid",
        "statement_time": TIME,
        "key": OLD,
        "key_event": 3,
        "proof": {"kind": "sshsig"},
    }

    entry, _ = events.make_event(events.SIGNATURE_SIGNED, TIME, {**public, "key_kind": "sshsig"}, own, "h", 2, None)
    custodial, _ = events.make_event(
        events.SIGNATURE_SIGNED, TIME, public, {"org": "pak", "signer": "sigrid", "signature": "c2ln"}, "h", 2, None
    )

    assert events.parse_event(entry)["key_kind"] == "sshsig"
    assert "key_kind" not in events.parse_event(custodial)
    with pytest.raises(events.EventError):
        events.make_event(events.SIGNATURE_SIGNED, TIME, {**public, "key_kind": "pgp"}, own, "h", 2, None)
    with pytest.raises(events.EventError):
        events.make_event(events.LETTER_CLOSED, TIME, {"key_kind": "sshsig"}, None, "h", 2, None)


def test_the_first_key_is_active_and_a_later_one_pending_until_approved():
    ring = KeyRing()
    ring.apply(10, registered(OLD, "active"))
    ring.apply(11, registered(NEW, "pending"))
    ring.apply(12, approved(NEW, OLD))

    assert ring.keys[NEW].status_before(12) == "pending"
    assert ring.keys[NEW].status_before(13) == "active"
    assert ring.keys[NEW].status_before(11) is None


def test_a_rotation_activates_the_new_key_and_revokes_the_old_one():
    ring = KeyRing()
    ring.apply(10, registered(OLD, "active"))
    ring.apply(11, registered(NEW, "pending"))
    rotated = {**approved(NEW, OLD), "type": key_events.KEY_ROTATED, "replaces": OLD}
    del rotated["approver"]
    ring.apply(12, rotated)

    assert (ring.keys[OLD].status, ring.keys[NEW].status) == ("revoked", "active")
    assert ring.keys[OLD].status_before(12) == "active"


def test_an_approval_by_a_pending_key_or_another_organisations_key_is_refused():
    ring = KeyRing()
    ring.apply(10, registered(OLD, "pending"))
    ring.apply(11, registered(NEW, "pending"))
    with pytest.raises(KeyEventError, match="not active"):
        ring.apply(12, approved(NEW, OLD))
    with pytest.raises(KeyEventError, match="has no key"):
        ring.apply(12, approved(NEW, OLD, org="cub"))


def test_the_approval_check_is_given_the_statement_the_approver_signed():
    ring = KeyRing()
    ring.apply(10, registered(OLD, "active"))
    ring.apply(11, registered(NEW, "pending"))
    seen = []
    ring.apply(12, approved(NEW, OLD), lambda key, event, statement: seen.append((key.fingerprint, statement)))

    assert seen == [(OLD, {"action": "approve_key", "org": "pak", "fingerprint": NEW})]


def test_a_second_key_registered_active_without_approval_is_refused():
    """Only an organisation's first key is active on the operator's word."""
    ring = KeyRing()
    ring.apply(10, registered(OLD, "active"))
    ring.apply(11, registered(NEW, "active", org="cub"))  # another organisation's first key

    with pytest.raises(KeyEventError, match="needed its approval"):
        ring.apply(12, registered("SHA256:" + "C" * 43, "active"))


def test_after_its_keys_are_revoked_an_organisation_may_register_a_first_key_again():
    ring = KeyRing()
    ring.apply(10, registered(OLD, "active"))
    ring.apply(11, {"type": key_events.KEY_REVOKED, "org": "pak", "fingerprint": OLD, "reason": "lost"})
    ring.apply(12, registered(NEW, "active"))

    assert ring.keys[NEW].status == "active"
