"""A letter signed with keys the signers hold verifies offline: the bundle carries the key
events, the verifier checks each SSHSIG against the key active when the signature was logged,
and `verify --json` names each signature's key kind. A forged proof, a proof by a key revoked
before the signature, or a bundle without the key's events fails at step 5 with its own reason."""

import io
import json

import pytest

from ledger import events
from ledger.errors import SignatureError
from ledger.verify import verify_bundle
from ledger.verify_command import main
from orgs.models import OwnKey
from record.log import append_event, event_time
from tests.conftest import sign
from tests.ssh import SshKey, needs_ssh_keygen

pytestmark = needs_ssh_keygen


def register(persona, key):
    response = persona.api.post("/keys", {"kind": "ssh", "public_key": key.public_line})
    assert response.status_code == 201, response.content
    return response.json()


def sign_with_key(persona, letter, key):
    statement = persona.api.get(f"/letters/{letter['id']}/statement", action="sign", version=1).content
    body = {
        "version": 1,
        "version_hash": letter["current_hash"],
        "proof": {"kind": "sshsig", "signature": key.sign(statement)},
    }
    response = persona.api.post(f"/letters/{letter['id']}/signatures", body)
    assert response.status_code == 201, response.content
    return response.json()


def bundle_of(persona, letter):
    response = persona.api.get(f"/letters/{letter['id']}/bundle")
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def pak_key(tmp_path, signer):
    key = SshKey(tmp_path / "pak")
    register(signer, key)
    return key


def test_a_bundle_with_an_ssh_signature_verifies_offline_and_names_key_kinds(
    signer, second_signer, circulating, pak_key
):
    sign_with_key(signer, circulating, pak_key)
    sign(second_signer, circulating)

    report = verify_bundle(bundle_of(signer, circulating))

    assert [s["key_kind"] for s in report.facts["signatures"]] == ["sshsig", "custodial"]
    assert any(step.number == 5 and "statements verified" in step.detail for step in report.steps)


def test_verify_json_names_each_signatures_key_kind(signer, circulating, pak_key, tmp_path):
    sign_with_key(signer, circulating, pak_key)
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle_of(signer, circulating)))
    out = io.StringIO()

    code = main([str(path), "--json"], stdout=out)

    assert code == 0, out.getvalue()
    (signature,) = json.loads(out.getvalue())["facts"]["signatures"]
    assert signature["key_kind"] == "sshsig" and signature["version"] == 1
    readable = io.StringIO()
    assert main([str(path)], stdout=readable) == 0
    assert "1 of 1 signature events made with keys the signers hold" in readable.getvalue()


def test_a_key_approved_by_the_first_verifies_with_the_approval_checked(signer, circulating, pak_key, tmp_path):
    later = SshKey(tmp_path / "later")
    pending = register(signer, later)
    approval = signer.api.get(f"/keys/{pending['id']}/statement").content
    proof = {"kind": "sshsig", "signature": pak_key.sign(approval)}
    assert signer.api.post(f"/keys/{pending['id']}/approve", {"proof": proof}).status_code == 201
    sign_with_key(signer, circulating, later)

    report = verify_bundle(bundle_of(signer, circulating))

    assert report.facts["signatures"][0]["key_kind"] == "sshsig"


def forge_signature(letter, persona, key: OwnKey, signature: str, statement_time: str):
    """What a dishonest server would log: a signature.signed naming the key, with a proof of its choosing."""
    from django.db import transaction
    from django.utils import timezone

    with transaction.atomic():
        append_event(
            events.SIGNATURE_SIGNED,
            timezone.now(),
            {
                "version": 1,
                "version_hash": letter["current_hash"],
                "late": False,
                "replaces": None,
                "key_kind": "sshsig",
            },
            {
                "org": key.organisation.slug,
                "signer": persona.username,
                "statement_time": statement_time,
                "key": key.fingerprint,
                "key_event": key.registered_log_index,
                "proof": {"kind": "sshsig", "signature": signature},
            },
            handle=letter["handle"],
        )


def test_a_forged_proof_fails_offline_with_its_own_reason(signer, circulating, pak_key):
    key = OwnKey.objects.get(fingerprint=pak_key.fingerprint)
    other_statement = b"undersigned/statement/v1\x00{}"
    forge_signature(circulating, signer, key, pak_key.sign(other_statement), event_time(key.created_at))

    with pytest.raises(SignatureError, match="does not verify over the statement"):
        verify_bundle(bundle_of(signer, circulating))


def test_a_tampered_proof_fails_offline_as_malformed(signer, circulating, pak_key):
    key = OwnKey.objects.get(fingerprint=pak_key.fingerprint)
    forge_signature(circulating, signer, key, "-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----", "t")

    with pytest.raises(SignatureError, match="the SSH signature is malformed"):
        verify_bundle(bundle_of(signer, circulating))


def test_a_signature_logged_after_its_keys_revocation_fails_offline(signer, circulating, pak_key):
    statement = signer.api.get(f"/letters/{circulating['id']}/statement", action="sign", version=1).content
    key = OwnKey.objects.get(fingerprint=pak_key.fingerprint)
    signer.api.post(f"/keys/{key.id}/revoke", {"reason": "lost"})
    statement_time = json.loads(statement.split(b"\x00", 1)[1])["time"]
    forge_signature(circulating, signer, key, pak_key.sign(statement), statement_time)

    with pytest.raises(SignatureError, match="was revoked when the signature was logged"):
        verify_bundle(bundle_of(signer, circulating))


def test_a_bundle_without_the_keys_events_fails_offline(signer, circulating, pak_key):
    sign_with_key(signer, circulating, pak_key)
    bundle = bundle_of(signer, circulating)
    bundle["keys"] = []

    with pytest.raises(SignatureError, match="is not among the bundle's keys"):
        verify_bundle(bundle)


def test_an_auditor_reads_a_log_holding_key_events_and_own_key_signatures(signer, circulating, pak_key):
    from ledger.audit import audit_handle
    from ledger.log_fetch import find_log
    from record import log
    from tests.ledger.test_audit_finds_this_sites_log import site_fetcher

    sign_with_key(signer, circulating, pak_key)
    log.integrate()

    report = audit_handle(find_log("http://testserver/", 5, site_fetcher), circulating["handle"], log.vkey())

    assert report.ok, [problem.message for problem in report.problems]
    assert [event.type for event in report.events][-1] == "signature.signed"


def test_a_proof_replayed_after_a_withdrawal_fails_offline(signer, circulating, pak_key):
    """A dishonest server cannot sign again for a mission that withdrew, with the proof it kept."""
    statement = signer.api.get(f"/letters/{circulating['id']}/statement", action="sign", version=1).content
    proof = pak_key.sign(statement)
    body = {"version": 1, "version_hash": circulating["current_hash"], "proof": {"kind": "sshsig", "signature": proof}}
    assert signer.api.post(f"/letters/{circulating['id']}/signatures", body).status_code == 201
    assert signer.api.post(f"/letters/{circulating['id']}/withdraw", {}).status_code == 201
    statement_time = json.loads(statement.split(b"\x00", 1)[1])["time"]
    forge_signature(circulating, signer, OwnKey.objects.get(fingerprint=pak_key.fingerprint), proof, statement_time)

    with pytest.raises(SignatureError, match="signs a statement an earlier signature of pak signed"):
        verify_bundle(bundle_of(signer, circulating))
