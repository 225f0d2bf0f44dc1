"""``log audit`` replays the log's key events (registered, approved, rotated, revoked) as the
verifier replays a bundle's: a key approved by a key that was not active, an event about a key
never registered, an approval whose proof is not the approving key's, a key revoked twice are
each a finding (step "keys", exit 6), reported after the letter's own problems, and the replay
goes on past each. Passkeys of tests/passkey.py make the approvals' proofs."""

import base64
import io
import json

from test_audit import audit, history

from ledger import events as ev
from ledger import key_events
from ledger.audit_command import main
from ledger.canonical import canonical_json
from ledger.errors import ChainError, KeyHistoryError
from ledger.webauthn import b64url_encode, challenge_for
from tests.passkey import ORIGIN, RP_ID, Passkey

HANDLE = "lt-7Qm2xKc9"


def fingerprint(device: Passkey) -> str:
    return key_events.key_fingerprint("webauthn", device.public_key_cose)


def log_key_event(log, kind: str, public: dict) -> int:
    entry, _ = ev.make_event(kind, log.next_time(), public)
    return log.append(entry)


def register(log, device: Passkey, status: str, org: str = "pak") -> int:
    public = {
        "org": org,
        "kind": "webauthn",
        "fingerprint": fingerprint(device),
        "public_key": base64.b64encode(device.public_key_cose).decode(),
        "credential_id": b64url_encode(device.credential_id),
        "status": status,
    }
    return log_key_event(log, key_events.KEY_REGISTERED, public)


def approve(log, device: Passkey, approver: Passkey, made_by: Passkey | None = None, org: str = "pak") -> int:
    """``approver`` approves ``device``; the assertion is made by ``made_by`` (the approver itself
    when not given, as an honest server logs it)."""
    statement = key_events.approve_key_action(org, fingerprint(device))
    credential = (made_by or approver).assert_(challenge_for(statement))
    proof = {"kind": "webauthn", "credential": credential, "rp_id": RP_ID, "origin": ORIGIN}
    public = {
        "org": org,
        "fingerprint": fingerprint(device),
        "approver": fingerprint(approver),
        "proof_kind": "webauthn",
        "proof": canonical_json(proof).decode(),
    }
    return log_key_event(log, key_events.KEY_APPROVED, public)


def revoke(log, device: Passkey, org: str = "pak") -> int:
    public = {"org": org, "fingerprint": fingerprint(device), "reason": "lost"}
    return log_key_event(log, key_events.KEY_REVOKED, public)


def key_findings(report) -> list[str]:
    return [problem.message for problem in report.problems if isinstance(problem, KeyHistoryError)]


def test_a_log_whose_keys_make_one_history_passes_and_says_how_many_key_events_it_replayed():
    first, second = Passkey("ES256"), Passkey("Ed25519")

    def keys(log, letter, extra):
        register(log, first, "active")
        register(log, second, "pending")
        approve(log, second, first)
        revoke(log, first)

    fake, _ = history(keys)
    report = audit(fake)

    assert report.ok, [problem.message for problem in report.problems]
    assert report.key_events == 4
    assert report.as_json()["key_events"] == 4


def test_a_key_approved_by_a_key_that_was_not_active_is_a_finding():
    first, pending, newcomer = Passkey(), Passkey(), Passkey()

    def keys(log, letter, extra):
        register(log, first, "active")
        register(log, pending, "pending")
        register(log, newcomer, "pending")
        approve(log, newcomer, pending)  # the approver itself waits for approval

    fake, _ = history(keys)
    report = audit(fake)

    (finding,) = key_findings(report)
    assert f"key {fingerprint(pending)} is pending, not active" in finding
    assert report.exit_code == 6 and report.problems[0].step == "keys"


def test_a_key_event_about_a_key_never_registered_is_a_finding():
    stranger = Passkey()

    def keys(log, letter, extra):
        revoke(log, stranger)

    fake, _ = history(keys)
    (finding,) = key_findings(audit(fake))
    assert f"pak has no key {fingerprint(stranger)} registered before" in finding


def test_an_approval_whose_proof_is_not_the_approving_keys_is_a_finding():
    first, second, thief = Passkey(), Passkey(), Passkey()

    def keys(log, letter, extra):
        register(log, first, "active")
        register(log, second, "pending")
        approve(log, second, first, made_by=thief)

    fake, _ = history(keys)
    (finding,) = key_findings(audit(fake))
    assert f"the approval of {fingerprint(second)}: the passkey's ES256 signature does not verify" in finding


def test_a_second_key_registered_active_beside_an_active_one_is_a_finding():
    first, second = Passkey(), Passkey()

    def keys(log, letter, extra):
        register(log, first, "active")
        register(log, second, "active")  # the operator's word, where the first key had to approve

    fake, _ = history(keys)
    (finding,) = key_findings(audit(fake))
    assert "it needed its approval" in finding


def test_a_registration_whose_key_is_not_base64_is_a_finding_not_a_crash():
    def keys(log, letter, extra):
        public = {
            "org": "pak",
            "kind": "ssh",
            "fingerprint": "SHA256:" + "A" * 43,
            "public_key": "not base64!",
            "credential_id": None,
            "status": "active",
        }
        log_key_event(log, key_events.KEY_REGISTERED, public)

    fake, _ = history(keys)
    (finding,) = key_findings(audit(fake))
    assert "the key's public_key is not base64" in finding


def test_every_key_finding_is_reported_and_the_replay_goes_on_past_each():
    first, second, stranger = Passkey(), Passkey(), Passkey()

    def keys(log, letter, extra):
        register(log, first, "active")
        revoke(log, stranger)  # a finding; the replay goes on
        register(log, second, "pending")
        approve(log, second, first)  # sound
        revoke(log, first)
        revoke(log, first)  # a finding: revoked again

    fake, _ = history(keys)
    findings = key_findings(audit(fake))

    assert len(findings) == 2, findings
    assert "has no key" in findings[0] and "revoked again" in findings[1]


def test_the_letters_own_problem_keeps_its_exit_code_before_the_key_findings():
    stranger = Passkey()

    def lies(log, letter, extra):
        del log.entries[letter.indexes[5]]
        revoke(log, stranger)

    fake, _ = history(lies)
    report = audit(fake)

    assert isinstance(report.problems[0], ChainError) and report.exit_code == 7
    assert isinstance(report.problems[-1], KeyHistoryError)


def test_main_prints_a_key_finding_with_its_step_and_exit_code():
    stranger = Passkey()

    def keys(log, letter, extra):
        revoke(log, stranger)

    fake, _ = history(keys)
    readable, as_json = io.StringIO(), io.StringIO()

    assert main([HANDLE], stdout=readable, fetch=fake, vkey=fake.log.signer.vkey) == 6
    assert main([HANDLE, "--json"], stdout=as_json, fetch=fake, vkey=fake.log.signer.vkey) == 6

    assert "PROBLEM at keys (exit 6): key events: index" in readable.getvalue()
    (problem,) = json.loads(as_json.getvalue())["problems"]
    assert (problem["step"], problem["code"]) == ("keys", 6)
